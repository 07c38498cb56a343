/**
 * CST → Document. Groups the tokens of each grammar `line` into a Line, and classifies it the
 * way the dialect's init will: entry, comment, blank or invalid (with init's reason).
 */
import type { CstNode, IToken } from "chevrotain";
import { tokenMatcher } from "chevrotain";
import { Newline, parseCst, type Syntax } from "../../grammar/index.js";
import { binaryToText } from "./bytes.js";
import type { Field, FieldName, Line, Span, Terminator } from "./model.js";

const FIELD_OF_TOKEN: Readonly<Record<string, FieldName>> = {
  IdText: "id",
  BbIdText: "id",
  RunlevelsText: "runlevels",
  BbRunlevelsText: "runlevels",
  ActionText: "action",
  BbActionText: "action",
  ProcessText: "process",
  BbProcessText: "process",
};
const COLON_FIELD: Readonly<Record<string, FieldName>> = { Colon1: "runlevels", Colon2: "action", Colon3: "process" };

/** Computes 1-based line/column of byte offsets, in one forward pass. */
export class LineCounter {
  private readonly starts: number[] = [0];
  constructor(source: string) {
    for (let i = source.indexOf("\n"); i !== -1; i = source.indexOf("\n", i + 1)) this.starts.push(i + 1);
  }
  /** 1-based line and column of an offset. */
  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 };
  }
}

/** Tokens of each line, from the CST (or, if the parser ever reports errors, split at newlines). */
export function tokenLines(source: string, syntax: Syntax): IToken[][] {
  const { tokens, cst, errors } = parseCst(source, syntax);
  if (errors.length === 0) {
    return ((cst.children["line"] ?? []) as CstNode[]).map((node) => collectTokens(node));
  }
  // Recovery: a line is what lies between newlines, whatever the parser thought of it.
  const lines: IToken[][] = [];
  let current: IToken[] = [];
  for (const t of tokens) {
    current.push(t);
    if (isNewline(t)) {
      lines.push(current);
      current = [];
    }
  }
  if (current.length > 0) lines.push(current);
  return lines;
}

function isNewline(t: IToken): boolean {
  return tokenMatcher(t, Newline);
}

function collectTokens(node: CstNode): IToken[] {
  const out: IToken[] = [];
  const walk = (n: CstNode): void => {
    for (const children of Object.values(n.children)) {
      for (const child of children) {
        if ("tokenType" in child) out.push(child);
        else walk(child);
      }
    }
  };
  walk(node);
  return out.sort((x, y) => x.startOffset - y.startOffset);
}

/** Builds one Line from its tokens; `kind` is decided by `classify`. */
export function buildLine(source: string, tokens: IToken[], index: number, counter: LineCounter, syntax: Syntax): Line {
  const first = tokens[0]!;
  const last = tokens[tokens.length - 1]!;
  const start = first.startOffset;
  const end = last.startOffset + last.image.length;
  let terminator: Terminator = "none";
  let contentEnd = end;
  if (isNewline(last)) {
    terminator = last.image === "\r\n" ? "CRLF" : "LF";
    contentEnd = last.startOffset;
  }
  const fields: Partial<Record<FieldName, Field>> = {};
  let colons = 0;
  let indent = "";
  let comment: Line["comment"];
  const pos = (offset: number) => counter.position(offset);
  const openField = (name: FieldName, offset: number): Field => {
    const p = pos(offset);
    return (fields[name] ??= { start: offset, end: offset, line: p.line, column: p.column, raw: "", value: "", text: "" });
  };
  for (const t of tokens) {
    const type = t.tokenType.name;
    const tEnd = t.startOffset + t.image.length;
    if (type === "Indent") indent = t.image;
    else if (type === "Comment" || type === "BusyBoxComment") {
      comment = { ...span(t.startOffset, tEnd, pos), raw: t.image, text: binaryToText(t.image) };
    } else if (type in COLON_FIELD) {
      colons++;
      if (colons === 1) openField("id", t.startOffset);
      openField(COLON_FIELD[type]!, tEnd);
    } else if (type in FIELD_OF_TOKEN || type === "Continuation") {
      // A continuation belongs to the field it interrupts (or opens the id).
      const name = FIELD_OF_TOKEN[type] ?? currentField(colons);
      const f = openField(name, t.startOffset);
      f.raw += t.image;
      f.end = tEnd;
      if (type !== "Continuation") f.value += t.image;
    }
  }
  for (const f of Object.values(fields)) f.text = binaryToText(f.value);
  const raw = source.slice(start, end);
  const p = pos(start);
  const endLine = pos(Math.max(start, end - 1)).line;
  const line: Line = {
    kind: "blank", index, line: p.line, endLine, start, end, contentEnd, terminator, raw, indent, colons, fields,
  };
  if (comment) line.comment = comment;
  classify(line, syntax);
  return line;
}

function currentField(colons: number): FieldName {
  return (["id", "runlevels", "action", "process"] as const)[colons]!;
}

function span(start: number, end: number, pos: (o: number) => { line: number; column: number }): Span {
  const p = pos(start);
  return { start, end, line: p.line, column: p.column };
}

/**
 * Decide what init makes of the line. Syntax decides the shape; a few shapes mean different
 * things to the two inits (a CR, blanks, an indented `#`).
 */
function classify(line: Line, syntax: Syntax): void {
  const f = line.fields;
  const content = (f.id?.value ?? "") + (f.runlevels?.value ?? "") + (f.action?.value ?? "") + (f.process?.value ?? "");
  const hasFields = line.colons > 0 || content.length > 0;
  const cr = line.terminator === "CRLF";
  if (!hasFields) {
    if (line.comment && (syntax === "sysvinit" || line.indent === "")) {
      line.kind = "comment";
      return;
    }
    if (!cr) {
      line.kind = "blank";
      return;
    }
    // A CR is not whitespace to either init: `\r\n` is a line holding one byte.
    line.kind = "invalid";
    line.reason =
      syntax === "sysvinit"
        ? "init reads a line holding only a carriage return as an entry: missing action field"
        : "BusyBox reads a line holding only a carriage return as an entry: Bad inittab entry";
    return;
  }
  if (line.colons === 3) {
    line.kind = "entry";
    return;
  }
  line.kind = "invalid";
  if (syntax === "busybox") {
    const blankId = /^[ \t]*$/.test(f.id?.value ?? "") && line.colons === 0;
    if (blankId && line.comment) line.reason = "an indented comment is an entry to BusyBox: Bad inittab entry";
    else if (blankId) line.reason = "a line of only blanks is an entry to BusyBox: Bad inittab entry";
    else line.reason = `BusyBox needs 4 fields, this line has ${line.colons + 1}: Bad inittab entry`;
    return;
  }
  line.reason = line.colons === 2 ? "missing process field" : "missing action field";
}
