/** A failed system call in words, for one-line messages. */
import { escapeText } from "./bytes.js";

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
