/**
 * The re-read model, rule by rule, on small files (test/conformance/reload.test.ts checks the
 * same rules, and generated pairs, against the real binaries).
 */
import { describe, expect, it } from "vitest";
import { dialectByName } from "../../src/dialects/index.js";
import {
  planReload,
  settledProcesses,
  simulateInit,
  sysvinitList,
  type ReloadPlanOptions,
  type ReloadPlan,
} from "../../src/init/index.js";

const predict = (text: string, dialect = "sysvinit@3.14") =>
  simulateInit({ source: text, dialect: dialectByName(dialect)! });
const sv = (lines: string[]): string => `id:2:initdefault:\n${lines.join("\n")}\n`;

function plan(old: string, next: string, options: ReloadPlanOptions = { runlevel: "2" }, dialect = "sysvinit@3.14") {
  return planReload(predict(old, dialect), predict(next, dialect), options);
}

/** What the plan does, in one comparable shape: ids (BusyBox: commands) with their reasons. */
function outline(p: ReloadPlan): { stop: string[]; start: string[]; keep: string[] } {
  const name = (e: { id: string; process: string }): string => (p.family === "busybox" ? `${e.id}|${e.process}` : e.id);
  return {
    stop: p.stop.map((s) => `${name(s.entry)} ${s.reason}`),
    start: p.start.map((s) => `${name(s.entry)} ${s.reason}`),
    keep: p.keep.map((k) => `${name(k.old)} ${k.reason}`),
  };
}

describe("sysvinit: what a re-read stops", () => {
  it("an id that is gone, and an action that changed; a respawn turned once starts again", () => {
    const p = plan(sv(["a:2:respawn:/x", "b:2:respawn:/y", "c:2:respawn:/z"]), sv(["b:2:off:/y", "c:2:once:/z"]));
    expect(outline(p)).toEqual({
      stop: ["a id-removed", "b action-changed", "c action-changed"],
      start: ["c action-changed"],
      keep: [],
    });
    expect(p.stop[0]!.signals).toEqual(["TERM", "KILL"]);
    expect(p.stop[0]!.graceSeconds).toBe(3);
    expect(p.stop[1]!.replacement?.action).toBe("off");
  });

  it("a renamed id: the old process stops, the new entry starts", () => {
    const p = plan(sv(["a:2:respawn:/x"]), sv(["t:2:respawn:/x"]));
    expect(outline(p)).toEqual({ stop: ["a id-removed"], start: ["t new-id"], keep: [] });
  });

  it("the grace period is the request's sleeptime (2.88: telinit's 5 s)", () => {
    expect(plan(sv(["a:2:respawn:/x"]), sv([]), { runlevel: "2", graceSeconds: 7 }).stop[0]!.graceSeconds).toBe(7);
    expect(plan(sv(["a:2:respawn:/x"]), sv([]), { runlevel: "2" }, "sysvinit@2.88").stop[0]!.graceSeconds).toBe(5);
  });

  it("a once or boot process only if it still runs; a finished wait, sysinit or bootwait entry never", () => {
    const p = plan(sv(["o:2:once:/x", "b::boot:/y", "w:2:wait:/z", "s::sysinit:/s", "bw::bootwait:/bw"]), sv([]));
    expect(outline(p).stop).toEqual(["o id-removed", "b id-removed"]);
    expect(p.stop.every((s) => s.ifRunning)).toBe(true);
  });

  it("an entry that does not run in the current level has nothing to stop", () => {
    const old = sv(["a:3:respawn:/x", "p::powerwait:/p", "k::kbrequest:/k", "c::ctrlaltdel:/c"]);
    expect(outline(plan(old, sv([])))).toEqual({ stop: [], start: [], keep: [] });
  });

  it("a process known to run whose old runlevels exclude the level is stopped (runlevel-excluded)", () => {
    const old = predict(sv(["a:S:respawn:/x"]));
    const state = () => ({ running: true as const, pids: [42] });
    const p = planReload(old, predict(sv(["a:S:respawn:/x"])), { runlevel: "2", state });
    expect(outline(p).stop).toEqual(["a runlevel-excluded"]);
    expect(p.stop[0]!.pids).toEqual([42]);
    // A boot entry is exempt: it may run in any level.
    expect(planReload(predict(sv(["b:3:boot:/x"])), predict(sv(["b:3:boot:/x"])), { runlevel: "2" }).stop).toEqual([]);
  });
});

