/** Errors of the safe writer: each names the file and the reason in one line. */
import { escapeText } from "../base/bytes.js";
import { InittabError } from "../base/errors.js";

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: "no such file or directory",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EISDIR: "is a directory",
  ENOTDIR: "not a directory",
  ENOSPC: "no space left on device",
  EROFS: "read-only file system",
  EDQUOT: "disk quota exceeded",
  EIO: "input/output error",
  ELOOP: "too many levels of symbolic links",
  EMFILE: "too many open files",
  ENFILE: "too many open files in system",
  EBUSY: "device or resource busy",
  ENXIO: "no such device or address",
  EXDEV: "cross-device link",
  ETXTBSY: "text file busy",
  ENAMETOOLONG: "file name too long",
  EFBIG: "file too large",
};

/** The reason of a Node system error in words ("no space left on device"). */
export function errnoReason(err: unknown): string {
  const e = err as NodeJS.ErrnoException | undefined;
  if (e?.code && REASONS[e.code]) return REASONS[e.code]!;
  // Node's own message repeats the path unescaped; the code alone is safe to print.
  if (e?.code) return e.code;
  return escapeText(e?.message ?? String(err));
}

/** The codes a failed safe write carries. */
export type WriteErrorCode = "lock-busy" | "not-a-regular-file" | "hard-links" | "cannot-rename" | "invalid-option" | "io-error";

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
  return new InittabError("validation-failed", `${escapeText(path)}: ${message}`, { path, details: { status, stderr } });
}
