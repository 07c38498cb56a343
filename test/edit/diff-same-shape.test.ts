/**
 * unifiedDiff's own path for texts with as many lines (check --fix-dry-run's CRLF and case
 * fixes): the patch applies and gives the new text, and where the alignment is unambiguous
 * (no repeated lines) it is byte for byte what jsdiff's general diff prints.
 */
import { applyPatch, createTwoFilesPatch } from "diff";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { unifiedDiff } from "../../src/edit/diff.js";

const bin = (s: string) => Buffer.from(s, "latin1");

/** Lines (each maybe with a CR), some of them changed, and whether each text ends in a newline. */
const change = (unique: boolean) =>
  fc
    .record({
      lines: fc.array(
        fc.record({ word: fc.integer({ min: 0, max: 3 }), cr: fc.boolean(), changed: fc.integer({ min: 0, max: 5 }) }),
        { minLength: 1, maxLength: 60 },
      ),
      finalBefore: fc.boolean(),
      finalAfter: fc.boolean(),
    })
    .map(({ lines, finalBefore, finalAfter }) => {
      const before = lines.map((l, i) => `l${unique ? i : l.word}${l.cr ? "\r" : ""}`);
      const after = before.map((l, i) => (lines[i]!.changed === 0 ? `${l}x` : l));
      return { a: before.join("\n") + (finalBefore ? "\n" : ""), b: after.join("\n") + (finalAfter ? "\n" : "") };
    })
    .filter(({ a, b }) => a !== b);

describe("unifiedDiff on texts with as many lines", () => {
  it("applies, repeated lines and a missing final newline included", () => {
    fc.assert(
      fc.property(change(false), ({ a, b }) => {
        expect(applyPatch(a, unifiedDiff(bin(a), bin(b), "f"))).toBe(b);
      }),
      { numRuns: 500 },
    );
  });

  it("prints what jsdiff prints when no line repeats", () => {
    fc.assert(
      fc.property(change(true), ({ a, b }) => {
        const reference = createTwoFilesPatch("a/f", "b/f", a, b, undefined, undefined, { context: 3 });
        expect(unifiedDiff(bin(a), bin(b), "f")).toBe(reference.slice(reference.indexOf("--- ")));
      }),
      { numRuns: 500 },
    );
  });
});
