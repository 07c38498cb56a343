/** Running the documentation's examples and recipes: where they run, with what, and what they called. */
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { tempDir } from "../write/support.js";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const BIN = join(ROOT, "bin", "inittab.js");

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
    // A recipe (docs/integrations.md) runs in integrations.test.ts, with the arguments it is given.
    const recipe = k >= 0 ? /^<!-- recipe: (\S+) -->$/.exec(lines[k]!.trim()) : null;
    const lang = open[2]!;
    if (COMMAND.test(text) && ["", "sh", "bash", "console", "shell"].includes(lang)) {
      const skip = marker
        ? marker[1]!
        : recipe
          ? `recipe ${recipe[1]}, run by test/docs/integrations.test.ts`
          : undefined;
      out.push({ file, line: i + 1, lang, text, ...(skip !== undefined ? { skip } : {}) });
    }
    i = j;
  }
  return out;
}

/** A directory to run an example in: the samples, a rootfs for $(TARGET_DIR), an image for ${D}. */
export function workspace(): { dir: string; bin: string; log: string } {
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
    `#!/bin/sh\n"${process.execPath}" "${BIN}" "$@"\nstatus=$?\n` +
      `printf '%s %s\\n' "$status" "$*" >> "${log}"\nexit $status\n`,
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

export function shell(
  ws: ReturnType<typeof workspace>,
  script: string,
): { status: number | null; stdout: string; stderr: string } {
  const prologue = `TARGET_DIR() { printf '%s\\n' "$PWD/rootfs"; }\n`;
  const r = spawnSync("bash", ["-c", prologue + script], {
    cwd: ws.dir,
    encoding: "utf8",
    env: {
      ...process.env,
      ...RECIPE_ENV,
      D: join(ws.dir, "image"),
      PATH: `${ws.bin}:${process.env["PATH"]}`,
      NO_COLOR: "1",
    },
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function calls(ws: ReturnType<typeof workspace>): Array<{ status: number; args: string }> {
  return readFileSync(ws.log, "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => {
      const sp = l.indexOf(" ");
      return { status: Number(l.slice(0, sp)), args: l.slice(sp + 1) };
    });
}

/** A transcript: each `$ command` with the output lines shown after it. */
export function transcript(text: string): Array<{ command: string; output: string[] }> {
  const out: Array<{ command: string; output: string[] }> = [];
  for (const line of text.split("\n")) {
    if (line.startsWith("$ ")) out.push({ command: line.slice(2), output: [] });
    else if (out.length > 0 && line.trim() !== "") out[out.length - 1]!.output.push(line);
  }
  return out;
}
