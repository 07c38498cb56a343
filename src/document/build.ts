/**
 * Tokens → Document lines. The source is lexed and parsed in chunks of whole lines, and each
 * grammar `line` becomes a Line, classified the way the dialect's init will read it: entry,
 * comment, blank or invalid (with init's reason).
 *
 * Chunking keeps parsing linear: the tokens of one chunk die young, instead of the whole
 * file's tokens living (and being copied by the garbage collector) until the end.
 */
import type { IToken, TokenType } from "chevrotain";
import {
  BusyBoxComment, Colon1, Colon2, Colon3, Comment, Continuation, Indent, NewlineAtStart, NewlineInField,
  BbNulTail, NulTail, parseLines, type Syntax,
  IdText, BbIdText, RunlevelsText, BbRunlevelsText, ActionText, BbActionText, ProcessText, BbProcessText,
} from "../../grammar/index.js";
import { joinedBytes } from "../../grammar/busybox-lines.js";
import type { Document, Field, FieldName, Line, Terminator } from "./model.js";
import { lowerBound } from "./search.js";
import { JoinedField, SourceField, SourceLine, SourceSpan, type SourceText } from "./nodes.js";

/** Computes 1-based line/column of byte offsets. */
export class LineCounter {
  private readonly starts: number[] = [0];
  /** Index of the last line found: queries come mostly in increasing order. */
  private hint = 0;
  constructor(source: string) {
    for (let i = source.indexOf("\n"); i !== -1; i = source.indexOf("\n", i + 1)) this.starts.push(i + 1);
  }
  /** 1-based line and column of an offset. */
  position(offset: number): { line: number; column: number } {
    return { line: this.index(offset) + 1, column: this.column(offset) };
  }
  /** 1-based byte column of an offset. */
  column(offset: number): number {
    return offset - this.starts[this.index(offset)]! + 1;
  }
  /** 0-based index of the line holding an offset (no allocation: the document builder's hot path). */
  index(offset: number): number {
    const starts = this.starts;
    let k = this.hint;
    if (!(starts[k]! <= offset && (k + 1 >= starts.length || offset < starts[k + 1]!))) {
      // Not on the hinted line: try the next one, else search.
      if (k + 2 < starts.length && starts[k + 1]! <= offset && offset < starts[k + 2]!) k++;
      else k = this.search(offset);
      this.hint = k;
    }
    return k;
  }
  private search(offset: number): number {
    return lowerBound(this.starts, offset + 1, (start) => start) - 1;
  }
}

const counters = new WeakMap<Document, LineCounter>();

/** Remember the counter a document was parsed with (parseBinary), for lineCounterOf. */
export function rememberLineCounter(doc: Document, counter: LineCounter): void {
  counters.set(doc, counter);
}

/** The LineCounter of a document's source: the one its parse built, else a new one. */
export function lineCounterOf(doc: Document): LineCounter {
  let counter = counters.get(doc);
  if (!counter) counters.set(doc, (counter = new LineCounter(doc.source)));
  return counter;
}

/** What a token does to the line being built. */
type Role = "newline" | "indent" | "comment" | "nul" | "continuation" | 1 | 2 | 3 | FieldName;
const ROLE = new Map<TokenType, Role>([
  [NewlineAtStart, "newline"], [NewlineInField, "newline"],
  [Indent, "indent"], [Comment, "comment"], [BusyBoxComment, "comment"], [NulTail, "nul"], [BbNulTail, "nul"],
  [Continuation, "continuation"],
  [Colon1, 1], [Colon2, 2], [Colon3, 3],
  [IdText, "id"], [BbIdText, "id"], [RunlevelsText, "runlevels"], [BbRunlevelsText, "runlevels"],
  [ActionText, "action"], [BbActionText, "action"], [ProcessText, "process"], [BbProcessText, "process"],
]);

/** Bytes per chunk (a chunk ends at the first line end after this many bytes). */
const CHUNK_BYTES = 1 << 12;

/**
 * End (exclusive) of the chunk that starts at `from`: just after a logical line end. `joined`
 * (BusyBox) marks the newlines BusyBox reads past when it joins lines: no place to cut.
 */
function chunkEnd(source: string, from: number, joined: Uint8Array | undefined): number {
  let i = from + CHUNK_BYTES;
  while (i < source.length) {
    const nl = source.indexOf("\n", i);
    if (nl === -1) break;
    if (joined?.[nl] === 1) {
      i = nl + 1;
      continue;
    }
    return nl + 1;
  }
  return source.length;
}

