/**
 * scripts/chevrotain-char-map.js: the build replaces chevrotain's 65,536-entry char-code table
 * with the formula that fills it. Both versions must give the same index for every char code,
 * and the installed chevrotain must still hold the code the build patches.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a build script in plain JavaScript, without types
import { CHAR_MAP, computeCharMap } from "../../scripts/chevrotain-char-map.js";

type Indexer = (charCode: number) => number;

/** Evaluate one version of the two functions, as chevrotain's lexer calls them. */
function indexer(code: string): Indexer {
  const make = new Function(
    "isEmpty_default",
    `let minOptimizationVal = 256; let charCodeToOptimizedIdxMap = [];\n${code}\ninitCharCodeToOptimizedIndexMap();\nreturn charCodeToOptimizedIndex;`,
  ) as (isEmpty: (a: unknown[]) => boolean) => Indexer;
  return make((a) => a.length === 0);
}

describe("chevrotain char-map patch", () => {
  const { from, to } = CHAR_MAP as { from: string; to: string };

  it("gives the same index as the table for every char code", () => {
    const table = indexer(from);
    const computed = indexer(to);
    for (let c = 0; c < 65536; c++) {
      if (table(c) !== computed(c)) expect.fail(`char code ${c}: table ${table(c)}, computed ${computed(c)}`);
    }
  });

  it("applies to the installed chevrotain, and only there", () => {
    const entry = createRequire(import.meta.url).resolve("chevrotain");
    const source = readFileSync(join(dirname(entry), "..", "chevrotain.mjs"), "utf8");
    const patched = computeCharMap(source) as string;
    expect(patched).toContain(to);
    expect(patched).not.toContain(from);
    expect(() => computeCharMap("export {}")).toThrow(/is not the code this build patches/);
  });
});
