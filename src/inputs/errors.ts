/** The one-line errors of finding and reading inputs, each naming the file as the user gave it. */
import { InittabError } from "../base/errors.js";
import { errnoReason } from "../base/errno.js";
import type { HeadClass } from "../archive/sniff.js";
import { displayPath } from "./read.js";

/** A failed system call on an input: `<path>: no such file or directory`. */
export function fsInputError(path: string, err: unknown): InittabError {
  const errno = (err as NodeJS.ErrnoException | undefined)?.code;
  return new InittabError("io-error", `${displayPath(path)}: ${errnoReason(err)}`, {
    path,
    ...(errno !== undefined ? { errno } : {}),
  });
}

/**
 * Bytes read where an inittab was expected that are no text: a file given or found by its name,
 * an inittab.d file, stdin. Worded as the archive reader words a file it does not know.
 */
export function notInittabError(shown: string, path: string, cls: Exclude<HeadClass, { kind: "text" }>): InittabError {
  return new InittabError("not-an-inittab", `${shown}: not an inittab or a known archive: it is ${cls.what}`, {
    path,
    details: { reason: cls.kind === "encrypted" ? "encrypted" : "unknown-format" },
  });
}

/** Nothing to check where something was asked for: a directory or archive without an inittab. */
export function noInittabError(shown: string, path: string, what: string): InittabError {
  return new InittabError("no-inittab", `${shown}: ${what}`, { path });
}
