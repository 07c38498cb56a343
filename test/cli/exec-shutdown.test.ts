import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../initctl/cli-harness.js";

const LIVE = [
  "id:2:initdefault:",
  "si::sysinit:/etc/init.d/rcS",
  "l0:0:wait:/etc/init.d/rc 0",
  "l6:6:wait:/etc/init.d/rc 6",
  "1:2345:respawn:/sbin/getty 38400 tty1",
  "",
].join("\n");
const ENTRY = "l0u:0:exec:/lib/deinitramfs/deinit /sbin/halt -dhp";
const ARGS = ["--program", "/lib/deinitramfs/deinit", "--", "/sbin/halt", "-dhp"];

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "inittab-exec-cli-"));
  file = join(dir, "inittab");
  writeFileSync(file, LIVE);
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("inittab exec-shutdown", () => {
  it("refuses stock sysvinit without --allow-exec (exit 1), file untouched", async () => {
    const r = await runCli(["exec-shutdown", "-f", file, ...ARGS]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/exec: unknown action field/);
    expect(r.stderr).toMatch(/--allow-exec/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(readFileSync(file, "latin1")).toBe(LIVE);
  });

  it("with --allow-exec adds the entry after l0, then says unchanged", async () => {
    const r = await runCli(["--allow-exec", "exec-shutdown", "-f", file, ...ARGS]);
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toMatch(/added/);
    // Not the running system's /etc/inittab: no "run telinit q" hint.
    expect(r.stdout.toString()).not.toMatch(/telinit q/);
    const lines = readFileSync(file, "latin1").split("\n");
    expect(lines[lines.indexOf("l0:0:wait:/etc/init.d/rc 0") + 1]).toBe(ENTRY);
    const mtime = statSync(file).mtimeMs;
    const again = await runCli(["--allow-exec", "exec-shutdown", "-f", file, ...ARGS]);
    expect(again.code).toBe(0);
    expect(again.stdout.toString()).toMatch(/unchanged/);
    expect(statSync(file).mtimeMs).toBe(mtime);
  });

  it("--runlevel 6 goes after l6", async () => {
    const r = await runCli(["--allow-exec", "exec-shutdown", "-f", file, "--runlevel", "6", ...ARGS]);
    expect(r.code).toBe(0);
    const lines = readFileSync(file, "latin1").split("\n");
    expect(lines[lines.indexOf("l6:6:wait:/etc/init.d/rc 6") + 1]).toBe(
      "l6u:6:exec:/lib/deinitramfs/deinit /sbin/halt -dhp",
    );
  });

  it("picks another id when l0u is taken", async () => {
    writeFileSync(file, `l0u:0:wait:/sbin/telinit u\n${LIVE}`);
    const r = await runCli(["--allow-exec", "exec-shutdown", "-f", file, ...ARGS]);
    expect(r.code).toBe(0);
    const text = readFileSync(file, "latin1");
    expect(text).toMatch(/^l0x:0:exec:\/lib\/deinitramfs\/deinit \/sbin\/halt -dhp$/m);
  });

  it("--diff prints the change and writes nothing; --check exits 1 until the entry is there", async () => {
    const d = await runCli(["--allow-exec", "exec-shutdown", "-f", file, "--diff", ...ARGS]);
    expect(d.code).toBe(0);
    expect(d.stdout.toString()).toMatch(new RegExp(`^\\+${ENTRY}$`, "m"));
    expect(readFileSync(file, "latin1")).toBe(LIVE);
    const c = await runCli(["--allow-exec", "exec-shutdown", "-f", file, "--check", ...ARGS]);
    expect(c.code).toBe(1);
    expect(readFileSync(file, "latin1")).toBe(LIVE);
    await runCli(["--allow-exec", "exec-shutdown", "-f", file, ...ARGS]);
    const c2 = await runCli(["--allow-exec", "exec-shutdown", "-f", file, "--check", ...ARGS]);
    expect(c2.code).toBe(0);
  });

  it("uses DIR/etc/inittab under --root, and the gate checks the program inside the image", async () => {
    mkdirSync(join(dir, "etc"));
    writeFileSync(join(dir, "etc/inittab"), LIVE);
    const missing = await runCli(["--root", dir, "--allow-exec", "exec-shutdown", ...ARGS]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/RT001.*deinit/);
    expect(readFileSync(join(dir, "etc/inittab"), "latin1")).toBe(LIVE);
    mkdirSync(join(dir, "lib/deinitramfs"), { recursive: true });
    writeFileSync(join(dir, "lib/deinitramfs/deinit"), "#!/bin/sh\n", { mode: 0o755 });
    const r = await runCli(["--root", dir, "--allow-exec", "exec-shutdown", ...ARGS]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, "etc/inittab"), "latin1")).toContain(ENTRY);
  });

  it("refuses BusyBox (exit 1) and points to restart", async () => {
    writeFileSync(file, "::sysinit:/etc/init.d/rcS\ntty1::respawn:/sbin/getty 38400 tty1\n");
    const r = await runCli(["--allow-exec", "exec-shutdown", "-f", file, ...ARGS]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/restart/);
  });

  it("usage errors exit 2: relative program, missing --program, bad runlevel, missing file", async () => {
    for (const argv of [
      ["--allow-exec", "exec-shutdown", "-f", file, "--program", "deinit"],
      ["--allow-exec", "exec-shutdown", "-f", file],
      ["--allow-exec", "exec-shutdown", "-f", file, "--runlevel", "3", ...ARGS],
      ["--allow-exec", "exec-shutdown", "-f", join(dir, "absent"), ...ARGS],
    ]) {
      const r = await runCli(argv);
      expect(r.code, argv.join(" ")).toBe(2);
    }
    expect(readFileSync(file, "latin1")).toBe(LIVE);
  });
});

