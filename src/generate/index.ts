/** Generators for the root-unmount shutdown: the tmpfs dummy inittab and the `exec` entry. */
export { generateTmpfsInittab, DUMMY_INITDEFAULT, type KeptEntry, type TmpfsOptions, type TmpfsResult } from "./tmpfs.js";
export { addExecEntry, type ExecEntryOptions, type ExecEntryResult } from "./exec-entry.js";
export type { ShutdownLevel } from "./common.js";
