/**
 * The view (src/document/view.ts): the lines as init reads them. Whatever the input, a view line's
 * spans point at the file's own bytes and positions, the pieces of a split line tile it, and a
 * NUL cut is at a NUL of its physical line, the first one of the piece.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { buildView, FIELD_NAMES, parse, type Document, type InitLine } from "../../src/document/index.js";

const pieces = ["id", "3", ":", "once", "/bin/echo x", "\0", "\n", "\r\n", " ", "#", "y".repeat(300), "z".repeat(120)];
const textArb = fc.array(fc.constantFrom(...pieces), { maxLength: 24 }).map((p) => p.join(""));

/** 1-based line and column of an offset, the slow way. */
function positionOf(source: string, offset: number): { line: number; column: number } {
  const before = source.slice(0, offset);
  return { line: before.split("\n").length, column: offset - before.lastIndexOf("\n") };
}

function checkView(doc: Document, view: readonly InitLine[]): void {
  const source = doc.source;
  for (const v of view) {
    const l = v.line;
    expect(l.raw).toBe(source.slice(l.start, l.end));
    expect(l.line).toBe(positionOf(source, l.start).line);
    expect(v.physical.start <= l.start && l.end <= v.physical.end).toBe(true);
    for (const name of FIELD_NAMES) {
      const f = l.fields[name];
      if (!f) continue;
      expect(f.raw).toBe(source.slice(f.start, f.end));
      expect(f.value).toBe(f.raw); // sysvinit: no continuations
      expect({ line: f.line, column: f.column }).toEqual(positionOf(source, f.start));
    }
    if (l.comment) expect(l.comment.raw).toBe(source.slice(l.comment.start, l.comment.end));
    if (v.nulAt !== undefined) {
      expect(source[v.nulAt]).toBe("\0");
      // sysvinit re-reads the bytes before the NUL as a line of their own; BusyBox's line already
      // ends its fields at the NUL (a tail), so the view keeps it whole.
      if (l === v.physical) expect(v.nulAt >= l.start && v.nulAt < l.end).toBe(true);
      else expect(v.nulAt >= l.end && v.nulAt < v.physical.end).toBe(true);
      // Nothing before the cut in this piece is a NUL.
      expect(source.slice(l.start, v.nulAt)).not.toContain("\0");
    }
  }
  // Pieces of one physical line follow each other and (when not truncated) cover it.
  for (let i = 0; i < view.length; i++) {
    const v = view[i]!;
    if (v.piece === 0 || v.unread) continue;
    const prev = view[i - 1]!;
    expect(prev.physical).toBe(v.physical);
    expect(prev.piece).toBe(v.piece - 1);
  }
}

describe("buildView", () => {
  for (const dialect of ["sysvinit@3.06", "sysvinit@3.14", "busybox"]) {
    it(`keeps spans and positions on the file's bytes (${dialect})`, () => {
      fc.assert(
        fc.property(textArb, (text) => {
          const doc = parse(text, { dialect });
          checkView(doc, buildView(doc, "inittab"));
          if (dialect !== "busybox") checkView(doc, buildView(doc, "tab"));
        }),
        { numRuns: 300 },
      );
    });
  }

  it("cuts a piece at its first NUL and re-reads what is before it", () => {
    const text = `a:3:once:/bin/x\0tail\nb:3:once:/bin/${"y".repeat(300)}\0z\n`;
    const doc = parse(text, { dialect: "sysvinit@3.06" });
    const view = buildView(doc, "inittab");
    expect(view[0]!.nulAt).toBe(text.indexOf("\0"));
    expect(view[0]!.line.fields.process!.value).toBe("/bin/x");
    // The long line: two pieces, the NUL in the second.
    const second = view.filter((v) => v.physical.index === 1);
    expect(second.map((v) => v.piece)).toEqual([0, 1]);
    expect(second[1]!.nulAt).toBe(text.lastIndexOf("\0"));
    expect(second[0]!.nulAt).toBeUndefined();
  });
});
