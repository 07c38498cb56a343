/**
 * Every real file round-trips byte for byte and its lines tile it, with either syntax and with
 * auto-detection: the project's samples and all of ../shared/corpus.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse, print } from "../../src/document/index.js";
import { CORPUS, SAMPLES, filesUnder, short } from "./files.js";
import { checkAgainstModel, checkGrammar, checkLossless, SYNTAXES } from "./invariants.js";

const samples = filesUnder(SAMPLES).filter((f) => f.endsWith(".inittab"));
const corpus = filesUnder(CORPUS);

describe("the inputs are there", () => {
  it("finds the samples and the whole corpus", () => {
    expect(samples.length).toBeGreaterThanOrEqual(8);
    // 240 files in busybox/, sysvinit/ and other/ (PROVENANCE.tsv lists them).
    expect(corpus.length).toBe(readFileSync(`${CORPUS}/PROVENANCE.tsv`, "latin1").trim().split("\n").length - 1);
    expect(corpus.length).toBeGreaterThanOrEqual(240);
  });
});

describe.each([
  ["samples", samples],
  ["corpus", corpus],
])("%s", (_name, files) => {
  it.each(files.map((f) => [short(f), f]))("%s", (_label, file) => {
    const bytes = new Uint8Array(readFileSync(file));
    for (const dialect of ["auto", ...SYNTAXES]) {
      const doc = parse(bytes, { dialect });
      expect(Buffer.from(print(doc)).equals(Buffer.from(bytes))).toBe(true);
      checkLossless(doc);
      checkGrammar(doc.source, doc.dialect.syntax);
      // Each line is read the way the reference model of that init reads it.
      checkAgainstModel(doc, doc.dialect.syntax);
    }
  });
});
