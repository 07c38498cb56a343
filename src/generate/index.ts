/**
 * The generate layer: what the root-unmount shutdown needs, derived from a live inittab: the
 * dummy inittab of a shutdown tmpfs and the proposed `exec` entry.
 */
export {
  generateTmpfsInittab,
  DUMMY_INITDEFAULT,
  type KeptEntry,
  type TmpfsOptions,
  type TmpfsResult,
} from "./tmpfs.js";
export { addExecEntry, type ExecEntryOptions, type ExecEntryResult } from "./exec-entry.js";
export type { ShutdownLevel } from "./common.js";
