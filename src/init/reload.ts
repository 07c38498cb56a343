/**
 * What the running init does when it re-reads its file (`telinit q`, SIGHUP, a runlevel
 * request): which processes it stops, which entries it starts, and which processes keep running
 * although their entry changed. Pure: the two predictions (what init read before, what it will
 * read), the current runlevel and, where known, which entries have a process.
 *
 * sysvinit (init.c read_inittab, second half; start_if_needed; startup): every entry of the new
 * list is matched with the first old entry with the same id. An old entry is marked KILLME when
 * no new entry has its id, when its action changed, or when the current level is not in its
 * (old) runlevels and it is not a `boot` entry (nor an activated on-demand one). A KILLME entry
 * with a running process gets TERM to its process group, then, after the request's sleeptime
 * (polled every 10 ms), KILL; its new entry starts with fresh flags. Any other old entry hands
 * its flags and pid to its new entry: a process keeps running whatever its new command or
 * runlevels say. Then start_if_needed walks the new list: it stops at an entry init waits for,
 * skips running ones, and starts an entry whose runlevels hold the current level unless it has
 * already run (`once`, `wait`, …) or only a signal arms it (power, ctrlaltdel, kbrequest).
 *
 * BusyBox (init/init.c reload_inittab, new_init_action, run_actions): entries are keyed by
 * (command, terminal). All old entries are marked stale, the new file is parsed, and an entry
 * with an old key takes over the old entry, its pid included, with the new action. With
 * FEATURE_KILL_REMOVED the process of a stale entry gets TERM (and KILL after
 * FEATURE_KILL_DELAY seconds when that is not 0). Only respawn and askfirst entries have their
 * pid kept, so a `once` process is never stopped, and a respawn entry whose key had a `once`
 * entry starts a second process. The main loop then starts respawn and askfirst entries without
 * a process; a re-read never runs sysinit, wait or once entries.
 */
import type { InitPrediction, SimulatedEntry } from "./simulate.js";
import { BUSYBOX_TERMINAL_MAX, ttyPath } from "./fields.js";
import { SYSVINIT_ACTIONS } from "../dialects/index.js";

/** What is known of an old entry's process; undefined means "as init left it in this runlevel". */
export type ProcessState = { running: true; pids?: readonly number[] } | { running: false };

export interface ReloadPlanOptions {
  /** sysvinit: the runlevel init is in (`0`–`9`, `S`). Required for sysvinit. */
  runlevel?: string;
  /** sysvinit: seconds between TERM and KILL (the request's sleeptime); default telinit's. */
  graceSeconds?: number;
  /** BusyBox: built with FEATURE_KILL_REMOVED; default the dialect's (Debian's builds are). */
  killRemoved?: boolean;
  /** BusyBox: FEATURE_KILL_DELAY, seconds from TERM to KILL (0: TERM only); default the dialect's. */
  killDelay?: number;
  /** What is known of the processes of OLD's entries (live processes, or an entry known to run). */
  state?: (entry: SimulatedEntry) => ProcessState | undefined;
}

/** An entry as the plan names it: where it is and what it says (binary strings). */
export interface PlanEntry {
  /**
   * The file's 1-based line, and the byte offset where the entry starts (init's own `~~`:
   * line 0, at the end of /etc/inittab).
   */
  line: number;
  start: number;
  path?: string;
  id: string;
  runlevels: string;
  action: string;
  process: string;
}

export type StopReason = "id-removed" | "action-changed" | "runlevel-excluded" | "removed";
export type StartReason =
  | "new-id"
  | "action-changed"
  | "runlevels-widened"
  | "renewed"
  | "not-running"
  | "new"
  | "second-instance"
  | "now-respawns";
export type KeepReason =
  | "command-changed"
  | "runlevels-exclude-level"
  | "runlevels-changed"
  | "action-changed"
  | "removed-not-killed"
  | "untracked";

export interface PlanStop {
  entry: PlanEntry;
  reason: StopReason;
  message: string;
  /** TERM, then KILL for what is still alive after graceSeconds (none when KILL is not sent). */
  signals: Array<"TERM" | "KILL">;
  graceSeconds?: number;
  /** The process may have exited already (a `once` or `boot` entry): stopped only if it still runs. */
  ifRunning: boolean;
  /** The processes found for it, when live processes were read. */
  pids: number[];
  /** The new entry with the same id (sysvinit) that is started afresh, when there is one. */
  replacement?: PlanEntry;
}

