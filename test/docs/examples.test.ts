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
 */
import { afterAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { removeTempDirs, tempDir } from "../write/support.js";

afterAll(removeTempDirs);

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = join(ROOT, "bin", "inittab.js");
const FILES = ["README.md", ...readdirSync(join(ROOT, "docs")).filter((n) => n.endsWith(".md")).sort().map((n) => `docs/${n}`)];

export interface Example {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  text: string;
  skip?: string;
}

const COMMAND = /^\s*(?:\$ )?inittab\s/m;

/** The fenced blocks of a Markdown text that run `inittab` (a block inside a longer fence is not one). */
export function examplesOf(file: string, markdown: string): Example[] {
  const lines = markdown.split("\n");
  const out: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})(\S*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[1]!;
    let j = i + 1;
    const closing = new RegExp(`^\`{${fence.length},}\\s*$`);
    while (j < lines.length && !closing.test(lines[j]!)) j++;
    const text = lines.slice(i + 1, j).join("\n");
    let k = i - 1;
    while (k >= 0 && lines[k]!.trim() === "") k--;
    const marker = k >= 0 ? /^<!-- example: skip (.+?) -->$/.exec(lines[k]!.trim()) : null;
    const lang = open[2]!;
    if (COMMAND.test(text) && ["", "sh", "bash", "console", "shell"].includes(lang)) {
      out.push({ file, line: i + 1, lang, text, ...(marker ? { skip: marker[1]! } : {}) });
    }
    i = j;
  }
  return out;
}

/** A directory to run an example in: the samples, a rootfs for $(TARGET_DIR), an image for ${D}. */
function workspace(): { dir: string; bin: string; log: string } {
  const dir = tempDir("inittab-example-");
  cpSync(join(ROOT, "samples"), join(dir, "samples"), { recursive: true, verbatimSymlinks: true });
  cpSync(join(ROOT, "samples", "rootfs"), join(dir, "rootfs"), { recursive: true, verbatimSymlinks: true });
  // mkinitfs-style recipes edit etc/inittab of the image they run in.
  cpSync(join(ROOT, "samples", "rootfs", "etc"), join(dir, "etc"), { recursive: true, verbatimSymlinks: true });
  mkdirSync(join(dir, "image", "etc"), { recursive: true });
  cpSync(join(ROOT, "samples", "debian-desktop.inittab"), join(dir, "image", "etc", "inittab"));
  const bin = join(dir, ".bin");
  mkdirSync(bin);
  const log = join(dir, ".inittab-calls");
  writeFileSync(log, "");
  const wrapper = join(bin, "inittab");
  writeFileSync(
    wrapper,
    `#!/bin/sh\n"${process.execPath}" "${BIN}" "$@"\nstatus=$?\nprintf '%s %s\\n' "$status" "$*" >> "${log}"\nexit $status\n`,
  );
  chmodSync(wrapper, 0o755);
  return { dir, bin, log };
}

/** The variables the build-system recipes expect (Buildroot's make variables, Yocto's). */
const RECIPE_ENV = {
  D: "", // set per workspace
  sysconfdir: "/etc",
  base_bindir: "/bin",
  base_sbindir: "/sbin",
  SERIAL_CONSOLES: "115200;ttyS0 38400;ttyAMA0",
  speed: "115200",
  dev: "ttyS0",
  tty: "ttyS0",
  i: "1",
};

function shell(ws: ReturnType<typeof workspace>, script: string): { status: number | null; stdout: string; stderr: string } {
  const prologue = `TARGET_DIR() { printf '%s\\n' "$PWD/rootfs"; }\n`;
  const r = spawnSync("bash", ["-c", prologue + script], {
    cwd: ws.dir,
    encoding: "utf8",
    env: { ...process.env, ...RECIPE_ENV, D: join(ws.dir, "image"), PATH: `${ws.bin}:${process.env["PATH"]}`, NO_COLOR: "1" },
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function calls(ws: ReturnType<typeof workspace>): Array<{ status: number; args: string }> {
  return readFileSync(ws.log, "utf8").split("\n").filter((l) => l !== "").map((l) => {
    const sp = l.indexOf(" ");
    return { status: Number(l.slice(0, sp)), args: l.slice(sp + 1) };
  });
}

/** A transcript: each `$ command` with the output lines shown after it. */
function transcript(text: string): Array<{ command: string; output: string[] }> {
  const out: Array<{ command: string; output: string[] }> = [];
  for (const line of text.split("\n")) {
    if (line.startsWith("$ ")) out.push({ command: line.slice(2), output: [] });
    else if (out.length > 0 && line.trim() !== "") out[out.length - 1]!.output.push(line);
  }
  return out;
}

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
            expect(found, `${name}: "${step.command}" should print:\n${want}\n--- it printed:\n${r.stdout}${r.stderr}`).toBeGreaterThanOrEqual(0);
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
    const r = shell(ws, "inittab comment --file samples/debian-desktop.inittab 1 && inittab uncomment --file samples/debian-desktop.inittab 1");
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(file)).toEqual(before);
    expect(calls(ws).map((c) => c.status)).toEqual([0, 0]);
  });
});

describe("examplesOf", () => {
  it("takes sh blocks and transcripts that run inittab, with their skip markers, and nothing inside a longer fence", () => {
    const md = [
      "```sh", "inittab check x", "```",
      "<!-- example: skip needs a running init -->", "```sh", "inittab initctl send q", "```",
      "````md", "```sh", "inittab rm x", "```", "````",
      "```", "$ inittab ls", "ID", "```",
      "```ts", "inittab.check()", "```",
    ].join("\n");
    const found = examplesOf("x.md", md);
    expect(found.map((e) => [e.line, e.skip])).toEqual([[1, undefined], [5, "needs a running init"], [13, undefined]]);
  });
});