describe("inittab exec-shutdown --diff (review regressions)", () => {
  it("writes the file's exact bytes when piped (patch applies), and its status to stderr", async () => {
    // Invalid UTF-8 and an escape byte within the diff's context: escaped, the patch would not apply.
    const raw = Buffer.from(LIVE.replace("l0:0:wait", "# caf\xe9 \x1b\nl0:0:wait"), "latin1");
    writeFileSync(file, raw);
    const r = await runCli(["--allow-exec", "exec-shutdown", "-f", file, "--diff", ...ARGS]);
    expect(r.code).toBe(0);
    expect(r.stdout.includes(Buffer.from(" # caf\xe9 \x1b\n", "latin1"))).toBe(true);
    const tree = join(dir, "tree");
    mkdirSync(tree);
    writeFileSync(join(tree, "inittab"), raw);
    writeFileSync(join(dir, "p.diff"), r.stdout);
    const label = file.slice(1);
    expect(r.stdout.toString("latin1").startsWith(`--- a/${label}\n`)).toBe(true);
    // Apply it to the copy, stripping the directories the label names.
    const strip = label.split("/").length;
    const p = spawnSync("patch", [`-p${strip}`, "-i", join(dir, "p.diff")], { cwd: tree, encoding: "utf8" });
    expect(p.status, p.stdout + p.stderr).toBe(0);
    await runCli(["--allow-exec", "exec-shutdown", "-f", file, ...ARGS]);
    expect(readFileSync(join(tree, "inittab"))).toEqual(readFileSync(file));
    // On a terminal the same diff is escaped.
    writeFileSync(file, raw);
    const tty = await runCli(["--allow-exec", "exec-shutdown", "-f", file, "--diff", ...ARGS], { stdoutIsTTY: true });
    expect(tty.stdout.toString("utf8")).toContain(" # caf\\xe9 \\x1b\n");
    // Already there: the patch (stdout) is empty, the status is on stderr.
    await runCli(["--allow-exec", "exec-shutdown", "-f", file, ...ARGS]);
    const same = await runCli(["--allow-exec", "exec-shutdown", "-f", file, "--diff", ...ARGS]);
    expect(same.code).toBe(0);
    expect(same.stdout.length).toBe(0);
    expect(same.stderr).toMatch(/unchanged \(line \d+ is already this exec entry\)/);
  });

  it("a FIFO as the file is refused at once (exit 2), not read", async () => {
    const fifo = join(dir, "fifo");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    const r = await runCli(["--allow-exec", "exec-shutdown", "-f", fifo, ...ARGS]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/fifo: is not a regular file/);
    expect(statSync(fifo).isFIFO()).toBe(true);
  });
});
