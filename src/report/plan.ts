/**
 * A re-read plan (init/reload.ts) for people and for programs: text, one block per stop, start
 * and kept process, and JSON. Ids, commands and messages are binary strings from the files:
 * text escapes them for a terminal, JSON decodes them as UTF-8.
 */
import { binaryToText, escapeBinary, escapeText } from "../base/bytes.js";
import type { PlanEntry, ReloadPlan } from "../init/index.js";

/** Where the plan's inputs came from, as the output names them. */
export interface PlanContext {
  /** The file init runs now, and the one it will read (display names). */
  old: string;
  new: string;
  /** How the current runlevel was found: `given`, `utmp /run/utmp`, `initdefault`, … */
  runlevelSource?: string;
  /** How live processes were matched (`utmp`, `cmdline`), when they were read. */
  processes?: string;
  /** The command that makes init re-read (`telinit q`, `kill -HUP 1`). */
  reread: string;
}

export interface PlanSummary {
  stop: number;
  start: number;
  keep: number;
}

export function summarizePlan(plan: ReloadPlan): PlanSummary {
  return { stop: plan.stop.length, start: plan.start.length, keep: plan.keep.length };
}

const show = (e: PlanEntry): string => {
  const where = e.line === 0 ? "init's own" : `${e.path !== undefined ? `${escapeBinary(e.path)}:` : "line "}${e.line}`;
  const text = `${e.id}:${e.runlevels}:${e.action}:${e.process}`;
  return `${where}  ${escapeBinary(text)}`;
};

const pids = (list: readonly number[]): string => (list.length === 0 ? "" : `  [pid ${list.join(", ")}]`);

export function formatPlanText(plan: ReloadPlan, ctx: PlanContext): string {
  const lines: string[] = [];
  const source = ctx.runlevelSource ? ` (${escapeText(ctx.runlevelSource)})` : "";
  const level = plan.runlevel !== undefined ? `, runlevel ${plan.runlevel}${source}` : "";
  lines.push(`re-read (${ctx.reread}): ${ctx.old} → ${ctx.new}; ${plan.dialect}${level}`);
  if (ctx.processes) lines.push(`processes: children of init, matched by ${ctx.processes}`);
  for (const s of plan.stop) {
    lines.push(`stop   ${show(s.entry)}${pids(s.pids)}`);
    lines.push(`       ${s.ifRunning ? "if its process still runs: " : ""}${escapeBinary(s.message)}`);
  }
  for (const s of plan.start) {
    lines.push(`start  ${show(s.entry)}`);
    const after = s.after ? ` (after ${escapeBinary(s.after.id)}, line ${s.after.line}, has exited)` : "";
    lines.push(`       ${escapeBinary(s.message)}${after}`);
  }
  for (const k of plan.keep) {
    lines.push(`keep   ${show(k.new ?? k.old)}${pids(k.pids)}`);
    lines.push(`       ${k.ifRunning ? "if its process still runs: " : ""}${escapeBinary(k.message)}`);
  }
  for (const d of plan.dormant) {
    lines.push(`idle   ${show(d.entry)}`);
    lines.push(`       ${escapeBinary(d.message)}`);
  }
  const n = summarizePlan(plan);
  lines.push(
    n.stop + n.start + n.keep === 0
      ? "nothing is stopped or started"
      : `${n.stop} to stop, ${n.start} to start, ${n.keep} kept running with a changed entry`,
  );
  return `${lines.join("\n")}\n`;
}

const entryJson = (e: PlanEntry): Record<string, unknown> => ({
  line: e.line,
  ...(e.path !== undefined ? { path: binaryToText(e.path) } : {}),
  id: binaryToText(e.id),
  runlevels: binaryToText(e.runlevels),
  action: e.action,
  process: binaryToText(e.process),
});

export function formatPlanJson(plan: ReloadPlan, ctx: PlanContext): string {
  const out = {
    old: ctx.old,
    new: ctx.new,
    dialect: plan.dialect,
    ...(plan.runlevel !== undefined ? { runlevel: plan.runlevel } : {}),
    ...(ctx.runlevelSource !== undefined ? { runlevelSource: ctx.runlevelSource } : {}),
    reread: ctx.reread,
    graceSeconds: plan.graceSeconds,
    ...(plan.killRemoved !== undefined ? { killRemoved: plan.killRemoved } : {}),
    processes: ctx.processes ?? null,
    stop: plan.stop.map((s) => ({
      entry: entryJson(s.entry),
      reason: s.reason,
      message: binaryToText(s.message),
      signals: s.signals,
      ifRunning: s.ifRunning,
      pids: s.pids,
      ...(s.replacement ? { replacement: entryJson(s.replacement) } : {}),
    })),
    start: plan.start.map((s) => ({
      entry: entryJson(s.entry),
      reason: s.reason,
      message: binaryToText(s.message),
      waited: s.waited,
      ...(s.after ? { after: entryJson(s.after) } : {}),
    })),
    keep: plan.keep.map((k) => ({
      old: entryJson(k.old),
      ...(k.new ? { new: entryJson(k.new) } : {}),
      reason: k.reason,
      message: binaryToText(k.message),
      ifRunning: k.ifRunning,
      pids: k.pids,
    })),
    dormant: plan.dormant.map((d) => ({ entry: entryJson(d.entry), message: binaryToText(d.message) })),
    summary: summarizePlan(plan),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}
