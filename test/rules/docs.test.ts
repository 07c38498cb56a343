/** Every registered code has its docs page (docs/rules/<CODE>.md), and every page a code. */
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { helpUri, RULES } from "../../src/rules/index.js";

const DOCS = fileURLToPath(new URL("../../docs/rules/", import.meta.url));
const pages = readdirSync(DOCS).filter((n) => n.endsWith(".md") && n !== "README.md");

describe("rule docs", () => {
  it("every registered code has a page, and every page is a registered code", () => {
    const codes = RULES.map((r) => `${r.code}.md`).sort();
    expect(pages.sort()).toEqual(codes);
  });

  for (const rule of RULES) {
    it(`${rule.code}: heading, severity and the sections a reader needs`, () => {
      const text = readFileSync(join(DOCS, `${rule.code}.md`), "utf8");
      expect(text.startsWith(`# ${rule.code}: ${rule.title}\n`)).toBe(true);
      expect(text).toContain(`Severity: **${rule.severity}**`);
      for (const section of ["## What init does", "## Versions", "## Fix"]) expect(text).toContain(section);
      expect(helpUri(rule.code).endsWith(`/docs/rules/${rule.code}.md`)).toBe(true);
    });
  }

  it("the index lists every code", () => {
    const index = readFileSync(join(DOCS, "README.md"), "utf8");
    for (const rule of RULES) expect(index).toContain(`[${rule.code}](${rule.code}.md)`);
  });
});
