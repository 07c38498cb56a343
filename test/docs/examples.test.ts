/**
 * Every example in README.md and docs/*.md that runs `inittab` runs here, as written, against a
 * copy of the bundled samples: a fenced block with a line that starts with `inittab` (or `$ inittab`)
 * is an example.
 *
 * - A block of shell lines runs in bash, in a fresh directory holding `samples/` (and, for the
 *   build-system recipes, `$(TARGET_DIR)` = a copy of samples/rootfs and `${D}` = an image whose
 *   etc/inittab is the Debian sample). Every `inittab` it calls must exit 0 or 1: 2 (unusable input or
 *   arguments) or a crash fails the example.
 * - A transcript (lines starting with `$ `, then the output) must print every line shown, in order
 *   (a transcript may leave lines out, never change them).
 * - `<!-- example: skip REASON -->` on the line before the fence marks an example that must not run
 *   here (it needs the running system's init, root, or a network); the reason is required.
 *   `<!-- recipe: NAME -->` marks a recipe of docs/integrations.md, which integrations.test.ts runs.
 */
import { afterAll, describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { removeTempDirs } from "../write/support.js";
import { calls, examplesOf, ROOT, shell, transcript, workspace } from "./support.js";

afterAll(removeTempDirs);

const FILES = [
  "README.md",
  ...readdirSync(join(ROOT, "docs"))
    .filter((n) => n.endsWith(".md"))
    .sort()
    .map((n) => `docs/${n}`),
];

const all = FILES.flatMap((f) => examplesOf(f, readFileSync(join(ROOT, f), "utf8")));

describe("the examples of README.md and docs/*.md", () => {
  it("finds the examples (README's among them)", () => {
    expect(all.filter((e) => e.file === "README.md").length).toBeGreaterThanOrEqual(4);
  });

  for (const example of all) {
    const name = `${example.file}:${example.line}`;
    if (example.skip !== undefined) {
      it.skip(`${name} (not run: ${example.skip})`, () => undefined);
      continue;
    }
    it(name, () => {
      const ws = workspace();
      if (example.text.split("\n").some((l) => l.startsWith("$ "))) {
        for (const step of transcript(example.text)) {
          const r = shell(ws, step.command);
          const got = r.stdout.split("\n");
          let at = 0;
          for (const want of step.output) {
            const found = got.indexOf(want, at);
            expect(
              found,
              `${name}: "${step.command}" should print:\n${want}\n--- it printed:\n${r.stdout}${r.stderr}`,
            ).toBeGreaterThanOrEqual(0);
            at = found + 1;
          }
        }
      } else {
        const r = shell(ws, example.text);
        const made = calls(ws);
        expect(made.length, `${name}: no inittab call ran\n${r.stderr}`).toBeGreaterThan(0);
        for (const c of made) expect(c.status, `${name}: inittab ${c.args}\n${r.stderr}`).toBeLessThanOrEqual(1);
      }
    });
  }
});

describe("what the README promises of the samples", () => {
  it("comment then uncomment of an entry gives the file back byte for byte", () => {
    const ws = workspace();
    const file = join(ws.dir, "samples", "debian-desktop.inittab");
    const before = readFileSync(file);
    const r = shell(
      ws,
      "inittab comment --file samples/debian-desktop.inittab 1 && " +
        "inittab uncomment --file samples/debian-desktop.inittab 1",
    );
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(file)).toEqual(before);
    expect(calls(ws).map((c) => c.status)).toEqual([0, 0]);
  });
});

describe("examplesOf", () => {
  it(
    "takes sh blocks and transcripts that run inittab, with their skip markers, and " +
      "nothing inside a longer fence",
    () => {
    const md = [
      "```sh",
      "inittab check x",
      "```",
      "<!-- example: skip needs a running init -->",
      "```sh",
      "inittab initctl send q",
      "```",
      "````md",
      "```sh",
      "inittab rm x",
      "```",
      "````",
      "```",
      "$ inittab ls",
      "ID",
      "```",
      "```ts",
      "inittab.check()",
      "```",
    ].join("\n");
    const found = examplesOf("x.md", md);
    expect(found.map((e) => [e.line, e.skip])).toEqual([
      [1, undefined],
      [5, "needs a running init"],
      [13, undefined],
    ]);
  });
});
