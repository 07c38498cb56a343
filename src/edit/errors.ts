/**
 * Why an edit operation did not produce edits. Every refusal leaves the file as it was; the
 * CLI maps `exitCode` straight to its exit status (1: refused, 2: unusable arguments).
 */

export type EditErrorReason =
  /** The entry exists with other fields; `--replace` would change it. */
  | "conflict"
  /** Nothing matches the selector (for operations that need a target). */
  | "not-found"
  /** The selector matches more entries than the operation can act on. */
  | "ambiguous"
  /** The user's text is not usable: not one line, not an entry, a field init would read differently. */
  | "invalid-input"
  /** The edit would change how init reads lines it was not meant to touch. */
  | "unsafe";

export class EditError extends Error {
  readonly reason: EditErrorReason;
  readonly exitCode: 1 | 2;
  constructor(reason: EditErrorReason, message: string) {
    super(message);
    this.reason = reason;
    // Bad arguments are a usage problem (2); everything else is a refusal about the file (1).
    this.exitCode = reason === "invalid-input" ? 2 : 1;
  }
}
