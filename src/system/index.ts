/**
 * The running system: which init is PID 1 and which file it reads, and asking it to re-read
 * its inittab. Nothing here ever signals a process that is not the init it means to reload.
 */
export { liveInit, type InitKind, type LiveInit, type LiveOptions } from "./live.js";
export { reloadInit, type ReloadOptions } from "./reload.js";
