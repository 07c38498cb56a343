/**
 * Lookups the rules share over one check: the model's drops and entries by file and offset, the
 * first entry of each id, and view lines by offset. Files can have tens of thousands of lines,
 * so each lookup is an index built once, searched by bisection.
 */
import { lowerBound } from "../base/search.js";
import type { InitLine } from "../document/index.js";
import type { DropCause, DroppedLine, InitPrediction, SimulatedEntry } from "../init/index.js";
import type { CheckContext, CheckedFile } from "./context.js";
import { printable } from "./wording.js";

const startOfItem = (item: { start: number }): number => item.start;
const viewStart = (v: InitLine): number => v.line.start;

/** The last element whose start is <= offset, in an array sorted by start. */
function floorByStart<T>(items: readonly T[], offset: number, startOf: (item: T) => number): T | undefined {
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

/** The indexes of one check. */
export class CheckIndex {
  private readonly drops: Map<string, DroppedLine[]>;
  private readonly entries: Map<string, SimulatedEntry[]>;
  private firstById: Map<string, SimulatedEntry> | undefined;

  constructor(private readonly sim: InitPrediction) {
    this.drops = byPathSorted(sim.dropped);
    this.entries = byPathSorted(sim.entries);
  }

  /** The model's drop of the read covering an offset of a file. */
  dropAt(file: CheckedFile, start: number): DroppedLine | undefined {
    const d = floorByStart(this.drops.get(pathKey(file)) ?? [], start, startOfItem);
    return d && start < Math.max(d.end, d.start + 1) ? d : undefined;
  }

  /** The accepted entry that starts exactly at an offset of a file. */
  entryAt(file: CheckedFile, start: number): SimulatedEntry | undefined {
    const list = this.entries.get(pathKey(file)) ?? [];
    const found = list[lowerBound(list, start, startOfItem)];
    return found?.start === start ? found : undefined;
  }

  /** The first accepted entry with an id (the one a duplicate loses to). */
  entryById(id: string): SimulatedEntry | undefined {
    if (!this.firstById) {
      this.firstById = new Map();
      for (const e of this.sim.entries) if (!this.firstById.has(e.id)) this.firstById.set(e.id, e);
    }
    return this.firstById.get(id);
  }

  /** Link each view line of a file to the model's verdict on the read it comes from. */
  link(file: { path: string; role: "inittab" | "tab" }, view: InitLine[]): void {
    const key = file.role === "tab" ? file.path : "";
    const drops = this.drops.get(key) ?? [];
    const entries = this.entries.get(key) ?? [];
    for (const v of view) {
      if (v.unread) continue;
      const start = v.line.start;
      const drop = drops[lowerBound(drops, start, startOfItem)];
      if (drop?.start === start) v.drop = drop;
      const entry = entries[lowerBound(entries, start, startOfItem)];
      if (entry?.start === start) v.entry = entry;
    }
  }
}

const pathKey = (file: CheckedFile): string => (file.role === "tab" ? file.path : "");

/** The model's drop of the read covering an offset of a file. */
export function dropAt(ctx: CheckContext, file: CheckedFile, start: number): DroppedLine | undefined {
  return ctx.index.dropAt(file, start);
}

/** The accepted entry that starts exactly at an offset of a file. */
export function entryAt(ctx: CheckContext, file: CheckedFile, start: number): SimulatedEntry | undefined {
  return ctx.index.entryAt(file, start);
}

/** The first accepted entry with an id (the one a duplicate loses to). */
export function entryById(ctx: CheckContext, id: string): SimulatedEntry | undefined {
  return ctx.index.entryById(id);
}

/** The entry line of a file's view that starts at an offset (a simulated entry's line). */
export function entryView(file: CheckedFile, start: number): InitLine | undefined {
  // The view is in file order: the first entry line among those that start there.
  for (
    let i = lowerBound(file.view, start, viewStart);
    i < file.view.length && file.view[i]!.line.start === start;
    i++
  ) {
    if (file.view[i]!.line.kind === "entry") return file.view[i];
  }
  return undefined;
}

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

/**
 * The "(init logs …)" note of a diagnostic that explains why init drops a line for `cause`.
 * init checks all the fields of a line and each later check overwrites the message, so on a
 * line with several problems it logs only the last one: when the model says the line is
 * dropped for another cause, the note names what init really logs.
 */
export function initLogs(
  ctx: CheckContext,
  file: CheckedFile,
  start: number,
  cause: DropCause,
  message: string,
): string {
  const drop = dropAt(ctx, file, start);
  if (!drop || drop.cause === cause) return `(init logs "${message}")`;
  const logged = printable(drop.message.replace(/^\/etc\/inittab\[\d+\]: /, ""));
  if (drop.cause === "too-long") return `(init drops the line before it looks at the fields, and logs "${logged}")`;
  return `(init logs "${logged}" for it instead: it logs only the last problem it finds on a line)`;
}

/**
 * The entries that match a test, indexed by the runlevels they run in, for "the first such
 * entry after this one in one of these runlevels" questions: a binary search, not a search of
 * the rest of the list per entry.
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
