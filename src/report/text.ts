/**
 * The human format: `path:line:col: severity CODE message`, a code frame with a caret under the
 * field, and a summary line. Every byte from the file goes through escapeBinary, so a CR, an ESC
 * or invalid UTF-8 shows as an escape and never reaches the terminal raw.
 */
import { count, escapeBinary, escapeText } from "../base/index.js";
import type { Diagnostic, Severity } from "../rules/types.js";
import type { ReportedFile, Summary } from "./types.js";

export interface TextOptions {
  color: boolean;
}

const SGR = {
  reset: "\x1b[0m",
  bold: "\x1b[1m",
  dim: "\x1b[2m",
  red: "\x1b[31m",
  yellow: "\x1b[33m",
  cyan: "\x1b[36m",
} as const;

function paint(on: boolean, codes: string, text: string): string {
  return on ? `${codes}${text}${SGR.reset}` : text;
}

const SEVERITY_COLOR: Record<Severity, string> = { error: SGR.red, warning: SGR.yellow, info: SGR.cyan };

/** Longest stretch of a line (in bytes) a code frame shows, and how much of it precedes the span. */
const FRAME_MAX = 200;
const FRAME_CONTEXT = 60;

/** Display width of already-escaped text, in code points (good enough for a caret line). */
function width(text: string): number {
  return [...text].length;
}

/** The code frame of a diagnostic: its first line, and carets under the span on that line. */
export function codeFrame(file: ReportedFile, d: Diagnostic, color: boolean): string {
  const doc = file.doc;
  if (!doc) return "";
  // A whole-file finding (empty span at offset 0) has no place to point at.
  if (d.start === 0 && d.end === 0 && d.code !== "IT006") return "";
  const source = doc.source;
  let lineStart = source.lastIndexOf("\n", d.start - 1) + 1;
  if (d.start > 0 && source[d.start - 1] === "\n" && d.start === source.length) lineStart = d.start;
  let lineEnd = source.indexOf("\n", d.start);
  if (lineEnd === -1) lineEnd = source.length;
  // A very long line (a binary file, a minified one-liner) is shown as a window around the
  // span, marked with "…", instead of the whole line under every diagnostic.
  let from = lineStart;
  let to = lineEnd;
  if (lineEnd - lineStart > FRAME_MAX) {
    from = Math.max(lineStart, d.start - FRAME_CONTEXT);
    to = Math.min(lineEnd, from + FRAME_MAX);
  }
  const head = from > lineStart ? "…" : "";
  const tail = to < lineEnd ? "…" : "";
  const shown = head + escapeBinary(source.slice(from, to)) + tail;
  const before = width(head) + width(escapeBinary(source.slice(from, d.start)));
  const span = width(escapeBinary(source.slice(d.start, Math.min(Math.max(d.end, d.start), to))));
  const gutter = String(d.line);
  const pad = " ".repeat(gutter.length);
  const bar = paint(color, SGR.dim, "|");
  const carets = paint(color, SEVERITY_COLOR[d.severity], "^".repeat(Math.max(1, span)));
  return `  ${paint(color, SGR.dim, gutter)} ${bar} ${shown}\n  ${pad} ${bar} ${" ".repeat(before)}${carets}\n`;
}

export function formatDiagnosticLine(file: ReportedFile, d: Diagnostic, color: boolean): string {
  const where = paint(color, SGR.bold, `${file.display}:${d.line}:${d.column}`);
  const severity = paint(color, SEVERITY_COLOR[d.severity], d.severity);
  const dropped = d.dropped ? paint(color, SGR.dim, " [dropped]") : "";
  const versions = d.versions ? paint(color, SGR.dim, ` [${versionList(d.versions)} only]`) : "";
  return `${where}: ${severity} ${paint(color, SGR.dim, d.code)} ${escapeText(d.message)}${dropped}${versions}\n`;
}

/** Size of the pieces formatTextFile yields: a big report is written as it is made. */
const CHUNK_CHARS = 1 << 16;

/**
 * One file's part of the report (nothing for a file without findings), in pieces of about
 * 64 KiB: a report of 200,000 findings is never one string in memory.
 */
export function* formatTextFile(file: ReportedFile, color: boolean): Generator<string> {
  const elsewhere = Object.entries(file.assumed?.elsewhere ?? {});
  if (file.diagnostics.length === 0 && elsewhere.length === 0) return;
  const how =
    file.detection.length === 1 && file.detection[0] === "given"
      ? "as given"
      : `detected: ${file.detection.slice(0, 2).map(escapeText).join("; ")}${file.detection.length > 2 ? "; …" : ""}`;
  let out = `${paint(color, SGR.bold, file.display)} ${paint(color, SGR.dim, `(read as ${file.dialect}, ${how})`)}\n`;
  if (file.assumed) {
    const more = elsewhere.map(([name, n]) => `${name} has ${count(n, "more finding")} (-d ${name})`).join("; ");
    out += `  ${paint(color, SGR.dim, `${file.assumed.note}${more !== "" ? `; ${more}` : ""}`)}\n`;
  }
  for (const d of file.diagnostics) {
    out += formatDiagnosticLine(file, d, color);
    out += codeFrame(file, d, color);
    if (out.length >= CHUNK_CHARS) {
      yield out;
      out = "";
    }
  }
  yield `${out}\n`;
}

export function formatText(files: readonly ReportedFile[], summary: Summary, options: TextOptions): string {
  let out = "";
  for (const file of files) for (const piece of formatTextFile(file, options.color)) out += piece;
  out += `${summaryLine(summary)}\n`;
  return out;
}

export function summaryLine(s: Summary): string {
  const withFindings = s.errors + s.warnings + s.infos;
  const files = count(s.files, "file");
  const hiddenParts = s.hidden
    ? [count(s.hidden.warnings, "warning"), count(s.hidden.infos, "info")].filter((p) => !p.startsWith("0 "))
    : [];
  const hidden = hiddenParts.length > 0 ? ` (${hiddenParts.join(" and ")} not shown: --quiet shows errors only)` : "";
  if (withFindings === 0) return `${hidden === "" ? "no problems" : "no errors"} in ${files}${hidden}`;
  return `${count(s.errors, "error")}, ${count(s.warnings, "warning")}, ${count(s.infos, "info")} in ${files}${hidden}`;
}

/** `sysvinit@3.06, sysvinit@3.14` as `sysvinit 3.06 and 3.14`. */
function versionList(names: readonly string[]): string {
  const versions = names.map((n) => n.replace(/^sysvinit@/, ""));
  const last = versions[versions.length - 1]!;
  const list = versions.length === 1 ? last : `${versions.slice(0, -1).join(", ")} and ${last}`;
  return `sysvinit ${list}`;
}