/** The tokens of each grammar `line` of a chunk, in order. */
function chunkLines(chunk: string, syntax: Syntax): IToken[][] {
  const { tokens, lineEnds, errors } = parseLines(chunk, syntax);
  const lines: IToken[][] = [];
  if (errors.length === 0) {
    // The parser says where each line ends; the token vector is in source order.
    let k = 0;
    for (const end of lineEnds) {
      const group: IToken[] = [];
      while (k < tokens.length && tokens[k]!.startOffset < end) group.push(tokens[k++]!);
      lines.push(group);
    }
    if (k === tokens.length) return lines;
    lines.length = 0;
  }
  // Not expected (the grammar accepts every token sequence the lexers make), but never lose a
  // line over it: a line is what lies between terminators.
  let current: IToken[] = [];
  for (const t of tokens) {
    current.push(t);
    if (ROLE.get(t.tokenType) === "newline") {
      lines.push(current);
      current = [];
    }
  }
  if (current.length > 0) lines.push(current);
  return lines;
}

/** Read every line of a binary string with the given syntax. Lines tile the source. */
export function readLines(source: string, syntax: Syntax, counter = new LineCounter(source)): Line[] {
  const text: SourceText = { source, positions: counter };
  const out: Line[] = [];
  const values = new Interned();
  // Computed once for the whole source (the lexer computes its own per chunk).
  const joined = syntax === "busybox" ? joinedBytes(source) : undefined;
  for (let from = 0; from < source.length; ) {
    const to = chunkEnd(source, from, joined);
    for (const tokens of chunkLines(source.slice(from, to), syntax)) {
      out.push(buildLine(text, tokens, from, out.length, syntax, values));
    }
    from = to;
  }
  return out;
}

/** The role of each token type, by chevrotain's token type index (a Map lookup per token showed up in profiles). */
const ROLE_BY_INDEX: Role[] = [];
for (const [type, role] of ROLE) ROLE_BY_INDEX[type.tokenTypeIdx!] = role;

/**
 * The four fields of the line being built (id, runlevels, action, process): where each starts
 * (-1: absent) and ends, its value (the bytes init sees) and whether continuations were cut out
 * of it. Scratch space reused for every line: buildLine runs once per line of every file.
 */
const fieldStart = [-1, -1, -1, -1];
const fieldEnd = [0, 0, 0, 0];
const fieldValue = ["", "", "", ""];
const fieldJoined = [false, false, false, false];

function openField(k: number, at: number): void {
  if (fieldStart[k] !== -1) return;
  fieldStart[k] = at;
  fieldEnd[k] = at;
  fieldValue[k] = "";
  fieldJoined[k] = false;
}

function makeField(text: SourceText, k: number, values: Interned): SourceField | undefined {
  const start = fieldStart[k]!;
  if (start === -1) return undefined;
  // Runlevels and actions repeat from line to line: one string each ("2345", "respawn").
  const value = k === 1 || k === 2 ? values.intern(fieldValue[k]!) : fieldValue[k]!;
  return fieldJoined[k] ? new JoinedField(text, start, fieldEnd[k]!, value) : new SourceField(text, start, fieldEnd[k]!, value);
}

/** One copy of each short string seen: the values of a large file's runlevels and actions. */
export class Interned {
  private readonly seen = new Map<string, string>();
  intern(s: string): string {
    if (s.length > 16) return s;
    const known = this.seen.get(s);
    if (known !== undefined) return known;
    if (this.seen.size < 4096) this.seen.set(s, s);
    return s;
  }
}

/**
 * Builds one Line from its tokens (offsets relative to `base`); `kind` is decided by `classify`.
 * Written for large files: one object per line and per field, no intermediate spans or closures.
 */
export function buildLine(
  text: SourceText, tokens: readonly IToken[], base: number, index: number, syntax: Syntax, values: Interned,
): Line {
  const first = tokens[0]!;
  const last = tokens[tokens.length - 1]!;
  const start = base + first.startOffset;
  const end = base + last.startOffset + last.image.length;
  let terminator: Terminator = "none";
  let contentEnd = end;
  if (ROLE_BY_INDEX[last.tokenTypeIdx] === "newline") {
    terminator = last.image === "\n" ? "LF" : "CRLF";
    contentEnd = end - last.image.length;
  }
  fieldStart[0] = fieldStart[1] = fieldStart[2] = fieldStart[3] = -1;
  let colons = 0;
  let indent = "";
  let comment: SourceSpan | undefined;
  let nul: SourceSpan | undefined;
  for (const t of tokens) {
    const role = ROLE_BY_INDEX[t.tokenTypeIdx];
    const tStart = base + t.startOffset;
    const tEnd = tStart + t.image.length;
    switch (role) {
      case "newline":
        break;
      case "indent":
        indent = t.image;
        break;
      case "comment":
        comment = new SourceSpan(text, tStart, tEnd);
        break;
      case "nul":
        nul = new SourceSpan(text, tStart, tEnd);
        break;
      case 1:
        colons = 1;
        openField(0, tStart);
        openField(1, tEnd);
        break;
      case 2:
        colons = 2;
        openField(2, tEnd);
        break;
      case 3:
        colons = 3;
        openField(3, tEnd);
        break;
      default: {
        // Field text, or a continuation, which belongs to the field it interrupts (or opens the id).
        const k = role === "continuation" || role === undefined ? colons : FIELD_INDEX[role];
        openField(k, tStart);
        fieldEnd[k] = tEnd;
        if (role === "continuation") fieldJoined[k] = true;
        else fieldValue[k] += t.image;
      }
    }
  }
  const id = makeField(text, 0, values);
  const runlevels = makeField(text, 1, values);
  const action = makeField(text, 2, values);
  const process = makeField(text, 3, values);
  // An entry has all four fields: one object literal of one shape. Other lines get theirs one by one.
  let fields: Partial<Record<FieldName, Field>>;
  if (id && runlevels && action && process) {
    fields = { id, runlevels, action, process };
  } else {
    fields = {};
    if (id) fields.id = id;
    if (runlevels) fields.runlevels = runlevels;
    if (action) fields.action = action;
    if (process) fields.process = process;
  }
  const shaped = colons > 0 || (fieldStart[0] !== -1 && fieldValue[0]!.length > 0);
  const counter = text.positions;
  const startLine = counter.index(start);
  const lastLine = end - 1 > start ? counter.index(end - 1) : startLine;
  const line = new SourceLine(text, "blank", index, startLine + 1, lastLine + 1, start, end, contentEnd, terminator, indent, colons, fields);
  if (comment) line.comment = comment;
  if (nul) line.nul = nul;
  // Decide what init makes of the line's shape. The syntax decides the tokens; a few shapes mean
  // different things to the two inits (a CR, blanks, an indented `#`, a NUL). Only the shape is
  // judged here: ids, actions and lengths are the rules' business, as are the version-specific
  // ways sysvinit drops whole lines (too long, no final newline, a NUL). `shaped`: something
  // init would split into fields (for sysvinit, after the blanks it skips).
  if (syntax === "sysvinit") classifySysvinit(line, shaped);
  else classifyBusybox(line, shaped);
  return line;
}

