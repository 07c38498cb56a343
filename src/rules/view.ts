/**
 * The lines as the target init reads them, which are not always the file's physical lines:
 *
 * - sysvinit reads with fgets into a 256-byte buffer. Up to 3.13 a longer line comes back in
 *   255-byte pieces and each piece is parsed as a line of its own (spec §1, E9), so a tail can
 *   become a phantom entry; 3.14 drops the whole line instead.
 * - C strings end at a NUL: init sees a line only up to its first NUL byte. In 3.14 the missing
 *   newline then makes init throw away the *next* line as well (get_void).
 * - Of an /etc/inittab.d/*.tab file only the first line that is neither comment nor blank is
 *   read; its first 255 bytes are used even when it is longer.
 *
 * Rules that judge a line's fields work on this view, so that they judge what init judges. Each
 * view line is a Line with offsets into the file, re-parsed from the bytes init sees.
 */
import type { Dialect } from "../dialects/index.js";
import { FIELD_NAMES, LineCounter, NulFinder, parseBinary, SourceField, SourceLine, SourceSpan, type Document, type Line, type SourceText } from "../document/index.js";

export interface InitLine {
  /** The line init parses: a Line whose offsets point into the file. */
  line: Line;
  /** The physical line of the file it comes from. */
  physical: Line;
  /** Which fgets piece of the physical line (0 for the first or only one), and how many. */
  piece: number;
  pieces: number;
  /** Offset of the NUL byte at which init stops reading the line. */
  nulAt?: number;
  /** init never parses this line: it follows the first entry of a .tab file, or 3.14 swallowed it after a NUL. */
  unread?: "after-first-tab-entry" | "swallowed";
}

/** Build the view of one file. `role` tab applies the inittab.d reading rules. */
export function buildView(doc: Document, role: "inittab" | "tab", counter: LineCounter): InitLine[] {
  const dialect = doc.dialect;
  const nuls = new NulFinder(doc.source);
  if (dialect.lineBufferBytes === null) {
    // BusyBox reads whole (continued) lines with getline; only the NUL cut applies.
    return doc.lines.map((line) => {
      const nul = nuls.first(line.start, line.end);
      return nul === -1 ? { line, physical: line, piece: 0, pieces: 1 } : { line, physical: line, piece: 0, pieces: 1, nulAt: nul };
    });
  }
  const text: SourceText = { source: doc.source, positions: counter };
  const size = dialect.lineBufferBytes - 1;
  const out: InitLine[] = [];
  let swallowNext = false;
  let tabEntrySeen = false;
  for (const physical of doc.lines) {
    if (swallowNext) {
      swallowNext = false;
      out.push({ line: physical, physical, piece: 0, pieces: 1, unread: "swallowed" });
      continue;
    }
    if (role === "tab" && tabEntrySeen) {
      out.push({ line: physical, physical, piece: 0, pieces: 1, unread: "after-first-tab-entry" });
      continue;
    }
    // A tab file's entry line is truncated at the buffer, not split or dropped.
    const policy = role === "tab" ? "split" : dialect.longLines;
    const length = physical.end - physical.start;
    const pieceCount = policy === "split" && length > size ? Math.ceil(length / size) : 1;
    for (let k = 0; k < pieceCount; k++) {
      const start = physical.start + k * size;
      const end = pieceCount === 1 ? physical.end : Math.min(physical.end, start + size);
      const nul = nuls.first(start, end);
      const entry: InitLine = {
        line: pieceCount === 1 && nul === -1 ? physical : reparse(doc.source.slice(start, nul === -1 ? end : nul), start, physical, dialect, text),
        physical,
        piece: k,
        pieces: pieceCount,
      };
      if (nul !== -1) {
        entry.nulAt = nul;
        // 3.14: no newline in the buffer (the NUL hides it), so get_void reads on to the next
        // newline; when fgets had already read this line's newline, that is the next line.
        if (policy === "drop" && doc.source[end - 1] === "\n" && end - start <= size) swallowNext = true;
      }
      out.push(entry);
      if (role === "tab") {
        if (entry.line.kind !== "comment" && entry.line.kind !== "blank") tabEntrySeen = true;
        if (tabEntrySeen) break; // only the first 255 bytes of the entry line are used
      }
    }
  }
  return out;
}

/** Parse the bytes init sees for a piece, with offsets moved to where the piece starts. */
function reparse(bytes: string, base: number, physical: Line, dialect: Dialect, text: SourceText): Line {
  const counter = text.positions;
  const parsed = bytes === "" ? undefined : parseBinary(bytes, { dialect }).lines[0];
  if (!parsed) {
    // Nothing before the NUL: to init an empty string, which has no fields at all.
    const line = counter.index(base) + 1;
    const empty = new SourceLine(text, "invalid", physical.index, line, line, base, base, base, "none", "", 0, {});
    empty.reason = "missing action field";
    return empty;
  }
  const fields: Line["fields"] = {};
  for (const name of FIELD_NAMES) {
    const f = parsed.fields[name];
    // sysvinit syntax (the only one read in pieces) has no continuations: raw is the value.
    if (f) fields[name] = new SourceField(text, f.start + base, f.end + base, f.value);
  }
  const start = parsed.start + base;
  const end = parsed.end + base;
  const line = new SourceLine(
    text, parsed.kind, physical.index, counter.index(start) + 1, counter.index(Math.max(start, end - 1)) + 1,
    start, end, parsed.contentEnd + base, parsed.terminator, parsed.indent, parsed.colons, fields,
  );
  if (parsed.comment) line.comment = new SourceSpan(text, parsed.comment.start + base, parsed.comment.end + base);
  if (parsed.nul) line.nul = new SourceSpan(text, parsed.nul.start + base, parsed.nul.end + base);
  if (parsed.reason !== undefined) line.reason = parsed.reason;
  return line;
}

/** The view lines init parses (not swallowed, not after a tab file's entry). */
export function readLines(view: readonly InitLine[]): InitLine[] {
  return view.filter((v) => v.unread === undefined);
}
