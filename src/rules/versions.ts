/**
 * Findings whose outcome depends on the sysvinit version. When the version is assumed (content
 * cannot tell 3.06 from 3.14), the set is checked again with every sysvinit table, and each
 * finding of the assumed version learns in which versions it holds; findings that only other
 * versions have are counted, so the report can say so.
 */
import { parseBinary } from "../document/index.js";
import type { Dialect } from "../dialects/index.js";
import { checkSet, type FileReport, type InittabSet } from "./index.js";
import type { CheckOptions, Diagnostic } from "./types.js";

export interface VersionOutcomes {
  /** Per file (in report order): the versions each finding holds in, when not all of them. */
  versions: Array<Map<Diagnostic, string[]>>;
  /** Findings that versions other than the assumed one report and it does not, by dialect name. */
  elsewhere: Map<string, number>;
}

/** A finding as compared across versions: the same rule, place, severity and verdict. */
function key(d: Diagnostic): string {
  return `${d.code}\0${d.start}\0${d.end}\0${d.severity}\0${d.dropped}`;
}

/** The set, read with another table. */
function reread(set: InittabSet, dialect: Dialect): InittabSet {
  const again = (s: { path: string; doc: { source: string } }) => ({
    path: s.path,
    doc: parseBinary(s.doc.source, { dialect }),
  });
  return {
    ...(set.main ? { main: again(set.main) } : {}),
    ...(set.tabs ? { tabs: set.tabs.map(again) } : {}),
    ...(set.tabDir ? { tabDir: set.tabDir } : {}),
  };
}

/**
 * Compare `reports` (the check with `assumed`) with the same check under each of `tables`
 * (the assumed one among them), file by file.
 */
export function compareVersions(
  set: InittabSet,
  reports: readonly FileReport[],
  assumed: Dialect,
  tables: readonly Dialect[],
  options: CheckOptions = {},
): VersionOutcomes {
  const keysByTable = new Map<string, Array<Map<string, number>>>();
  const elsewhere = new Map<string, number>();
  const assumedKeys = reports.map((r) => new Set(r.diagnostics.map(key)));
  for (const table of tables) {
    if (table.name === assumed.name) continue;
    const other = checkSet(reread(set, table), options);
    const perFile = reports.map((r) => {
      const counts = new Map<string, number>();
      for (const d of other.find((o) => o.path === r.path)?.diagnostics ?? [])
        counts.set(key(d), (counts.get(key(d)) ?? 0) + 1);
      return counts;
    });
    keysByTable.set(table.name, perFile);
    let only = 0;
    for (const [i, counts] of perFile.entries())
      for (const k of counts.keys()) if (!assumedKeys[i]!.has(k)) only += counts.get(k)!;
    if (only > 0) elsewhere.set(table.name, only);
  }
  const versions = reports.map((r, i) => {
    const marks = new Map<Diagnostic, string[]>();
    for (const d of r.diagnostics) {
      const holds = tables.filter(
        (t) => t.name === assumed.name || (keysByTable.get(t.name)?.[i]?.has(key(d)) ?? false),
      );
      if (holds.length < tables.length)
        marks.set(
          d,
          holds.map((t) => t.name),
        );
    }
    return marks;
  });
  return { versions, elsewhere };
}