const FIELD_INDEX: Readonly<Record<FieldName, number>> = { id: 0, runlevels: 1, action: 2, process: 3 };

/**
 * sysvinit (spec/sysvinit.md §1): skip spaces and tabs; the line is ignored when the next byte is
 * `#` or `\n`; anything else is split with strsep at the first three colons, the process running
 * to the newline, and a line with fewer than three colons is logged and skipped.
 */
function classifySysvinit(line: Line, shaped: boolean): void {
  if (line.comment) {
    line.kind = "comment";
    return;
  }
  if (!shaped) {
    if (line.nul) {
      // The byte after the blanks is NUL, not `#` or a newline: an empty string is parsed.
      return invalid(line, "init's line ends at the NUL byte, leaving no fields: missing action field");
    }
    if (line.terminator === "LF") {
      line.kind = "blank";
      return;
    }
    if (line.terminator === "CRLF") {
      // A CR is not whitespace to init: `\r\n` is a line holding one byte.
      return invalid(line, "init reads a line holding only a carriage return as an entry: missing action field");
    }
    // Blanks at the end of the file with no newline: the byte after them ends the string, it is
    // not `\n`, so init does not see a blank line.
    return invalid(line, "init reads a last line of only blanks without a newline as an entry: missing action field");
  }
  if (line.colons === 3) {
    line.kind = "entry";
    return;
  }
  if (line.colons === 2) {
    // init checks in a fixed order and the last failing check names the error. With two colons
    // the action runs to the end of the string, newline included, so it is empty (and "missing
    // action field" wins over "missing process field") only when no newline or CR follows it.
    const emptyAction = f(line, "action") === "" && (line.terminator === "none" || line.nul !== undefined);
    return invalid(line, emptyAction ? "missing action field" : "missing process field");
  }
  return invalid(line, "missing action field");
}

/**
 * BusyBox (spec/dialects.md §2): backslash-newline joins lines first; a logical line that is
 * empty or starts with `#` (or NUL: the C string is empty) is skipped; nothing is trimmed, so
 * blanks or an indented `#` make a bad entry; `#` or NUL anywhere ends the line; four fields
 * are needed.
 */
function classifyBusybox(line: Line, shaped: boolean): void {
  if (!shaped) {
    if (line.comment) {
      line.kind = "comment";
      return;
    }
    if (line.nul || line.terminator !== "CRLF") {
      line.kind = "blank";
      return;
    }
    return invalid(line, "BusyBox reads a line holding only a carriage return as an entry: Bad inittab entry");
  }
  if (line.colons === 3) {
    line.kind = "entry";
    return;
  }
  const blankId = line.colons === 0 && /^[ \t]*$/.test(f(line, "id"));
  if (blankId && line.comment) return invalid(line, "an indented comment is an entry to BusyBox: Bad inittab entry");
  if (blankId) return invalid(line, "a line of only blanks is an entry to BusyBox: Bad inittab entry");
  return invalid(line, `BusyBox needs 4 fields, this line has ${line.colons + 1}: Bad inittab entry`);
}

function f(line: Line, name: FieldName): string {
  return line.fields[name]?.value ?? "";
}

function invalid(line: Line, reason: string): void {
  line.kind = "invalid";
  line.reason = reason;
}
