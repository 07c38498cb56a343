/**
 * A re-read plan for the running system: the current runlevel and init's processes read from
 * it where they can be (utmp, /proc), what was given where they cannot. Only read: nothing is
 * signalled. PID 1 is consulted only when it is an init this tool models (its program is `init`
 * or `busybox`): under systemd or in a container, its children are not inittab entries.
 */
import { existsSync, readFileSync, readlinkSync } from "node:fs";
import { basename, join } from "node:path";
import { InittabError } from "../base/errors.js";
import { planReload, type InitPrediction, type ReloadPlan } from "../init/index.js";
import { matchProcesses } from "./live.js";
import { readInitChildren, readProcess, type ProcessInfo } from "./processes.js";
import { readRunlevel, readSmall, UTMP_PATHS, type RunlevelReading } from "./runlevel.js";
import { parseUtmp, type UtmpRecord } from "./utmp.js";

export interface LiveOptions {
  /** Where proc is mounted (default /proc) and init's pid there (default 1). */
  proc?: string;
  initPid?: number;
  /** The utmp file (default the first of /run/utmp, /var/run/utmp that exists). */
  utmp?: string;
}

export interface LiveSystem {
  /** Why nothing was read, when PID 1 is not an init this tool models (or cannot be seen). */
  unavailable?: string;
  runlevel?: RunlevelReading;
  init?: ProcessInfo;
  children: ProcessInfo[];
  utmp?: { path: string; records: UtmpRecord[] };
}

/** The programs sysvinit and BusyBox init run as. */
const INIT_PROGRAMS = new Set(["init", "busybox"]);

/** Read the running init's runlevel, children and utmp. */
export function readLiveSystem(options: LiveOptions = {}): LiveSystem {
  const proc = options.proc ?? "/proc";
  const initPid = options.initPid ?? 1;
  let program: string;
  try {
    program = basename(readlinkSync(join(proc, String(initPid), "exe")));
  } catch {
    try {
      program = readFileSync(join(proc, String(initPid), "comm"), "latin1").trim();
    } catch {
      return { unavailable: `cannot read process ${initPid} in ${proc}`, children: [] };
    }
  }
  if (!INIT_PROGRAMS.has(program)) {
    return { unavailable: `process ${initPid} is ${program}, not sysvinit or BusyBox init`, children: [] };
  }
  const utmpPath = options.utmp ?? UTMP_PATHS.find((p) => existsSync(p));
  let utmp: LiveSystem["utmp"];
  const utmpBytes = utmpPath !== undefined ? readSmall(utmpPath) : undefined;
  // Without a readable utmp, processes are matched by their command lines only.
  if (utmpPath !== undefined && utmpBytes) utmp = { path: utmpPath, records: parseUtmp(new Uint8Array(utmpBytes)) };
  const runlevel = readRunlevel({ proc, initPid, ...(options.utmp !== undefined ? { utmp: options.utmp } : {}) });
  const init = readProcess(initPid, { proc });
  return {
    ...(runlevel ? { runlevel } : {}),
    ...(init ? { init } : {}),
    children: readInitChildren({ proc, initPid }),
    ...(utmp ? { utmp } : {}),
  };
}

export interface SystemPlanOptions {
  /** The runlevel, when given; else the running system's, else OLD's initdefault. */
  runlevel?: string;
  /** What was read of the running system, when it was. */
  live?: LiveSystem;
  graceSeconds?: number;
  killRemoved?: boolean;
}

export interface SystemPlan {
  plan: ReloadPlan;
  /** Where the runlevel came from (sysvinit), for the output. */
  runlevelSource?: string;
  /** How processes were matched to entries, when they were read. */
  processes?: "utmp" | "cmdline";
}

/** Plan a re-read of `next` by the init that runs `old`, on this system as far as it can be seen. */
export function planOnSystem(old: InitPrediction, next: InitPrediction, options: SystemPlanOptions = {}): SystemPlan {
  const live = options.live && !options.live.unavailable ? options.live : undefined;
  let runlevel: string | undefined;
  let runlevelSource: string | undefined;
  if (next.dialect.family === "sysvinit") {
    if (options.runlevel !== undefined) {
      runlevel = options.runlevel;
      runlevelSource = "given";
    } else if (live?.runlevel) {
      runlevel = live.runlevel.runlevel;
      runlevelSource = { utmp: "utmp", proc: "init's title", "runlevel-file": "" }[live.runlevel.source] || "";
      runlevelSource = `${runlevelSource ? `${runlevelSource}, ` : ""}${live.runlevel.path}`;
    } else if (old.defaultRunlevel !== null) {
      runlevel = old.defaultRunlevel;
      runlevelSource = "the initdefault of the file init runs";
    } else {
      throw new InittabError("invalid-option", "cannot tell which runlevel init is in: give `runlevel`");
    }
  }
  const match = live
    ? matchProcesses(old, live.children, {
        ...(live.utmp ? { utmp: live.utmp.records } : {}),
        ...(live.init ? { initArgv: live.init.argv } : {}),
        ...(live.init?.stdin !== undefined ? { initStdin: live.init.stdin } : {}),
      })
    : undefined;
  const plan = planReload(old, next, {
    ...(runlevel !== undefined ? { runlevel } : {}),
    ...(options.graceSeconds !== undefined ? { graceSeconds: options.graceSeconds } : {}),
    ...(options.killRemoved !== undefined ? { killRemoved: options.killRemoved } : {}),
    ...(match ? { state: match.state } : {}),
  });
  return {
    plan,
    ...(runlevelSource !== undefined ? { runlevelSource } : {}),
    ...(match ? { processes: match.method } : {}),
  };
}
