/**
 * The running system: which init is PID 1 and which file it reads, and asking it to re-read
 * its inittab. Nothing here ever signals a process that is not the init it means to reload.
 */
export { reloadInit, type ReloadOptions } from "./reload.js";
