/**
 * No raw control byte from input or arguments reaches a terminal (docs/reliability.md): every
 * command and error path, run as if on a terminal, with hostile bytes in the file's contents,
 * in file names and in arguments. Only newlines may come out raw.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { removeTempDirs, tempDir } from "../write/support.js";
import { HOSTILE, HOSTILE_ARG, onTerminal, rawControls } from "./support.js";

afterAll(removeTempDirs);
afterEach(() => vi.restoreAllMocks());

const bin = (s: string): Buffer => Buffer.from(s, "latin1");

/** A sysvinit file with hostile bytes in every field and in comments, and invalid UTF-8. */
const SYSV = bin(
  `# ${HOSTILE}\nid:3:initdefault:\nl0:0:wait:/etc/init.d/rc 0\n` +
    `x${HOSTILE.slice(0, 2)}:2${HOSTILE}:respawn:/sbin/getty ${HOSTILE}\n` +
    `ab:2:once${HOSTILE}:/bin/true\ncd:2:once:/bin/echo \xff\xfe ${HOSTILE}\n` +
    `#c${HOSTILE.slice(0, 1)}:2:once:/bin/x ${HOSTILE}\nzz:2:wait:/bin/a\x00${HOSTILE}\n`,
);
/** A BusyBox file with the same. */
const BB = bin(
  `::sysinit:/etc/init.d/rcS ${HOSTILE}\ntty${HOSTILE}::respawn:/sbin/getty # ${HOSTILE}\nttyS0::askfirst:-/bin/sh\n`,
);

function files(): { dir: string; sysv: string; bb: string; named: string } {
  const dir = tempDir("inittab-hostile-");
  const sysv = join(dir, "inittab");
  writeFileSync(sysv, SYSV);
  const bb = join(dir, "bb.inittab");
  writeFileSync(bb, BB);
  // A file whose name is hostile too.
  const sub = join(dir, `d${HOSTILE_ARG}`);
  mkdirSync(sub);
  const named = join(sub, `i${HOSTILE_ARG}.inittab`);
  writeFileSync(named, SYSV);
  return { dir, sysv, bb, named };
}

async function clean(args: string[]): Promise<void> {
  const r = await onTerminal(...args);
  const controls = rawControls(r.stdout + r.stderr);
  expect(
    controls,
    `${JSON.stringify(args)} (exit ${r.status}):\n${JSON.stringify(r.stdout + r.stderr).slice(0, 600)}`,
  ).toEqual([]);
  expect(r.stderr, JSON.stringify(args)).not.toMatch(/internal error/);
}

describe("hostile bytes in the contents", () => {
  it("every reading command, every format", async () => {
    const f = files();
    for (const file of [f.sysv, f.named]) {
      for (const args of [
        ["parse", file],
        ["ls", file],
        ["ls", "--json", file],
        ["ls", "--matrix", file],
        ["check", file],
        ["check", "-f", "json", file],
        ["check", "-f", "sarif", file],
        ["check", "-f", "gnu", file],
        ["check", "-f", "github", file],
        ["check", "--fix-dry-run", file],
        ["check", "--list-rules"],
        ["tmpfs", "--from", file],
        ["--allow-exec", "exec-shutdown", "--program", "/sbin/halt", "-f", file, "--diff"],
        ["--allow-exec", "exec-shutdown", "--program", "/sbin/halt", "-f", file, "--check"],
      ])
        await clean(args);
    }
    for (const args of [
      ["-d", "busybox", "parse", f.bb],
      ["-d", "busybox", "ls", f.bb],
      ["-d", "busybox", "check", f.bb],
      ["-d", "busybox", "ls", "--matrix", f.bb],
    ]) {
      await clean(args);
    }
  });

  it("every edit command: --diff, --check, and real writes with their messages", async () => {
    const f = files();
    for (const file of [f.sysv, f.named]) {
      for (const extra of [["--diff"], ["--check"], []]) {
        for (const args of [
          ["add", "n1:2:once:/bin/true", "--force"],
          ["rm", "ab"],
          ["set", "cd", "--runlevels", "3"],
          ["comment", "l0"],
          ["uncomment", "--match", "/bin/x"],
          ["add", `x${HOSTILE_ARG.slice(0, 2)}:2:once:/y`],
          ["rm", "--match", "getty"],
        ])
          await clean([...args, "-f", file, ...extra]);
      }
    }
    await clean(["-d", "busybox", "comment", "--tty", "ttyS0", "-f", f.bb]);
    await clean(["-d", "busybox", "add", "ttyS1::respawn:/sbin/getty", "-f", f.bb, "--diff"]);
  });
});

