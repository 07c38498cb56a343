/** The machine formats: json, gnu (`file:line:col: severity: message [CODE]`) and GitHub annotations. */
import { escapeText } from "../base/index.js";
import type { ReportedFile, Summary } from "./types.js";
import { stringifyJson } from "../base/bytes.js";

export interface JsonReport {
  files: Array<{
    path: string;
    dialect: string;
    diagnostics: Array<{
      line: number;
      column: number;
      endLine: number;
      endColumn: number;
      severity: "error" | "warning" | "info";
      code: string;
      message: string;
      dropped: boolean;
    }>;
  }>;
  summary: Summary;
}

export function formatJson(files: readonly ReportedFile[], summary: Summary): string {
  const report: JsonReport = {
    files: files.map((f) => ({
      path: f.display,
      dialect: f.dialect,
      diagnostics: f.diagnostics.map((d) => ({
        line: d.line,
        column: d.column,
        endLine: d.endLine,
        endColumn: d.endColumn,
        severity: d.severity,
        code: d.code,
        message: d.message,
        dropped: d.dropped,
      })),
    })),
    summary,
  };
  return `${stringifyJson(report)}\n`;
}

export function formatGnu(files: readonly ReportedFile[]): string {
  let out = "";
  for (const f of files) {
    for (const d of f.diagnostics) out += `${f.display}:${d.line}:${d.column}: ${d.severity}: ${escapeText(d.message)} [${d.code}]\n`;
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
