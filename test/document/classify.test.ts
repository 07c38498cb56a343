/**
 * Line classification with known answers: what the real init does to each line's shape
 * (sysvinit's read_inittab, BusyBox's parse_inittab; docs/internals/reading.md). The BusyBox NUL
 * and end-of-file cases were also run on Debian's busybox 1.35 as PID 1 (see the comments in src/grammar/tokens.ts).
 */
import { describe, expect, it } from "vitest";
import { parse, type Line } from "../../src/document/index.js";

const lines = (text: string, dialect: "sysvinit" | "busybox"): readonly Line[] =>
  parse(new Uint8Array(Buffer.from(text, "latin1")), { dialect }).lines;
const kinds = (text: string, dialect: "sysvinit" | "busybox") => lines(text, dialect).map((l) => l.kind);
const only = (text: string, dialect: "sysvinit" | "busybox"): Line => {
  const ls = lines(text, dialect);
  expect(ls).toHaveLength(1);
  return ls[0]!;
};
const values = (l: Line) => [
  l.fields.id?.value,
  l.fields.runlevels?.value,
  l.fields.action?.value,
  l.fields.process?.value,
];

describe("sysvinit", () => {
  it("skips spaces and tabs before `#`: an indented comment is a comment", () => {
    expect(kinds("# top\n   # indented\n\t# tab\n \t #mixed\n", "sysvinit")).toEqual([
      "comment",
      "comment",
      "comment",
      "comment",
    ]);
  });

  it("reads blanks before the id and drops them from it", () => {
    const l = only("  \tl2:2:wait:/etc/init.d/rc 2\n", "sysvinit");
    expect(l.kind).toBe("entry");
    expect(l.indent).toBe("  \t");
    expect(l.fields.id!.value).toBe("l2");
    expect(l.fields.id!.column).toBe(4);
  });

  it("treats empty and blank lines as blank", () => {
    expect(kinds("\n   \n\t\n", "sysvinit")).toEqual(["blank", "blank", "blank"]);
  });

  it("reads a line holding only CR LF as an entry with no action", () => {
    const l = only("\r\n", "sysvinit");
    expect(l.kind).toBe("invalid");
    expect(l.reason).toMatch(/missing action field$/);
  });

  it('needs three colons: 2 give "missing process field", 0 or 1 "missing action field"', () => {
    const [two, one, none] = lines("id:3:initdefault\nid:3\nid\n", "sysvinit");
    expect([two!.kind, two!.reason]).toEqual(["invalid", "missing process field"]);
    expect([one!.kind, one!.reason]).toEqual(["invalid", "missing action field"]);
    expect([none!.kind, none!.reason]).toEqual(["invalid", "missing action field"]);
  });

  it("keeps `:` and `#` in the process, which runs to the end of the line", () => {
    const l = only("a8:3:once:/bin/echo with:colon # and a hash\n", "sysvinit");
    expect(l.kind).toBe("entry");
    expect(l.fields.process!.value).toBe("/bin/echo with:colon # and a hash");
    expect(l.comment).toBeUndefined();
  });

  it("does not trim fields: ` once` stays ` once` (the rules reject it)", () => {
    const l = only("a6:3: once:/bin/true\n", "sysvinit");
    expect(l.kind).toBe("entry");
    expect(l.fields.action!.value).toBe(" once");
  });

  it("has no continuation lines: a trailing backslash is data and the next line stands alone", () => {
    const ls = lines("a1:3:once:/bin/echo \\\nb1:3:once:/bin/true\n", "sysvinit");
    expect(ls.map((l) => l.kind)).toEqual(["entry", "entry"]);
    expect(ls[0]!.fields.process!.value).toBe("/bin/echo \\");
  });

  it("accepts an empty process (x:3:initdefault:)", () => {
    const l = only("x:3:initdefault:\n", "sysvinit");
    expect(l.kind).toBe("entry");
    expect(l.fields.process!.value).toBe("");
  });

  // Bugs fixed in the document layer: each would classify a line differently from init.

  it("a last line of blanks without a newline is not blank to init (the byte after them is not `\\n`)", () => {
    const [first, last] = lines("id:2:initdefault:\n   ", "sysvinit");
    expect(first!.kind).toBe("entry");
    expect(last!.kind).toBe("invalid");
    expect(last!.reason).toMatch(/missing action field$/);
  });

  it('with two colons the action keeps the newline, so only an unterminated empty action is "missing action field"', () => {
    expect(only("a:1:\n", "sysvinit").reason).toBe("missing process field");
    expect(only("a:1:\r\n", "sysvinit").reason).toBe("missing process field");
    expect(only("a:1:", "sysvinit").reason).toBe("missing action field");
    expect(only("a:1:\0junk\n", "sysvinit").reason).toBe("missing action field");
  });

  it("ends every field at a NUL (init reads a C string) and keeps the rest aside", () => {
    const l = only("n1:2:once:/bin/echo before\0after:x\n", "sysvinit");
    expect(l.kind).toBe("entry");
    expect(values(l)).toEqual(["n1", "2", "once", "/bin/echo before"]);
    expect(l.nul!.raw).toBe("\0after:x");
    const cut = only("n2:2\0:once:/bin/true\n", "sysvinit");
    expect([cut.kind, cut.reason]).toEqual(["invalid", "missing action field"]);
    const empty = only("  \0# not a comment to init\n", "sysvinit");
    expect(empty.kind).toBe("invalid");
  });
});

