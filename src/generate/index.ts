/** Generators for the root-unmount shutdown: the tmpfs dummy inittab and the `exec` entry. */
export { generateTmpfsInittab, TmpfsRefusal, DUMMY_INITDEFAULT, type KeptEntry, type TmpfsOptions, type TmpfsResult } from "./tmpfs.js";
export { addExecEntry, ExecEntryError, type ExecEntryOptions, type ExecEntryResult } from "./exec-entry.js";
export type { ShutdownLevel } from "./common.js";
