/**
 * Tokens → Document lines. The source is lexed and parsed in chunks of whole lines, and each
 * grammar `line` becomes a Line whose kind (entry, comment, blank, or invalid with init's
 * reason) is what the dialect's init makes of its shape (src/init/fields.ts).
 *
 * Chunking keeps parsing linear: the tokens of one chunk die young, instead of the whole
 * file's tokens living (and being copied by the garbage collector) until the end.
 */
import type { IToken, TokenType } from "chevrotain";
import {
  BusyBoxComment,
  Colon1,
  Colon2,
  Colon3,
  Comment,
  Continuation,
  Indent,
  NewlineAtStart,
  NewlineInField,
  BbNulTail,
  NulTail,
  parseLines,
  type Syntax,
  IdText,
  BbIdText,
  RunlevelsText,
  BbRunlevelsText,
  ActionText,
  BbActionText,
  ProcessText,
  BbProcessText,
} from "../grammar/index.js";
import { joinedBytes } from "../grammar/busybox-lines.js";
import type { LineCounter } from "../base/positions.js";
import { sysvinitLineShape } from "../init/fields.js";
import type { Field, FieldName, Line, LineKind, Terminator } from "./model.js";
import {
  EntryFields,
  JoinedField,
  NO_FIELDS,
  SourceField,
  SourceLine,
  SourceSpan,
  ValueField,
  type SourceText,
} from "./nodes.js";

/** What a token does to the line being built. */
type Role = "newline" | "indent" | "comment" | "nul" | "continuation" | 1 | 2 | 3 | FieldName;
const ROLE = new Map<TokenType, Role>([
  [NewlineAtStart, "newline"],
  [NewlineInField, "newline"],
  [Indent, "indent"],
  [Comment, "comment"],
  [BusyBoxComment, "comment"],
  [NulTail, "nul"],
  [BbNulTail, "nul"],
  [Continuation, "continuation"],
  [Colon1, 1],
  [Colon2, 2],
  [Colon3, 3],
  [IdText, "id"],
  [BbIdText, "id"],
  [RunlevelsText, "runlevels"],
  [BbRunlevelsText, "runlevels"],
  [ActionText, "action"],
  [BbActionText, "action"],
  [ProcessText, "process"],
  [BbProcessText, "process"],
]);

/** The role of each token type, by chevrotain's token type index (a Map lookup per token showed up in profiles). */
const ROLE_BY_INDEX: Role[] = [];
for (const [type, role] of ROLE) ROLE_BY_INDEX[type.tokenTypeIdx!] = role;

const FIELD_INDEX: Readonly<Record<FieldName, number>> = { id: 0, runlevels: 1, action: 2, process: 3 };

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
    if (ROLE_BY_INDEX[t.tokenTypeIdx] === "newline") {
      lines.push(current);
      current = [];
    }
  }
  if (current.length > 0) lines.push(current);
  return lines;
}

/** Read every line of a binary string with the given syntax. Lines tile the source. */
export function buildLines(source: string, syntax: Syntax, positions: LineCounter): Line[] {
  const builder = new LineBuilder({ source, positions }, syntax);
  const out: Line[] = [];
  // Computed once for the whole source (the lexer computes its own per chunk).
  const joined = syntax === "busybox" ? joinedBytes(source) : undefined;
  for (let from = 0; from < source.length;) {
    const to = chunkEnd(source, from, joined);
    for (const tokens of chunkLines(source.slice(from, to), syntax)) out.push(builder.build(tokens, from, out.length));
    from = to;
  }
  return out;
}

/**
 * Builds Lines from their tokens, for one document. The four fields of the line being built (id,
 * runlevels, action, process) are kept in arrays reused from line to line: where each starts
 * (-1: absent) and ends, its value (the bytes init sees) and whether continuations were cut out.
 */
class LineBuilder {
  private readonly fieldStart = [-1, -1, -1, -1];
  private readonly fieldEnd = [0, 0, 0, 0];
  private readonly fieldValue = ["", "", "", ""];
  private readonly fieldJoined = [false, false, false, false];
  /** One copy of each runlevels and action value: they repeat from line to line. */
  private readonly values = new Map<string, string>();

  constructor(
    private readonly text: SourceText,
    private readonly syntax: Syntax,
  ) {}