describe("hostile bytes in arguments and file names", () => {
  it("error paths echo what they were given escaped", async () => {
    const f = files();
    const missing = join(f.dir, `none${HOSTILE_ARG}`);
    for (const args of [
      ["-d", HOSTILE_ARG, "ls", f.sysv], // commander: invalid choice
      [`--x${HOSTILE_ARG}`, "ls"], // commander: unknown option
      [`ls${HOSTILE_ARG}`], // commander: unknown command (with a suggestion)
      ["ls", `--${HOSTILE_ARG}`, f.sysv],
      ["ls", missing],
      ["check", missing],
      ["parse", missing],
      ["add", "a:2:once:/x", "-f", missing],
      ["ls", f.dir],
      ["add", "a:2:once:/x", "-f", f.dir],
      ["add", `a${HOSTILE_ARG}`, "-f", f.sysv],
      ["add", `a:2:${HOSTILE_ARG}:/x`, "-f", f.sysv],
      ["rm", `q${HOSTILE_ARG}`, "-f", f.sysv],
      ["set", `q${HOSTILE_ARG}`, "--action", "once", "-f", f.sysv],
      ["comment", "--match", HOSTILE_ARG, "-f", f.sysv],
      ["uncomment", HOSTILE_ARG, "-f", f.sysv],
      ["-d", "busybox", "rm", "--tty", HOSTILE_ARG, "-f", f.bb],
      ["set", "l0", "--process", `/x${HOSTILE_ARG}`, "-f", f.sysv],
      ["--max-size", HOSTILE_ARG, "ls", f.sysv],
      ["add", "a:2:once:/x", "-f", f.sysv, "--lock-timeout", HOSTILE_ARG],
      ["rm", "--line", HOSTILE_ARG, "-f", f.sysv],
      ["add", "a:2:once:/x", "-f", f.sysv, `--backup=${HOSTILE_ARG}`],
      ["add", "a:2:once:/x", "-f", f.sysv, "--validate", `/nonexistent/${HOSTILE_ARG} %s`],
      ["add", "a:2:once:/x", "-f", f.sysv, "--validate", `sh -c "echo '${HOSTILE_ARG}' >&2; exit 1" %s`],
      ["--root", join(f.dir, HOSTILE_ARG), "check"],
      ["--root", f.dir, "ls", `/etc/${HOSTILE_ARG}`],
      ["check", "--max-warnings", HOSTILE_ARG, f.sysv],
      ["check", "--stdin-filename", HOSTILE_ARG, f.named],
      ["tmpfs", "--from", f.sysv, "--keep", HOSTILE_ARG],
      ["tmpfs", "--from", f.sysv, "--runlevel", HOSTILE_ARG],
      ["exec-shutdown", "--program", `/x${HOSTILE_ARG}`, "-f", f.sysv, "--diff"],
      ["initctl", "encode", HOSTILE_ARG],
      ["initctl", "encode", "-e", `INIT_${HOSTILE_ARG}=1`],
      ["initctl", "decode", missing],
      ["initctl", "decode", f.sysv],
      ["initctl", "send", "q", "--fifo", missing],
      ["help", HOSTILE_ARG],
    ])
      await clean(args);
  });
});
