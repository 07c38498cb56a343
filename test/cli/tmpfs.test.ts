import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../initctl/cli-harness.js";

const LIVE = [
  "id:2:initdefault:",
  "si::sysinit:/etc/init.d/rcS",
  "l0:0:wait:/etc/init.d/rc 0",
  "l2:2:wait:/etc/init.d/rc 2",
  "l6:6:wait:/etc/init.d/rc 6",
  "1:2345:respawn:/sbin/getty 38400 tty1",
  "",
].join("\n");

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "inittab-tmpfs-cli-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function entryLines(out: Buffer): string[] {
  return out
    .toString("latin1")
    .split("\n")
    .filter((l) => l !== "" && !l.startsWith("#"));
}

describe("inittab tmpfs", () => {
  it("--root gives the same bytes wherever the image is unpacked (the header names /etc/inittab)", async () => {
    const outputs: Buffer[] = [];
    for (const where of ["one", "two/deeper"]) {
      const root = join(dir, where);
      mkdirSync(join(root, "etc"), { recursive: true });
      writeFileSync(join(root, "etc", "inittab"), LIVE);
      const r = await runCli(["--root", root, "tmpfs"]);
      expect(r.code).toBe(0);
      expect(r.stdout.toString("latin1")).toContain("# Derived from /etc/inittab by `inittab tmpfs --runlevel 0`.");
      expect(r.stdout.toString("latin1")).not.toContain(dir);
      outputs.push(r.stdout);
    }
    expect(outputs[0]!.equals(outputs[1]!)).toBe(true);
  });

  it("prints the dummy for --from FILE, and says what it kept", async () => {
    const live = join(dir, "inittab");
    writeFileSync(live, LIVE);
    const r = await runCli(["tmpfs", "--from", live]);
    expect(r.code).toBe(0);
    expect(entryLines(r.stdout)).toEqual(["id:7:initdefault:", "su:S:off:", "l0:0:wait:/etc/init.d/rc 0"]);
    expect(r.stderr).toMatch(/kept l0 \(wait, line 3\)/);
  });

  it("--runlevel 6 keeps the reboot rc entry", async () => {
    const live = join(dir, "inittab");
    writeFileSync(live, LIVE);
    const r = await runCli(["tmpfs", "--from", live, "--runlevel", "6"]);
    expect(entryLines(r.stdout)).toContain("l6:6:wait:/etc/init.d/rc 6");
    expect(entryLines(r.stdout).join("\n")).not.toMatch(/^l0:/m);
  });

  it("reads DIR/etc/inittab under --root, and its inittab.d", async () => {
    mkdirSync(join(dir, "etc/inittab.d"), { recursive: true });
    writeFileSync(join(dir, "etc/inittab"), LIVE);
    // inittab.d entries come after the main file's: this is the last wait entry of runlevel 0.
    writeFileSync(join(dir, "etc/inittab.d/late.tab"), "# the final shutdown step\nlh:0:wait:/sbin/late-halt\n");
    const r = await runCli(["--root", dir, "tmpfs"]);
    expect(r.code).toBe(0);
    expect(entryLines(r.stdout)).toEqual(["id:7:initdefault:", "su:S:off:", "lh:0:wait:/sbin/late-halt"]);
    expect(r.stderr).toMatch(/late\.tab line 2/);
  });

  it("--keep names the entry that runs the pivot; a wrong one is refused (exit 1)", async () => {
    const live = join(dir, "inittab");
    writeFileSync(live, "l0u:0:wait:/sbin/telinit u\nl0:0:wait:/sbin/openrc shutdown\nl0s:0:wait:/sbin/halt.sh\n");
    const last = await runCli(["tmpfs", "--from", live]);
    expect(entryLines(last.stdout)).toContain("l0s:0:wait:/sbin/halt.sh");
    const keep = await runCli(["tmpfs", "--from", live, "--keep", "l0"]);
    expect(keep.code).toBe(0);
    expect(entryLines(keep.stdout)).toEqual(["id:7:initdefault:", "su:S:off:", "l0:0:wait:/sbin/openrc shutdown"]);
    const bad = await runCli(["tmpfs", "--from", live, "--keep", "nope"]);
    expect(bad.code).toBe(1);
    expect(bad.stdout.length).toBe(0);
  });

  it("writes -o OUT", async () => {
    const live = join(dir, "inittab");
    writeFileSync(live, LIVE);
    const out = join(dir, "dummy");
    const r = await runCli(["tmpfs", "--from", live, "-o", out]);
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBe(0);
    expect(entryLines(readFileSync(out))).toEqual(["id:7:initdefault:", "su:S:off:", "l0:0:wait:/etc/init.d/rc 0"]);
  });

  it("refuses to write over something that is not a regular file", async () => {
    const live = join(dir, "inittab");
    writeFileSync(live, LIVE);
    const fifo = join(dir, "fifo");
    execFileSync("mkfifo", [fifo]);
    const r = await runCli(["tmpfs", "--from", live, "-o", fifo]);
    expect(r.code).toBe(2);
    expect(statSync(fifo).isFIFO()).toBe(true);
  });

  it("refuses (exit 1) a file with nothing in the level, and BusyBox", async () => {
    const none = join(dir, "none");
    writeFileSync(none, "id:3:initdefault:\n1:2345:respawn:/sbin/getty tty1\n");
    const a = await runCli(["tmpfs", "--from", none]);
    expect(a.code).toBe(1);
    expect(a.stdout.length).toBe(0);
    expect(a.stderr.trim().split("\n")).toHaveLength(1);
    const bb = join(dir, "bb");
    writeFileSync(bb, "::sysinit:/etc/init.d/rcS\ntty1::respawn:/sbin/getty 38400 tty1\n::restart:/sbin/init\n");
    const b = await runCli(["tmpfs", "--from", bb]);
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/restart/);
  });

  it("a missing file is a one-line error naming it, exit 2", async () => {
    const r = await runCli(["tmpfs", "--from", join(dir, "absent")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/absent: no such file/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("rejects a runlevel other than 0 or 6", async () => {
    const live = join(dir, "inittab");
    writeFileSync(live, LIVE);
    expect((await runCli(["tmpfs", "--from", live, "--runlevel", "3"])).code).toBe(2);
  });
});
