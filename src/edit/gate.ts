/**
 * The validation gate: an edit may not make the file worse. The edited document is checked
 * with the validator (same dialect and options) and compared with the original; an error that
 * was not there before refuses the edit (the CLI's `--force` overrides). Errors the file had
 * already do not block an unrelated edit.
 *
 * The gate also reports IT034 itself (the registry lists it as the edit gate's): an edit after
 * which a re-read stops an entry's process (init/reload.ts decides which).
 */
import { escapeBinary } from "../base/bytes.js";
import { lowerBound } from "../base/search.js";
import type { Document, Line } from "../document/model.js";
import { planReload, simulateInit, type PlanStop, type ProcessState, type SimulatedEntry } from "../init/index.js";

/** The runlevels a system is up in when its file is edited (the boot phases are over). */
const LEVELS = "S0123456789";
import { checkDocument } from "../rules/index.js";
import type { CheckOptions, Diagnostic } from "../rules/types.js";

/** The validator's signature (rules/index.ts `checkDocument`); replaceable in tests. */
export type CheckFn = (doc: Document, options?: CheckOptions) => Diagnostic[];

export interface GateResult {
  /** Errors the edit adds: the edit is refused unless forced. */
  added: Diagnostic[];
  /** IT034 warnings: entries whose process init will stop on the next reload. */
  warnings: Diagnostic[];
}

/**
 * The validation gate: compare the checker's findings before and after an edit, with the same
 * options, and add the edit's own IT034 warnings (entries whose process init stops on the next
 * re-read). An edit whose `added` is not empty makes the file worse; the CLI refuses it unless
 * forced. `check` defaults to `checkDocument`.
 *
 * @example
 * const after = parse(applyEdits(bytes, r.edits), { dialect: doc.dialect });
 * const { added, warnings } = gateEdit(doc, after, undefined, {});
 */
export function gateEdit(
  before: Document,
  after: Document,
  check: CheckFn | undefined,
  options: CheckOptions = {},
): GateResult {
  check ??= checkDocument;
  const old = check(before, options);
  const now = check(after, options);
  return {
    added: newErrors(before, old, after, now),
    warnings: stoppedEntries(before, after, options.allowExec ? { allowExec: true } : {}),
  };
}

/**
 * Errors of `after` that `before` did not have. An error is identified by its code and the
 * content of the lines it points at (offsets move when lines are added or removed, content
 * does not); counts matter, so a second copy of an existing error is new.
 */
export function newErrors(
  before: Document,
  old: readonly Diagnostic[],
  after: Document,
  now: readonly Diagnostic[],
): Diagnostic[] {
  const seen = new Map<string, number>();
  for (const d of old) {
    if (d.severity !== "error") continue;
    const k = key(before, d);
    seen.set(k, (seen.get(k) ?? 0) + 1);
  }
  const added: Diagnostic[] = [];
  for (const d of now) {
    if (d.severity !== "error") continue;
    const k = key(after, d);
    const n = seen.get(k) ?? 0;
    if (n > 0) seen.set(k, n - 1);
    else added.push(d);
  }
  return added;
}

function key(doc: Document, d: Diagnostic): string {
  // An empty span at offset 0 is about the whole file (IT019 "no initdefault"): the line it
  // happens to point at changes with the edit, and its message may name a line number.
  if (d.start === 0 && d.end === 0) return `${d.code}\0`;
  const last = Math.max(d.start, d.end - 1);
  // A finding at the very end of the file (a missing final newline) belongs to the last line.
  const lines = linesOverlapping(doc, d.start, last);
  if (lines.length === 0 && doc.lines.length > 0 && d.start >= doc.source.length)
    lines.push(doc.lines[doc.lines.length - 1]!);
  const content = lines.map((l) => l.raw.slice(0, l.contentEnd - l.start)).join("\n");
  return `${d.code}\0${content}`;
}