  /** One Line from its tokens (offsets relative to `base`). */
  build(tokens: readonly IToken[], base: number, index: number): Line {
    const first = tokens[0]!;
    const last = tokens[tokens.length - 1]!;
    const start = base + first.startOffset;
    const end = base + last.startOffset + last.image.length;
    let terminator: Terminator = "none";
    if (ROLE_BY_INDEX[last.tokenTypeIdx] === "newline") terminator = last.image === "\n" ? "LF" : "CRLF";
    const { fieldStart, fieldEnd, fieldValue, fieldJoined } = this;
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
          comment = new SourceSpan(this.text, tStart, tEnd);
          break;
        case "nul":
          nul = new SourceSpan(this.text, tStart, tEnd);
          break;
        case 1:
          colons = 1;
          this.open(0, tStart);
          this.open(1, tEnd);
          break;
        case 2:
          colons = 2;
          this.open(2, tEnd);
          break;
        case 3:
          colons = 3;
          this.open(3, tEnd);
          break;
        default: {
          // Field text, or a continuation, which belongs to the field it interrupts (or opens the id).
          const k = role === "continuation" || role === undefined ? colons : FIELD_INDEX[role];
          this.open(k, tStart);
          fieldEnd[k] = tEnd;
          if (role === "continuation") fieldJoined[k] = true;
          else fieldValue[k] += t.image;
        }
      }
    }
    const fields = this.compactFields() ?? this.fieldObjects();
    const shape = this.shape(start, end, terminator, comment, nul, fields, colons);
    return new SourceLine(this.text, {
      kind: shape.kind,
      index,
      line: this.text.positions.index(start) + 1,
      start,
      end,
      terminator,
      indent,
      colons,
      fields,
      ...(comment ? { comment } : {}),
      ...(nul ? { nul } : {}),
      ...(shape.reason !== undefined ? { reason: shape.reason } : {}),
    });
  }

  /** The usual entry: four fields, each its own bytes, one colon apart; kept as offsets. */
  private compactFields(): EntryFields | undefined {
    const { fieldStart: s, fieldEnd: e, fieldJoined: j } = this;
    if (s[0] === -1 || s[1] === -1 || s[2] === -1 || s[3] === -1 || j[0] || j[1] || j[2] || j[3]) return undefined;
    if (e[0]! + 1 !== s[1] || e[1]! + 1 !== s[2] || e[2]! + 1 !== s[3]) return undefined;
    const runlevels = this.interned(this.fieldValue[1]!);
    const action = this.interned(this.fieldValue[2]!);
    return new EntryFields(this.text, s[0]!, s[1], s[2], s[3], e[3]!, runlevels, action);
  }

  /** Runlevels and actions repeat from line to line: one string each. */
  private interned(value: string): string {
    if (value.length > 16) return value;
    const known = this.values.get(value);
    if (known !== undefined) return known;
    if (this.values.size < 4096) this.values.set(value, value);
    return value;
  }

  /** The fields as objects: a line without all four, or with continuations. */
  private fieldObjects(): Partial<Record<FieldName, Field>> {
    const id = this.field(0);
    const runlevels = this.field(1);
    const action = this.field(2);
    const process = this.field(3);
    let fields: Partial<Record<FieldName, Field>>;
    if (id && runlevels && action && process) {
      fields = { id, runlevels, action, process };
    } else if (!id && !runlevels && !action && !process) {
      fields = NO_FIELDS;
    } else {
      fields = {};
      if (id) fields.id = id;
      if (runlevels) fields.runlevels = runlevels;
      if (action) fields.action = action;
      if (process) fields.process = process;
    }
    return fields;
  }

  private open(k: number, at: number): void {
    if (this.fieldStart[k] !== -1) return;
    this.fieldStart[k] = at;
    this.fieldEnd[k] = at;
    this.fieldValue[k] = "";
    this.fieldJoined[k] = false;
  }

  private field(k: number): Field | undefined {
    const start = this.fieldStart[k]!;
    if (start === -1) return undefined;
    const value = this.fieldValue[k]!;
    const end = this.fieldEnd[k]!;
    if (this.fieldJoined[k]) return new JoinedField(this.text, start, end, value);
    if (k === 1 || k === 2) return new ValueField(this.text, start, this.interned(value));
    // The field's own bytes: read off the source when asked, no string kept.
    return new SourceField(this.text, start, end);
  }

  /**
   * What init makes of the line's shape, and why it rejects it. Only the shape: ids, actions and
   * lengths are the rules' business, as are the ways sysvinit reads lines other than physical
   * lines (fgets pieces, 3.14's dropped lines), which the document's view models.
   */
  private shape(
    start: number,
    end: number,
    terminator: Terminator,
    comment: SourceSpan | undefined,
    nul: SourceSpan | undefined,
    fields: Partial<Record<FieldName, Field>>,
    colons: number,
  ): { kind: LineKind; reason?: string } {
    const source = this.text.source;
    if (this.syntax === "sysvinit") {
      // The C string init holds: up to a NUL, or the whole line with its newline.
      const text = source.slice(start, nul ? nul.start : end);
      const shape = sysvinitLineShape(text);
      if (shape.kind !== "invalid") return { kind: shape.kind };
      const contentless = colons === 0 && (fields.id?.value ?? "") === "";
      let why = "";
      if (nul && text.trim() === "") why = "init's line ends at the NUL byte, leaving no fields: ";
      else if (contentless && terminator === "CRLF")
        why = "init reads a line holding only a carriage return as an entry: ";
      else if (contentless && terminator === "none")
        why = "init reads a last line of only blanks without a newline as an entry: ";
      return { kind: "invalid", reason: `${why}${shape.message}` };
    }
    // BusyBox: the grammar joined the continuations and ended the fields at `#` and NUL, as
    // config_read does; a line BusyBox skips is empty or starts with `#` (or NUL: an empty string).
    const idValue = fields.id?.value ?? "";
    if (colons === 0 && idValue === "") {
      if (comment) return { kind: "comment" };
      if (nul || terminator !== "CRLF") return { kind: "blank" };
      return {
        kind: "invalid",
        reason: "BusyBox reads a line holding only a carriage return as an entry: Bad inittab entry",
      };
    }
    if (colons === 3) return { kind: "entry" };
    const blankId = colons === 0 && /^[ \t]*$/.test(idValue);
    if (blankId && comment)
      return { kind: "invalid", reason: "an indented comment is an entry to BusyBox: Bad inittab entry" };
    if (blankId) return { kind: "invalid", reason: "a line of only blanks is an entry to BusyBox: Bad inittab entry" };
    return { kind: "invalid", reason: `BusyBox needs 4 fields, this line has ${colons + 1}: Bad inittab entry` };
  }
}
