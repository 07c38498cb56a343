/**
 * The version comparison's shortcut: a set that holds nothing a version decides (no long line,
 * no NUL, a final newline, no "@", no inittab.d, no shell form) is checked once, and its findings
 * are said to hold in every version. This checks the claim the slow way, with every sysvinit
 * table, on the real inittabs and on variants of them that do hold what versions decide.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "../../src/document/index.js";
import { SYSVINIT_TABLES } from "../../src/dialects/index.js";
import { checkSet, type CheckOptions, type InittabSet } from "../../src/rules/index.js";
import { versionsCanDiffer } from "../../src/rules/versions.js";
import { corpus } from "../support/corpus.js";

const ASSUMED = SYSVINIT_TABLES.find((t) => t.name === "sysvinit@3.14")!;

function setOf(text: string, dialect: string, tabs: string[] = []): InittabSet {
  return {
    main: { path: "/etc/inittab", doc: parse(text, { dialect }) },
    tabs: tabs.map((t, i) => ({ path: `/etc/inittab.d/${i}.tab`, doc: parse(t, { dialect }) })),
  };
}

/** The findings of the set read with each table, compared as compareVersions compares them. */
function findingsByTable(text: string, tabs: string[], options: CheckOptions): string[] {
  return SYSVINIT_TABLES.map((t) =>
    checkSet(setOf(text, t.name, tabs), options)
      .flatMap((r) => r.diagnostics.map((d) => `${r.path} ${d.code} ${d.start} ${d.end} ${d.severity} ${d.dropped}`))
      .sort()
      .join("\n"),
  );
}

/** The real file, and variants that each hold one thing a version decides. */
function variants(text: string): Array<{ text: string; tabs: string[] }> {
  const body = text.endsWith("\n") ? text : `${text}\n`;
  return [
    { text, tabs: [] },
    { text: body.slice(0, -1), tabs: [] },
    { text: `${body}lg:2:once:/bin/echo ${"x".repeat(140)}\n`, tabs: [] },
    { text: `${body}ll:2:once:/bin/echo ${"y".repeat(300)}\n`, tabs: [] },
    { text: `${body}nu:2:once:/bin/true\0tail\n`, tabs: [] },
    { text: `${body}at:2:once:@/bin/true\n`, tabs: [] },
    { text: `${body}sh:2:once:/bin/true; /bin/false\n`, tabs: [] },
    { text: body, tabs: ["t1:2:once:/bin/true\n"] },
  ];
}

describe("the version shortcut", () => {
  it("whenever it says no version can differ, every sysvinit table finds the same", () => {
    const files = corpus().filter((f) => f.family === "sysvinit");
    let skipped = 0;
    let differed = 0;
    for (const f of files) {
      for (const v of variants(readFileSync(f.path, "latin1"))) {
        for (const options of [{}, { allowExec: true }] as CheckOptions[]) {
          const set = setOf(v.text, ASSUMED.name, v.tabs);
          const byTable = findingsByTable(v.text, v.tabs, options);
          const same = byTable.every((b) => b === byTable[0]);
          if (!versionsCanDiffer(set, ASSUMED, SYSVINIT_TABLES, options)) {
            skipped++;
            expect(same, `${f.name}: the shortcut skipped a file whose findings differ by version`).toBe(true);
          } else if (!same) differed++;
        }
      }
    }
    // Neither side is empty: the shortcut is taken, and the variants do differ by version.
    expect(skipped).toBeGreaterThan(0);
    expect(differed).toBeGreaterThan(0);
  });
});
