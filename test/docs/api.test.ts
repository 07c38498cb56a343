/**
 * docs/api.md: every `js` example runs as written against the built package, imported by its
 * name ("inittab" resolves to this package from inside it), and its own assertions hold.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
// Inside the package (not under node_modules), so that `import "inittab"` is a self-reference.
const WORK = join(ROOT, ".cache", "api-examples");

function examples(markdown: string): Array<{ title: string; code: string }> {
  const out: Array<{ title: string; code: string }> = [];
  let title = "";
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith("## ")) title = line.slice(3);
    if (line === "```js") {
      const body: string[] = [];
      for (i++; i < lines.length && lines[i] !== "```"; i++) body.push(lines[i]!);
      out.push({ title, code: `${body.join("\n")}\n` });
    }
  }
  return out;
}

afterAll(() => rmSync(WORK, { recursive: true, force: true }));

describe("docs/api.md", () => {
  const all = examples(readFileSync(join(ROOT, "docs", "api.md"), "utf8"));

  it("has examples", () => {
    expect(all.length).toBeGreaterThanOrEqual(6);
  });

  it.each(all.map((e, i) => [e.title, i, e.code] as const))("%s", (_title, i, code) => {
    mkdirSync(WORK, { recursive: true });
    const file = join(WORK, `example-${i}.mjs`);
    writeFileSync(file, code);
    const r = spawnSync(process.execPath, [file], { cwd: ROOT, encoding: "utf8", timeout: 30_000 });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});
