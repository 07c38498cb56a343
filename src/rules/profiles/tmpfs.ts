/**
 * --profile tmpfs: the dummy inittab placed in a tmpfs before `pivot_root` and `telinit U` at
 * shutdown (docs/internals/sysvinit.md). When state passing works the new init never reads
 * it; it is read on the next `telinit q`, SIGHUP or runlevel request, and in the no-state
 * fallback, where init boots from it from scratch. So it must keep the running rc entry (same
 * id and action), add nothing else that runs in the shutdown level, nothing for the boot phases,
 * no respawners, and name an unused initdefault level.
 */
import type { CheckContext } from "../context.js";
import { simulateInit, type SimulatedEntry } from "../../init/simulate.js";
import { planReload } from "../../init/reload.js";
import { holdsBackLaterEntries } from "../../dialects/index.js";
import { escapeBinary } from "../../base/bytes.js";
import { entryView, fileOf } from "../lookup.js";

const SHUTDOWN_LEVELS = ["0", "6"];

export function checkTmpfsProfile(ctx: CheckContext): void {
  const main = ctx.main;
  if (!main || ctx.dialect.family !== "sysvinit") return;
  const sim = ctx.sim;
  const entries = sim.entries;
  const spanOf = (e: SimulatedEntry, field: "id" | "runlevels" | "action" | "process" | undefined) => {
    const v = entryView(main, e.start);
    const f = field ? v?.line.fields[field] : undefined;
    return f ?? (v ? { start: v.line.start, end: v.line.contentEnd } : { start: e.start, end: e.end });
  };

  // The kept rc entries: the first waited-for `wait` entry of each shutdown level.
  const kept = new Map<string, SimulatedEntry>();
  for (const e of entries) {
    if (e.action !== "wait") continue;
    for (const level of SHUTDOWN_LEVELS) if (e.runlevels.includes(level) && !kept.has(level)) kept.set(level, e);
  }
  const runs = (e: SimulatedEntry) => e.info.spawns || e.action === "exec";
  const used = new Set(entries.filter((e) => runs(e) && e.action !== "initdefault").flatMap((e) => [...e.runlevels]));

  // TMP001: the initdefault the fallback path boots into.
  const initdefault = entries.find((e) => e.action === "initdefault");
  const level = sim.defaultRunlevel;
  if (!initdefault || level === null) {
    ctx.report(
      main,
      "TMP001",
      initdefault ? spanOf(initdefault, "runlevels") : { start: 0, end: 0 },
      `the shutdown dummy needs an initdefault naming an unused level (e.g. "id:7:initdefault:"): without a valid one, an init that boots from this file stops at "Enter runlevel:" on the console`,
    );
  } else if (level === "S") {
    ctx.report(
      main,
      "TMP001",
      spanOf(initdefault, "runlevels"),
      `initdefault S in the shutdown dummy: a fresh init would loop over the S entries (or the synthetic /sbin/sulogin); name an unused level such as 7`,
    );
  } else if (level === "0" || level === "6") {
    ctx.report(
      main,
      "TMP001",
      spanOf(initdefault, "runlevels"),
      `initdefault ${level} in the shutdown dummy: a fresh init would run the ${level === "0" ? "halt" : "reboot"} entries again; name an unused level such as 7`,
    );
  } else if (used.has(level)) {
    const user = entries.find((e) => runs(e) && e.action !== "initdefault" && e.runlevels.includes(level))!;
    ctx.report(
      main,
      "TMP001",
      spanOf(initdefault, "runlevels"),
      `initdefault ${level} is a level that line ${user.line} runs in: a fresh init would start it; name a level no entry uses, such as 7`,
    );
  }

  for (const e of entries) {
    if (fileOf(ctx, e.path) !== main) continue;
    if (e.info.bootPhase) {
      ctx.report(
        main,
        "TMP002",
        spanOf(e, "action"),
        `a ${e.action} entry in the shutdown dummy runs when init boots from this file in the no-state fallback: remove it`,
      );
      continue;
    }
    if (e.action === "respawn" || e.action === "ondemand") {
      ctx.report(
        main,
        "TMP003",
        spanOf(e, "action"),
        `a ${e.action} entry in the shutdown dummy starts (and keeps restarting) a process from the tmpfs at the next re-read: remove it`,
      );
      continue;
    }
    if (!runs(e) || e.info.power) continue;
    const shutdownLevels = SHUTDOWN_LEVELS.filter((l) => e.runlevels.includes(l));
    if (shutdownLevels.length === 0) continue;
    if (shutdownLevels.every((l) => kept.get(l) === e)) continue;
    const rc = kept.get(shutdownLevels[0]!);
    ctx.report(
      main,
      "TMP005",
      spanOf(e, "runlevels"),
      rc
        ? `this entry runs in runlevel ${shutdownLevels.join("")} besides the kept rc entry (line ${rc.line}): init would start it after that entry exits; keep only the running rc entry`
        : `this entry runs in runlevel ${shutdownLevels.join("")} of the shutdown: init would start it at the next re-read; keep only the running rc entry`,
    );
  }

  // TMP004: without the running rc entry (same id and action), a re-read kills the shutdown.
  if (kept.size === 0) {
    ctx.report(
      main,
      "TMP004",
      { start: 0, end: 0 },
      `the shutdown dummy has no wait entry for runlevel 0 or 6: keep the running rc entry with the same id and action (e.g. "l0:0:wait:/etc/init.d/rc 0"), or a re-read kills the shutdown scripts (TERM, then KILL)`,
    );
  }

  runningEntryKept(ctx, kept, spanOf);

  if (sim.syntheticSulogin) {
    ctx.report(
      main,
      "TMP006",
      { start: 0, end: 0 },
      `no entry runs in S, so init adds "~~:S:wait:/sbin/sulogin", a program the tmpfs may not have; add "su:S:off:" to stop that`,
    );
  }

  // TMP007: whatever version boots from it, the file must read the same (3.14 is the strictest).
  const doc = main.doc;
  for (const line of doc.lines) {
    const length = line.end - line.start - (line.terminator === "none" ? 0 : 1);
    if (line.terminator === "CRLF" || line.raw.slice(0, line.contentEnd - line.start).includes("\r")) {
      ctx.report(
        main,
        "TMP007",
        { start: line.contentEnd, end: line.end },
        `carriage return in the shutdown dummy: init reads it as part of the line`,
      );
    }
    if (length > 254) {
      ctx.report(
        main,
        "TMP007",
        { start: line.start + 254, end: line.contentEnd },
        `line of ${length} bytes in the shutdown dummy: sysvinit 3.14 drops lines over 254 bytes and older versions split them`,
      );
    }
  }
  if (!doc.finalNewline) {
    const end = doc.source.length;
    ctx.report(
      main,
      "TMP007",
      { start: end, end },
      `the shutdown dummy does not end with a newline: sysvinit 3.14 drops its last line`,
    );
  }
}

