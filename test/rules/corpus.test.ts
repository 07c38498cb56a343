/**
 * The real inittabs of the research corpus: every file is checked without a crash, every line
 * init drops is explained by a specific rule (no IT000 fallback), and the generated report lists
 * every file with the dialect the checker detects now.
 */
import { describe, expect, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "../../src/document/index.js";
import { checkSet } from "../../src/rules/index.js";
import { simulateInit } from "../../src/init/index.js";
import { BUNDLED_CORPUS, corpus } from "../support/corpus.js";

const REPORT = fileURLToPath(new URL("../../docs/corpus-report.md", import.meta.url));
const files = corpus();

describe("corpus", () => {
  it("has files to check", () => {
    expect(files.length).toBeGreaterThan(90);
  });

  for (const dialect of ["auto", "sysvinit@2.88", "sysvinit@3.06", "busybox"]) {
    it(`every file checks as ${dialect}, and every drop has a specific rule`, () => {
      for (const f of files) {
        const doc = parse(readFileSync(f.path), { dialect });
        const [report] = checkSet({ main: { path: f.name, doc } }, { allowExec: true });
        const ds = report!.diagnostics;
        expect(
          ds.filter((d) => d.code === "IT000"),
          f.name,
        ).toEqual([]);
        expect(ds.filter((d) => d.dropped).length, f.name).toBe(simulateInit(doc, { allowExec: true }).dropped.length);
      }
    });
  }

  it("docs/corpus-report.md lists every file with the dialect detected now", async () => {
    expect(existsSync(REPORT)).toBe(true);
    const report = readFileSync(REPORT, "utf8");
    // The report's script uses the built package (pretest builds it).
    const script = new URL("../../scripts/corpus-report.js", import.meta.url).href;
    const { checkCorpus } = (await import(script)) as {
      checkCorpus: (dir: string) => Array<{ file: string; dialect: string }>;
    };
    for (const row of checkCorpus(BUNDLED_CORPUS)) {
      expect(report, row.file).toContain(`| ${row.file} | ${row.dialect} |`);
    }
  });
});
