/**
 * Every real file round-trips byte for byte and its lines tile it, with either syntax and with
 * auto-detection: the project's samples and the corpus (test/corpus, and an external one when present).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse, print } from "../../src/document/index.js";
import { bundledCount, corpus as corpusFiles, SAMPLES, filesUnder, short } from "../support/corpus.js";
import { checkAgainstModel, checkGrammar, checkLossless, SYNTAXES } from "./invariants.js";

const samples = filesUnder(SAMPLES).filter((f) => f.endsWith(".inittab"));
const all = corpusFiles();
const corpus = all.map((f) => f.path);

describe("the inputs are there", () => {
  it("finds the samples and the whole corpus", () => {
    expect(samples.length).toBeGreaterThanOrEqual(8);
    // Every file test/corpus/PROVENANCE.tsv lists is there.
    expect(all.filter((f) => !f.external).length).toBe(bundledCount());
    expect(bundledCount()).toBeGreaterThanOrEqual(90);
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