describe("sysvinit: what keeps running although its entry changed", () => {
  it("a changed command: init never compares commands", () => {
    const p = plan(sv(["a:2:respawn:/x"]), sv(["a:2:respawn:/y"]));
    expect(outline(p)).toEqual({ stop: [], start: [], keep: ["a command-changed"] });
  });

  it("runlevels narrowed past the current level: decided on the old ones; not restarted when it exits", () => {
    const p = plan(sv(["T0:23:respawn:/sbin/getty ttyS0"]), sv(["T0:3:respawn:/sbin/getty ttyS0"]));
    expect(outline(p)).toEqual({ stop: [], start: [], keep: ["T0 runlevels-exclude-level"] });
    expect(p.keep[0]!.message).toMatch(/not started again when it exits/);
  });

  it("runlevels changed, the level kept: keeps running; an unchanged entry is not listed", () => {
    const p = plan(sv(["a:23:respawn:/x", "b:2:respawn:/y"]), sv(["a:24:respawn:/x", "b:2:respawn:/y"]));
    expect(outline(p)).toEqual({
      stop: [],
      start: [],
      keep: ["a runlevels-changed"],
    });
  });
});

describe("sysvinit: what a re-read starts", () => {
  it("a new entry for the level; not one for another level, a trigger-only or a boot-phase entry", () => {
    const next = sv([
      "n:2:respawn:/x",
      "m:3:respawn:/y",
      "p::powerwait:/p",
      "k::kbrequest:/k",
      "s::sysinit:/s",
      "o:2:off:/o",
    ]);
    expect(outline(plan(sv([]), next)).start).toEqual(["n new-id"]);
  });

  it("runlevels widened to the level: started; a kept wait entry of the level: not run again", () => {
    const p = plan(sv(["a:3:respawn:/x", "w:2:wait:/w"]), sv(["a:23:respawn:/x", "w:2:wait:/w2"]));
    expect(outline(p).start).toEqual(["a runlevels-widened"]);
  });

  it("a renamed or re-actioned wait entry runs again; later entries start once it has exited", () => {
    const p = plan(sv(["w:2:wait:/w"]), sv(["x:2:wait:/w", "n:2:respawn:/n"]));
    expect(outline(p).start).toEqual(["x new-id", "n new-id"]);
    expect(p.start[0]!.waited).toBe(true);
    expect(p.start[1]!.after?.id).toBe("x");
  });

  it("a kept wait entry known to run holds back the entries after it (the shutdown case)", () => {
    const old = predict(sv(["l0:0:wait:/etc/init.d/rc 0"]));
    const next = predict(sv(["l0:0:wait:/etc/init.d/rc 0", "z:0:once:/z"]));
    const p = planReload(old, next, { runlevel: "0", state: (e) => ({ running: e.id === "l0" }) });
    expect(outline(p)).toEqual({ stop: [], start: ["z new-id"], keep: [] });
    expect(p.start[0]!.after?.id).toBe("l0");
  });

  it("a respawn entry with no process starts again (a re-read lifts the respawn limit)", () => {
    const old = predict(sv(["a:2:respawn:/x"]));
    const p = planReload(old, predict(sv(["a:2:respawn:/x"])), { runlevel: "2", state: () => ({ running: false }) });
    expect(outline(p).start).toEqual(["a not-running"]);
  });

  it("a duplicate id in the new file: the first line is the entry", () => {
    const p = plan(sv(["a:2:respawn:/x"]), sv(["a:2:respawn:/x", "a:2:off:/x"]));
    expect(outline(p)).toEqual({ stop: [], start: [], keep: [] });
  });

  it("init's own ~~:S:wait:/sbin/sulogin is in the list after /etc/inittab's entries", () => {
    const list = sysvinitList(predict(sv(["p:2:powerfail:/p", "a:2:respawn:/x"])));
    expect(list.map((e) => e.id)).toEqual(["p", "id", "a", "~~"]);
    expect(list[3]!.line).toBe(0);
  });

  it("needs the runlevel", () => {
    expect(() => plan(sv([]), sv([]), {})).toThrow(/runlevel/);
  });
});

