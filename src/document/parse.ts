/** `parse()` and `print()`: bytes in, Document out, and the exact bytes back. */
import { InittabError } from "../base/errors.js";
import { detectDialect, dialectByName, type Detection, type Dialect } from "../dialects/index.js";
import { fromBinary, toBinary } from "../base/bytes.js";
import { LineCounter } from "../base/positions.js";
import { buildLines } from "./build.js";
import type { Document, Line } from "./model.js";

export interface ParseOptions {
  /** `auto` (default), a dialect name (`sysvinit`, `sysvinit@3.06`, `busybox`…) or a Dialect. */
  dialect?: string | Dialect;
}

/**
 * Parse an inittab. Never fails on content: every input, broken or not, gives a Document whose
 * lines tile the input exactly, each classified the way the dialect's init reads it. A string is
 * read as its UTF-8 bytes.
 *
 * @throws InittabError `unknown-dialect` when `options.dialect` names no dialect.
 * @example
 * const doc = parse(readFileSync("/etc/inittab"), { dialect: "auto" });
 * doc.dialect.name;            // "sysvinit@3.14" (doc.detection.reasons says why)
 * doc.lines.filter(isEntry).map((e) => e.fields.id.text);
 */
export function parse(input: string | Uint8Array, options: ParseOptions = {}): Document {
  const source = toBinary(input);
  return parseBinary(source, options);
}

/** `parse()` for a binary string (one char per byte), as produced by `toBinary`. */
export function parseBinary(source: string, options: ParseOptions = {}): Document {
  const requested = options.dialect ?? "auto";
  const counter = new LineCounter(source);
  let detection: Detection;
  let lines: readonly Line[] | undefined;
  if (typeof requested !== "string") {
    detection = { dialect: requested, reasons: ["given"] };
  } else if (requested === "auto") {
    const sysvinitLines = buildLines(source, "sysvinit", counter);
    detection = detect(sysvinitLines);
    // The lines detection read are the answer when it chose sysvinit syntax: no second parse.
    if (detection.dialect.syntax === "sysvinit") lines = sysvinitLines;
  } else {
    const dialect = dialectByName(requested);
    if (!dialect) throw new InittabError("unknown-dialect", `unknown dialect "${requested}"`);
    detection = { dialect, reasons: ["given"] };
  }
  lines ??= buildLines(source, detection.dialect.syntax, counter);
  const doc: Document = {
    source,
    dialect: detection.dialect,
    detection,
    lines,
    positions: counter,
    newline: preferredNewline(lines),
    finalNewline: source.length === 0 || source.endsWith("\n"),
  };
  return doc;
}

/** Weigh the evidence in the lines as sysvinit splits them (enough to tell the inits apart). */
function detect(lines: readonly Line[]): Detection {
  // Only lines with all four fields say anything; the others need no record.
  const candidates = [];
  for (const l of lines) {
    if (l.colons < 3) continue;
    const f = l.fields;
    candidates.push({
      line: l.line,
      id: f.id?.text ?? "",
      action: f.action?.text ?? "",
      runlevels: f.runlevels?.text ?? "",
      colons: l.colons,
    });
  }
  return detectDialect(candidates);
}

function preferredNewline(lines: readonly Line[]): "\n" | "\r\n" {
  let crlf = 0;
  let lf = 0;
  for (const l of lines) {
    if (l.terminator === "CRLF") crlf++;
    else if (l.terminator === "LF") lf++;
  }
  return crlf > lf ? "\r\n" : "\n";
}

/** The document's bytes: the concatenation of its lines, byte for byte the input `parse` read. */
export function print(doc: Document): Uint8Array {
  return fromBinary(printBinary(doc));
}

/** `print()` as a binary string. */
export function printBinary(doc: Document): string {
  let out = "";
  for (const l of doc.lines) out += l.raw;
  return out;
}
