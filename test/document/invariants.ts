/**
 * What must hold for every Document, whatever the input: the checks shared by the corpus,
 * sample and property tests. Each throws (with the input escaped) on the first violation.
 */
import { isDeepStrictEqual } from "node:util";
import { parseLines, type Syntax } from "../../src/grammar/index.js";
import { FIELD_NAMES, parseBinary, print, printBinary, type Document, type Line } from "../../src/document/index.js";
import { busyboxJoin, busyboxModel, sysvinitModel, type ModelLine } from "./init-model.js";

export const SYNTAXES: readonly Syntax[] = ["sysvinit", "busybox"];

/**
 * A cheap assertion (these checks run millions of times): fails with both values and the place.
 * vitest's expect is far slower per call and the property tests call this per field.
 */
function same(actual: unknown, expected: unknown, what: string): void {
  if (!isDeepStrictEqual(actual, expected)) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}
function holds(ok: boolean, what: string): void {
  if (!ok) throw new Error(what);
}

/** Byte-exact round trip, lines tiling the input, spans inside their line and equal to their bytes. */
export function checkLossless(doc: Document): void {
  const source = doc.source;
  same(printBinary(doc), source, "printBinary(doc)");
  holds(Buffer.from(print(doc)).equals(Buffer.from(source, "latin1")), "print(doc) differs from the input bytes");
  const lineOf = lineNumbers(source);
  let at = 0;
  doc.lines.forEach((l, i) => {
    const where = `line ${i} at ${l.start} ${JSON.stringify(l.raw)}`;
    same(l.index, i, `${where}: index`);
    same(l.start, at, `${where}: start (lines must tile the input)`);
    holds(l.end > l.start, `${where}: empty line`);
    same(l.raw, source.slice(l.start, l.end), `${where}: raw`);
    holds(l.start <= l.contentEnd && l.contentEnd <= l.end, `${where}: contentEnd outside the line`);
    const terminator = source.slice(l.contentEnd, l.end);
    same(terminator, l.terminator === "LF" ? "\n" : l.terminator === "CRLF" ? "\r\n" : "", `${where}: terminator`);
    same(l.line, lineOf(l.start), `${where}: line`);
    same(l.endLine, lineOf(Math.max(l.start, l.end - 1)), `${where}: endLine`);
    checkSpans(source, l, doc.dialect.syntax, lineOf, where);
    at = l.end;
  });
  same(at, source.length, "end of the last line");
  same(doc.finalNewline, source === "" || source.endsWith("\n"), "finalNewline");
}

function checkSpans(source: string, l: Line, syntax: Syntax, lineOf: (o: number) => number, where: string): void {
  for (const name of FIELD_NAMES) {
    const f = l.fields[name];
    if (!f) continue;
    const w = `${where}: ${name}`;
    holds(
      l.start <= f.start && f.start <= f.end && f.end <= l.contentEnd,
      `${w} span ${f.start}-${f.end} outside its line`,
    );
    same(source.slice(f.start, f.end), f.raw, `${w} raw`);
    same(f.line, lineOf(f.start), `${w} line`);
    same(f.column, f.start - source.lastIndexOf("\n", f.start - 1), `${w} column`);
    // What init sees is the raw bytes joined the way BusyBox joins continued lines; sysvinit
    // has no continuations.
    const value = syntax === "busybox" ? busyboxJoin(f.raw, f.end === source.length) : f.raw;
    same(f.value, value, `${w} value`);
    same(f.text, utf8(f.value), `${w} text`);
  }
  for (const [name, part] of [
    ["comment", l.comment],
    ["nul", l.nul],
  ] as const) {
    if (!part) continue;
    holds(l.start <= part.start && part.end <= l.contentEnd, `${where}: ${name} outside its line`);
    same(source.slice(part.start, part.end), part.raw, `${where}: ${name} raw`);
    same(part.line, lineOf(part.start), `${where}: ${name} line`);
    same(part.column, part.start - source.lastIndexOf("\n", part.start - 1), `${where}: ${name} column`);
  }
  if (l.comment) same(l.comment.text, utf8(l.comment.raw), `${where}: comment text`);
}

/** The UTF-8 reading of a binary string, invalid sequences as U+FFFD (what `text` must be). */
const decoder = new TextDecoder();
function utf8(binary: string): string {
  return decoder.decode(Buffer.from(binary, "latin1"));
}

/** 1-based physical line of an offset, by binary search over the line starts. */
function lineNumbers(source: string): (offset: number) => number {
  const starts = [0];
  for (let i = source.indexOf("\n"); i !== -1; i = source.indexOf("\n", i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/** The grammar on its own: no parser errors, and the tokens concatenate to the input. */
export function checkGrammar(source: string, syntax: Syntax): void {
  const { tokens, errors } = parseLines(source, syntax);
  same(errors, [], "parser errors");
  let at = 0;
  for (const t of tokens) {
    same(t.startOffset, at, `token ${t.tokenType.name} offset`);
    at += t.image.length;
  }
  same(tokens.map((t) => t.image).join(""), source, "token images joined");
}

/**
 * The document's verdict on every line agrees with the reference model of that init:
 * same lines, same kinds, same fields, and sysvinit's message.
 */
export function checkAgainstModel(doc: Document, syntax: Syntax): void {
  const model: ModelLine[] = syntax === "sysvinit" ? sysvinitModel(doc.source) : busyboxModel(doc.source);
  const starts = doc.lines.map((l) => l.line);
  const expected = model.map((m) => m.line);
  if (!isDeepStrictEqual(starts, expected)) {
    const i = starts.findIndex((n, k) => n !== expected[k]);
    const around = doc.lines.slice(Math.max(0, i - 2), i + 2).map((l) => `${l.line}:${JSON.stringify(l.raw)}`);
    throw new Error(
      `where init's lines start: line ${expected[i]} expected, got ${starts[i]}, near ${around.join(" ")}`,
    );
  }
  doc.lines.forEach((l, i) => {
    const m = model[i]!;
    const where = `line ${l.line} ${JSON.stringify(l.raw)}`;
    if (m.kind === "entry") {
      same(l.kind, "entry", where);
      // The CR of a CRLF belongs to the terminator in the document, to the last field for init.
      const cr = l.terminator === "CRLF" && !l.comment && !l.nul ? "\r" : "";
      const f = l.fields;
      same(
        [f.id?.value, f.runlevels?.value, f.action?.value, (f.process?.value ?? "") + cr],
        m.fields,
        `${where}: fields`,
      );
    } else if (m.kind === "error") {
      if (syntax === "busybox" && m.tokens === 3 && l.kind === "entry") {
        // `::sysinit:` or `::sysinit:#x`: BusyBox counts three tokens, the document an entry with
        // an empty command; both are a "Bad inittab entry" (the rules report the empty command).
        same(l.fields.process?.value, "", `${where}: process`);
      } else {
        same(l.kind, "invalid", where);
        if (m.message)
          holds(l.reason?.endsWith(m.message) === true, `${where}: reason ${l.reason} should end in ${m.message}`);
      }
    } else {
      same(l.kind, m.kind, where);
    }
  });
}

/** Parse with a syntax and run every check. */
export function checkAll(source: string, syntax: Syntax): Document {
  checkGrammar(source, syntax);
  const doc = parseBinary(source, { dialect: syntax === "busybox" ? "busybox" : "sysvinit" });
  checkLossless(doc);
  checkAgainstModel(doc, syntax);
  return doc;
}
