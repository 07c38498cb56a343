/**
 * --fix: apply the safe fixes (CRLF → LF, a final newline, action case, blanks around the action,
 * `s` → `S`) as edits on the original bytes, so that only the fixed bytes change. Two fixes may
 * touch the same bytes (trimming ` ONCE` and lower-casing it): each pass applies the ones that
 * do not overlap, then the files are checked again, until nothing is left to fix.
 */
import { applyEditsBinary, type Edit } from "../edit/edits.js";
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
  let count = 0;
  for (const d of diagnostics) {
    if (!d.fix || d.fix.length === 0) continue;
    const clash = d.fix.some((e) => taken.some((t) => e.start < t.end && t.start < e.end) || taken.some((t) => t.start === t.end && e.start === t.start && e.end === e.start));
    if (clash) continue;
    taken.push(...d.fix);
    count++;
  }
  return { edits: taken, count };
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
