/**
 * The layers of src/, bottom to top: a module imports only from its own folder and the folders
 * below it (docs/architecture.md). src/index.ts, the public API, may import any layer but the CLI.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("../../src/", import.meta.url));

export const LAYERS = [
  "base",
  "grammar",
  "dialects",
  "init",
  "document",
  "rules",
  "report",
  "edit",
  "write",
  "initctl",
  "generate",
  "system",
  "archive",
  "inputs",
  "cli",
] as const;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : name.endsWith(".ts") ? [path] : [];
  });
}

/** The layer (top folder of src/) a file belongs to; "" for src/index.ts. */
function layerOf(file: string): string {
  const rel = relative(SRC, file);
  return rel.includes("/") ? rel.slice(0, rel.indexOf("/")) : "";
}

/** Every relative module a file imports or re-exports (static and dynamic). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)].map((m) => m[1]!);
  return specs.map((s) => resolve(dirname(file), s));
}

describe("layers", () => {
  const files = sources(SRC);

  it("every folder of src/ is a known layer, with an index.ts that says what it is for", () => {
    const folders = readdirSync(SRC).filter((n) => statSync(join(SRC, n)).isDirectory());
    expect(folders.filter((f) => !(LAYERS as readonly string[]).includes(f))).toEqual([]);
    for (const layer of folders) {
      const index = readFileSync(join(SRC, layer, "index.ts"), "utf8");
      expect(index.trimStart().startsWith("/**"), `${layer}/index.ts opens with what the layer is for`).toBe(true);
    }
  });

  it("no import runs back up a layer", () => {
    const wrong: string[] = [];
    for (const file of files) {
      const from = layerOf(file);
      const rank = from === "" ? LAYERS.indexOf("cli") - 0.5 : LAYERS.indexOf(from as (typeof LAYERS)[number]);
      for (const target of importsOf(file)) {
        const to = layerOf(target);
        if (to === "") {
          wrong.push(`${relative(SRC, file)} imports the public API (src/index.ts)`);
          continue;
        }
        const toRank = LAYERS.indexOf(to as (typeof LAYERS)[number]);
        if (toRank > rank)
          wrong.push(`${relative(SRC, file)} (${from || "index"}) imports ${relative(SRC, target)} (${to})`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("command modules do not import the CLI's entry point (which loads them)", () => {
    const wrong = files
      .filter((f) => relative(SRC, f).startsWith("cli/commands/"))
      .filter((f) => importsOf(f).some((t) => t.endsWith("/cli/main.js") || t.endsWith("/cli/main.ts")));
    expect(wrong.map((f) => relative(SRC, f))).toEqual([]);
  });
});
