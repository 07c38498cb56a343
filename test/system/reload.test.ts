/**
 * `--reload` acts only on the live init of the edited file (src/system/live.ts). Each test builds
 * a tree shaped like /proc/PID for a process of its own (`root`, `exe`, `fd/`), the only way the
 * library lets a caller look at another process than PID 1, and checks what is decided, what
 * is signalled and what is written to the FIFO. The real PID 1 is never touched.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { closeSync, constants, mkdirSync, openSync, readSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { dialectByName, type Dialect } from "../../src/dialects/index.js";
import { liveInit, reloadInit } from "../../src/system/index.js";
import { isInittabError } from "../../src/base/errors.js";
import { buildTree, removeTempDirs, tempDir } from "../write/support.js";

afterAll(removeTempDirs);

const SYSVINIT = dialectByName("sysvinit@3.06")!;
const BUSYBOX = dialectByName("busybox")!;

interface FakeProc {
  proc: string;
  pid: number;
  /** The image root the process sees, with etc/inittab. */
  root: string;
  inittab: string;
}

/** /proc/PID of a process whose root is a fresh image with etc/inittab, running `exe`. */
function fakeProc(pid: number, exe: string): FakeProc {
  const work = tempDir("inittab-proc-");
  const root = join(work, "image");
  mkdirSync(join(root, "etc"), { recursive: true });
  const inittab = join(root, "etc/inittab");
  writeFileSync(inittab, "id:3:initdefault:\n");
  const dir = join(work, "proc", String(pid));
  mkdirSync(join(dir, "fd"), { recursive: true });
  symlinkSync(root, join(dir, "root"));
  symlinkSync(exe, join(dir, "exe"));
  return { proc: join(work, "proc"), pid, root, inittab };
}

/** The image's initctl FIFO, held open by the fake process as fd 3 (a reader opened here). */
function holdFifo(p: FakeProc, name = "run/initctl"): { reader: number } {
  const fifo = join(p.root, name);
  mkdirSync(join(fifo, ".."), { recursive: true });
  expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
  const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  symlinkSync(fifo, join(p.proc, String(p.pid), "fd", "3"));
  return { reader };
}

const decide = (d: Dialect, p: FakeProc, file = p.inittab) => liveInit(d, file, { proc: p.proc, pid: p.pid });

describe("liveInit: is the file read by a running init of its dialect?", () => {
  it("BusyBox: the live file and a busybox executable (or a hard link to the image's /bin/busybox)", () => {
    const p = fakeProc(4242, "/bin/busybox");
    expect(decide(BUSYBOX, p)).toEqual({ kind: "busybox", pid: 4242, exe: "/bin/busybox" });
    const linked = fakeProc(4243, "/nonexistent/sbin/init");
    mkdirSync(join(linked.root, "bin"));
    writeFileSync(join(linked.root, "bin/busybox"), "");
    // `exe` to the image's own /bin/busybox under another name: the same file.
    const exe = join(linked.proc, "4243", "exe");
    spawnSync("rm", [exe]);
    symlinkSync(join(linked.root, "bin/busybox"), exe);
    expect(decide(BUSYBOX, linked)).toMatchObject({ kind: "busybox" });
  });

  it("refuses another file, another program, the other dialect, and systemd", () => {
    const p = fakeProc(4244, "/bin/busybox");
    const copy = join(p.root, "..", "copy");
    writeFileSync(copy, "id:3:initdefault:\n");
    expect(decide(BUSYBOX, p, copy)).toEqual({
      refused: `${copy} is not the /etc/inittab the running init (process 4244) reads`,
    });
    expect(decide(SYSVINIT, p)).toEqual({
      refused: "process 4244 is BusyBox init, but the file was edited as sysvinit@3.06",
    });
    const app = fakeProc(4245, "/usr/bin/sleep");
    expect(decide(BUSYBOX, app)).toEqual({ refused: "process 4245 is /usr/bin/sleep, not BusyBox init" });
    const systemd = fakeProc(4246, "/usr/lib/systemd/systemd");
    closeSync(holdFifo(systemd).reader);
    expect(decide(SYSVINIT, systemd)).toEqual({
      refused: "process 4246 is /usr/lib/systemd/systemd, which reads no inittab",
    });
  });

  it("sysvinit: only when the process holds the initctl FIFO open", () => {
    const p = fakeProc(4247, "/sbin/init");
    expect(decide(SYSVINIT, p)).toEqual({
      refused: "process 4247 (/sbin/init) has no initctl FIFO (/run/initctl, /dev/initctl)",
    });
    const fifo = join(p.root, "run/initctl");
    mkdirSync(join(p.root, "run"));
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    expect(decide(SYSVINIT, p)).toEqual({
      refused: "process 4247 (/sbin/init) does not hold /run/initctl open: it is not sysvinit's init",
    });
    symlinkSync(fifo, join(p.proc, "4247", "fd", "3"));
    expect(decide(SYSVINIT, p)).toEqual({
      kind: "sysvinit",
      pid: 4247,
      exe: "/sbin/init",
      fifo: { open: join(p.proc, "4247", "fd", "3"), name: "/run/initctl" },
    });
  });

  it("a /proc it may not read is a refusal with the reason", () => {
    const p = fakeProc(4248, "/bin/busybox");
    expect(liveInit(BUSYBOX, p.inittab, { proc: p.proc, pid: 1 })).toEqual({
      refused: "cannot see the /etc/inittab of process 1 (no such file or directory)",
    });
  });
});

