/**
 * The lines as the target init reads them, which are not always the file's physical lines
 * (src/init/reader.ts says how each init reads): sysvinit up to 3.13 parses each 255-byte fgets
 * piece of a long line as a line of its own; a NUL ends what init sees of a line, and in 3.14
 * it also makes init throw the next line away; of an /etc/inittab.d/*.tab file only the first
 * line that is neither comment nor blank is read.
 *
 * Rules that judge a line's fields work on this view, so that they judge what init judges. Each
 * view line is a Line with offsets into the file, read from the bytes init sees.
 */
import type { Dialect } from "../dialects/index.js";
import { NulFinder } from "../base/search.js";
import { readSysvinit, type SysvinitRead } from "../init/reader.js";
import type { DroppedLine, SimulatedEntry } from "../init/simulate.js";
import { FIELD_NAMES, type Document, type FieldName, type Line } from "./model.js";
import { SourceField, SourceLine, SourceSpan, type SourceText } from "./nodes.js";
import { parseBinary } from "./parse.js";

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
  /** init never parses this line: it follows the first entry of a .tab file, or 3.14 threw it away after a NUL. */
  unread?: "after-first-tab-entry" | "swallowed";
  /** What init did with it, when the simulator's verdict is linked in: it dropped it, or kept it as this entry. */
  drop?: DroppedLine;
  entry?: SimulatedEntry;
}

/** The view of one file, read as the main inittab or as an inittab.d file. */
export function buildView(doc: Document, role: "inittab" | "tab"): InitLine[] {
  const dialect = doc.dialect;
  if (dialect.lineBufferBytes === null) {
    // BusyBox reads whole (joined) lines: only the NUL cut applies.
    const nuls = new NulFinder(doc.source);
    return doc.lines.map((line) => {
      const nul = nuls.first(line.start, line.end);
      return nul === -1 ? { line, physical: line, piece: 0, pieces: 1 } : { line, physical: line, piece: 0, pieces: 1, nulAt: nul };
    });
  }
  const text: SourceText = { source: doc.source, positions: doc.positions };
  const reads = [...readSysvinit(doc.source, dialect, { role })];
  const out: InitLine[] = [];
  let r = 0;
  /** Where the bytes thrown away by the last read (3.14's get_void) start and end. */
  let voidFrom = 0;
  let voidTo = 0;
  let tabEntrySeen = false;
  for (const physical of doc.lines) {
    if (physical.start >= voidFrom && physical.start < voidTo) {
      out.push({ line: physical, physical, piece: 0, pieces: 1, unread: "swallowed" });
      continue;
    }
    if (tabEntrySeen) {
      out.push({ line: physical, physical, piece: 0, pieces: 1, unread: "after-first-tab-entry" });
      continue;
    }
    const first = r;
    while (r < reads.length && reads[r]!.start < physical.end) r++;
    const pieces = reads.slice(first, r);
    for (const [k, read] of pieces.entries()) {
      const v: InitLine = { line: lineOf(read, physical, doc, text), physical, piece: k, pieces: pieces.length };
      if (read.textEnd < read.readEnd) v.nulAt = read.textEnd;
      if (read.end > read.readEnd) {
        voidFrom = read.readEnd;
        voidTo = read.end;
      }
      out.push(v);
      if (role === "tab" && v.line.kind !== "comment" && v.line.kind !== "blank") {
        // Only the first 255 bytes of a .tab file's entry line are used.
        tabEntrySeen = true;
        break;
      }
    }
  }
  return out;
}

/** The Line init parses for a read: the physical line itself when init sees all of it. */
function lineOf(read: SysvinitRead, physical: Line, doc: Document, text: SourceText): Line {
  if (read.start === physical.start && read.textEnd === read.readEnd) {
    if (read.readEnd === physical.end) return physical;
    // 3.14 drops a line too long for its buffer whole; its fields are the physical line's.
    if (read.overlong && read.end >= physical.end) return physical;
  }
  return reparse(doc.source.slice(read.start, read.textEnd), read.start, physical, doc.dialect, text);
}

/** Parse the bytes init sees for a piece, with offsets moved to where the piece starts. */
function reparse(bytes: string, base: number, physical: Line, dialect: Dialect, text: SourceText): Line {
  const counter = text.positions;
  const parsed = bytes === "" ? undefined : parseBinary(bytes, { dialect }).lines[0];
  if (!parsed) {
    // Nothing before the NUL: to init an empty string, which has no fields at all.
    const line = counter.index(base) + 1;
    return new SourceLine(text, {
      kind: "invalid", index: physical.index, line, endLine: line, start: base, end: base, contentEnd: base,
      terminator: "none", indent: "", colons: 0, fields: {}, reason: "missing action field",
    });
  }
  const fields: Partial<Record<FieldName, SourceField>> = {};
  for (const name of FIELD_NAMES) {
    const f = parsed.fields[name];
    // sysvinit syntax (the only one read in pieces) has no continuations: raw is the value.
    if (f) fields[name] = new SourceField(text, f.start + base, f.end + base, f.value);
  }
  const start = parsed.start + base;
  const end = parsed.end + base;
  return new SourceLine(text, {
    kind: parsed.kind,
    index: physical.index,
    line: counter.index(start) + 1,
    endLine: counter.index(Math.max(start, end - 1)) + 1,
    start,
    end,
    contentEnd: parsed.contentEnd + base,
    terminator: parsed.terminator,
    indent: parsed.indent,
    colons: parsed.colons,
    fields,
    ...(parsed.comment ? { comment: new SourceSpan(text, parsed.comment.start + base, parsed.comment.end + base) } : {}),
    ...(parsed.nul ? { nul: new SourceSpan(text, parsed.nul.start + base, parsed.nul.end + base) } : {}),
    ...(parsed.reason !== undefined ? { reason: parsed.reason } : {}),
  });
}
