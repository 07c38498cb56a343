/**
 * The write layer: atomic, locked, validated replacement of a file (edits, check --fix, the
 * generators): the original stays byte-identical on any failure.
 */
export {
  safeWriteFile,
  editFileSafely,
  type SafeWriteOptions,
  type WriteResult,
  type Transform,
} from "./safe-write.js";
export { errnoReason, type WriteErrorCode } from "./errors.js";
export { splitCommand, validateArgv, runValidator, validateBytes } from "./validate.js";
export type { WriteFs } from "./fs.js";
