/**
 * The machine formats: json, gnu (`file:line:col: severity: message [CODE]`) and GitHub
 * annotations. A member of an archive is named `ARCHIVE!/member` in each (docs/packages.md).
 */
import { escapeText, VERSION } from "../base/index.js";
import { CHECK_SCHEMA_URL, CHECK_SCHEMA_VERSION } from "./schemas.js";
import type { Diagnostic } from "../rules/types.js";
import type { ReportedFile, Summary } from "./types.js";
import { stringifyJson } from "../base/bytes.js";

export interface JsonDiagnostic {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: "error" | "warning" | "info";
  code: string;
  message: string;
  dropped: boolean;
  /** Only when the version was assumed and the finding does not hold in every sysvinit version. */
  versions?: string[];
}

/** `check --format json`: docs/schemas/check.v1.json. */
export interface JsonReport {
  $schema: string;
  schemaVersion: number;
  tool: { name: "inittab"; version: string };
  files: Array<{
    /** `ARCHIVE!/member` for a member of an archive (docs/packages.md). */
    path: string;
    /** A member of an archive: the archive as given, and the member's path inside it. */
    archive?: string;
    member?: string;
    dialect: string;
    /** `["given"]`, or auto-detection's evidence. */
    detection: string[];
    /** The dialect's version was assumed, not given or read from an image. */
    versionAssumed: boolean;
    /** Findings that other versions have and this one does not, by dialect. */
    otherVersions: Record<string, number>;
    diagnostics: JsonDiagnostic[];
  }>;
  summary: Summary;
}

/** One finding as the JSON formats give it (check --format json, the edit commands' --json). */
export function diagnosticJson(d: Diagnostic): JsonDiagnostic {
  return {
    line: d.line,
    column: d.column,
    endLine: d.endLine,
    endColumn: d.endColumn,
    severity: d.severity,
    code: d.code,
    message: d.message,
    dropped: d.dropped,
    ...(d.versions ? { versions: d.versions } : {}),
  };
}

export function formatJson(files: readonly ReportedFile[], summary: Summary): string {
  const report: JsonReport = {
    $schema: CHECK_SCHEMA_URL,
    schemaVersion: CHECK_SCHEMA_VERSION,
    tool: { name: "inittab", version: VERSION },
    files: files.map((f) => ({
      path: f.display,
      ...(f.member ? { archive: f.member.archiveDisplay, member: escapeText(f.member.path) } : {}),
      dialect: f.dialect,
      detection: f.detection,
      versionAssumed: f.assumed !== undefined,
      otherVersions: f.assumed?.elsewhere ?? {},
      diagnostics: f.diagnostics.map(diagnosticJson),
    })),
    summary,
  };
  return `${stringifyJson(report)}\n`;
}

export function formatGnu(files: readonly ReportedFile[]): string {
  let out = "";
  for (const f of files) {
    for (const d of f.diagnostics)
      out += `${f.display}:${d.line}:${d.column}: ${d.severity}: ${escapeText(d.message)} [${d.code}]\n`;
  }
  return out;
}

/** Workflow-command escaping (actions/toolkit): data escapes %, CR and LF. */
export function escapeAnnotationData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Property values additionally escape `:` and `,`, which separate the properties. */
export function escapeAnnotationProperty(text: string): string {
  return escapeAnnotationData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

const GITHUB_LEVEL = { error: "error", warning: "warning", info: "notice" } as const;

export function formatGithub(files: readonly ReportedFile[]): string {
  let out = "";
  for (const f of files) {
    for (const d of f.diagnostics) {
      const props = [
        `file=${escapeAnnotationProperty(f.display)}`,
        `line=${d.line}`,
        `endLine=${d.endLine}`,
        `col=${d.column}`,
        ...(d.endLine === d.line ? [`endColumn=${Math.max(d.endColumn, d.column)}`] : []),
        `title=${escapeAnnotationProperty(`inittab ${d.code}`)}`,
      ];
      out += `::${GITHUB_LEVEL[d.severity]} ${props.join(",")}::${escapeAnnotationData(escapeText(d.message))}\n`;
    }
  }
  return out;
}