describe("BusyBox", () => {
  it("is a comment only with `#` in column 1; an indented `#` is a bad entry", () => {
    const [comment, indented] = lines("# comment\n  # indented\n", "busybox");
    expect(comment!.kind).toBe("comment");
    expect(indented!.kind).toBe("invalid");
    expect(indented!.reason).toMatch(/indented comment/);
  });

  it("treats a whitespace-only line as a bad entry and an empty line as blank", () => {
    const [ws, empty] = lines("  \t\n\n", "busybox");
    expect(ws!.kind).toBe("invalid");
    expect(ws!.reason).toMatch(/only blanks/);
    expect(empty!.kind).toBe("blank");
  });

  it("ends the line at `#` anywhere, even inside the command", () => {
    const l = only('::respawn:/usr/bin/logger "ready #1"\n', "busybox");
    expect(l.kind).toBe("entry");
    expect(l.fields.process!.value).toBe('/usr/bin/logger "ready ');
    expect(l.comment!.raw).toBe('#1"');
  });

  it("keeps `:` in the command (the last field is greedy)", () => {
    expect(only("::sysinit:/bin/sh -c 'a:b'\n", "busybox").fields.process!.value).toBe("/bin/sh -c 'a:b'");
  });

  it("joins backslash-newline continuations into one logical line", () => {
    const l = only("tty1::respawn:/sbin/getty \\\n38400 tty1\n", "busybox");
    expect(l.kind).toBe("entry");
    expect([l.line, l.endLine]).toEqual([1, 2]);
    expect(l.fields.process!.value).toBe("/sbin/getty 38400 tty1");
    expect(l.fields.process!.raw).toBe("/sbin/getty \\\n38400 tty1");
  });

  it("lets a comment that ends in a backslash swallow the next line", () => {
    const ls = lines("# note \\\n::sysinit:/etc/init.d/rcS\n::respawn:/bin/sh\n", "busybox");
    expect(ls.map((l) => [l.kind, l.line])).toEqual([
      ["comment", 1],
      ["entry", 3],
    ]);
  });

  it("needs four fields", () => {
    expect(only("::sysinit\n", "busybox").kind).toBe("invalid");
    expect(only("tty1\n", "busybox").reason).toMatch(/has 1/);
  });

  it("reads a lone CR LF as a bad entry", () => {
    expect(only("\r\n", "busybox").kind).toBe("invalid");
  });

  // Bugs fixed in the document layer, checked on busybox 1.35 running as PID 1.

  it("ends the line at a NUL like at `#`: what follows is not a new line", () => {
    // busybox ran only `echo one`.
    const l = only("::sysinit:/bin/echo one\0::sysinit:/bin/echo two\n", "busybox");
    expect(l.kind).toBe("entry");
    expect(l.fields.process!.value).toBe("/bin/echo one");
    expect(l.nul!.raw).toBe("\0::sysinit:/bin/echo two");
  });

  it("skips a line that starts with a NUL (its C string is empty) but not blanks before a NUL", () => {
    // busybox: silent for the first, "Bad inittab entry at line 2" for the second.
    expect(kinds("\0junk\n  \0\n", "busybox")).toEqual(["blank", "invalid"]);
  });

  it("lets a NUL tail that ends in a backslash swallow the next line", () => {
    // busybox ran `echo six` and never `echo seven`.
    const ls = lines("::sysinit:/bin/echo six\0x\\\n::sysinit:/bin/echo seven\n::sysinit:/bin/echo eight\n", "busybox");
    expect(ls.map((l) => [l.kind, l.line, l.fields.process?.value])).toEqual([
      ["entry", 1, "/bin/echo six"],
      ["entry", 3, "/bin/echo eight"],
    ]);
  });

  it("looks again at the backslash before a continuation when the joined line is empty", () => {
    // busybox 1.35 printed `a::sysinit:/bin/echo b`, then `c`, then `d`.
    const ls = lines(
      "::sysinit:/bin/echo a\\\\\n\n::sysinit:/bin/echo b\n::sysinit:/bin/echo c\\\n\n::sysinit:/bin/echo d\n",
      "busybox",
    );
    expect(ls.map((l) => [l.kind, l.line, l.endLine, l.fields.process?.value])).toEqual([
      ["entry", 1, 3, "/bin/echo a::sysinit:/bin/echo b"],
      ["entry", 4, 5, "/bin/echo c"],
      ["entry", 6, 6, "/bin/echo d"],
    ]);
    // Three backslashes, then one empty line: two pair with the two newlines, one stays data.
    expect(only("a:b:c:d\\\\\\\n\ne\n", "busybox").fields.process!.value).toBe("d\\e");
  });

  it("drops the last backslash of the joined text, whichever physical line it came from", () => {
    // busybox 1.35: the first entry is `/bin/echo 'a` (sh: unterminated quote), the next stands
    // alone, and the third is `/bin/echo 'c\x'` (printed c\x): a line of only backslashes adds
    // to the one still waiting, an empty line lets an earlier one be dropped.
    const ls = lines(
      "::sysinit:/bin/echo 'a\\\\\n\\\\\n\n\n\n::sysinit:/bin/echo b'\n::sysinit:/bin/echo 'c\\\n\\\\\nx'\n",
      "busybox",
    );
    expect(ls.map((l) => [l.line, l.endLine, l.fields.process?.value])).toEqual([
      [1, 5, "/bin/echo 'a"],
      [6, 6, "/bin/echo b'"],
      [7, 9, "/bin/echo 'c\\x'"],
    ]);
  });

  it("drops a backslash that ends the file, as it drops a continuation", () => {
    // busybox printed `five`, not `five\`.
    const l = only("::sysinit:/bin/echo five\\", "busybox");
    expect(l.fields.process!.value).toBe("/bin/echo five");
    expect(l.fields.process!.raw).toBe("/bin/echo five\\");
    // sysvinit has no continuations: there the backslash is data.
    expect(only("a:1:once:/bin/echo five\\", "sysvinit").fields.process!.value).toBe("/bin/echo five\\");
  });
});
