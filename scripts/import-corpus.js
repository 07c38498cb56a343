#!/usr/bin/env node
/**
 * Copies the licensed files of a research corpus into test/corpus/: every file whose
 * PROVENANCE.tsv license column names a license (files marked "none visible" stay outside),
 * byte for byte, with their provenance rows.
 *
 *   node scripts/import-corpus.js ../shared/corpus
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const from = process.argv[2];
if (!from) {
  process.stderr.write("usage: node scripts/import-corpus.js CORPUS_DIR\n");
  process.exit(2);
}
const to = fileURLToPath(new URL("../test/corpus/", import.meta.url));
const [header, ...rows] = readFileSync(join(from, "PROVENANCE.tsv"), "utf8").trimEnd().split("\n");
const kept = rows.filter((row) => !/^none visible/.test(row.split("\t")[4] ?? "none visible"));
for (const row of kept) {
  const file = row.split("\t")[0];
  mkdirSync(dirname(join(to, file)), { recursive: true });
  copyFileSync(join(from, file), join(to, file));
}
writeFileSync(join(to, "PROVENANCE.tsv"), `${[header, ...kept].join("\n")}\n`);
process.stdout.write(`copied ${kept.length} of ${rows.length} files into ${to}\n`);
