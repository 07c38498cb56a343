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
  nulAt?: number | undefined;
  /** init never parses this line: it follows the first entry of a .tab file, or 3.14 threw it away after a NUL. */
  unread?: "after-first-tab-entry" | "swallowed" | undefined;
  /** What init did with it, when the simulator's verdict is linked in: it dropped it, or kept it as this entry. */
  drop?: DroppedLine | undefined;
  entry?: SimulatedEntry | undefined;
}

/**
 * A view line, every property present from the start: one object shape for all of them, and
 * room for the verdict the check links in later without growing the object (a 220,000-line
 * file has as many).
 */
function initLine(
  line: Line,
  physical: Line,
  piece: number,
  pieces: number,
  nulAt?: number,
  unread?: InitLine["unread"],
): InitLine {
  return { line, physical, piece, pieces, nulAt, unread, drop: undefined, entry: undefined };
}

/** The view of one file, read as the main inittab or as an inittab.d file. */
export function buildView(doc: Document, role: "inittab" | "tab"): InitLine[] {
  const dialect = doc.dialect;
  if (dialect.lineBufferBytes === null) {
    // BusyBox reads whole (joined) lines: only the NUL cut applies.
    const nuls = new NulFinder(doc.source);
    return doc.lines.map((line) => {
      const nul = nuls.first(line.start, line.end);
      return initLine(line, line, 0, 1, nul === -1 ? undefined : nul);
    });
  }
  const text: SourceText = { source: doc.source, positions: doc.positions };
  // The reads one at a time, not all of them at once next to the document.
  const reads = readSysvinit(doc.source, dialect, { role });
  let next = reads.next();
  const out: InitLine[] = [];
  /** Where the bytes thrown away by the last read (3.14's get_void) start and end. */
  let voidFrom = 0;
  let voidTo = 0;
  let tabEntrySeen = false;
  for (const physical of doc.lines) {
    if (physical.start >= voidFrom && physical.start < voidTo) {
      out.push(initLine(physical, physical, 0, 1, undefined, "swallowed"));
      continue;
    }
    if (tabEntrySeen) {
      out.push(initLine(physical, physical, 0, 1, undefined, "after-first-tab-entry"));
      continue;
    }
    // The reads of this physical line: one, but for a line longer than init's buffer.
    let pieces: SysvinitRead[] | undefined;
    let only: SysvinitRead | undefined;
    while (!next.done && next.value.start < physical.end) {
      if (only === undefined && pieces === undefined) only = next.value;
      else (pieces ??= [only!]).push(next.value);
      next = reads.next();
    }
    if (pieces) only = undefined;
    const count = pieces ? pieces.length : only ? 1 : 0;
    for (let k = 0; k < count; k++) {
      const read = only ?? pieces![k]!;
      const nulAt = read.textEnd < read.readEnd ? read.textEnd : undefined;
      const v = initLine(lineOf(read, physical, doc, text), physical, k, count, nulAt);
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
      kind: "invalid",
      index: physical.index,
      line,
      start: base,
      end: base,
      terminator: "none",
      indent: "",
      colons: 0,
      fields: {},
      reason: "missing action field",
    });
  }
  const fields: Partial<Record<FieldName, SourceField>> = {};
  for (const name of FIELD_NAMES) {
    const f = parsed.fields[name];
    // sysvinit syntax (the only one read in pieces) has no continuations: raw is the value.
    if (f) fields[name] = new SourceField(text, f.start + base, f.end + base);
  }
  const start = parsed.start + base;
  const end = parsed.end + base;
  return new SourceLine(text, {
    kind: parsed.kind,
    index: physical.index,
    line: counter.index(start) + 1,
    start,
    end,
    terminator: parsed.terminator,
    indent: parsed.indent,
    colons: parsed.colons,
    fields,
    ...(parsed.comment
      ? { comment: new SourceSpan(text, parsed.comment.start + base, parsed.comment.end + base) }
      : {}),
    ...(parsed.nul ? { nul: new SourceSpan(text, parsed.nul.start + base, parsed.nul.end + base) } : {}),
    ...(parsed.reason !== undefined ? { reason: parsed.reason } : {}),
  });
}
