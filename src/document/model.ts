/** The document model: what `parse()` returns. All offsets are byte offsets. */
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
  start: number;
  end: number;
  /** 1-based physical line of `start`. */
  line: number;
  /** 1-based byte column of `start`. */
  column: number;
}

/** One of the four fields of an entry. */
export interface Field extends Span {
  /** The exact source bytes (binary string), BusyBox continuations included. */
  raw: string;
  /** The bytes init sees (binary string): BusyBox continuations removed. */
  value: string;
  /** `value` decoded as UTF-8 (U+FFFD for invalid bytes): for display and matching. */
  text: string;
}

export interface Line {
  kind: LineKind;
  /** 0-based index in `Document.lines`. */
  index: number;
  /** 1-based physical line where it starts, and where it ends (BusyBox continuations). */
  line: number;
  endLine: number;
  /** Byte offsets: [start, end) covers the line and its terminator; lines tile the file. */
  start: number;
  end: number;
  /** Where the terminator starts (== end when there is none). */
  contentEnd: number;
  terminator: Terminator;
  /** The exact bytes of the line, terminator included (binary string). */
  raw: string;
  /** sysvinit: spaces and tabs before the id, which init skips. */
  indent: string;
  /** How many of the three significant colons the line has. */
  colons: number;
  /** The fields present on the line (entries have all four; an invalid line may have some). */
  fields: Partial<Record<FieldName, Field>>;
  /** A whole-line comment, or BusyBox's end-of-line comment after a `#`. */
  comment?: Span & { raw: string; text: string };
  /**
   * A NUL byte and the rest of the line (sysvinit: of the physical line; BusyBox: of the logical
   * line, like a `#` comment). Init holds the line as a C string, so it never sees these bytes:
   * the fields end at the NUL. (sysvinit <= 3.13 runs what is before it; 3.14 drops the line and
   * the one after it, which the rules report.)
   */
  nul?: Span & { raw: string };
  /** Why the line is invalid: what init does with it. */
  reason?: string;
}

/** An entry line: all four fields present. */
export interface Entry extends Line {
  kind: "entry";
  fields: Record<FieldName, Field>;
}

export interface Document {
  /** The input as a binary string (one char per byte). */
  source: string;
  dialect: Dialect;
  /** How the dialect was chosen (`auto`), or that it was given. */
  detection: Detection;
  lines: Line[];
  /** The terminator new lines should use: the file's most common one (LF when it has none). */
  newline: "\n" | "\r\n";
  /** The file ends with a line terminator (or is empty). */
  finalNewline: boolean;
}

export function isEntry(line: Line): line is Entry {
  return line.kind === "entry";
}
