/**
 * `inittab plan` and the write commands' `--plan` and `--reload` output: exit statuses (0
 * nothing stopped, 1 something stopped, 2 unusable input), text and JSON, and that --plan
 * writes nothing. The plans themselves are checked against the real inits in
 * test/conformance/reload.test.ts; here PID 1 is never read (it is not an init of ours here,
 * or --root / --no-live keep it out).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli } from "./in-process.js";
import { removeTempDirs, runCli, tempDir } from "../write/support.js";

afterAll(removeTempDirs);

const OLD =
  "id:2:initdefault:\nT0:23:respawn:/sbin/getty -L ttyS0 9600 vt100\n" +
  "1:2345:respawn:/sbin/getty 38400 tty1\nl2:2:wait:/etc/init.d/rc 2\nl0:0:wait:/etc/init.d/rc 0\n";
const GETTY_T0 = new RegExp(
  "^stop {3}line 2 {2}T0:23:respawn:/sbin/getty -L ttyS0 9600 vt100\\n {7}its action changes from respawn to off",
  "m",
);
const BB = "::sysinit:/etc/init.d/rcS\ntty1::respawn:/sbin/getty 38400 tty1\n::once:/sbin/syslogd\n";

function files(old: string, next?: string): { dir: string; old: string; next: string } {
  const dir = tempDir("inittab-plan-");
  writeFileSync(join(dir, "old"), old);
  writeFileSync(join(dir, "new"), next ?? old);
  return { dir, old: join(dir, "old"), next: join(dir, "new") };
}

describe("inittab plan", () => {
  it("stops: exit 1, each stop with its reason; nothing stopped: exit 0", async () => {
    const next = OLD.replace("T0:23:respawn", "T0:23:off").replace("1:2345:", "1:3:");
    const f = files(OLD, `${next}T1:2:respawn:/sbin/getty ttyS1\n`);
    const r = await cli("plan", "--no-live", "--from", f.old, f.next);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^re-read \(telinit q\): .*old → .*new; sysvinit@3\.14, runlevel 2 /);
    expect(r.stdout).toMatch(/, runlevel 2 \(the initdefault of the file init runs\)\n/);
    expect(r.stdout).toMatch(GETTY_T0);
    expect(r.stdout).toMatch(/^start {2}line 6 {2}T1:2:respawn:\/sbin\/getty ttyS1\n/m);
    expect(r.stdout).toMatch(/^keep {3}line 3 {2}1:3:respawn:.*\n.*not started again when it exits/m);
    expect(r.stdout).toMatch(/^1 to stop, 1 to start, 1 kept running with a changed entry\n$/m);
    const only = await cli("plan", "--no-live", "--from", f.old, f.old);
    expect(only.status).toBe(0);
    expect(only.stdout).toMatch(/nothing is stopped or started\n$/);
  });

  it("--runlevel decides what runs now; --grace is the TERM-to-KILL delay", async () => {
    const f = files(OLD, OLD.replace("1:2345:", "x1:2345:"));
    const in2 = await cli("plan", "--no-live", "--from", f.old, f.next, "--grace", "7");
    expect(in2.status).toBe(1);
    expect(in2.stdout).toMatch(/no entry has the id "1" any more: .* after 7 s/);
    // In runlevel 0 the getty never ran; the renamed entry is not started there either.
    const in0 = await cli("plan", "--no-live", "--from", f.old, f.next, "--runlevel", "0");
    expect(in0.status).toBe(0);
    expect(in0.stdout).toMatch(/runlevel 0 \(given\)/);
  });

  it("--json: entries, reasons, signals and the summary", async () => {
    const f = files(OLD, OLD.replace("T0:23:respawn", "T0:23:once"));
    const r = await cli("plan", "--no-live", "--json", "--from", f.old, f.next);
    expect(r.status).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({
      dialect: "sysvinit@3.14",
      runlevel: "2",
      reread: "telinit q",
      graceSeconds: 3,
      processes: null,
      summary: { stop: 1, start: 1, keep: 0 },
    });
    expect(json.stop[0]).toMatchObject({
      entry: { line: 2, id: "T0", runlevels: "23", action: "respawn" },
      reason: "action-changed",
      signals: ["TERM", "KILL"],
      ifRunning: false,
      pids: [],
      replacement: { action: "once" },
    });
    const started = { entry: { id: "T0", action: "once" }, reason: "action-changed", waited: false };
    expect(json.start[0]).toMatchObject(started);
  });

  it("BusyBox: a removed respawn line is stopped unless the build keeps it (--kill-removed no)", async () => {
    const f = files(BB, BB.replace("tty1::respawn:/sbin/getty 38400 tty1\n", "") + "::wait:/etc/rc.extra\n");
    const r = await cli("-d", "busybox", "plan", "--no-live", "--from", f.old, f.next);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^stop {3}line 2 {2}tty1::respawn:.*\n.*TERM to the process \(this build sends no KILL/m);
    expect(r.stdout).toMatch(/^idle {3}line 3 {2}::wait:\/etc\/rc\.extra\n.*a re-read never does/m);
    const kept = await cli("-d", "busybox", "plan", "--no-live", "--kill-removed", "no", "--from", f.old, f.next);
    expect(kept.status).toBe(0);
    expect(kept.stdout).toMatch(/^keep {3}line 2 {2}tty1::respawn:.*\n.*without FEATURE_KILL_REMOVED/m);
  });

  it("NEW defaults to /etc/inittab under --root when --from names OLD; no live system is read there", async () => {
    const root = tempDir("inittab-plan-root-");
    spawnSync("mkdir", ["-p", join(root, "etc")]);
    writeFileSync(join(root, "etc/inittab"), OLD.replace("l2:2:wait", "x2:2:wait"));
    // OLD is a file of the image too: --root confines every path.
    writeFileSync(join(root, "etc/inittab.old"), OLD);
    const outside = files(OLD);
    expect((await cli("--root", root, "plan", "--from", outside.old)).status).toBe(2);
    const r = await cli("--root", root, "plan", "--from", join(root, "etc/inittab.old"));
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^start {2}line 4 {2}x2:2:wait:\/etc\/init\.d\/rc 2\n.*init waits for it/m);
    expect(r.stderr).toBe("");
  });

  it("unusable input: no file named, a missing file, a bad runlevel or grace; exit 2, one line", async () => {
    const f = files(OLD);
    for (const args of [
      ["plan"],
      ["plan", "--from", f.old, join(f.dir, "missing")],
      ["plan", "--from", f.old, f.old, "--runlevel", "7x"],
      ["plan", "--from", f.old, f.old, "--grace", "-1"],
      ["plan", "--from", "-", "-"],
    ]) {
      const r = await cli(...args);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
    }
  });

  it("control bytes of a file never reach the terminal raw", async () => {
    const f = files(OLD, `${OLD}e\x1b:2:respawn:/x\x1b[31m\n`);
    const r = await cli("plan", "--no-live", "--from", f.old, f.next);
    expect(r.stdout).not.toContain("\x1b");
    expect(r.stdout).toContain("e\\x1b:2:respawn:/x\\x1b[31m");
  });
});

describe("--plan on the write commands: writes nothing, prints the plan", () => {
  const LIVE = OLD;

  it("set --action off: the getty stops (exit 1); --runlevels: it keeps running (exit 0); the file stays", async () => {
    const f = files(LIVE);
    const off = await cli("set", "T0", "--action", "off", "--plan", "-f", f.old);
    expect(off.status).toBe(1);
    expect(off.stdout).toMatch(GETTY_T0);
    expect(off.stderr).toMatch(/would change: set action of T0/);
    expect(off.stderr).not.toMatch(/IT034/);
    const narrow = await cli("set", "T0", "--runlevels", "3", "--plan=2", "-f", f.old);
    expect(narrow.status).toBe(0);
    expect(narrow.stdout).toMatch(/runlevel 2 \(given\)\nkeep {3}line 2 {2}T0:3:respawn:.*\n.*not started again when/);
    expect(readFileSync(f.old, "utf8")).toBe(LIVE);
  });

  it("add says what starts; rm, comment and uncomment plan too; rm --plan ID removes ID", async () => {
    const f = files(LIVE);
    const add = await cli("add", "T1:2:respawn:/sbin/getty ttyS1", "--plan", "-f", f.old);
    expect(add.status).toBe(0);
    expect(add.stdout).toMatch(/^start {2}line 6 {2}T1:2:respawn:\/sbin\/getty ttyS1\n.*a new id whose runlevels/m);
    const rm = await cli("rm", "--plan", "1", "-f", f.old);
    expect(rm.status).toBe(1);
    expect(rm.stdout).toMatch(/^stop {3}line 3 {2}1:2345:respawn:/m);
    const comment = await cli("comment", "T0", "--plan", "-f", f.old);
    expect(comment.status).toBe(1);
    const commented = files(LIVE.replace("T0:23", "#T0:23"));
    const uncomment = await cli("uncomment", "T0", "--plan", "-f", commented.old);
    expect(uncomment.status).toBe(0);
    expect(uncomment.stdout).toMatch(/^start {2}line 2 {2}T0:23:respawn:/m);
    expect(readFileSync(f.old, "utf8")).toBe(LIVE);
  });

  it("BusyBox rm --plan names the respawn line a re-read stops", async () => {
    const f = files(BB);
    const r = await cli("-d", "busybox", "rm", "tty1", "--plan", "-f", f.old);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/re-read \(kill -HUP 1\)/);
    expect(r.stdout).toMatch(/^stop {3}line 2 {2}tty1::respawn:/m);
  });

  it("refused with --diff, --check or --reload, and with a bad runlevel (exit 2)", async () => {
    const f = files(LIVE);
    for (const extra of [["--diff"], ["--check"], ["--reload"], ["--plan=Q"]]) {
      const r = await cli("set", "T0", "--action", "off", "--plan", ...extra, "-f", f.old);
      expect(r.status, extra.join(" ")).toBe(2);
    }
  });

  it("-f -: the plan, not the file, goes to stdout", () => {
    const r = runCli(["add", "T1:2:respawn:/sbin/getty ttyS1", "--plan", "-f", "-"], { input: LIVE });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^re-read \(telinit q\): <stdin> → <stdin> as edited/);
    expect(r.stdout).not.toContain("id:2:initdefault:");
  });

  it("exec-shutdown --plan: nothing happens in runlevel 2; in runlevel 0 the exec entry starts", async () => {
    const f = files(LIVE);
    const args = ["--allow-exec", "exec-shutdown", "--program", "/lib/deinit", "-f", f.old];
    const in2 = await cli(...args, "--plan");
    expect(in2.status).toBe(0);
    expect(in2.stdout).toMatch(/nothing is stopped or started/);
    const in0 = await cli(...args, "--plan=0");
    expect(in0.stdout).toMatch(/^start {2}line 6 {2}l0u?\w*:0:exec:\/lib\/deinit\n/m);
    expect(readFileSync(f.old, "utf8")).toBe(LIVE);
  });
});

describe("--reload prints the plan it is about to trigger", () => {
  // Printed only once init is known to read the file: test/system/reload.test.ts runs BusyBox as
  // PID 1 of a namespace and sees the plan, then the SIGHUP.
  it("a file no running init reads: no plan, only why nothing was asked (exit 3)", async () => {
    const f = files(LIVE_FOR_RELOAD);
    const r = await cli("set", "T0", "--action", "off", "-f", f.old, "--reload");
    expect(r.status).toBe(3);
    expect(r.stdout).toBe(`${f.old}: set action of T0 (line 2)\n`);
    expect(r.stderr).toMatch(/written, but not reloading/);
    expect(readFileSync(f.old, "utf8")).toContain("T0:23:off:");
  });
});

const LIVE_FOR_RELOAD = OLD;
