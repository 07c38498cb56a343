/**
 * The init layer: one model of how each init reads its file and runs its entries — fgets records
 * and joined lines, NUL and CR, field splitting, action lookup, commands, the boot runlevel.
 */
export { lookupAction, type ActionOptions, type ResolvedAction } from "./actions.js";
export {
  busyboxTokens,
  fieldError,
  missingFieldError,
  skipBlanks,
  splitSysvinitFields,
  sysvinitLineShape,
  sysvinitSkips,
  ttyPath,
  BUSYBOX_TERMINAL_MAX,
  type DropCause,
  type FieldError,
  type LineShape,
  type SysvinitFields,
} from "./fields.js";
export {
  readBusyBox,
  readSysvinit,
  sysvinitText,
  type BusyBoxRead,
  type ReadOptions,
  type SysvinitRead,
} from "./reader.js";
export {
  simulateInit,
  storedRunlevels,
  type DroppedLine,
  type InitPrediction,
  type InitSource,
  type SimulatedEntry,
  type SimulateOptions,
} from "./simulate.js";
export { analyseCommand, chainsCommands, hasMetachar, INIT_PATH, programOf, type Command } from "./command.js";
export {
  planReload,
  settledProcesses,
  sysvinitList,
  RELOAD_LEVELS,
  type KeepReason,
  type PlanDormant,
  type PlanEntry,
  type PlanKeep,
  type PlanStart,
  type PlanStop,
  type ProcessState,
  type ReloadPlan,
  type ReloadPlanOptions,
  type StartReason,
  type StopReason,
} from "./reload.js";
