/**
 * What `inittab plan`, the write commands' `--plan` and `--reload` share: reading the running
 * system when the file is the one init runs, the plan of a re-read, and printing it.
 */
import { Option, type Command } from "commander";
import { escapeText } from "../base/bytes.js";
import type { Document } from "../document/index.js";
import { simulateInit, type InitPrediction } from "../init/index.js";
import { formatPlanJson, formatPlanText, type PlanContext } from "../report/index.js";
import { planOnSystem, readLiveSystem, type LiveOptions, type SystemPlan } from "../system/index.js";
import { usageError } from "./errors.js";

/** The hidden options that point the live reading elsewhere (tests, and a run inside another root). */
export interface LiveCliOptions {
  proc?: string;
  initPid?: string;
  utmp?: string;
}

export function liveOptions(cmd: Command, withInitPid = true): Command {
  cmd.addOption(new Option("--proc <dir>", "where proc is mounted, for reading init's processes").hideHelp());
  cmd.addOption(new Option("--utmp <file>", "the utmp file to read the runlevel and process records from").hideHelp());
  if (withInitPid) cmd.addOption(new Option("--init-pid <pid>", "the init whose processes to read").hideHelp());
  return cmd;
}

/**
 * The write commands' `--plan[=RUNLEVEL]`: write nothing, print what a re-read of the result
 * would do. Its value is optional and only taken as `--plan=2` (cli/main.ts), so that
 * `inittab rm --plan l3` removes l3.
 */
export function planFlag(): [string, string] {
  return [
    "--plan [runlevel]",
    "write nothing; print what a re-read of the result would stop and start (exit 1 if it stops something); " +
      "--plan=RUNLEVEL gives sysvinit's current level",
  ];
}

/** A runlevel as `--runlevel` and `--plan=` take it: one of 0-9 or S. */
export function runlevelArg(value: string, flag: string): string {
  const level = value.toUpperCase();
  if (!/^[0-9S]$/.test(level)) throw usageError(`${flag}: "${escapeText(value)}" is not a runlevel (0-9 or S)`);
  return level;
}

function pidArg(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const pid = Number(value);
  if (!(Number.isSafeInteger(pid) && pid > 0)) throw usageError(`--init-pid: not a process id: ${escapeText(value)}`);
  return pid;
}

export interface PlanRequest {
  before: Document;
  after: Document;
  /** The tabs of /etc/inittab.d on both sides (sysvinit 2.97+), when the file has them. */
  tabs?: ReadonlyArray<{ path: string; doc: Document }>;
  runlevel?: string;
  /** Read the running system (runlevel, processes): the file is the one init runs. */
  live: boolean;
  liveOptions?: LiveCliOptions;
  graceSeconds?: number;
  killRemoved?: boolean;
  allowExec?: boolean;
}

/** The plan, with the running system read when asked for and when PID 1 is an init we model. */
export function computePlan(request: PlanRequest): SystemPlan & { unavailable?: string } {
  const simulate = (doc: Document): InitPrediction =>
    simulateInit(doc, {
      ...(request.tabs ? { tabs: request.tabs } : {}),
      ...(request.allowExec ? { allowExec: true } : {}),
    });
  const o = request.liveOptions ?? {};
  const forced = o.proc !== undefined || o.initPid !== undefined || o.utmp !== undefined;
  const options: LiveOptions = {
    ...(o.proc !== undefined ? { proc: o.proc } : {}),
    ...(o.initPid !== undefined ? { initPid: pidArg(o.initPid)! } : {}),
    ...(o.utmp !== undefined ? { utmp: o.utmp } : {}),
  };
  const live = request.live || forced ? readLiveSystem(options) : undefined;
  const result = planOnSystem(simulate(request.before), simulate(request.after), {
    ...(request.runlevel !== undefined ? { runlevel: request.runlevel } : {}),
    ...(live ? { live } : {}),
    ...(request.graceSeconds !== undefined ? { graceSeconds: request.graceSeconds } : {}),
    ...(request.killRemoved !== undefined ? { killRemoved: request.killRemoved } : {}),
  });
  return { ...result, ...(live?.unavailable ? { unavailable: live.unavailable } : {}) };
}

/** Print a plan; resolves to the exit status a playbook tests: 1 when a process would be stopped. */
export function printPlan(
  result: SystemPlan & { unavailable?: string },
  ctx: Omit<PlanContext, "runlevelSource" | "processes">,
  json: boolean,
  stream: NodeJS.WriteStream = process.stdout,
): 0 | 1 {
  const full: PlanContext = {
    ...ctx,
    ...(result.runlevelSource !== undefined ? { runlevelSource: result.runlevelSource } : {}),
    ...(result.processes !== undefined ? { processes: result.processes } : {}),
  };
  if (result.unavailable && !json) {
    process.stderr.write(`inittab: note: running system not read: ${escapeText(result.unavailable)}\n`);
  }
  stream.write(json ? formatPlanJson(result.plan, full) : formatPlanText(result.plan, full));
  return result.plan.stop.length > 0 ? 1 : 0;
}
