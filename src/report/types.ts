/** What the formatters print: one entry per file checked. */
import { escapeText } from "../base/bytes.js";
import type { Document } from "../document/index.js";
import type { FileReport } from "../rules/index.js";
import type { Diagnostic } from "../rules/types.js";

export interface ReportedFile {
  /** The path as the user gave it (or found it); `-` for stdin. */
  path: string;
  /** How output names the file: the path escaped for a terminal, `<stdin>` (or --stdin-filename) for stdin. */
  display: string;
  /** The dialect the file was read as, e.g. `sysvinit@3.14`. */
  dialect: string;
  /** Why that dialect (`given`, or auto-detection's evidence). */
  detection: string[];
  /**
   * A member of a package or rootfs archive (`display` is then `ARCHIVE!/member`): the archive as
   * given (a path, or `-` for standard input), as shown, and the member's path inside it.
   */
  member?: { archive: string; archiveDisplay: string; path: string };
  /** The parsed file (for code frames and columns); undefined when it was not read. */
  doc: Document | undefined;
  diagnostics: Diagnostic[];
}

export interface Summary {
  files: number;
  errors: number;
  warnings: number;
  infos: number;
}

export function summarize(files: readonly ReportedFile[]): Summary {
  const s: Summary = { files: files.length, errors: 0, warnings: 0, infos: 0 };
  for (const f of files) {
    for (const d of f.diagnostics) {
      if (d.severity === "error") s.errors++;
      else if (d.severity === "warning") s.warnings++;
      else s.infos++;
    }
  }
  return s;
}

export const FORMATS = ["text", "json", "sarif", "gnu", "github"] as const;
export type Format = (typeof FORMATS)[number];

/**
 * A checked file ready for the formatters: `checkSet`'s report with how to name it (the path
 * escaped for a terminal; `<stdin>` for `-`) and the dialect it was read as.
 */
export function reportedFile(report: FileReport): ReportedFile {
  const doc = report.doc;
  return {
    path: report.path,
    display: report.path === "-" ? "<stdin>" : escapeText(report.path),
    dialect: doc?.dialect.name ?? "",
    detection: doc?.detection.reasons ?? [],
    doc,
    diagnostics: report.diagnostics,
  };
}