describe("BusyBox", () => {
  const bb = (lines: string[]) => `${lines.join("\n")}\n`;
  const bplan = (old: string[], next: string[], options: ReloadPlanOptions = {}) =>
    plan(bb(old), bb(next), options, "busybox");

  it("a removed respawn or askfirst line: TERM only (Debian's builds: FEATURE_KILL_REMOVED, no KILL delay)", () => {
    const p = bplan(["::respawn:/x", "tty1::askfirst:/y", "::respawn:/z"], ["::respawn:/z"]);
    expect(outline(p).stop).toEqual(["|/x removed", "tty1|/y removed"]);
    expect(p.stop[0]!.signals).toEqual(["TERM"]);
    expect(p.killRemoved).toBe(true);
  });

  it("built without FEATURE_KILL_REMOVED: the process keeps running; with a delay: KILL after it", () => {
    const kept = bplan(["::respawn:/x"], [], { killRemoved: false });
    expect(outline(kept)).toEqual({ stop: [], start: [], keep: ["|/x removed-not-killed"] });
    const p = bplan(["::respawn:/x"], [], { killDelay: 2 });
    expect(p.stop[0]!.signals).toEqual(["TERM", "KILL"]);
    expect(p.graceSeconds).toBe(2);
  });

  it("a changed command or terminal is a removal and an addition", () => {
    const tty = bplan(["tty1::respawn:/x"], ["tty2::respawn:/x"]);
    expect(outline(tty)).toEqual({ stop: ["tty1|/x removed"], start: ["tty2|/x new"], keep: [] });
    const command = bplan(["::respawn:/x"], ["::respawn:/y"]);
    expect(outline(command)).toEqual({ stop: ["|/x removed"], start: ["|/y new"], keep: [] });
  });

  it("the same (terminal, command) with another action keeps its process; once → respawn starts a second one", () => {
    expect(outline(bplan(["::respawn:/x", "tty1::askfirst:/y"], ["::once:/x", "tty1::respawn:/y"]))).toEqual({
      stop: [],
      start: [],
      keep: ["|/x action-changed", "tty1|/y action-changed"],
    });
    const p = bplan(["::once:/x"], ["::respawn:/x"]);
    expect(outline(p).start).toEqual(["|/x second-instance"]);
  });

  it("a once line removed runs on untracked; new sysinit, wait and once lines never run", () => {
    const p = bplan(["::once:/x"], ["::sysinit:/a", "::wait:/b", "::once:/c", "::ctrlaltdel:/d"]);
    expect(outline(p)).toEqual({ stop: [], start: [], keep: ["|/x untracked"] });
    expect(p.dormant.map((d) => d.entry.process)).toEqual(["/a", "/b", "/c"]);
  });

  it("the runlevels field is ignored; a tty too long to store never matches its old line", () => {
    expect(outline(bplan(["tty1::respawn:/x"], ["tty1:2345:respawn:/x"]))).toEqual({ stop: [], start: [], keep: [] });
    const long = `${"t".repeat(40)}::respawn:/x`;
    const t = "t".repeat(40);
    expect(outline(bplan([long], [long]))).toEqual({ stop: [`${t}|/x removed`], start: [`${t}|/x new`], keep: [] });
  });
});

describe("settledProcesses", () => {
  it("sysvinit: respawn (certain), once and boot (may have exited); not wait, sysinit or other levels", () => {
    const p = predict(
      sv(["r:2:respawn:/r", "o:2:once:/o", "b::boot:/b", "w:2:wait:/w", "s::sysinit:/s", "x:3:respawn:/x"]),
    );
    expect(settledProcesses(p, "2").map((s) => `${s.entry.id}${s.certain ? "" : "?"}`)).toEqual(["r", "o?", "b?"]);
  });

  it("BusyBox: respawn and askfirst (certain), once (untracked)", () => {
    const p = predict("::respawn:/r\n::askfirst:/a\n::once:/o\n::wait:/w\n", "busybox");
    expect(settledProcesses(p).map((s) => `${s.entry.process}${s.certain ? "" : "?"}`)).toEqual(["/r", "/a", "/o?"]);
  });
});