describe("reloadInit", () => {
  const children: ChildProcess[] = [];
  afterAll(() => children.forEach((c) => c.kill("SIGKILL")));

  /** A process that reports SIGHUP, and its exit. */
  async function hupListener(): Promise<{ child: ChildProcess; heard: Promise<string> }> {
    const child = spawn(process.execPath, [
      "-e",
      "process.on('SIGHUP',()=>{process.stdout.write('HUP');process.exit(0)});" +
        "process.stdout.write('ready');setInterval(()=>{},1000)",
    ]);
    children.push(child);
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    await new Promise<void>((r) => child.stdout.once("data", () => r()));
    const heard = new Promise<string>((r) => child.once("exit", () => r(out)));
    return { child, heard };
  }

  it("BusyBox: SIGHUP to the process that runs busybox and reads the file", async () => {
    const { child, heard } = await hupListener();
    const p = fakeProc(child.pid!, "/bin/busybox");
    expect(await reloadInit(BUSYBOX, p.inittab, { proc: p.proc, pid: p.pid })).toBe(
      `asked init to re-read (SIGHUP to process ${p.pid})`,
    );
    expect(await heard).toBe("readyHUP");
  });

  it("the reproducer: a process that is not BusyBox init gets no signal (reload-skipped)", async () => {
    const { child, heard } = await hupListener();
    const p = fakeProc(child.pid!, "/usr/bin/sleep");
    const err = await reloadInit(BUSYBOX, p.inittab, { proc: p.proc, pid: p.pid }).catch((e: unknown) => e);
    expect(isInittabError(err, "reload-skipped")).toBe(true);
    expect((err as Error).message).toBe(`not reloading: process ${p.pid} is /usr/bin/sleep, not BusyBox init`);
    const outcome = await Promise.race([heard, new Promise<string>((r) => setTimeout(() => r("alive"), 200))]);
    expect(outcome).toBe("alive");
  });

  it("sysvinit: `telinit q` written to the FIFO the process holds", async () => {
    const p = fakeProc(4249, "/sbin/init");
    const { reader } = holdFifo(p);
    try {
      expect(await reloadInit(SYSVINIT, p.inittab, { proc: p.proc, pid: p.pid })).toBe(
        "asked init to re-read (request q on /run/initctl)",
      );
      const buf = Buffer.alloc(512);
      expect(readSync(reader, buf, 0, buf.length, null)).toBe(384);
      expect(buf.readInt32LE(0)).toBe(0x03091969);
      expect(buf.readInt32LE(4)).toBe(1); // RUNLVL
      expect(buf.readInt32LE(8)).toBe("q".charCodeAt(0));
    } finally {
      closeSync(reader);
    }
  });

  it("sysvinit: a held FIFO with no reader left is reload-failed, and another file is reload-skipped", async () => {
    const p = fakeProc(4250, "/sbin/init");
    const { reader } = holdFifo(p);
    closeSync(reader);
    const failed = await reloadInit(SYSVINIT, p.inittab, { proc: p.proc, pid: p.pid }).catch((e: unknown) => e);
    expect(isInittabError(failed, "reload-failed")).toBe(true);
    const other = join(p.root, "..", "other");
    writeFileSync(other, "");
    const skipped = await reloadInit(SYSVINIT, other, { proc: p.proc, pid: p.pid }).catch((e: unknown) => e);
    expect(isInittabError(skipped, "reload-skipped")).toBe(true);
  });
});

