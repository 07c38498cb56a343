/**
 * Entry listings for `inittab ls`: a table (like AIX lsitab) and a runlevel matrix (like
 * `chkconfig --list`), computed with init's own defaults from the dialect tables.
 */
import { effectiveRunlevels, resolveAction, RUNLEVEL_COLUMNS } from "../dialects/index.js";
import { escapeBinary } from "../base/bytes.js";
import { isEntry, type Document, type Entry } from "../document/model.js";

export interface EntryRow {
  line: number;
  id: string;
  runlevels: string;
  action: string;
  process: string;
  /** Columns of RUNLEVEL_COLUMNS (sysvinit) or BusyBox phases in which the entry runs. */
  runsIn: string[];
}

/** BusyBox has no runlevels: the matrix shows when each action runs instead. */
export const BUSYBOX_PHASES = ["boot", "running", "ctrlaltdel", "shutdown", "restart"] as const;
const BUSYBOX_PHASE_OF: Readonly<Record<string, string>> = {
  sysinit: "boot",
  wait: "boot",
  once: "boot",
  respawn: "running",
  askfirst: "running",
  ctrlaltdel: "ctrlaltdel",
  shutdown: "shutdown",
  restart: "restart",
};

export function entryRows(doc: Document): EntryRow[] {
  return doc.lines.filter(isEntry).map((e: Entry) => {
    const f = e.fields;
    let runsIn: string[];
    if (doc.dialect.usesRunlevels) {
      const set = effectiveRunlevels(doc.dialect, f.action.value, f.runlevels.value);
      // initdefault and off never start anything; unknown actions are dropped by init.
      const spawns = resolveAction(doc.dialect, f.action.value)?.info.spawns === true;
      runsIn = spawns ? RUNLEVEL_COLUMNS.filter((c) => set.has(c)) : [];
    } else {
      const phase = resolveAction(doc.dialect, f.action.value) ? BUSYBOX_PHASE_OF[f.action.value] : undefined;
      runsIn = phase ? [phase] : [];
    }
    return {
      line: e.line,
      id: escapeBinary(f.id.value),
      runlevels: escapeBinary(f.runlevels.value),
      action: escapeBinary(f.action.value),
      process: escapeBinary(f.process.value),
      runsIn,
    };
  });
}

/**
 * The longest of the texts, at least `min`: a loop, since spreading 130,000 lengths into
 * Math.max overflows the stack.
 */
function widest(min: number, texts: readonly string[]): number {
  let w = min;
  for (const t of texts) if (t.length > w) w = t.length;
  return w;
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}

/** A plain table of the entries. */
export function formatTable(doc: Document): string {
  const rows = entryRows(doc);
  const tty = doc.dialect.idIsTty;
  const head = [tty ? "TTY" : "ID", "RUNLEVELS", "ACTION", "PROCESS"];
  const cells = rows.map((r) => [tty && r.id === "" ? "(console)" : r.id, r.runlevels, r.action, r.process]);
  const widths = [0, 1, 2].map((i) =>
    widest(
      head[i]!.length,
      cells.map((c) => c[i]!),
    ),
  );
  const fmt = (c: string[]) => [0, 1, 2].map((i) => pad(c[i]!, widths[i]!)).join("  ") + "  " + c[3];
  return [fmt(head), ...cells.map(fmt)].map((l) => l.trimEnd()).join("\n") + "\n";
}

/** A grid: one row per entry, one column per runlevel (and the sysinit/boot phases). */
export function formatMatrix(doc: Document, only?: ReadonlySet<number>): string {
  const rows = entryRows(doc).filter((r) => only === undefined || only.has(r.line));
  const tty = doc.dialect.idIsTty;
  const columns: readonly string[] = doc.dialect.usesRunlevels ? RUNLEVEL_COLUMNS : BUSYBOX_PHASES;
  const label = (c: string) => (c === "#" ? "sysinit" : c === "*" ? "boot" : c);
  const ids = rows.map((r) => (tty && r.id === "" ? "(console)" : r.id));
  const idW = widest(tty ? 3 : 2, ids);
  const actW = widest(
    6,
    rows.map((r) => r.action),
  );
  const colW = columns.map((c) => Math.max(1, label(c).length));
  const header = [
    pad(tty ? "TTY" : "ID", idW),
    pad("ACTION", actW),
    ...columns.map((c, i) => pad(label(c), colW[i]!)),
  ].join(" ");
  const lines = rows.map((r, k) =>
    [
      pad(ids[k]!, idW),
      pad(r.action, actW),
      ...columns.map((c, i) => pad(r.runsIn.includes(c) ? "x" : ".", colW[i]!)),
    ].join(" "),
  );
  const notes = doc.dialect.usesRunlevels
    ? "x: runs there. Empty runlevels mean 0-9 (power and ctrlaltdel entries: S and 0-9); sysinit runs in the sysinit phase, boot/bootwait in the boot phase; a-c: on demand."
    : "x: when BusyBox runs it (runlevels are ignored). boot: sysinit, then wait, then once; running: respawn/askfirst.";
  return [header, ...lines].map((l) => l.trimEnd()).join("\n") + "\n\n" + notes + "\n";
}
