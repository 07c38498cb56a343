/**
 * Findings whose outcome depends on the sysvinit version. When the version is assumed (content
 * cannot tell 3.06 from 3.14), the set is checked again with every sysvinit table, and each
 * finding of the assumed version learns in which versions it holds; findings that only other
 * versions have are counted, so the report can say so.
 */
import { parseBinary } from "../document/index.js";
import type { Dialect } from "../dialects/index.js";
import { hasMetachar } from "../init/index.js";
import { checkSet, type FileReport, type InittabSet } from "./index.js";
import type { CheckOptions, Diagnostic } from "./types.js";

export interface VersionOutcomes {
  /** Per file (in report order): the versions each finding holds in, when not all of them. */
  versions: Array<Map<Diagnostic, string[]>>;
  /** Findings that versions other than the assumed one report and it does not, by dialect name. */
  elsewhere: Map<string, number>;
}

/** What the version-dependent fields of the tables look at in a set, measured once per set. */
interface SetFacts {
  /** The longest physical line, with its newline. */
  longestLine: number;
  hasNul: boolean;
  /** A file that does not end with a newline. */
  unterminated: boolean;
  hasAt: boolean;
  /** An entry whose process init runs through the shell. */
  shellForm: boolean;
  inittabD: boolean;
}

function factsOf(set: InittabSet): SetFacts {
  const docs = [...(set.main ? [set.main.doc] : []), ...(set.tabs ?? []).map((t) => t.doc)];
  const facts: SetFacts = {
    longestLine: 0,
    hasNul: false,
    unterminated: false,
    hasAt: false,
    shellForm: false,
    inittabD: (set.tabs?.length ?? 0) > 0 || set.tabDir !== undefined,
  };
  for (const doc of docs) {
    const source = doc.source;
    facts.hasNul ||= source.includes("\0");
    facts.unterminated ||= source.length > 0 && !source.endsWith("\n");
    facts.hasAt ||= source.includes("@");
    for (const line of doc.lines) {
      facts.longestLine = Math.max(facts.longestLine, line.end - line.start);
      if (line.kind === "entry" && !facts.shellForm) {
        facts.shellForm = hasMetachar(line.fields.process?.value ?? "", doc.dialect.shellMetachars);
      }
    }
  }
  return facts;
}

/**
 * For each field of the tables that differs between sysvinit versions, whether this set holds
 * what the field decides; a field not named here is taken to matter (a new difference costs
 * time, never a wrong answer). Findings are compared by rule, place, severity and verdict, so a
 * field that only words a message (the version in it) decides nothing.
 */
const DECIDES: Partial<Record<keyof Dialect, (facts: SetFacts, options: CheckOptions) => boolean>> = {
  name: () => false,
  version: () => false,
  // The fgets buffer and what 3.14 does with a line it cannot end: long lines, and NULs.
  longLines: (f) => f.hasNul || f.longestLine >= 254,
  lineBufferBytes: (f) => f.hasNul || f.longestLine >= 254,
  dropsFinalLineWithoutNewline: (f) => f.unterminated,
  maxProcessLength: (f) => f.longestLine > 127,
  processTooLongMessage: (f) => f.longestLine > 127,
  atPrefix: (f) => f.hasAt,
  inittabD: (f) => f.inittabD,
  shellForm: (f) => f.shellForm,
  // What the image and tmpfs checks look up (the FIFO); the check of a file alone does not.
  fifoPath: (_f, options) => options.image !== undefined || options.profile !== undefined,
  telinitSleeptime: (_f, options) => options.image !== undefined || options.profile !== undefined,
};

/** The fields in which some of `tables` differs from `assumed`, by the tables compared. */
const differingFields = new Map<string, ReadonlySet<keyof Dialect>>();

function fieldsThatDiffer(assumed: Dialect, tables: readonly Dialect[]): ReadonlySet<keyof Dialect> {
  const key = [assumed, ...tables].map((t) => t.name).join(" ");
  let fields = differingFields.get(key);
  if (fields === undefined) {
    const found = new Set<keyof Dialect>();
    for (const table of tables) {
      for (const field of Object.keys({ ...assumed, ...table }) as Array<keyof Dialect>) {
        if (!sameValue(assumed[field], table[field])) found.add(field);
      }
    }
    fields = found;
    differingFields.set(key, fields);
  }
  return fields;
}

/** Whether checking `set` with each of `tables` can give other findings than with `assumed`. */
export function versionsCanDiffer(
  set: InittabSet,
  assumed: Dialect,
  tables: readonly Dialect[],
  options: CheckOptions,
): boolean {
  const facts = factsOf(set);
  return [...fieldsThatDiffer(assumed, tables)].some((field) => DECIDES[field]?.(facts, options) ?? true);
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Set && b instanceof Set) return a.size === b.size && [...a].every((x) => b.has(x));
  if (a instanceof Map && b instanceof Map) {
    return a.size === b.size && [...a].every(([k, v]) => b.has(k) && sameValue(v, b.get(k)));
  }
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (typeof a === "object" && typeof b === "object" && a !== null && b !== null) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
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
  // Most files hold nothing a version decides: then every finding holds in every version.
  if (!versionsCanDiffer(set, assumed, tables, options)) {
    return { versions: reports.map(() => new Map()), elsewhere: new Map() };
  }
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
