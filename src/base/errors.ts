/**
 * The one error type of the library: every failure it reports is an InittabError with a code
 * from ErrorCode, the file it concerns and the position in it where there is one. Messages say
 * what is wrong in the library's terms (option names as the API spells them); the CLI alone
 * turns codes into exit statuses and words them in terms of its flags.
 */

export type ErrorCode =
  // Arguments and options given to the library.
  /** A dialect name that no table has. */
  | "unknown-dialect"
  /** A check profile that does not exist. */
  | "unknown-profile"
  /** An option with an unusable value, or options that exclude each other (`details.options`). */
  | "invalid-option"
  // Edits.
  /** Two edits overlap, or an edit lies outside the text. */
  | "overlapping-edits"
  /** The entry to add exists with other fields (`replace` would change it). */
  | "entry-exists"
  /** Nothing matches the selector. */
  | "no-such-entry"
  /** The selector matches more entries than the operation can act on. */
  | "ambiguous-selector"
  /** The entry text given is unusable: not one line, not an entry, a field init would read otherwise. */
  | "invalid-entry"
  /** The edit would change how init reads lines it was not meant to touch. */
  | "unsafe-edit"
  /** The edit would add errors the file did not have (`details.diagnostics`). */
  | "edit-adds-errors"
  // Generators.
  /** The file or its init cannot give what was asked (a tmpfs dummy, an exec entry). */
  | "not-applicable"
  // initctl requests.
  /** A request telinit would refuse to build. */
  | "invalid-request"
  /** Bytes that are not an initctl request. */
  | "not-a-request"
  /** No initctl FIFO where one was expected. */
  | "no-fifo"
  /** The path is not a FIFO. */
  | "not-a-fifo"
  /** The FIFO has no reader: no init listens. */
  | "no-reader"
  /** The reader did not take the request in time. */
  | "timeout"
  // Files and the running system.
  /** A system call failed (`errno`). */
  | "io-error"
  /** The path is not a regular file (a directory, device, FIFO…). */
  | "not-a-regular-file"
  /** The file is larger than the limit. */
  | "too-big"
  /** The file is not an inittab (a binary file) or an archive of an unusable kind. */
  | "not-an-inittab"
  /** A directory or archive given to be checked holds no inittab, or an inittab in it cannot be read. */
  | "no-inittab"
  /** An archive that cannot be read: corrupt, truncated, encrypted, a decompression bomb, a path escaping it. */
  | "bad-archive"
  /** A path that leaves the root it must stay in, or symbolic links that loop. */
  | "outside-root"
  /** Another writer holds the file's lock. */
  | "lock-busy"
  /** The file has several hard links and replacing it would split them. */
  | "hard-links"
  /** A rename cannot replace the file (a bind mount, another file system). */
  | "cannot-rename"
  /** The validation command rejected the new content or could not run (`details.status`, `details.stderr`). */
  | "validation-failed"
  /** The running init could not be asked to re-read its file. */
  | "reload-failed"
  /** The running init was not asked to re-read: it is not the init of the file written. */
  | "reload-skipped";

/** Extra facts about an error, by code. */
export interface ErrorDetails {
  /** `invalid-option`: the API option names involved. */
  options?: readonly string[];
  /** `validation-failed`: the command's exit status (null: killed or never started) and stderr. */
  status?: number | null;
  stderr?: string;
  /** `edit-adds-errors`: the new findings. */
  diagnostics?: readonly unknown[];
  /** Anything else a code documents. */
  [key: string]: unknown;
}

export interface ErrorInit {
  /** The file concerned, as given. */
  path?: string;
  /** 1-based line and column, and the byte offset, in that file. */
  line?: number;
  column?: number;
  offset?: number;
  /** `io-error`: the errno code of the failed system call (`ENOSPC`). */
  errno?: string;
  details?: ErrorDetails;
  /** The error that caused this one. */
  cause?: unknown;
}

export class InittabError extends Error {
  override readonly name = "InittabError";
  readonly code: ErrorCode;
  readonly path: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly offset: number | undefined;
  readonly errno: string | undefined;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message: string, init: ErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = code;
    this.path = init.path;
    this.line = init.line;
    this.column = init.column;
    this.offset = init.offset;
    this.errno = init.errno;
    this.details = init.details ?? {};
  }
}

/** True for an InittabError, optionally of one of the given codes. */
export function isInittabError(err: unknown, ...codes: ErrorCode[]): err is InittabError {
  return err instanceof InittabError && (codes.length === 0 || codes.includes(err.code));
}
