/** Small helpers shared by the rule modules. */
import { resolveAction } from "../dialects/index.js";
import type { ActionInfo, Dialect } from "../dialects/index.js";
import { EXEC_ACTION } from "../dialects/index.js";
import { lowerBound, type Field, type Line } from "../document/index.js";
import type { CheckedFile, CheckContext } from "./context.js";
import type { DropCause, DroppedLine, InitPrediction, SimulatedEntry } from "./simulate.js";
import type { InitLine } from "./view.js";

/** The lines of a file that init parses as entries or rejects (not comments, blanks or unread lines). */
export function parsedLines(file: CheckedFile): readonly InitLine[] {
  let lines = parsedIndex.get(file);
  if (!lines) {
    lines = file.view.filter((v) => v.unread === undefined && (v.line.kind === "entry" || v.line.kind === "invalid"));
    parsedIndex.set(file, lines);
  }
  return lines;
}

/** parsedLines, computed once per checked file (most rules walk them). */
const parsedIndex = new WeakMap<CheckedFile, readonly InitLine[]>();

/** The action a field resolves to, with `exec` known under --allow-exec. */
export function actionOf(ctx: CheckContext, dialect: Dialect, action: string): { name: string; info: ActionInfo } | undefined {
  const found = resolveAction(dialect, action);
  if (found) return found;
  if (ctx.allowExec && dialect.family === "sysvinit" && action.toLowerCase() === "exec") return { name: "exec", info: EXEC_ACTION };
  return undefined;
}

// Lookups are indexed once per check (files can have tens of thousands of lines). The indexes
// are arrays sorted by offset, searched by bisection: no key strings, no hash maps per entry.
const dropIndex = new WeakMap<InitPrediction, Map<string, DroppedLine[]>>();
const entryIndex = new WeakMap<InitPrediction, Map<string, SimulatedEntry[]>>();
const firstById = new WeakMap<InitPrediction, Map<string, SimulatedEntry>>();

const pathOf = (file: CheckedFile) => (file.role === "tab" ? file.path : undefined);

const startOfItem = (item: { start: number }): number => item.start;

/** The last element whose start is <= offset, in an array sorted by start. */
function floorByStart<T>(items: readonly T[], offset: number, startOf: (item: T) => number = startOfItem as (item: T) => number): T | undefined {
  const i = lowerBound(items, offset + 1, startOf);
  return i > 0 ? items[i - 1] : undefined;
}

/** Items grouped by the file they come from ("" for the main file), each group sorted by start. */
function byPathSorted<T extends { path?: string; start: number }>(items: readonly T[]): Map<string, T[]> {
  const byPath = new Map<string, T[]>();
  for (const item of items) {
    const path = item.path ?? "";
    let list = byPath.get(path);
    if (!list) byPath.set(path, (list = []));
    list.push(item);
  }
  // Already in file order for sysvinit (a cheap pass); BusyBox moves re-added entries to the end.
  for (const list of byPath.values()) list.sort((a, b) => a.start - b.start);
  return byPath;
}

/**
 * The "(init logs …)" note of a diagnostic that explains why init drops a line for `cause`.
 * init checks all the fields of a line and each later check overwrites the message, so on a
 * line with several problems it logs only the last one: when the simulator says the line is
 * dropped for another cause, the note names what init really logs.
 */
export function initLogs(ctx: CheckContext, file: CheckedFile, start: number, cause: DropCause, message: string): string {
  const drop = dropAt(ctx, file, start);
  if (!drop || drop.cause === cause) return `(init logs "${message}")`;
  const logged = drop.message.replace(/^\/etc\/inittab\[\d+\]: /, "").replace(/[^\x20-\x7e]/g, "?");
  if (drop.cause === "too-long") return `(init drops the line before it looks at the fields, and logs "${logged}")`;
  return `(init logs "${logged}" for it instead: it logs only the last problem it finds on a line)`;
}

/** The simulator's drop record for a range of a file, if init drops it. */
export function dropAt(ctx: CheckContext, file: CheckedFile, start: number): DroppedLine | undefined {
  let byPath = dropIndex.get(ctx.sim);
  if (!byPath) dropIndex.set(ctx.sim, (byPath = byPathSorted(ctx.sim.dropped)));
  const d = floorByStart(byPath.get(pathOf(file) ?? "") ?? [], start);
  return d && start < Math.max(d.end, d.start + 1) ? d : undefined;
}

/** The accepted entry that starts exactly at an offset of a file. */
export function entryAt(ctx: CheckContext, file: CheckedFile, start: number): SimulatedEntry | undefined {
  let byPath = entryIndex.get(ctx.sim);
  if (!byPath) entryIndex.set(ctx.sim, (byPath = byPathSorted(ctx.sim.entries)));
  const list = byPath.get(pathOf(file) ?? "") ?? [];
  const found = list[lowerBound(list, start, startOfItem)];
  return found?.start === start ? found : undefined;
}

