/**
 * What a rule sees and how it reports. Rules are plain functions over a CheckContext; they
 * never decide `dropped` themselves: a diagnostic that explains why init drops a line names
 * the simulator's cause, and the engine marks it dropped when the simulator agrees.
 */
import type { Dialect } from "../dialects/index.js";
import { escapeBinary, LineCounter, type Document, type Line } from "../document/index.js";
import type { Edit } from "../edit/edits.js";
import { ruleMeta } from "./registry.js";
import type { DropCause, InitPrediction } from "./simulate.js";
import type { CheckOptions, Diagnostic, Severity } from "./types.js";
import type { InitLine } from "./view.js";

/** One file of the set being checked. */
export interface CheckedFile {
  /** How the file is named in output (a display path; `-` is stdin). */
  path: string;
  doc: Document;
  /** `/etc/inittab` (or any standalone file), or one `/etc/inittab.d/*.tab`. */
  role: "inittab" | "tab";
  /** The lines as the target init reads them (pieces, NUL cuts, ignored tab lines). */
  view: InitLine[];
  counter: LineCounter;
  diagnostics: Finding[];
}

/** A diagnostic before suppression and the dropped flag are settled. */
export interface Finding extends Diagnostic {
  /** The simulator's cause this diagnostic explains, when init drops the line for it. */
  cause?: DropCause;
}

export interface ReportExtra {
  /** The line is dropped by init for this reason (see the simulator's DropCause). */
  cause?: DropCause;
  fix?: Edit[];
  /** Overrides the registry's default severity (rules whose severity depends on the version). */
  severity?: Severity;
}

export interface CheckContext {
  dialect: Dialect;
  options: CheckOptions;
  /** The main file, when the set has one (a lone .tab file has none). */
  main: CheckedFile | undefined;
  tabs: CheckedFile[];
  /** Names found in the inittab.d directory, when it was listed (for IT030c). */
  tabDirNames: string[] | undefined;
  tabDirPath: string | undefined;
  /** What the target init does with the whole set: drops, accepted entries, boot runlevel. */
  sim: InitPrediction;
  /** `exec` is a known action (--allow-exec). */
  allowExec: boolean;
  report(file: CheckedFile, code: string, at: { start: number; end: number }, message: string, extra?: ReportExtra): void;
  /** A file that is reported on without being read (e.g. an inittab.d name init ignores). */
  stub(path: string): CheckedFile;
}

export function makeReporter(): CheckContext["report"] {
  return (file, code, at, message, extra = {}) => {
    const meta = ruleMeta(code);
    const start = Math.max(0, Math.min(at.start, file.doc.source.length));
    const end = Math.max(start, Math.min(at.end, file.doc.source.length));
    const p = file.counter.position(start);
    const q = file.counter.position(end);
    const d: Finding = {
      code,
      severity: extra.severity ?? meta.severity,
      message,
      line: p.line,
      column: p.column,
      endLine: q.line,
      endColumn: q.column,
      start,
      end,
      dropped: false,
    };
    if (extra.fix && extra.fix.length > 0) d.fix = extra.fix;
    if (extra.cause) d.cause = extra.cause;
    file.diagnostics.push(d);
  };
}

/** A field value or other file bytes, quoted and escaped for a message (shortened when long). */
export function quote(binary: string, max = 40): string {
  const shown = binary.length > max ? `${binary.slice(0, max)}…` : binary;
  return `"${escapeBinary(shown).replace(/"/g, '\\"')}"`;
}

/** A span covering a line's content (without its terminator); a point for an empty line. */
export function lineSpan(line: Line): { start: number; end: number } {
  return { start: line.start, end: line.contentEnd };
}