describe("the real /proc: BusyBox as PID 1 of a fresh PID namespace", () => {
  it("the live file: its plan, then SIGHUP to PID 1; a copy, or the file edited as sysvinit: neither", (ctx) => {
    if (!existsSync("/bin/busybox")) return ctx.skip("no /bin/busybox (Debian package busybox)");
    const work = tempDir("inittab-pid1-");
    mkdirSync(join(work, "u"));
    mkdirSync(join(work, "w"));
    const cliJs = join(buildTree(), "cli.js");
    const node = process.execPath;
    // PID 1 is `busybox sh`: /proc/1/exe is busybox, /proc/1/root/etc/inittab the overlaid file.
    // As PID 1 of its namespace it ignores a SIGHUP it has no handler for, so it stays.
    const script = [
      `mount -t overlay overlay -o lowerdir=/etc,upperdir=${work}/u,workdir=${work}/w /etc || exit 77`,
      "printf '::sysinit:/bin/true\\n' > /etc/inittab",
      `cp /etc/inittab ${work}/copy`,
      `"${node}" "${cliJs}" -d busybox add 'tty9::respawn:/sbin/getty 38400 tty9' --reload; echo rc=$?`,
      `"${node}" "${cliJs}" -d busybox add 'tty8::respawn:/sbin/getty 38400 tty8' -f ${work}/copy --reload; echo rc=$?`,
      `"${node}" "${cliJs}" -d sysvinit add 'ab:2:once:/bin/true' --reload; echo rc=$?`,
    ].join("\n");
    const r = spawnSync(
      "unshare",
      ["--mount", "--pid", "--fork", "--mount-proc", "--propagation", "private", "/bin/busybox", "sh", "-c", script],
      { encoding: "utf8", timeout: 60_000 },
    );
    if (r.status === 77 || r.error || /unshare: /.test(r.stderr)) {
      return ctx.skip(
        `no private PID and mount namespace here: ${(r.stderr || String(r.error)).trim().split("\n")[0]}`,
      );
    }
    expect(r.stdout.split("\n")).toEqual([
      "/etc/inittab: added tty9::respawn after ::sysinit",
      // The plan of the re-read, read from the running system, before init is asked.
      "re-read (kill -HUP 1): /etc/inittab → /etc/inittab as edited; busybox",
      "processes: children of init, matched by cmdline",
      "start  line 2  tty9::respawn:/sbin/getty 38400 tty9",
      "       a new command on this terminal: init starts it (respawn)",
      "0 to stop, 1 to start, 0 kept running with a changed entry",
      "asked init to re-read (SIGHUP to process 1)",
      "rc=0",
      `${work}/copy: added tty8::respawn after ::sysinit`,
      "rc=3",
      "/etc/inittab: added ab after tty9",
      "rc=3",
      "",
    ]);
    expect(r.stderr).toBe(
      `inittab: ${work}/copy: written, but not reloading: ${work}/copy is not the /etc/inittab the running init ` +
        "(process 1) reads\n" +
        "inittab: /etc/inittab: written, but not reloading: process 1 is BusyBox init, but the file was edited as " +
        "sysvinit@3.14\n",
    );
  });
});
