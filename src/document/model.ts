/** The document model: what `parse()` returns. All offsets are byte offsets. */
import type { LineCounter } from "../base/positions.js";
import type { Detection, Dialect } from "../dialects/index.js";

export type LineKind = "entry" | "comment" | "blank" | "invalid";
/**
 * What ends a line. A CR before the LF belongs to the terminator here, but both inits read it as
 * data (the last field ends in `\r`), which the rules report. (A NUL does not end a line: see
 * `Line.nul`.)
 */
export type Terminator = "LF" | "CRLF" | "none";
export type FieldName = "id" | "runlevels" | "action" | "process";
export const FIELD_NAMES: readonly FieldName[] = ["id", "runlevels", "action", "process"];

/** A span of the input, with its 1-based position. `end` is exclusive. */
export interface Span {
  readonly start: number;
  readonly end: number;
  /** 1-based physical line of `start`. */
  readonly line: number;
  /** 1-based byte column of `start`. */
  readonly column: number;
}

/** One of the four fields of an entry. */
export interface Field extends Span {
  /** The exact source bytes (binary string), BusyBox continuations included. */
  readonly raw: string;
  /** The bytes init sees (binary string): BusyBox continuations removed. */
  readonly value: string;
  /** `value` decoded as UTF-8 (U+FFFD for invalid bytes): for display and matching. */
  readonly text: string;
}

export interface Line {
  readonly kind: LineKind;
  /** 0-based index in `Document.lines`. */
  readonly index: number;
  /** 1-based physical line where it starts, and where it ends (BusyBox continuations). */
  readonly line: number;
  readonly endLine: number;
  /** Byte offsets: [start, end) covers the line and its terminator; lines tile the file. */
  readonly start: number;
  readonly end: number;
  /** Where the terminator starts (== end when there is none). */
  readonly contentEnd: number;
  readonly terminator: Terminator;
  /** The exact bytes of the line, terminator included (binary string). */
  readonly raw: string;
  /** sysvinit: spaces and tabs before the id, which init skips. */
  readonly indent: string;
  /** How many of the three significant colons the line has. */
  readonly colons: number;
  /** The fields present on the line (entries have all four; an invalid line may have some). */
  readonly fields: Readonly<Partial<Record<FieldName, Field>>>;
  /** A whole-line comment, or BusyBox's end-of-line comment after a `#`. */
  readonly comment?: Span & { readonly raw: string; readonly text: string };
  /**
   * A NUL byte and the rest of the line (sysvinit: of the physical line; BusyBox: of the logical
   * line, like a `#` comment). Init holds the line as a C string, so it never sees these bytes:
   * the fields end at the NUL. (sysvinit <= 3.13 runs what is before it; 3.14 drops the line and
   * the one after it, which the rules report.)
   */
  readonly nul?: Span & { readonly raw: string };
  /** Why the line is invalid: what init does with it. */
  readonly reason?: string;
}

/** An entry line: all four fields present. */
export interface Entry extends Line {
  readonly kind: "entry";
  readonly fields: Readonly<Record<FieldName, Field>>;
}

/** A parsed inittab. Never changed once made: an edit makes a new Document. */
export interface Document {
  /** The input as a binary string (one char per byte). */
  readonly source: string;
  readonly dialect: Dialect;
  /** How the dialect was chosen (`auto`), or that it was given. */
  readonly detection: Detection;
  readonly lines: readonly Line[];
  /** Where each line of the source starts: 1-based line and column of any offset. */
  readonly positions: LineCounter;
  /** The terminator new lines should use: the file's most common one (LF when it has none). */
  readonly newline: "\n" | "\r\n";
  /** The file ends with a line terminator (or is empty). */
  readonly finalNewline: boolean;
}

export function isEntry(line: Line): line is Entry {
  return line.kind === "entry";
}
