/**
 * How BusyBox joins physical lines, for the BusyBox lexer's custom token patterns.
 *
 * BusyBox (get_line_with_continuation, 1.35) reads a physical line and drops its `\n`; while the
 * line then ends in a backslash, it drops that backslash too and appends the next physical line
 * *as read*, `\n` included, and looks again. So the backslash it drops is always the last one of
 * the joined text: after an empty physical line it is one from an earlier line, and a line of
 * only backslashes adds to those still waiting. `a\\` + `\\\n` + `\n` + `b` is one logical line
 * `ab`, and a backslash that ends the file is dropped too. Checked on Debian's busybox 1.35 as
 * PID 1: `/bin/echo a\\` + empty line + `::sysinit:/bin/echo b` printed `a::sysinit:/bin/echo b`.
 *
 * No regular expression can follow that, so `joinedBytes` runs BusyBox's loop once over the text
 * and marks the bytes the join removes: the dropped backslashes and every newline but the one
 * that ends the logical line. The token patterns below (chevrotain custom patterns, with
 * RegExp.exec's contract) read those marks. Everything is linear in the text when the lexer runs
 * inside `withJoinMarks` (parseLines does).
 */

const BACKSLASH = 0x5c;
const LF = 0x0a;
const CR = 0x0d;
const HASH = 0x23;
const COLON = 0x3a;
const NUL = 0x00;

/** 1 for each byte BusyBox's line joining removes (a dropped backslash, or a newline it reads past), 0 for the rest. */
export function joinedBytes(text: string): Uint8Array {
  const marks = new Uint8Array(text.length);
  const n = text.length;
  let i = 0;
  while (i < n) {
    // A logical line starts at i. Backslashes waiting at the end of the joined text, last on top.
    const waiting: number[] = [];
    let end = physicalEnd(text, i);
    addLine(text, i, end, waiting);
    i = end;
    for (;;) {
      const newline = i - 1; // the `\n` the joined text ends with, if it has one
      if (waiting.length === 0) break; // the logical line ends here (at that `\n`, or the end)
      marks[waiting.pop()!] = 1;
      if (i > 0 && text.charCodeAt(newline) === LF) marks[newline] = 1;
      if (i >= n) break; // nothing to join: the backslash is dropped all the same
      end = physicalEnd(text, i);
      addLine(text, i, end, waiting);
      i = end;
    }
  }
  return marks;
}

/**
 * The marks of the text being lexed. The token patterns are asked once per token and each needs
 * the marks of the whole text, so `withJoinMarks` computes them once for the duration of one
 * tokenize call (saved and restored, so nested calls are safe); outside such a call a pattern
 * computes them itself.
 */
let lexing: { text: string; marks: Uint8Array } | undefined;

/** Run `lex` (a tokenize call over `text`) with the marks of `text` computed once. */
export function withJoinMarks<T>(text: string, lex: () => T): T {
  const saved = lexing;
  lexing = { text, marks: joinedBytes(text) };
  try {
    return lex();
  } finally {
    lexing = saved;
  }
}

function marksOf(text: string): Uint8Array {
  return lexing !== undefined && lexing.text === text ? lexing.marks : joinedBytes(text);
}

/** End (exclusive) of the physical line at `i`: after its `\n`, or the end of the text. */
function physicalEnd(text: string, i: number): number {
  const nl = text.indexOf("\n", i);
  return nl === -1 ? text.length : nl + 1;
}

/** What appending the physical line [from, to) leaves waiting at the end of the joined text. */
function addLine(text: string, from: number, to: number, waiting: number[]): void {
  const contentEnd = to > from && text.charCodeAt(to - 1) === LF ? to - 1 : to;
  let k = contentEnd;
  while (k > from && text.charCodeAt(k - 1) === BACKSLASH) k--;
  // An empty line leaves the end as it was; a line of only backslashes adds to what waits;
  // anything else replaces it with its own trailing backslashes.
  if (k > from) waiting.length = 0;
  for (let b = k; b < contentEnd; b++) waiting.push(b);
}

type Exec = { exec: (text: string, offset: number) => RegExpExecArray | null };

function matched(text: string, from: number, to: number): RegExpExecArray | null {
  return to > from ? ([text.slice(from, to)] as unknown as RegExpExecArray) : null;
}

/** A continuation: the bytes the join removes, as one token. */
export const continuationPattern: Exec = {
  exec(text, offset) {
    const marks = marksOf(text);
    let i = offset;
    while (i < text.length && marks[i] === 1) i++;
    return matched(text, offset, i);
  },
};

/** True at a `\n` (or the CR of a CR LF) that ends a logical line. */
function lineEndAt(text: string, i: number, marks: Uint8Array): boolean {
  const c = text.charCodeAt(i);
  if (c === LF) return marks[i] === 0;
  return c === CR && text.charCodeAt(i + 1) === LF && marks[i + 1] === 0;
}

/** Field text: up to `#`, NUL, the line end, a continuation, and (but for the process) `:`. */
export function fieldTextPattern(stopAtColon: boolean): Exec {
  return {
    exec(text, offset) {
      const marks = marksOf(text);
      let i = offset;
      while (i < text.length && marks[i] === 0 && !lineEndAt(text, i, marks)) {
        const c = text.charCodeAt(i);
        if (c === HASH || c === NUL || (stopAtColon && c === COLON)) break;
        i++;
      }
      return matched(text, offset, i);
    },
  };
}

/**
 * The rest of the logical line from a `#` or a NUL (where BusyBox's C string ends), the lines
 * it joins included.
 */
export function restOfLinePattern(first: number): Exec {
  return {
    exec(text, offset) {
      if (text.charCodeAt(offset) !== first) return null;
      const marks = marksOf(text);
      let i = offset + 1;
      while (i < text.length && !lineEndAt(text, i, marks)) i++;
      return matched(text, offset, i);
    },
  };
}
