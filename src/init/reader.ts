/**
 * How each init reads its file, record by record. Neither reads physical lines:
 *
 * - sysvinit (read_inittab) reads with fgets into a buffer of `lineBufferBytes`, so at most 255
 *   bytes a call; its C string ends at the first NUL. Up to 3.13 a longer line comes back in
 *   pieces and each is parsed as a line of its own. 3.14 checks that the string holds a newline;
 *   when it does not (a long line, a NUL that hides the newline, a last line without one), it
 *   throws away everything up to the next newline (get_void) and logs "Possibly too long". Of an
 *   /etc/inittab.d/*.tab file only the first line that is neither comment nor blank is used, and
 *   only its first 255 bytes.
 * - BusyBox (parse_inittab through config_read) reads a logical line: while a physical line ends
 *   in a backslash, the backslash and the newline go and the next line is joined on
 *   (src/grammar/busybox-lines.ts marks exactly those bytes). The C string ends at a NUL.
 *
 * The simulator and the document's view of the lines both read through these generators, so a
 * behaviour is written once. Offsets are byte offsets into the binary string read.
 */
import type { Dialect } from "../dialects/index.js";
import { NulFinder } from "../base/search.js";
import { joinedBytes } from "../grammar/busybox-lines.js";

const NEWLINE = 0x0a;

/** One fgets call of sysvinit's reader. */
export interface SysvinitRead {
  /** The first byte fgets returned. */
  start: number;
  /** After the last byte fgets returned (after the newline when it read one). */
  readEnd: number;
  /** Where the C string ends: the first NUL in [start, readEnd), else readEnd. */
  textEnd: number;
  /** After every byte this read consumed: readEnd, or (3.14) after what get_void threw away. */
  end: number;
  /** init's own line counter: one per fgets call. */
  initLine: number;
  /** Not the first piece of its physical line (a line longer than the buffer, up to 3.13). */
  continuation: boolean;
  /** 3.14: no newline in the C string; unless the line is a comment or blank, init drops it. */
  overlong: boolean;
}

export interface ReadOptions {
  /** An /etc/inittab.d/*.tab file: long lines are cut at the buffer, never dropped. */
  role?: "inittab" | "tab";
  /** The first initLine minus one (inittab.d files continue init's count). */
  initLineBefore?: number;
}

/** sysvinit's fgets loop over a file, one record per call, as read_inittab does it. */
export function* readSysvinit(source: string, dialect: Dialect, options: ReadOptions = {}): Generator<SysvinitRead> {
  const size = (dialect.lineBufferBytes ?? 256) - 1;
  const drops = dialect.longLines === "drop" && options.role !== "tab";
  const nuls = new NulFinder(source);
  let pos = 0;
  let initLine = options.initLineBefore ?? 0;
  let atLineStart = true;
  // The next newline at or after pos, found again only once pos is past it: a line of
  // megabytes is read in thousands of pieces, and is scanned once, not once a piece.
  let nl = -2;
  while (pos < source.length) {
    if (nl !== -1 && nl < pos) nl = source.indexOf("\n", pos);
    const readEnd = Math.min(pos + size, nl === -1 ? source.length : nl + 1);
    const nul = nuls.first(pos, readEnd);
    const textEnd = nul === -1 ? readEnd : nul;
    const endsLine = source.charCodeAt(readEnd - 1) === NEWLINE;
    const record: SysvinitRead = {
      start: pos,
      readEnd,
      textEnd,
      end: readEnd,
      initLine: ++initLine,
      continuation: !atLineStart,
      overlong: false,
    };
    atLineStart = endsLine;
    if (drops && !(textEnd === readEnd && endsLine)) {
      // strchr finds no newline in the string: get_void reads on past the next newline.
      record.overlong = true;
      const next = source.indexOf("\n", readEnd);
      record.end = next === -1 ? source.length : next + 1;
      atLineStart = true;
    }
    pos = record.end;
    yield record;
  }
}

/** The C string of a read: the bytes init parses. */
export function sysvinitText(source: string, read: SysvinitRead): string {
  return source.slice(read.start, read.textEnd);
}

/** One logical line of BusyBox's reader. */
export interface BusyBoxRead {
  /** First byte of the logical line, and after its newline (or the end of the file). */
  start: number;
  end: number;
  /** Where its content ends: before the newline that ends it, or the end of the file. */
  contentEnd: number;
  /** The joined line as init holds it: continuations removed, cut at the first NUL. */
  text: string;
  /** BusyBox's line counter: physical lines read so far (the last one of this logical line). */
  initLine: number;
}

/** BusyBox's config_read loop: logical lines, joined at backslash-newlines. */
export function* readBusyBox(source: string): Generator<BusyBoxRead> {
  const marks = joinedBytes(source);
  let pos = 0;
  let initLine = 0;
  // The first joined byte at or after the line being read: looked for again only once passed,
  // so the whole file is searched once, not once per line.
  let nextMark = marks.indexOf(1);
  while (pos < source.length) {
    const start = pos;
    // A newline the join removed does not end the line, but BusyBox counts it.
    let nl = source.indexOf("\n", pos);
    while (nl !== -1 && marks[nl] === 1) {
      if (nl + 1 < source.length) initLine++;
      nl = source.indexOf("\n", nl + 1);
    }
    const contentEnd = nl === -1 ? source.length : nl;
    pos = nl === -1 ? source.length : nl + 1;
    initLine++;
    if (nextMark !== -1 && nextMark < start) nextMark = marks.indexOf(1, start);
    let joined = source.slice(start, contentEnd);
    if (nextMark !== -1 && nextMark < contentEnd) {
      // The runs of bytes the join keeps, without the backslashes and newlines it removes.
      const kept: string[] = [];
      let i = start;
      while (i < contentEnd) {
        let j = i;
        while (j < contentEnd && marks[j] === 0) j++;
        if (j > i) kept.push(source.slice(i, j));
        while (j < contentEnd && marks[j] === 1) j++;
        i = j;
      }
      joined = kept.join("");
    }
    const nul = joined.indexOf("\0");
    yield { start, end: pos, contentEnd, text: nul === -1 ? joined : joined.slice(0, nul), initLine };
  }
}
