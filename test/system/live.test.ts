/**
 * Reading the running system without touching it: utmp records, the runlevel, init's children
 * and which entry each belongs to. The real inits write these files and processes in
 * test/conformance/reload.test.ts; here the same readers run on fake trees.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { dialectByName } from "../../src/dialects/index.js";
import { planReload, simulateInit } from "../../src/init/index.js";
import {
  expectedArgv,
  matchProcesses,
  parseUtmp,
  planOnSystem,
  processRecords,
  readInitChildren,
  readLiveSystem,
  readRunlevel,
  runlevelFromUtmp,
} from "../../src/system/index.js";
import { fakeProc, runlevelRecord, utmpBytes, type FakeSystem } from "./support.js";

const predict = (text: string, dialect = "sysvinit@3.14") =>
  simulateInit({ source: text, dialect: dialectByName(dialect)! });

let sys: FakeSystem | undefined;
afterEach(() => {
  sys?.cleanup();
  sys = undefined;
});

describe("utmp", () => {
  it("reads records; the last RUN_LVL gives the runlevel and the previous one", () => {
    const records = parseUtmp(
      utmpBytes([runlevelRecord("3"), { type: "INIT_PROCESS", pid: 40, id: "T0" }, runlevelRecord("2", "3")]),
    );
    expect(records[1]).toEqual({ type: 5, pid: 40, line: "", id: "T0", user: "" });
    expect(runlevelFromUtmp(records)).toEqual({ runlevel: "2", previous: "3" });
    expect(runlevelFromUtmp(parseUtmp(utmpBytes([{ type: "BOOT_TIME", pid: 0 }])))).toBeUndefined();
  });

  it("a torn last record is left out; a 4-byte id fills its field", () => {
    const bytes = utmpBytes([
      { type: "INIT_PROCESS", pid: 7, id: "abcd" },
      { type: "INIT_PROCESS", pid: 8, id: "x" },
    ]);
    const records = parseUtmp(bytes.subarray(0, bytes.length - 10));
    expect(records.map((r) => r.id)).toEqual(["abcd"]);
  });

  it("process records: a later DEAD_PROCESS ends a pid; login keeps the id", () => {
    const records = parseUtmp(
      utmpBytes([
        { type: "INIT_PROCESS", pid: 10, id: "1" },
        { type: "INIT_PROCESS", pid: 11, id: "2" },
        { type: "DEAD_PROCESS", pid: 11, id: "2" },
        { type: "USER_PROCESS", pid: 12, id: "3", user: "root" },
      ]),
    );
    expect(processRecords(records)).toEqual([
      { id: "1", pid: 10 },
      { id: "3", pid: 12 },
    ]);
  });
});

describe("readRunlevel", () => {
  it("utmp first, then init's title in /proc, then /var/run/runlevel", () => {
    sys = fakeProc([{ pid: 1, ppid: 0, argv: ["init [5]"] }]);
    const root = join(sys.dir, "root");
    mkdirSync(join(root, "run"), { recursive: true });
    mkdirSync(join(root, "var/run"), { recursive: true });
    const title = { runlevel: "5", source: "proc", path: join(sys.proc, "1/cmdline") };
    expect(readRunlevel({ root, proc: sys.proc })).toEqual(title);
    writeFileSync(join(root, "run/utmp"), utmpBytes([runlevelRecord("2")]));
    const fromUtmp = { runlevel: "2", source: "utmp", path: join(root, "run/utmp") };
    expect(readRunlevel({ root, proc: sys.proc })).toEqual(fromUtmp);
    const noTitle = fakeProc([{ pid: 1, ppid: 0, argv: ["/sbin/init"] }]);
    try {
      const bare = join(noTitle.dir, "root");
      mkdirSync(join(bare, "var/run"), { recursive: true });
      writeFileSync(join(bare, "var/run/runlevel"), "S\n");
      expect(readRunlevel({ root: bare, proc: noTitle.proc })?.source).toBe("runlevel-file");
      expect(readRunlevel({ root: join(noTitle.dir, "none"), proc: noTitle.proc })).toBeUndefined();
    } finally {
      noTitle.cleanup();
    }
  });
});

describe("init's children and their entries", () => {
  const SYSV =
    "id:2:initdefault:\nT0:23:respawn:/sbin/getty -L ttyS0 9600 vt100\n" +
    "1:2345:respawn:/sbin/getty 38400 tty1\n" +
    "rc:2:wait:/etc/init.d/rc 2\nsh:2:respawn:/usr/sbin/daemon >/var/log/d 2>&1\npl:2:respawn:+/usr/bin/plus\n";

  it("lists children of init only, with their command lines and terminals", () => {
    sys = fakeProc([
      { pid: 1, ppid: 0, argv: ["init [2]"] },
      { pid: 40, ppid: 1, argv: ["/sbin/getty", "-L", "ttyS0", "9600", "vt100"], stdin: "/dev/ttyS0", nsPid: 7 },
      { pid: 41, ppid: 40, argv: ["/bin/login"] },
    ]);
    const kids = readInitChildren({ proc: sys.proc });
    const seen = kids.map((k) => [k.pid, k.nsPid, k.argv.join(" "), k.stdin]);
    expect(seen).toEqual([[40, 7, "/sbin/getty -L ttyS0 9600 vt100", "/dev/ttyS0"]]);
  });

  it("sysvinit: the argv init execs, with the shell form of the version", () => {
    const p = predict(SYSV);
    const sh = p.entries.find((e) => e.id === "sh")!;
    const cmd = "/usr/sbin/daemon >/var/log/d 2>&1";
    expect(expectedArgv(sh, dialectByName("sysvinit@3.14")!)).toEqual(["/bin/sh", "-c", cmd]);
    expect(expectedArgv(sh, dialectByName("sysvinit@3.06")!)).toEqual(["/bin/sh", "-c", `exec ${cmd}`]);
    expect(
      expectedArgv(
        p.entries.find((e) => e.id === "pl")!,
        p.dialect,
      ),
    ).toEqual(["/usr/bin/plus"]);
  });

  it("sysvinit with utmp: records name the pids; no record means no process; `+` entries by command line", () => {
    sys = fakeProc([
      { pid: 1, ppid: 0, argv: ["init [2]"] },
      { pid: 50, ppid: 1, argv: ["/bin/login", "--", "root"] },
      { pid: 51, ppid: 1, argv: ["/usr/bin/plus"] },
    ]);
    const utmp = parseUtmp(utmpBytes([{ type: "USER_PROCESS", pid: 50, id: "T0", user: "root" }]));
    const old = predict(SYSV);
    const live = matchProcesses(old, readInitChildren({ proc: sys.proc }), { utmp });
    expect(live.method).toBe("utmp");
    const byId = (id: string) => live.state(old.entries.find((e) => e.id === id)!);
    expect(byId("T0")).toEqual({ running: true, pids: [50] });
    expect(byId("1")).toEqual({ running: false });
    expect(byId("pl")).toEqual({ running: true, pids: [51] });
    expect(live.unclaimed).toEqual([]);
    // The plan names the pid, and a respawn entry without a process starts again.
    const next = predict(SYSV.replace("T0:23:respawn", "T0:23:off"));
    const plan = planReload(old, next, { runlevel: "2", state: live.state });
    expect(plan.stop.map((s) => [s.entry.id, s.pids])).toEqual([["T0", [50]]]);
    expect(plan.start.map((s) => [s.entry.id, s.reason])).toEqual([
      ["1", "not-running"],
      ["sh", "not-running"],
    ]);
  });

  it("without utmp: by command line, /etc/initscript's form, a script's interpreter; daemons stay unclaimed", () => {
    sys = fakeProc([
      { pid: 1, ppid: 0, argv: ["init [2]"] },
      { pid: 60, ppid: 1, argv: ["/sbin/getty", "38400", "tty1"] },
      {
        pid: 61,
        ppid: 1,
        argv: ["/bin/sh", "/etc/initscript", "T0", "23", "respawn", "/sbin/getty -L ttyS0 9600 vt100"],
      },
      { pid: 62, ppid: 1, argv: ["/usr/sbin/sshd", "-D"] },
      { pid: 63, ppid: 1, argv: ["/bin/sh", "/usr/bin/plus"] },
    ]);
    const old = predict(SYSV);
    const live = matchProcesses(old, readInitChildren({ proc: sys.proc }));
    expect(live.method).toBe("cmdline");
    const byId = (id: string) => live.state(old.entries.find((e) => e.id === id)!);
    expect(byId("1")).toEqual({ running: true, pids: [60] });
    expect(byId("T0")).toEqual({ running: true, pids: [61] });
    expect(byId("pl")).toEqual({ running: true, pids: [63] });
    // Not found by command line: nothing known (the process may have renamed itself).
    expect(byId("sh")).toBeUndefined();
    expect(live.unclaimed.map((c) => c.pid)).toEqual([62]);
  });

  it("BusyBox: command and terminal; an askfirst child still waiting for Enter is a copy of init", () => {
    const BB =
      "tty1::respawn:/sbin/getty 38400 tty1\ntty2::respawn:/sbin/getty 38400 tty1\n" +
      "tty3::askfirst:-/bin/sh\n::respawn:-/bin/sh\n";
    sys = fakeProc([
      { pid: 1, ppid: 0, argv: ["init"], stdin: "/dev/console" },
      { pid: 70, ppid: 1, argv: ["/sbin/getty", "38400", "tty1"], stdin: "/dev/tty2" },
      { pid: 71, ppid: 1, argv: ["init"], stdin: "/dev/tty3" },
      { pid: 72, ppid: 1, argv: ["-/bin/sh"], stdin: "/dev/console" },
    ]);
    const old = predict(BB, "busybox");
    const init = { initArgv: ["init"], initStdin: "/dev/console" };
    const live = matchProcesses(old, readInitChildren({ proc: sys.proc }), init);
    expect(old.entries.map((e) => live.state(e))).toEqual([
      undefined,
      { running: true, pids: [70] },
      { running: true, pids: [71] },
      { running: true, pids: [72] },
    ]);
  });
});

describe("the running system", () => {
  it("is not read when PID 1 is not sysvinit or BusyBox: the plan falls back to the initdefault", () => {
    sys = fakeProc([{ pid: 1, ppid: 0, argv: ["/usr/lib/systemd/systemd"], exe: "/usr/lib/systemd/systemd" }]);
    const live = readLiveSystem({ proc: sys.proc });
    expect(live.unavailable).toMatch(/systemd, not sysvinit or BusyBox/);
    const old = predict("id:3:initdefault:\na:3:respawn:/x\n");
    const r = planOnSystem(old, predict("id:3:initdefault:\n"), { live });
    expect(r.plan.runlevel).toBe("3");
    expect(r.runlevelSource).toMatch(/initdefault/);
    expect(r.processes).toBeUndefined();
  });

  it("reads runlevel, children and utmp when PID 1 is init; a given runlevel wins", () => {
    sys = fakeProc([
      { pid: 1, ppid: 0, argv: ["init [2]"], exe: "/sbin/init" },
      { pid: 80, ppid: 1, argv: ["/x"] },
    ]);
    const utmp = join(sys.dir, "utmp");
    writeFileSync(utmp, utmpBytes([runlevelRecord("2"), { type: "INIT_PROCESS", pid: 80, id: "a" }]));
    const live = readLiveSystem({ proc: sys.proc, utmp });
    expect(live.unavailable).toBeUndefined();
    expect(live.runlevel).toEqual({ runlevel: "2", source: "utmp", path: utmp });
    const old = predict("id:3:initdefault:\na:23:respawn:/x\n");
    const r = planOnSystem(old, predict("id:3:initdefault:\n"), { live });
    expect(r.plan.runlevel).toBe("2");
    expect(r.processes).toBe("utmp");
    expect(r.plan.stop.map((s) => s.pids)).toEqual([[80]]);
    expect(planOnSystem(old, old, { live, runlevel: "3" }).runlevelSource).toBe("given");
    expect(() => planOnSystem(predict("a:2:respawn:/x\n"), predict("\n"), {})).toThrow(/runlevel/);
  });
});
