/** The safe writer: atomic, locked, validated replacement of a file (used by edit, check --fix, generators). */
export {
  safeWriteFile, editFileSafely, type SafeWriteOptions, type WriteResult, type Transform,
} from "./safe-write.js";
export { errnoReason, type WriteErrorCode } from "./errors.js";
export { splitCommand, validateArgv, runValidator, validateBytes } from "./validate.js";
export type { WriteFs } from "./fs.js";
