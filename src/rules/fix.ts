/**
 * --fix: apply the safe fixes (CRLF → LF, a final newline, action case, blanks around the action,
 * `s` → `S`) as edits on the original bytes, so that only the fixed bytes change. Two fixes may
 * touch the same bytes (trimming ` ONCE` and lower-casing it): each pass applies the ones that
 * do not overlap, then the files are checked again, until nothing is left to fix.
 */
import { applyEditsBinary, type Edit } from "../document/edits.js";
import type { Diagnostic } from "./types.js";

const MAX_PASSES = 10;

/** Check every file of a set (binary sources by path) and return the diagnostics by path. */
export type CheckSources = (sources: ReadonlyMap<string, string>) => ReadonlyMap<string, readonly Diagnostic[]>;

export interface FixResult {
  /** The fixed sources (binary strings), by path; unchanged files keep their source. */
  sources: Map<string, string>;
  /** How many fixes were applied, by path. */
  applied: Map<string, number>;
}

/** The fixes of a file's diagnostics that can be applied together (first come, first served). */
export function compatibleFixes(diagnostics: readonly Diagnostic[]): { edits: Edit[]; count: number } {
  const taken: Edit[] = [];
  const near = new TakenEdits();
  let count = 0;
  for (const d of diagnostics) {
    if (!d.fix || d.fix.length === 0) continue;
    if (d.fix.some((e) => near.clashes(e))) continue;
    for (const e of d.fix) near.add(e);
    for (const e of d.fix) taken.push(e);
    count++;
  }
  return { edits: taken, count };
}

/**
 * The edits taken so far, bucketed by offset: a clash test looks only at the edits near the new
 * one (testing against every taken edit was quadratic on a CRLF file of 200,000 lines).
 */
class TakenEdits {
  private static readonly SHIFT = 8;
  private readonly buckets = new Map<number, Edit[]>();

  private bucketsOf(e: Edit): number[] {
    const first = e.start >> TakenEdits.SHIFT;
    const last = Math.max(e.start, e.end - 1) >> TakenEdits.SHIFT;
    const out: number[] = [];
    for (let b = first; b <= last; b++) out.push(b);
    return out;
  }

  add(e: Edit): void {
    for (const b of this.bucketsOf(e)) {
      const list = this.buckets.get(b);
      if (list) list.push(e);
      else this.buckets.set(b, [e]);
    }
  }

  /** Overlaps a taken edit, or inserts where a taken insertion already inserts. */
  clashes(e: Edit): boolean {
    for (const b of this.bucketsOf(e)) {
      for (const t of this.buckets.get(b) ?? []) {
        if (e.start < t.end && t.start < e.end) return true;
        if (t.start === t.end && e.start === t.start && e.end === e.start) return true;
      }
    }
    return false;
  }
}

export function fixSources(initial: ReadonlyMap<string, string>, check: CheckSources): FixResult {
  const sources = new Map(initial);
  const applied = new Map<string, number>();
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const diagnostics = check(sources);
    let any = false;
    for (const [path, list] of diagnostics) {
      const source = sources.get(path);
      if (source === undefined) continue;
      const { edits, count } = compatibleFixes(list);
      if (edits.length === 0) continue;
      const next = applyEditsBinary(source, edits);
      if (next === source) continue;
      sources.set(path, next);
      applied.set(path, (applied.get(path) ?? 0) + count);
      any = true;
    }
    if (!any) break;
  }
  return { sources, applied };
}