export interface PlanStart {
  entry: PlanEntry;
  reason: StartReason;
  message: string;
  /** init waits for it: later entries of the list start only after it exits. */
  waited: boolean;
  /** An entry init waits for that starts (or runs) before it: it starts once that one exits. */
  after?: PlanEntry;
}

export interface PlanKeep {
  old: PlanEntry;
  new?: PlanEntry;
  reason: KeepReason;
  message: string;
  ifRunning: boolean;
  pids: number[];
}

/** A new or changed entry the re-read does not run (BusyBox: sysinit, wait and once run at boot only). */
export interface PlanDormant {
  entry: PlanEntry;
  message: string;
}

export interface ReloadPlan {
  dialect: string;
  family: "sysvinit" | "busybox";
  runlevel?: string;
  /** sysvinit: seconds between TERM and KILL; BusyBox: FEATURE_KILL_DELAY (0: no KILL). */
  graceSeconds: number;
  /** BusyBox: whether stale entries are killed (FEATURE_KILL_REMOVED). */
  killRemoved?: boolean;
  stop: PlanStop[];
  start: PlanStart[];
  keep: PlanKeep[];
  dormant: PlanDormant[];
}

/** The runlevels a re-read can happen in, with the boot phases first (for "in any level"). */
export const RELOAD_LEVELS = ["#", "*", "S", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9"] as const;

export function planReload(old: InitPrediction, next: InitPrediction, options: ReloadPlanOptions = {}): ReloadPlan {
  return next.dialect.family === "busybox" ? planBusyBox(old, next, options) : planSysvinit(old, next, options);
}

const refOf = (e: SimulatedEntry): PlanEntry => ({
  line: e.line,
  start: e.start,
  ...(e.path !== undefined ? { path: e.path } : {}),
  id: e.id,
  runlevels: e.runlevels,
  action: e.action,
  process: e.process,
});

/** BusyBox keeps the pid of these actions' processes only (run_actions). */
const TRACKED = new Set(["respawn", "askfirst"]);

/** Binary strings for messages stay as they are here; report/ escapes them for a terminal. */
const q = (s: string): string => `"${s}"`;

// ---------------------------------------------------------------------------------------------
// sysvinit

/** The synthetic `~~:S:wait:/sbin/sulogin` init appends after /etc/inittab when no entry has S. */
function sulogin(p: InitPrediction): SimulatedEntry {
  const end = p.entries.filter((e) => e.path === undefined).reduce((n, e) => Math.max(n, e.end), 0);
  return {
    line: 0,
    initLine: 0,
    start: end,
    end,
    id: "~~",
    runlevels: "S",
    action: "wait",
    process: "/sbin/sulogin",
    info: SYSVINIT_ACTIONS["wait"]!,
    fromSplit: false,
  };
}

/** init's list: power entries (and ctrlaltdel) first in file order, the rest in file order. */
export function sysvinitList(p: InitPrediction): SimulatedEntry[] {
  const main = p.entries.filter((e) => e.path === undefined);
  const tabs = p.entries.filter((e) => e.path !== undefined);
  const all = [...main, ...(p.syntheticSulogin ? [sulogin(p)] : []), ...tabs];
  return [...all.filter((e) => e.info.power), ...all.filter((e) => !e.info.power)];
}

interface SysvState {
  /** "maybe": a once or boot process that may have exited by now. */
  running: "yes" | "no" | "maybe";
  /** XECUTED: it ran in this level (or only a signal arms it). */
  executed: boolean;
  pids: number[];
}

/** How init leaves an entry once it has settled in `level` (start_if_needed has done its pass). */
function settledState(e: SimulatedEntry, level: string): SysvState {
  const none: SysvState = { running: "no", executed: e.info.triggered === true, pids: [] };
  if (!e.info.spawns) return none;
  // A boot entry is not waited for and is never killed for the level: it may still run.
  if (e.action === "boot") return { running: "maybe", executed: true, pids: [] };
  if (e.info.bootPhase || e.info.triggered || !e.runlevels.includes(level)) return none;
  if (e.info.respawns) return { running: "yes", executed: true, pids: [] };
  // A waited-for entry has finished: init reached the later entries of the level.
  if (e.info.waited) return { running: "no", executed: true, pids: [] };
  return { running: "maybe", executed: true, pids: [] };
}

function stateOf(e: SimulatedEntry, level: string, known: ReloadPlanOptions["state"]): SysvState {
  const base = settledState(e, level);
  const s = known?.(e);
  if (!s) return base;
  if (!s.running) return { running: "no", executed: base.executed, pids: [] };
  return { running: "yes", executed: true, pids: [...(s.pids ?? [])] };
}

function planSysvinit(old: InitPrediction, next: InitPrediction, options: ReloadPlanOptions): ReloadPlan {
  const level = options.runlevel;
  if (level === undefined || level.length !== 1) throw new Error("planReload: sysvinit needs the current runlevel");
  const grace = options.graceSeconds ?? next.dialect.telinitSleeptime ?? 3;
  const oldList = sysvinitList(old);
  const newList = sysvinitList(next);
  // read_inittab: each new entry, in list order, claims the first old entry with its id; a
  // later new entry with the same id (only `~~` may repeat) takes the claim over.
  const firstOld = new Map<string, SimulatedEntry>();
  for (const o of oldList) if (!firstOld.has(o.id)) firstOld.set(o.id, o);
  const claim = new Map<SimulatedEntry, SimulatedEntry>();
  for (const n of newList) {
    const o = firstOld.get(n.id);
    if (o) claim.set(o, n);
  }
  const stop: PlanStop[] = [];
  const keep: PlanKeep[] = [];
  /** The state each new entry starts the walk with: inherited, or fresh. */
  const inherited = new Map<SimulatedEntry, SysvState>();
  for (const o of oldList) {
    const n = claim.get(o);
    const state = stateOf(o, level, options.state);
    let reason: StopReason | undefined;
    if (!n) reason = "id-removed";
    else if (n.action !== o.action) reason = "action-changed";
    else if (o.action !== "boot" && !o.runlevels.includes(level)) reason = "runlevel-excluded";
    if (!reason) {
      inherited.set(n!, state);
      if (state.running !== "no") keepIfChanged(o, n!, state, level, keep);
      continue;
    }
    if (state.running === "no") continue;
    stop.push({
      entry: refOf(o),
      reason,
      message: stopMessage(reason, o, n, level, grace),
      signals: ["TERM", "KILL"],
      graceSeconds: grace,
      ifRunning: state.running === "maybe",
      pids: state.pids,
      ...(n ? { replacement: refOf(n) } : {}),
    });
  }
  const start = startsSysvinit(newList, inherited, claim, new Set(firstOld.keys()), level);
  return {
    dialect: next.dialect.name,
    family: "sysvinit",
    runlevel: level,
    graceSeconds: grace,
    stop,
    start,
    keep,
    dormant: [],
  };
}

function stopMessage(
  reason: StopReason,
  o: SimulatedEntry,
  n: SimulatedEntry | undefined,
  level: string,
  grace: number,
): string {
  const how = `init sends TERM to its process group, then KILL to what is left after ${grace} s`;
  switch (reason) {
    case "id-removed":
      return `no entry has the id ${q(o.id)} any more: ${how}`;
    case "action-changed":
      return `its action changes from ${o.action} to ${n!.action}: ${how}`;
    case "runlevel-excluded":
      return `its runlevels (${o.runlevels}) do not include the current level ${level}: ${how}`;
    case "removed":
      return how;
  }
}

function keepIfChanged(o: SimulatedEntry, n: SimulatedEntry, state: SysvState, level: string, keep: PlanKeep[]): void {
  const base = { old: refOf(o), new: refOf(n), ifRunning: state.running === "maybe", pids: state.pids };
  const restarts = n.info.respawns;
  if (!n.runlevels.includes(level) && n.runlevels !== o.runlevels) {
    keep.push({
      ...base,
      reason: "runlevels-exclude-level",
      message:
        `its runlevels change from ${o.runlevels} to ${n.runlevels}, without the current level ${level}: ` +
        `init decides ` +
        `on the old ones, so the process keeps running` +
        (restarts ? `, and is not started again when it exits` : ""),
    });
    return;
  }
  if (n.process !== o.process) {
    keep.push({
      ...base,
      reason: "command-changed",
      message:
        `its command changes: init never compares commands, so the process keeps running the old one` +
        (restarts ? `; the new command runs when init next starts the entry` : ""),
    });
    return;
  }
  if (n.runlevels !== o.runlevels) {
    const message = `its runlevels change from ${o.runlevels} to ${n.runlevels}: the process keeps running`;
    keep.push({ ...base, reason: "runlevels-changed", message });
  }
}

/** start_if_needed over the new list, from the state each entry carries after the re-read. */
function startsSysvinit(
  list: SimulatedEntry[],
  inherited: Map<SimulatedEntry, SysvState>,
  claim: Map<SimulatedEntry, SimulatedEntry>,
  oldIds: ReadonlySet<string>,
  level: string,
): PlanStart[] {
  const out: PlanStart[] = [];
  let blocker: SimulatedEntry | undefined;
  const claimedBy = new Map<SimulatedEntry, SimulatedEntry>();
  for (const [o, n] of claim) claimedBy.set(n, o);
  for (const n of list) {
    const kept = inherited.get(n);
    // A kept entry init is still waiting for (a running `wait`): the walk stops there for now.
    if (kept && kept.running !== "no" && n.info.waited) {
      blocker ??= n;
      continue;
    }
    if (kept && kept.running === "yes") continue;
    if (!n.runlevels.includes(level)) continue;
    if (!n.info.spawns || n.info.bootPhase) continue;
    const executed = kept ? kept.executed : n.info.triggered === true;
    if (!n.info.respawns && executed) continue;
    if (kept && kept.running === "maybe") continue;
    const o = claimedBy.get(n);
    const reason: StartReason = kept
      ? "not-running"
      : !o
        ? oldIds.has(n.id)
          ? "renewed"
          : "new-id"
        : o.action !== n.action
          ? "action-changed"
          : !o.runlevels.includes(level)
            ? "runlevels-widened"
            : "renewed";
    const waited = n.info.waited;
    out.push({
      entry: refOf(n),
      reason,
      message: startMessage(reason, n, o, level, waited),
      waited,
      ...(blocker ? { after: refOf(blocker) } : {}),
    });
    if (waited) blocker ??= n;
  }
  return out;
}

function startMessage(
  reason: StartReason,
  n: SimulatedEntry,
  o: SimulatedEntry | undefined,
  level: string,
  waited: boolean,
): string {
  const then = waited ? "; init waits for it to exit before it starts later entries" : "";
  switch (reason) {
    case "new-id":
      return `a new id whose runlevels include ${level}: init starts it (${n.action})${then}`;
    case "action-changed":
      return `its action changes from ${o!.action} to ${n.action}: init starts it afresh${then}`;
    case "runlevels-widened":
      return `its runlevels now include the current level ${level}: init starts it${then}`;
    case "not-running":
      return `no process runs for it: init starts it again (a re-read also lifts the respawn limit)${then}`;
    case "renewed":
    case "new":
    case "second-instance":
    case "now-respawns":
      return `init starts it afresh${then}`;
  }
}

/**
 * The entries that have a process once init has settled (sysvinit: in `runlevel`, after its
 * waited-for entries finished), as the plan assumes when nothing is known of the processes.
 * `certain` is false for a process that may have exited by now (once, boot).
 */
export function settledProcesses(
  p: InitPrediction,
  runlevel?: string,
): Array<{ entry: SimulatedEntry; certain: boolean }> {
  if (p.dialect.family === "busybox") {
    return p.entries
      .filter((e) => TRACKED.has(e.action) || e.action === "once")
      .map((entry) => ({ entry, certain: TRACKED.has(entry.action) }));
  }
  if (runlevel === undefined) throw new Error("settledProcesses: sysvinit needs the runlevel");
  return sysvinitList(p)
    .map((entry) => ({ entry, running: settledState(entry, runlevel).running }))
    .filter((x) => x.running !== "no")
    .map(({ entry, running }) => ({ entry, certain: running === "yes" }));
}

// ---------------------------------------------------------------------------------------------
// BusyBox

/** new_init_action's key: the command and the terminal; a terminal too long to store never matches. */
function busyboxKey(e: SimulatedEntry, unmatched: Map<SimulatedEntry, string>): string {
  const tty = ttyPath(e.id);
  if (tty.length <= BUSYBOX_TERMINAL_MAX) return `${tty}\0${e.process}`;
  let key = unmatched.get(e);
  if (key === undefined) unmatched.set(e, (key = `\0${unmatched.size}`));
  return key;
}

function planBusyBox(old: InitPrediction, next: InitPrediction, options: ReloadPlanOptions): ReloadPlan {
  const killRemoved = options.killRemoved ?? next.dialect.reload.killRemoved ?? false;
  const killDelay = options.killDelay ?? next.dialect.reload.killDelay ?? 0;
  const unmatched = new Map<SimulatedEntry, string>();
  const keyOf = (e: SimulatedEntry): string => busyboxKey(e, unmatched);
  const newByKey = new Map<string, SimulatedEntry>();
  for (const n of next.entries) newByKey.set(keyOf(n), n);
  const oldKeys = new Set<string>();
  const stop: PlanStop[] = [];
  const start: PlanStart[] = [];
  const keep: PlanKeep[] = [];
  const dormant: PlanDormant[] = [];
  for (const o of old.entries) {
    const key = keyOf(o);
    oldKeys.add(key);
    const n = newByKey.get(key);
    const known = options.state?.(o);
    const tracked = TRACKED.has(o.action);
    // init keeps the pid of respawn and askfirst entries only; a once process runs untracked.
    const assumed = tracked ? "yes" : o.action === "once" ? "maybe" : "no";
    const running: "yes" | "no" | "maybe" = known ? (known.running ? "yes" : "no") : assumed;
    const pids = known?.running ? [...(known.pids ?? [])] : [];
    const base = { ifRunning: running === "maybe", pids };
    if (!n) {
      if (running === "no") continue;
      if (tracked && killRemoved) {
        stop.push({
          entry: refOf(o),
          reason: "removed",
          message:
            `no line has this command on this terminal any more: init sends TERM to the process` +
            (killDelay > 0 ? `, then KILL after ${killDelay} s` : ` (this build sends no KILL)`),
          signals: killDelay > 0 ? ["TERM", "KILL"] : ["TERM"],
          ...(killDelay > 0 ? { graceSeconds: killDelay } : {}),
          ifRunning: false,
          pids,
        });
      } else {
        keep.push({
          old: refOf(o),
          ...base,
          reason: tracked ? "removed-not-killed" : "untracked",
          message: tracked
            ? `no line has this command on this terminal any more; init was built without FEATURE_KILL_REMOVED, ` +
              `so the process keeps running and is not started again`
            : `no line has this command on this terminal any more; init does not track a ${o.action} process, ` +
              `so it keeps running`,
        });
      }
      continue;
    }
    const nowTracked = TRACKED.has(n.action);
    if (tracked && running !== "no") {
      if (!nowTracked) {
        keep.push({
          old: refOf(o),
          new: refOf(n),
          ...base,
          reason: "action-changed",
          message:
            `its action changes from ${o.action} to ${n.action}: the process keeps running and is not started again ` +
            `when it exits`,
        });
      } else if (n.action !== o.action) {
        const message = `its action changes from ${o.action} to ${n.action}: the process keeps running`;
        keep.push({ old: refOf(o), new: refOf(n), ...base, reason: "action-changed", message });
      }
      continue;
    }
    if (nowTracked) {
      const second = o.action === "once" && running !== "no";
      const reason = tracked ? "not-running" : second ? "second-instance" : "now-respawns";
      const message = {
        "not-running": `no process runs for it: init starts it`,
        "second-instance":
          `its action changes from once to ${n.action}: init does not track the once process, ` +
          `so it starts another one beside it`,
        "now-respawns": `its action changes from ${o.action} to ${n.action}: init starts it`,
      }[reason];
      start.push({ entry: refOf(n), reason, message, waited: false });
    }
  }
  for (const n of next.entries) {
    if (oldKeys.has(keyOf(n))) continue;
    if (TRACKED.has(n.action)) {
      const message = `a new command on this terminal: init starts it (${n.action})`;
      start.push({ entry: refOf(n), reason: "new", message, waited: false });
    } else if (["sysinit", "wait", "once"].includes(n.action)) {
      const message = `a new ${n.action} line: BusyBox runs ${n.action} lines only at boot, a re-read never does`;
      dormant.push({ entry: refOf(n), message });
    }
  }
  return {
    dialect: next.dialect.name,
    family: "busybox",
    graceSeconds: killDelay,
    killRemoved,
    stop,
    start,
    keep,
    dormant,
  };
}
