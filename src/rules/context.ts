/**
 * What a rule sees and how it reports. Rules are plain functions over a CheckContext; they
 * never decide `dropped` themselves: a finding that explains why init drops a line names the
 * cause it explains, and the engine marks it dropped when the model's verdict for that line
 * (the view line's `drop`) has that cause.
 */
import type { Dialect } from "../dialects/index.js";
import type { Document, Edit, InitLine } from "../document/index.js";
import type { DropCause, InitPrediction } from "../init/index.js";
import { DROP_CAUSE_RULES, ruleMeta, type RuleCode } from "./registry.js";
import type { CheckOptions, Diagnostic, Severity } from "./types.js";
import type { CheckIndex } from "./lookup.js";

/** One file of the set being checked. */
export interface CheckedFile {
  /** How the file is named in output (a display path; `-` is stdin). */
  readonly path: string;
  readonly doc: Document;
  /** `/etc/inittab` (or any standalone file), or one `/etc/inittab.d/*.tab`. */
  readonly role: "inittab" | "tab";
  /** The lines as the target init reads them, each with the model's verdict linked in. */
  readonly view: readonly InitLine[];
  /** The view lines init parses as entries or rejects (not comments, blanks or unread lines). */
  readonly parsed: readonly InitLine[];
  diagnostics: Finding[];
}

/** A diagnostic before suppression and the dropped flag are settled. */
export interface Finding extends Diagnostic {
  code: RuleCode;
  /** The cause of init's drop this diagnostic explains, when init drops the line for it. */
  cause?: DropCause;
}

export interface ReportExtra {
  /** The finding explains init's drop of its line when the model dropped it for this cause. */
  cause?: DropCause;
  fix?: Edit[];
  /** Overrides the registry's default severity (rules whose severity depends on the version). */
  severity?: Severity;
}

export interface CheckContext {
  readonly dialect: Dialect;
  readonly options: CheckOptions;
  /** The main file, when the set has one (a lone .tab file has none). */
  readonly main: CheckedFile | undefined;
  readonly tabs: readonly CheckedFile[];
  /** Names found in the inittab.d directory, when it was listed (for IT030c). */
  readonly tabDirNames: readonly string[] | undefined;
  readonly tabDirPath: string | undefined;
  /** What the target init does with the whole set: drops, accepted entries, boot runlevel. */
  readonly sim: InitPrediction;
  /** `exec` is a known action (the init carries the exec patch). */
  readonly allowExec: boolean;
  /** Lookups over the prediction and the views, built once per check. */
  readonly index: CheckIndex;
  report(
    file: CheckedFile,
    code: RuleCode,
    at: { start: number; end: number },
    message: string,
    extra?: ReportExtra,
  ): void;
  /** A file that is reported on without being read (e.g. an inittab.d name init ignores). */
  stub(path: string): CheckedFile;
}

export function makeReporter(): CheckContext["report"] {
  return (file, code, at, message, extra = {}) => {
    const meta = ruleMeta(code);
    const positions = file.doc.positions;
    const start = Math.max(0, Math.min(at.start, file.doc.source.length));
    const end = Math.max(start, Math.min(at.end, file.doc.source.length));
    const p = positions.position(start);
    const q = positions.position(end);
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
    if (extra.cause) {
      if (code !== "IT000" && !DROP_CAUSE_RULES[extra.cause].includes(code)) {
        throw new Error(`${code} cannot explain a drop for ${extra.cause} (DROP_CAUSE_RULES)`);
      }
      d.cause = extra.cause;
    }
    file.diagnostics.push(d);
  };
}