/** The first accepted entry with an id (the one a duplicate loses to). */
export function entryById(ctx: CheckContext, id: string): SimulatedEntry | undefined {
  let index = firstById.get(ctx.sim);
  if (!index) {
    index = new Map();
    for (const e of ctx.sim.entries) if (!index.has(e.id)) index.set(e.id, e);
    firstById.set(ctx.sim, index);
  }
  return index.get(id);
}

/** The entry line of a file's view that starts at an offset (a simulated entry's line). */
export function entryView(file: CheckedFile, start: number): InitLine | undefined {
  // The view is in file order: the first entry line among those that start there.
  for (let i = lowerBound(file.view, start, viewStart); i < file.view.length && file.view[i]!.line.start === start; i++) {
    if (file.view[i]!.line.kind === "entry") return file.view[i];
  }
  return undefined;
}

const viewStart = (v: InitLine): number => v.line.start;

/** The file a simulated entry or drop came from. */
export function fileOf(ctx: CheckContext, path: string | undefined): CheckedFile | undefined {
  if (path === undefined) return ctx.main;
  return ctx.tabs.find((t) => t.path === path);
}

/** The view line that starts at (or contains) an offset. */
export function viewLineAt(file: CheckedFile, start: number): InitLine | undefined {
  const v = floorByStart(file.view, start, viewStart);
  return v && start < Math.max(v.line.end, v.line.start + 1) ? v : undefined;
}

/** The span of a field, or of the line's content when the field is missing. */
export function fieldSpan(line: Line, field: Field | undefined): { start: number; end: number } {
  return field ? { start: field.start, end: field.end } : { start: line.start, end: line.contentEnd };
}

/** Edit distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

/** The closest name within distance 2, for a suggestion. */
export function closest(word: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const name of names) {
    const d = editDistance(word.toLowerCase(), name.toLowerCase());
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  return best;
}

/** "1 entry", "2 entries". */
export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * The length init measures for a field. init splits with strsep on ":" and only the process
 * stops at the newline: when a line has fewer than three colons, its last field keeps the line
 * terminator (CR and LF), so `abcd` alone on a line is a 5-byte id to init.
 */
export function initLength(line: Line, name: "id" | "runlevels" | "action"): number {
  const field = line.fields[name];
  if (!field) return 0;
  const last = (["id", "runlevels", "action"] as const)[Math.min(line.colons, 3)] === name && line.colons < 3;
  const terminator = line.terminator === "CRLF" ? 2 : line.terminator === "LF" ? 1 : 0;
  return field.value.length + (last ? terminator : 0);
}

/** Said when initLength counted the line terminator. */
export const NEWLINE_KEPT = " (init keeps the line's newline in the last field of a line with fewer than three colons)";

/**
 * The entries that match a test, indexed by the runlevels they run in, for "the first such
 * entry after this one in one of these runlevels" questions. A search of the rest of the list
 * per entry was quadratic on files with thousands of entries; this is a binary search.
 */
export class EntriesByLevel {
  private readonly byLevel = new Map<string, number[]>();
  constructor(
    private readonly entries: readonly SimulatedEntry[],
    test: (e: SimulatedEntry) => boolean,
  ) {
    entries.forEach((e, i) => {
      if (!test(e)) return;
      for (const level of new Set(e.runlevels)) {
        let list = this.byLevel.get(level);
        if (!list) this.byLevel.set(level, (list = []));
        list.push(i);
      }
    });
  }

  /** The first matching entry after index `after` that runs in one of `levels`. */
  nextAfter(after: number, levels: Iterable<string>): SimulatedEntry | undefined {
    let best: number | undefined;
    for (const level of levels) {
      const list = this.byLevel.get(level);
      if (!list) continue;
      const found = list[lowerBound(list, after + 1, (i) => i)];
      if (found !== undefined && (best === undefined || found < best)) best = found;
    }
    return best === undefined ? undefined : this.entries[best];
  }

  /** Every matching entry that runs in one of `levels`, in file order. */
  inLevels(levels: Iterable<string>): SimulatedEntry[] {
    const indexes = new Set<number>();
    for (const level of levels) for (const i of this.byLevel.get(level) ?? []) indexes.add(i);
    return [...indexes].sort((a, b) => a - b).map((i) => this.entries[i]!);
  }
}

/** A list of line numbers for a message: at most `max`, then how many more. */
export function lineList(lines: readonly number[], max = 10): string {
  const shown = lines.slice(0, max).join(", ");
  return lines.length > max ? `${shown} and ${lines.length - max} more` : shown;
}