/** The entries of `level` that later entries wait for: the pivot runs from one of them (by default the last). */
function waitedEntries(entries: readonly SimulatedEntry[], level: string): SimulatedEntry[] {
  return entries.filter((e) => e.action !== "exec" && holdsBackLaterEntries(e.info) && e.runlevels.includes(level));
}

/**
 * TMP008: with the running file known, the re-read model decides. init, in the shutdown level
 * with the shutdown entry running, re-reads the dummy; the entry is stopped when the dummy lacks
 * its id or changes its action (its command and runlevels may differ). The pivot runs from a
 * waited-for entry of the level, by default the last one (`inittab tmpfs --keep` names
 * another): the dummy passes when a re-read stops none of them in keeping one; otherwise the
 * finding names the last. The levels checked are those of the dummy's kept wait entries, or
 * both when it has none.
 */
function runningEntryKept(
  ctx: CheckContext,
  kept: ReadonlyMap<string, SimulatedEntry>,
  spanOf: (e: SimulatedEntry, field: "action") => { start: number; end: number },
): void {
  const main = ctx.main!;
  const running = ctx.options.running;
  if (!running) return;
  const live = simulateInit(running.doc, ctx.allowExec ? { allowExec: true } : {});
  const levels = kept.size > 0 ? [...kept.keys()] : SHUTDOWN_LEVELS;
  for (const level of levels) {
    const candidates = waitedEntries(live.entries, level);
    const stops = candidates.map((rc) => {
      const plan = planReload(live, ctx.sim, { runlevel: level, state: (e) => ({ running: e === rc }) });
      return plan.stop.find((s) => s.entry.start === rc.start && s.entry.path === rc.path);
    });
    const last = stops[stops.length - 1];
    if (!last || stops.some((s) => s === undefined)) continue;
    const rc = candidates[candidates.length - 1]!;
    const text = escapeBinary(`${rc.id}:${rc.runlevels}:${rc.action}:${rc.process}`);
    const named = `"${text}" (${escapeBinary(running.path)} line ${rc.line})`;
    const twin = ctx.sim.entries.find((e) => e.id === rc.id);
    const why =
      last.reason === "id-removed"
        ? `the dummy has no entry with its id "${escapeBinary(rc.id)}"`
        : `the dummy changes its action from ${rc.action} to ${last.replacement?.action ?? "?"}`;
    ctx.report(
      main,
      "TMP008",
      twin ? spanOf(twin, "action") : { start: 0, end: 0 },
      `a re-read of this dummy in runlevel ${level} stops the running shutdown entry ${named}: ${why}, so init sends ` +
        `TERM, then KILL, to the shutdown scripts; keep its id and action`,
    );
  }
}
