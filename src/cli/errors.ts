/** Errors the CLI turns into one line on stderr and an exit code (never a stack trace). */

/** Unusable input or arguments: exit 2. */
export class UsageError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** A Node system error as "<path>: <reason>", e.g. "/etc/inittab: no such file or directory". */
export function describeFsError(path: string, err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const reasons: Record<string, string> = {
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
    ENXIO: "no such device or address",
    EBUSY: "device or resource busy",
  };
  const reason = (e && e.code && reasons[e.code]) || (e && e.message) || String(err);
  return `${path}: ${reason}`;
}
