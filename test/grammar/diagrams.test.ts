/**
 * docs/grammar/diagrams.html is what `npm run diagrams` makes from the current parser, and it loads
 * nothing from the network.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { diagramsHtml } from "../../src/grammar/diagrams.js";
import { parserInstance } from "../../src/grammar/index.js";

const checkedIn = readFileSync(fileURLToPath(new URL("../../docs/grammar/diagrams.html", import.meta.url)), "utf8");
const fresh = diagramsHtml();

describe("docs/grammar/diagrams.html", () => {
  it("is up to date (run `npm run build && npm run diagrams` after changing the parser)", () => {
    expect(checkedIn === fresh).toBe(true);
  });

  it("draws every parser rule", () => {
    const grammar = JSON.parse(/window\.serializedGrammar = (\[[\s\S]*?\]);\n<\/script>/.exec(fresh)![1]!) as {
      name: string;
    }[];
    expect(grammar.map((r) => r.name)).toEqual(
      parserInstance()
        .getSerializedGastProductions()
        .map((r) => (r as unknown as { name: string }).name),
    );
  });

  it("carries its scripts and styles inline and references nothing on the network", () => {
    for (const html of [checkedIn, fresh]) {
      // No element loads anything: no src or href attribute at all, no stylesheet link.
      expect(html).not.toMatch(/\s(?:src|href|xlink:href)\s*=/i);
      expect(html).not.toMatch(/<link\b/i);
      // No CSS fetch either.
      expect(html).not.toMatch(/url\(\s*['"]?(?:https?:)?\/\//i);
      expect(html).not.toMatch(/@import/i);
      // The railroad library and the drawing code are there.
      expect(html).toContain("railroad");
      expect(html).toContain("drawDiagramsFromSerializedGrammar");
      expect((html.match(/<script>/g) ?? []).length).toBe(6);
    }
  });
});
