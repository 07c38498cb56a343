/** Errors of the safe writer: each names the file and the reason in one line. */
import { escapeText } from "../base/bytes.js";
import { errnoReason } from "../base/errno.js";
import { InittabError } from "../base/errors.js";

export { errnoReason };

/** The codes a failed safe write carries. */
export type WriteErrorCode =
  "lock-busy" | "not-a-regular-file" | "hard-links" | "cannot-rename" | "invalid-option" | "io-error" | "outside-root";

/**
 * A failed safe write: "<path>: <reason>". The original file is as it was; no temporary or lock
 * file is left.
 */
export function writeError(code: WriteErrorCode, path: string, reason: string, errno?: string): InittabError {
  return new InittabError(code, `${escapeText(path)}: ${reason}`, { path, ...(errno !== undefined ? { errno } : {}) });
}

/** Wrap a system error of an operation on `path` ("<path>: no space left on device"). */
export function writeErrorFrom(path: string, err: unknown, doing?: string): InittabError {
  if (err instanceof InittabError) return err;
  const e = err as NodeJS.ErrnoException;
  const reason = errnoReason(err);
  return writeError("io-error", path, doing ? `${reason} (${doing})` : reason, e?.code);
}

/** The validation command rejected the new content (or could not run): nothing was written. */
export function validationError(path: string, message: string, status: number | null, stderr: string): InittabError {
  return new InittabError("validation-failed", `${escapeText(path)}: ${message}`, {
    path,
    details: { status, stderr },
  });
}
