import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { lowerBound } from "../../src/base/index.js";

describe("lowerBound", () => {
  it("finds the first key >= target, as a scan would", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 40 })), fc.integer({ min: -10, max: 50 }), (keys, target) => {
        const sorted = [...keys].sort((a, b) => a - b).map((start) => ({ start }));
        const scan = sorted.findIndex((x) => x.start >= target);
        expect(lowerBound(sorted, target, (x) => x.start)).toBe(scan === -1 ? sorted.length : scan);
      }),
    );
  });
});