/** The lines with an end after `start` and a start at or before `last` (a bisection: lines tile the file). */
function linesOverlapping(doc: Document, start: number, last: number): Line[] {
  const all = doc.lines;
  const out: Line[] = [];
  for (let i = lowerBound(all, start + 1, (l) => l.end); i < all.length && all[i]!.start <= last; i++)
    out.push(all[i]!);
  return out;
}

/**
 * IT034: entries of `before` whose process init stops when it re-reads `after`, by the re-read
 * model (init/reload.ts). sysvinit: in each runlevel, every entry that runs there (and every
 * `boot` entry) is taken to have a process, since the file may be edited while it runs; the
 * plan's stops are an id gone or an action changed. sysinit and bootwait entries have finished
 * by the time the system is up. BusyBox: a respawn or askfirst line gone, when the build kills
 * removed lines (Debian's do).
 */
export function stoppedEntries(before: Document, after: Document, options: { allowExec?: boolean } = {}): Diagnostic[] {
  const simulate = { allowExec: options.allowExec === true };
  const old = simulateInit(before, simulate);
  const next = simulateInit(after, simulate);
  const found: Array<{ stop: PlanStop; levels: string[] }> = [];
  if (before.dialect.family === "busybox") {
    for (const stop of planReload(old, next).stop) found.push({ stop, levels: [] });
  } else {
    // Whether a re-read stops a running process of an entry whose id stays or goes, or whose
    // action changes, does not depend on the level: one plan, every entry that may run taken as
    // running. The stops it adds only because a process runs outside its entry's runlevels
    // (runlevel-excluded) are the assumption's, not the edit's.
    const levelsOf = (e: { runlevels: string }): string[] => [...LEVELS].filter((l) => e.runlevels.includes(l));
    const mayRun = (e: SimulatedEntry): boolean =>
      e.action === "boot" || (e.info.spawns && e.action !== "exec" && !e.info.bootPhase && levelsOf(e).length > 0);
    const running = (e: SimulatedEntry): ProcessState => ({ running: mayRun(e) });
    for (const stop of planReload(old, next, { runlevel: "0", state: running }).stop) {
      if (stop.reason === "runlevel-excluded") continue;
      found.push({ stop, levels: stop.entry.action === "boot" ? [] : levelsOf(stop.entry) });
    }
  }
  const out: Diagnostic[] = [];
  for (const { stop, levels: where } of found) {
    const inMain = stop.entry.path === undefined && stop.entry.line > 0;
    const line = inMain ? linesOverlapping(before, stop.entry.start, stop.entry.start)[0] : undefined;
    if (!line) continue;
    out.push({
      code: "IT034",
      severity: "warning",
      message: it034Message(before, stop, where),
      line: line.line,
      column: 1,
      endLine: line.endLine,
      endColumn: line.contentEnd - line.start + 1,
      start: line.start,
      end: line.contentEnd,
      dropped: false,
    });
  }
  return out.sort((a, b) => a.start - b.start);
}

function it034Message(before: Document, stop: PlanStop, levels: string[]): string {
  const id = escapeBinary(stop.entry.id);
  if (before.dialect.family === "busybox") {
    return (
      `the line is gone: on the next re-read (${before.dialect.reloadHint}) init sends TERM to its process ` +
      `(BusyBox built with FEATURE_KILL_REMOVED, as Debian's is)`
    );
  }
  const why =
    stop.reason === "id-removed"
      ? "the entry is gone"
      : `its action changes from ${stop.entry.action} to ${stop.replacement?.action ?? "?"}`;
  const where =
    levels.length === 0
      ? "any runlevel"
      : levels.length === 1
        ? `runlevel ${levels[0]}`
        : `runlevels ${levels.join("")}`;
  return (
    `${why}: if init re-reads the file (telinit q, SIGHUP or a runlevel change) while the entry runs ` +
    `(${where}), init stops the process of "${id}" (TERM to its process group, then KILL)`
  );
}
