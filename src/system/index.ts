/**
 * The running system: which init is PID 1 and which file it reads, and asking it to re-read
 * its inittab; what it runs (its runlevel, its children and their entries), read only, for a
 * plan of the re-read. Nothing here ever signals a process that is not the init it means to reload.
 */
export { liveInit, type InitKind, type LiveInit, type LiveOptions as LiveInitOptions } from "./live-init.js";
export { askToReread, reloadInit, type ReloadOptions } from "./reload.js";
export { readInitChildren, readProcess, type ProcessInfo, type ProcOptions } from "./processes.js";
export { expectedArgv, matchProcesses, type LiveMatch, type MatchOptions } from "./live.js";
export { readRunlevel, UTMP_PATHS, type RunlevelOptions, type RunlevelReading } from "./runlevel.js";
export { parseUtmp, processRecords, runlevelFromUtmp, UTMP_RECORD_SIZE, UTMP_TYPES, type UtmpRecord } from "./utmp.js";
export {
  planOnSystem,
  readLiveSystem,
  type LiveOptions,
  type LiveSystem,
  type SystemPlan,
  type SystemPlanOptions,
} from "./plan.js";
