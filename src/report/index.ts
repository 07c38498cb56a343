/**
 * The report layer: findings and documents formatted for people (text with code frames, the
 * `ls` table and matrix), editors and CI (gnu, GitHub annotations) and machines (JSON, SARIF).
 */
export { FORMATS, reportedFile, summarize, type Format, type ReportedFile, type Summary } from "./types.js";
export { codeFrame, formatDiagnosticLine, formatText, formatTextFile, summaryLine, type TextOptions } from "./text.js";
export { formatGithub, formatGnu, formatJson, type JsonReport } from "./machine.js";
export { formatSarif, type SarifOptions } from "./sarif.js";
export { BUSYBOX_PHASES, entryRows, formatMatrix, formatTable, type EntryRow } from "./table.js";
export { formatPlanJson, formatPlanText, summarizePlan, type PlanContext, type PlanSummary } from "./plan.js";
