/**
 * The lock never spins and never outlives a signal (issue #14): a lock of any shape is either
 * broken safely or reported as busy, with its path, within the timeout, and waiting for it
 * sleeps. SIGTERM while waiting ends the writer at once and leaves nothing of its own behind.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, readlinkSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { type InittabError } from "../../src/base/index.js";
import { safeWriteFile } from "../../src/write/index.js";
import { cli } from "../cli/in-process.js";
import { buildTree, deadPid, removeTempDirs, strays, tempDir } from "./support.js";

afterAll(removeTempDirs);
afterEach(() => vi.restoreAllMocks());

const OLD = Buffer.from("id:3:initdefault:\nl0:0:wait:/etc/init.d/rc 0\n");
const NEW = Buffer.from("id:3:initdefault:\nl0:0:wait:/etc/init.d/rc 0\nab:2:respawn:/bin/x\n");

function setup(): { dir: string; file: string; lock: string } {
  const dir = tempDir("inittab-lock-");
  const file = join(dir, "inittab");
  writeFileSync(file, OLD);
  return { dir, file, lock: `${file}.lock` };
}

const ago = (path: string, seconds: number): void => {
  const t = new Date(Date.now() - seconds * 1000);
  utimesSync(path, t, t);
};

/** Write with a short timeout; the error (if any), how long it took and the CPU it used. */
async function attempt(file: string, timeoutMs: number): Promise<{ err: unknown; ms: number; cpuMs: number }> {
  const t0 = Date.now();
  const c0 = process.cpuUsage();
  const err = await safeWriteFile(file, NEW, { lockTimeoutMs: timeoutMs }).then(
    () => undefined,
    (e: unknown) => e,
  );
  const c = process.cpuUsage(c0);
  return { err, ms: Date.now() - t0, cpuMs: (c.user + c.system) / 1000 };
}

const ownBoot = (): string => readFileSync("/proc/sys/kernel/random/boot_id", "latin1").trim();
const ownPidns = (): string => /\d+/.exec(readlinkSync("/proc/self/ns/pid"))![0];

describe("a lock this tool cannot judge is reported busy, within the timeout, without spinning", () => {
  const shapes: Array<[string, (lock: string) => void, RegExp]> = [
    ["a symbolic link", (lock) => symlinkSync("/nonexistent/owner", lock), /the lock is a symbolic link/],
    ["a symbolic link to the file itself", (lock) => symlinkSync("inittab", lock), /the lock is a symbolic link/],
    [
      "a directory with something in it",
      (lock) => {
        mkdirSync(lock);
        writeFileSync(join(lock, "pid"), "1");
        ago(lock, 3600);
      },
      /the lock is a directory/,
    ],
    ["a fresh directory", (lock) => mkdirSync(lock), /the lock is a directory/],
    ["a fresh empty file", (lock) => writeFileSync(lock, ""), /inittab is busy \(locked;/],
    ["a FIFO", (lock) => void spawnSync("mkfifo", [lock]), /the lock is not a regular file/],
    [
      "an owner of another PID namespace",
      (lock) => writeFileSync(lock, `1 100 1 ${ownBoot()}\n`),
      /of another PID namespace/,
    ],
  ];
  it.each(shapes)("%s", async (_what, make, why) => {
    const { dir, file, lock } = setup();
    make(lock);
    const { err, ms, cpuMs } = await attempt(file, 400);
    expect((err as InittabError).code).toBe("lock-busy");
    expect((err as Error).message).toMatch(why);
    expect((err as Error).message).toContain(`${lock} exists`);
    expect((err as Error).message.split("\n")).toHaveLength(1);
    expect(ms).toBeGreaterThanOrEqual(400);
    expect(ms).toBeLessThan(5000);
    // Waiting sleeps: a spinning loop would use about as much CPU as time passed.
    expect(cpuMs).toBeLessThan(Math.max(200, ms / 2));
    expect(readFileSync(file)).toEqual(OLD);
    // The lock, not ours, is left as it was; nothing of ours is left.
    expect(strays(dir, ["inittab", "inittab.lock"])).toEqual([]);
    expect(strays(dir, ["inittab"])).toEqual(["inittab.lock"]);
  });
});

describe("a lock known to be stale is broken and the write goes through", () => {
  const stale: Array<[string, (lock: string) => void]> = [
    ["a dead owner", (lock) => writeFileSync(lock, `${deadPid()}\n`)],
    [
      "an owner of an earlier boot",
      (lock) => writeFileSync(lock, `${process.pid} 1 ${ownPidns()} 00000000-0000-0000-0000-000000000000\n`),
    ],
    [
      "an old empty file",
      (lock) => {
        writeFileSync(lock, "");
        ago(lock, 60);
      },
    ],
    [
      "an old garbage file",
      (lock) => {
        writeFileSync(lock, "\x1b[2J garbage \xff");
        ago(lock, 60);
      },
    ],
    [
      "an old empty directory",
      (lock) => {
        mkdirSync(lock);
        ago(lock, 60);
      },
    ],
  ];
  it.each(stale)("%s", async (_what, make) => {
    const { dir, file, lock } = setup();
    make(lock);
    const { err } = await attempt(file, 3000);
    expect(err).toBeUndefined();
    expect(readFileSync(file)).toEqual(NEW);
    expect(strays(dir, ["inittab"])).toEqual([]);
  });
});

describe("--lock-timeout and signals", () => {
  it("--lock-timeout SECONDS replaces the fixed 5 s; a bad value is a usage error", async () => {
    const { file, lock } = setup();
    symlinkSync("/nonexistent", lock);
    const t0 = Date.now();
    const r = await cli("add", "ab:2:once:/x", "-f", file, "--lock-timeout", "0.3");
    expect(r.status).toBe(2);
    expect(Date.now() - t0).toBeLessThan(4000);
    expect(r.stderr).toBe(
      `inittab: ${file}: inittab is busy (the lock is a symbolic link, which this tool never makes; ${lock} exists). ` +
        "Try again; remove the lock only if no edit is running\n",
    );
    const bad = await cli("add", "ab:2:once:/x", "-f", file, "--lock-timeout", "soon");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('inittab: --lock-timeout: "soon" is not a number of seconds (0 to 86400)\n');
    expect(readFileSync(file)).toEqual(OLD);
  });

  it("SIGTERM, SIGINT and SIGHUP while waiting for a lock end the writer at once; only that lock is left", async () => {
    for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
      const { dir, file, lock } = setup();
      symlinkSync("/nonexistent", lock);
      const child = spawn(
        process.execPath,
        [join(buildTree(), "cli.js"), "add", "ab:2:once:/x", "-f", file, "--lock-timeout", "60"],
        {
          stdio: "ignore",
        },
      );
      const exited = new Promise<NodeJS.Signals | null>((r) => child.once("exit", (_c, s) => r(s)));
      // Wait until it is waiting: its pid file is there.
      const t0 = Date.now();
      while (strays(dir, ["inittab", "inittab.lock"]).length === 0 && Date.now() - t0 < 10_000)
        await new Promise((r) => setTimeout(r, 20));
      expect(strays(dir, ["inittab", "inittab.lock"])).toHaveLength(1);
      const t1 = Date.now();
      child.kill(signal);
      expect(await exited).toBe(signal);
      expect(Date.now() - t1).toBeLessThan(3000);
      expect(strays(dir, ["inittab", "inittab.lock"])).toEqual([]);
      expect(readFileSync(file)).toEqual(OLD);
    }
  });
});
