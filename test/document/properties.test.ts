/**
 * Property tests (fast-check): for any input, with either syntax, the grammar never fails, the
 * document gives every byte back, its lines tile the input, every span holds exactly its bytes,
 * and each line is classified the way the reference model of that init reads it.
 *
 * Runs per CI run: 2 syntaxes x (2,500 arbitrary byte strings + 2,500 fragment soups +
 * 1,500 inittab-shaped files + 150 files of 8-40 KB) = 13,300.
 */
import fc from "fast-check";
import { describe, it } from "vitest";
import { toBinary } from "../../src/base/index.js";
import { checkAll, SYNTAXES } from "./invariants.js";

const RUNS = { bytes: 2500, soup: 2500, shaped: 1500, big: 150 };

/** Arbitrary bytes, biased towards the ones that matter to the lexers. */
const special = fc.constantFrom(0x0a, 0x0d, 0x00, 0x3a, 0x23, 0x5c, 0x20, 0x09, 0x80, 0xff, 0xc3, 0xa9);
const anyBytes = fc
  .array(fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 255 }) }, { weight: 2, arbitrary: special }), {
    maxLength: 400,
  })
  .map((a) => toBinary(Uint8Array.from(a)));

/** Pieces of inittab syntax, both dialects, and the bytes that break it. */
const FRAGMENTS = [
  "id",
  "si",
  "l0",
  "~~",
  "1",
  "tty1",
  "ttyS0",
  "console",
  "abcde",
  "",
  ":",
  "::",
  ":::",
  "2345",
  "S",
  "s",
  "0",
  "6",
  "a",
  "initdefault",
  "sysinit",
  "respawn",
  "once",
  "wait",
  "askfirst",
  "shutdown",
  "restart",
  " once",
  "ONCE",
  "exec",
  "/sbin/getty 38400 tty1",
  "/bin/sh -c 'a:b'",
  "/bin/echo a#b",
  "-/bin/sh",
  "/x:y:z",
  "#",
  "# comment",
  " # indented",
  "\t#",
  "\n",
  "\r\n",
  "\r",
  "\0",
  "\t",
  " ",
  "   ",
  "\\\n",
  "\\",
  "\\\\",
  "\x80",
  "\xff",
  "\xc3\xa9",
  "\xe9",
  "\xef\xbb\xbf",
] as const;
const fragmentSoup = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 40 }).map((a) => a.join(""));

/** A long run of field text (lines of 250-300 bytes straddle sysvinit's 254-byte limit). */
const longText = fc
  .tuple(fc.integer({ min: 250, max: 300 }), fc.constantFrom("x", "a:b", "#", " ", "\xe9"))
  .map(([n, unit]) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n));

const part = (choices: readonly string[]) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...choices) },
    { weight: 1, arbitrary: fc.constantFrom(...FRAGMENTS) },
  );

/** One inittab-shaped line: up to four fields, any of them damaged, with a terminator. */
const shapedLine = fc
  .record({
    indent: fc.constantFrom("", "", "", " ", "\t", "  \t"),
    id: part(["id", "si", "l0", "1", "tty1", "ttyS0", "", "abcde"]),
    runlevels: part(["", "2345", "S", "0", "12345"]),
    action: part(["respawn", "once", "sysinit", "initdefault", "askfirst", "shutdown", "", " once"]),
    process: fc.oneof(part(["/sbin/getty 38400 tty1", "/etc/init.d/rc 2", "/bin/sh -c 'x:y' # c", ""]), longText),
    colons: fc.constantFrom(3, 3, 3, 3, 2, 1, 0, 4),
    comment: fc.constantFrom("", "", "", "#", "# note", "#\\"),
    end: fc.constantFrom("\n", "\n", "\n", "\r\n", "\\\n", ""),
  })
  .map((l) => {
    const fields = [l.id, l.runlevels, l.action, l.process];
    let text = fields[0]!;
    for (let i = 1; i <= Math.min(l.colons, 3); i++) text += ":" + fields[i];
    if (l.colons > 3) text += ":extra";
    return l.indent + text + l.comment + l.end;
  });
const shapedFile = fc.tuple(fc.array(shapedLine, { maxLength: 12 }), fc.boolean()).map(([lines, dropFinalNewline]) => {
  const s = lines.join("");
  return dropFinalNewline && s.endsWith("\n") ? s.slice(0, -1) : s;
});

/**
 * Files big enough to be read in several chunks (src/document/build.ts cuts the input at line
 * ends every few KB): continuations, comments and NULs must not care where a chunk ends.
 */
const bigFile = fc
  .array(fc.oneof(shapedLine, fragmentSoup, fc.constantFrom("\\\\\n\n", "a\\\\\\\n\n\n", "#\\\n", "\0\\\n")), {
    minLength: 200,
    maxLength: 600,
  })
  .map((parts) => parts.join("\n"))
  .filter((s) => s.length > 8192);

describe.each(SYNTAXES)("%s syntax", (syntax) => {
  it(`arbitrary bytes (${RUNS.bytes} runs)`, () => {
    fc.assert(
      fc.property(anyBytes, (s) => {
        checkAll(s, syntax);
      }),
      { numRuns: RUNS.bytes },
    );
  });

  it(`fragment soup (${RUNS.soup} runs)`, () => {
    fc.assert(
      fc.property(fragmentSoup, (s) => {
        checkAll(s, syntax);
      }),
      { numRuns: RUNS.soup },
    );
  });

  it(`files read in several chunks (${RUNS.big} runs)`, () => {
    fc.assert(
      fc.property(bigFile, (s) => {
        checkAll(s, syntax);
      }),
      // Shrinking hundreds of lines takes minutes; the failure message names the line anyway.
      { numRuns: RUNS.big, endOnFailure: true },
    );
  });

  it(`inittab-shaped files with damage, long lines and no final newline (${RUNS.shaped} runs)`, () => {
    fc.assert(
      fc.property(shapedFile, (s) => {
        checkAll(s, syntax);
      }),
      { numRuns: RUNS.shaped },
    );
  });
});
