/**
 * The sysvinit lexer's text tokens as chevrotain custom patterns (RegExp.exec's contract).
 *
 * A regular expression such as `(?:[^\r\n]|\r(?!\n))*` says it in one line, but V8's irregexp
 * keeps a backtracking entry per repetition of an alternation, so a single line of a few
 * megabytes overflows the stack. These scanners say the same with one loop over the text:
 * linear, no recursion, whatever the line's length.
 *
 * A CR is data unless an LF follows it (then it belongs to the line end), as it is to init.
 */

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const NUL = 0x00;

type Exec = { exec: (text: string, offset: number) => RegExpExecArray | null };

function matched(text: string, from: number, to: number): RegExpExecArray | null {
  return to > from ? ([text.slice(from, to)] as unknown as RegExpExecArray) : null;
}

/** Where the line's text stops from `i`: at LF, at the CR of CR LF, at NUL, and (`stopAtColon`) at `:`. */
function textEnd(text: string, i: number, stopAtColon: boolean): number {
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === LF || c === NUL || (stopAtColon && c === COLON)) break;
    if (c === CR && i + 1 < n && text.charCodeAt(i + 1) === LF) break;
    i++;
  }
  return i;
}

/** Field text: any byte but `:`, NUL and the line end (the process, `stopAtColon` false, keeps `:`). */
export function sysvinitTextPattern(stopAtColon: boolean): Exec {
  return { exec: (text, offset) => matched(text, offset, textEnd(text, offset, stopAtColon)) };
}

/** `first` (a `#` or a NUL) and the rest of the physical line, up to its LF or CR LF. */
export function physicalRestPattern(first: number): Exec {
  return {
    exec(text, offset) {
      if (text.charCodeAt(offset) !== first) return null;
      let i = offset + 1;
      // NUL is ordinary data after the first byte.
      for (;;) {
        i = textEnd(text, i, false);
        if (i < text.length && text.charCodeAt(i) === NUL) i++;
        else break;
      }
      return matched(text, offset, i);
    },
  };
}
