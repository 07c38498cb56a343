/**
 * Large input never crashes a command (docs/reliability.md): a single line of 8 MB in every
 * field and syntax, and 130,000 entries, through every command. No recursion or argument spread
 * may overflow the stack: each run ends with an answer (exit 0 or 1), never "internal error".
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { cli } from "../cli/in-process.js";
import { removeTempDirs, tempDir } from "../write/support.js";

afterAll(removeTempDirs);
afterEach(() => vi.restoreAllMocks());

const MB8 = 8 * 1024 * 1024;

function write(name: string, text: string): string {
  const path = join(tempDir("inittab-size-"), name);
  writeFileSync(path, text, "latin1");
  return path;
}

async function answers(args: string[]): Promise<void> {
  const r = await cli(...args);
  expect(r.stderr, args.join(" ").slice(0, 200)).not.toMatch(/internal error|Maximum call stack/);
  expect([0, 1], `${args.join(" ").slice(0, 200)}: exit ${r.status}: ${r.stderr.slice(0, 300)}`).toContain(r.status);
}

/** Every command on a sysvinit file, the edits as --diff (the write path is the same code). */
const SYSVINIT_COMMANDS = (f: string): string[][] => [
  ["parse", f],
  ["ls", f],
  ["ls", "--json", f],
  ["ls", "--matrix", f],
  ["check", f],
  ["check", "-f", "json", f],
  ["check", "-f", "sarif", f],
  ["check", "-f", "gnu", f],
  ["check", "--fix-dry-run", f],
  ["tmpfs", "--from", f],
  ["add", "zz:2:once:/bin/true", "-f", f, "--diff"],
  ["rm", "ab", "-f", f, "--diff", "--missing-ok"],
  ["comment", "ab", "-f", f, "--diff", "--missing-ok"],
  ["set", "ab", "--runlevels", "3", "-f", f, "--diff", "--missing-ok"],
  ["--allow-exec", "exec-shutdown", "--program", "/sbin/halt", "-f", f, "--diff"],
];

describe("a single line of 8 MB", () => {
  it("in the process, the id, a comment (with lone CRs) and after a NUL: every command answers", async () => {
    const head = "id:3:initdefault:\nl0:0:wait:/etc/init.d/rc 0\n";
    const files = [
      write("process.inittab", `${head}ab:2:once:/bin/echo ${"a".repeat(MB8)}\n`),
      write("id.inittab", `${head}${"b".repeat(MB8)}:2:once:/x\n`),
      write("comment.inittab", `${head}#${"c\r".repeat(MB8 / 2)}\nab:2:once:/x\n`),
      write("nul.inittab", `${head}ab:2:once:/x\0${"d\r".repeat(MB8 / 2)}\n`),
      write("nocolon.inittab", `${head}${"e:".repeat(MB8 / 2)}\n`),
    ];
    for (const args of SYSVINIT_COMMANDS(files[0]!)) await answers(args);
    for (const f of files.slice(1))
      for (const args of [
        ["parse", f],
        ["ls", f],
        ["check", f],
        ["add", "zz:2:once:/bin/true", "-f", f, "--diff"],
      ])
        await answers(args);
  });

  it("BusyBox: a line of 8 MB, and one of 500,000 continuations", async () => {
    const long = write(
      "bb.inittab",
      `::sysinit:/bin/echo ${"a".repeat(MB8)} # ${"#".repeat(1000)}\ntty1::respawn:/sbin/getty\n`,
    );
    // Within the line limit (524,288 physical lines at 16 MiB), one logical line.
    const joined = write(
      "bbjoin.inittab",
      `::sysinit:/bin/echo ${"xy\\\n".repeat(500_000)}\ntty1::respawn:/sbin/getty\n`,
    );
    for (const f of [long, joined]) {
      for (const args of [
        ["parse", f],
        ["ls", f],
        ["ls", "--matrix", f],
        ["check", f],
        ["comment", "--tty", "tty1", "-f", f, "--diff"],
      ]) {
        await answers(["-d", "busybox", ...args]);
      }
    }
  });
});

describe("130,000 entries", () => {
  it("sysvinit: every command answers", async () => {
    const lines = ["id:3:initdefault:"];
    for (let i = 0; i < 130_000; i++) lines.push(`${i.toString(36)}:2345:respawn:/sbin/getty 38400 tty${i}`);
    lines.push("ab:2:once:/x");
    const f = write("many.inittab", `${lines.join("\n")}\n`);
    for (const args of SYSVINIT_COMMANDS(f)) await answers(args);
  });

  it("BusyBox, without a single continuation: listing, checking and an edit answer", async () => {
    const lines: string[] = [];
    for (let i = 0; i < 130_000; i++) lines.push(`tty${i}::respawn:/sbin/getty 38400 tty${i}`);
    const f = write("many-bb.inittab", `${lines.join("\n")}\n`);
    for (const args of [
      ["ls", f],
      ["ls", "--json", f],
      ["check", f],
      ["comment", "--tty", "tty7", "-f", f, "--diff"],
    ]) {
      await answers(["-d", "busybox", ...args]);
    }
  });
});
