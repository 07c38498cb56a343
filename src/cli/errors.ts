/**
 * How the CLI reports a failure: one line on stderr naming the file, never a stack trace, and an
 * exit status by error code (1: refused, the file or the system is not as needed; 2: unusable
 * input or arguments; 3: the file was written, but `--reload` did not reach the running init).
 * The library words options as its API spells them (`inPlace`); the CLI says its flags instead
 * (--in-place).
 */
import { InittabError, type ErrorCode } from "../base/errors.js";
import { errnoReason } from "../base/errno.js";

export const EXIT_STATUS: Readonly<Record<ErrorCode, 1 | 2 | 3>> = {
  "unknown-dialect": 2,
  "unknown-profile": 2,
  "invalid-option": 2,
  "overlapping-edits": 2,
  "entry-exists": 1,
  "no-such-entry": 1,
  "ambiguous-selector": 1,
  "invalid-entry": 2,
  "unsafe-edit": 1,
  "edit-adds-errors": 1,
  "not-applicable": 1,
  "invalid-request": 2,
  "not-a-request": 2,
  "no-fifo": 2,
  "not-a-fifo": 2,
  "no-reader": 2,
  timeout: 2,
  "io-error": 2,
  "not-a-regular-file": 2,
  "too-big": 2,
  "not-an-inittab": 2,
  "no-inittab": 2,
  "bad-archive": 2,
  "outside-root": 2,
  "lock-busy": 2,
  "hard-links": 2,
  "cannot-rename": 2,
  "validation-failed": 1,
  // The file is written; only the running init was not asked to re-read it.
  "reload-failed": 3,
  "reload-skipped": 3,
};

/** The CLI flag for each option name the library's messages use. */
const FLAG_OF: Readonly<Record<string, string>> = {
  after: "--after",
  action: "--action",
  allowExec: "--allow-exec",
  backup: "--backup",
  before: "--before",
  first: "--first",
  id: "--id",
  inPlace: "--in-place",
  keep: "--keep",
  line: "--line",
  match: "--match",
  maxBytes: "--max-size",
  process: "--process",
  replace: "--replace",
  root: "--root",
  runlevel: "--runlevel",
  runlevels: "--runlevels",
  tty: "--tty",
  validate: "--validate",
};

/** A message in terms of the CLI's flags: `inPlace` becomes --in-place. */
export function inFlags(message: string): string {
  return message.replace(/`([A-Za-z]+)`/g, (whole, name: string) => FLAG_OF[name] ?? whole);
}

/** An error of the CLI's own arguments (or of another code the CLI decides). */
export function usageError(message: string, code: ErrorCode = "invalid-option"): InittabError {
  return new InittabError(code, message);
}

/** The same error, its message prefixed with the file it concerns as shown to the user. */
export function naming(shown: string, err: InittabError): InittabError {
  return new InittabError(err.code, `${shown}: ${err.message}`, {
    ...(err.path !== undefined ? { path: err.path } : {}),
    ...(err.errno !== undefined ? { errno: err.errno } : {}),
    details: err.details,
    cause: err,
  });
}

/** A Node system error as "<path>: <reason>", e.g. "/etc/inittab: no such file or directory". */
export function describeFsError(path: string, err: unknown): string {
  return `${path}: ${errnoReason(err)}`;
}

/** A Node system error on a file as an InittabError naming it. */
export function fsError(path: string, err: unknown): InittabError {
  const errno = (err as NodeJS.ErrnoException | undefined)?.code;
  return new InittabError("io-error", describeFsError(path, err), { ...(errno !== undefined ? { errno } : {}) });
}
