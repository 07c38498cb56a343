/** Errors of the safe writer: each names the file and the reason in one line. */
import { escapeText } from "../document/bytes.js";

export type WriteErrorCode =
  /** Another writer holds the lock. */
  | "busy"
  /** The target is a directory, device, FIFO… */
  | "not-regular"
  /** The target has several hard links and `inPlace` was not given. */
  | "hard-links"
  /** A rename cannot replace the target (a bind-mounted file) and `inPlace` was not given. */
  | "cannot-rename"
  /** The backup suffix is not a plain suffix. */
  | "bad-option"
  /** A system call failed; `errno` says which way. */
  | "io";

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

/** A failed safe write. The original file is as it was; no temporary or lock file is left. */
export class WriteError extends Error {
  readonly code: WriteErrorCode;
  /** The file the caller asked to write (as given). */
  readonly path: string;
  /** The errno code of the failed system call, for `io`. */
  readonly errno: string | undefined;
  constructor(code: WriteErrorCode, path: string, reason: string, errno?: string) {
    super(`${escapeText(path)}: ${reason}`);
    this.code = code;
    this.path = path;
    this.errno = errno;
  }

  /** Wrap a system error of an operation on `path` ("<path>: no space left on device"). */
  static from(path: string, err: unknown, doing?: string): WriteError {
    if (err instanceof WriteError) return err;
    const e = err as NodeJS.ErrnoException;
    const reason = errnoReason(err);
    return new WriteError("io", path, doing ? `${reason} (${doing})` : reason, e?.code);
  }
}

/** The `validate` command rejected the new content (or could not run): nothing was written. */
export class ValidateError extends Error {
  readonly path: string;
  /** Exit status, or null when it was killed by a signal or did not start. */
  readonly status: number | null;
  /** What it printed on stderr (raw; escape before showing). */
  readonly stderr: string;
  constructor(path: string, message: string, status: number | null, stderr: string) {
    super(`${escapeText(path)}: ${message}`);
    this.path = path;
    this.status = status;
    this.stderr = stderr;
  }
}
