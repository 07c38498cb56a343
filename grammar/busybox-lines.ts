/**
 * How BusyBox joins physical lines, as custom token patterns for the BusyBox lexer.
 *
 * BusyBox (get_line_with_continuation, 1.35) reads a physical line, drops its `\n`, and while
 * the line then ends in a backslash it drops that too and appends the next physical line *as
 * read* — with its `\n` — before looking again. So after an empty physical line the backslash
 * before the first one is looked at again: `a\\` + `\\\n` + `\n` + `b` is one logical line `ab`,
 * the last backslash pairing with the first newline and the one before it with the second.
 * A backslash that ends the file is dropped too. Checked on Debian's busybox 1.35 as PID 1:
 * `echo a\\\\` + empty line + `::sysinit:/bin/echo b` printed `a::sysinit:/bin/echo b`.
 *
 * In lexer terms: a run of k backslashes followed by m newlines makes p = min(k, m) pairs, the
 * last p backslashes and the first p newlines, one Continuation token `\\`×p `\n`×p; the first
 * k - p backslashes are data. With m = 0 the run continues only at the end of the input (its
 * last backslash is dropped). A regular expression cannot count the pairs, so these are
 * functions with RegExp.exec's contract (chevrotain custom patterns), all linear.
 */

const BACKSLASH = 0x5c;
const LF = 0x0a;
const CR = 0x0d;
const HASH = 0x23;
const COLON = 0x3a;
const NUL = 0x00;

/** For the backslash run starting at `i`: how many of its backslashes are data, and how long
 * the continuation that follows them is (0 when there is none). */
export function backslashRun(text: string, i: number): { data: number; continuation: number } {
  let k = 0;
  while (text.charCodeAt(i + k) === BACKSLASH) k++;
  let m = 0;
  while (text.charCodeAt(i + k + m) === LF) m++;
  if (m === 0) {
    // Only the end of the input continues a line without a newline.
    return i + k === text.length ? { data: k - 1, continuation: 1 } : { data: k, continuation: 0 };
  }
  const p = Math.min(k, m);
  return { data: k - p, continuation: 2 * p };
}

type Exec = { exec: (text: string, offset: number) => RegExpExecArray | null };

function matched(text: string, from: number, to: number): RegExpExecArray | null {
  return to > from ? ([text.slice(from, to)] as unknown as RegExpExecArray) : null;
}

/** A continuation starting right here (no data backslashes before it). */
export const continuationPattern: Exec = {
  exec(text, offset) {
    if (text.charCodeAt(offset) !== BACKSLASH) return null;
    const run = backslashRun(text, offset);
    return run.data === 0 ? matched(text, offset, offset + run.continuation) : null;
  },
};

/** Field text: up to `#`, NUL, a line end, a continuation, and (but for the process) `:`. */
export function fieldTextPattern(stopAtColon: boolean): Exec {
  return {
    exec(text, offset) {
      let i = offset;
      while (i < text.length) {
        const c = text.charCodeAt(i);
        if (c === LF || c === HASH || c === NUL || (stopAtColon && c === COLON)) break;
        if (c === CR && text.charCodeAt(i + 1) === LF) break;
        if (c === BACKSLASH) {
          const run = backslashRun(text, i);
          i += run.data;
          if (run.continuation > 0) break;
          continue;
        }
        i++;
      }
      return matched(text, offset, i);
    },
  };
}

/**
 * The rest of the logical line from a `#` or a NUL (where BusyBox's C string ends): everything
 * up to a line end that is not joined, continuations and the lines they join included.
 */
export function restOfLinePattern(first: number): Exec {
  return {
    exec(text, offset) {
      if (text.charCodeAt(offset) !== first) return null;
      let i = offset + 1;
      while (i < text.length) {
        const c = text.charCodeAt(i);
        if (c === LF || (c === CR && text.charCodeAt(i + 1) === LF)) break;
        if (c === BACKSLASH) {
          const run = backslashRun(text, i);
          i += run.data + run.continuation;
          continue;
        }
        i++;
      }
      return matched(text, offset, i);
    },
  };
}
