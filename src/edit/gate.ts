/**
 * The validation gate: an edit may not make the file worse. The edited document is checked
 * with the validator (same dialect and options) and compared with the original; an error that
 * was not there before refuses the edit (the CLI's `--force` overrides). Errors the file had
 * already do not block an unrelated edit.
 *
 * The gate also reports IT034 itself (the registry lists it as the edit gate's): an edit that
 * removes an entry, or changes its id or action, makes init stop that entry's process on the
 * next reload.
 */
import type { Dialect } from "../dialects/index.js";
import { resolveAction } from "../dialects/index.js";
import { escapeBinary } from "../base/bytes.js";
import { lowerBound } from "../base/search.js";
import type { Document, Entry, Line } from "../document/model.js";
import { isEntry } from "../document/model.js";
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
export function gateEdit(before: Document, after: Document, check: CheckFn | undefined, options: CheckOptions = {}): GateResult {
  check ??= checkDocument;
  const old = check(before, options);
  const now = check(after, options);
  return { added: newErrors(before, old, after, now), warnings: stoppedEntries(before, after) };
}

/**
 * Errors of `after` that `before` did not have. An error is identified by its code and the
 * content of the lines it points at (offsets move when lines are added or removed, content
 * does not); counts matter, so a second copy of an existing error is new.
 */
export function newErrors(before: Document, old: readonly Diagnostic[], after: Document, now: readonly Diagnostic[]): Diagnostic[] {
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
  if (lines.length === 0 && doc.lines.length > 0 && d.start >= doc.source.length) lines.push(doc.lines[doc.lines.length - 1]!);
  const content = lines.map((l) => l.raw.slice(0, l.contentEnd - l.start)).join("\n");
  return `${d.code}\0${content}`;
}

/** The lines with an end after `start` and a start at or before `last` (a bisection: lines tile the file). */
function linesOverlapping(doc: Document, start: number, last: number): Line[] {
  const all = doc.lines;
  const out: Line[] = [];
  for (let i = lowerBound(all, start + 1, (l) => l.end); i < all.length && all[i]!.start <= last; i++) out.push(all[i]!);
  return out;
}

/**
 * IT034: entries of `before` whose running process init stops when it re-reads `after`: the
 * id is gone, or the action changed (spec/sysvinit.md §6, E5). Only for inits that key entries
 * on their id; BusyBox leaves the processes of removed lines running.
 */
export function stoppedEntries(before: Document, after: Document): Diagnostic[] {
  const dialect = before.dialect;
  if (dialect.idIsTty) return [];
  const byId = new Map<string, Entry>();
  for (const e of after.lines.filter(isEntry)) if (!byId.has(e.fields.id.value)) byId.set(e.fields.id.value, e);
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const e of before.lines.filter(isEntry)) {
    const id = e.fields.id.value;
    if (seen.has(id)) continue; // init ignores later entries with an id it has
    seen.add(id);
    if (!mayRun(dialect, e)) continue;
    const now = byId.get(id);
    const was = resolveAction(dialect, e.fields.action.value)?.name;
    let why: string | undefined;
    if (!now) why = "the entry is gone";
    else if (resolveAction(dialect, now.fields.action.value)?.name !== was) why = "its action changes";
    if (!why) continue;
    out.push({
      code: "IT034",
      severity: "warning",
      message:
        `${why}: on the next reload (telinit q, SIGHUP or a runlevel change) init stops the process of ` +
        `"${escapeBinary(id)}" (TERM, then KILL)`,
      line: e.line,
      column: 1,
      endLine: e.endLine,
      endColumn: e.contentEnd - e.start + 1,
      start: e.start,
      end: e.contentEnd,
      dropped: false,
    });
  }
  return out;
}

/** An entry whose action starts a process (initdefault and off never do). */
function mayRun(dialect: Dialect, e: Entry): boolean {
  return resolveAction(dialect, e.fields.action.value)?.info.spawns ?? false;
}
