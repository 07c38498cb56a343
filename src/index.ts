/**
 * inittab: read, check and safely edit `/etc/inittab`, the configuration of SysV init and BusyBox
 * init. This is the public API; docs/api.md shows its main uses as runnable examples.
 *
 * - {@link parse} a file into a lossless {@link Document} ({@link print} gives the bytes back);
 * - {@link checkSet} / {@link checkDocument} predict what the target init does with every line,
 *   and the formatters ({@link formatText}, {@link formatJson}, {@link formatSarif}…) print it;
 * - {@link addEntry}, {@link setFields}, {@link removeEntries}, {@link commentEntry},
 *   {@link uncommentEntry} return edits as data, {@link gateEdit} refuses an edit that adds
 *   errors, {@link editFileSafely} writes atomically under a lock;
 * - {@link planReload} says what the running init stops and starts when it re-reads a new file,
 *   {@link planOnSystem} with the running system's runlevel and processes ({@link readLiveSystem});
 * - {@link generateTmpfsInittab} and {@link addExecEntry} serve the root-unmount shutdown;
 *   {@link encodeRequest}, {@link decodeRequest} and {@link sendRequest} speak `/run/initctl`;
 * - {@link collectGroups} finds the inittabs of a path, grouped as init reads them.
 *
 * Every failure is an {@link InittabError} with a `code`.
 *
 * @packageDocumentation
 */

// Errors and the package.
export { InittabError, isInittabError, type ErrorCode, type ErrorDetails } from "./base/errors.js";
export { VERSION } from "./base/version.js";
export { escapeBinary, escapeText, fromBinary, textToBinary, toBinary } from "./base/bytes.js";
export type { Image, ImageEntry, ImageLookup } from "./base/image.js";

// Dialects: which init reads the file.
export { DIALECT_NAMES, DIALECTS, dialectByName, detectDialect } from "./dialects/index.js";
export type { ActionInfo, Detection, Dialect, LongLinePolicy } from "./dialects/index.js";

// Documents: the file as lines and fields, byte for byte.
export { parse, print } from "./document/parse.js";
export type { ParseOptions } from "./document/parse.js";
export { FIELD_NAMES, isEntry } from "./document/model.js";
export type { Document, Entry, Field, FieldName, Line, LineKind, Span, Terminator } from "./document/model.js";
export { documentToJson, type LineJson } from "./document/json.js";
export { applyEdits, type Edit } from "./document/edits.js";

// What init does with the file.
export { simulateInit } from "./init/simulate.js";
export type {
  DropCause,
  DroppedLine,
  InitPrediction,
  InitSource,
  SimulatedEntry,
  SimulateOptions,
} from "./init/simulate.js";

// Checking.
export { checkDocument, checkSet, PROFILES } from "./rules/index.js";
export type { FileReport, InittabSet, InittabSource } from "./rules/index.js";
export type { CheckOptions, Diagnostic, Severity } from "./rules/types.js";
export { helpUri, isRuleCode, RULES } from "./rules/registry.js";
export type { RuleCode, RuleGroup, RuleMeta } from "./rules/registry.js";

// Reports.
export { FORMATS, reportedFile, summarize, type Format, type ReportedFile, type Summary } from "./report/types.js";
export { formatText, type TextOptions } from "./report/text.js";
export { formatGithub, formatGnu, formatJson } from "./report/machine.js";
export { formatSarif, type SarifOptions } from "./report/sarif.js";
export { entryRows, formatMatrix, formatTable, type EntryRow } from "./report/table.js";

// Editing.
export { addEntry, commentEntry, removeEntries, setFields, uncommentEntry } from "./edit/ops.js";
export type { AddOptions, EditResult, FieldChanges } from "./edit/ops.js";
export type { Selector, SelectorLike } from "./edit/select.js";
export { gateEdit, type GateResult } from "./edit/gate.js";
export { unifiedDiff } from "./edit/diff.js";

// Writing files safely.
export { editFileSafely, safeWriteFile } from "./write/safe-write.js";
export type { SafeWriteOptions, Transform, WriteResult } from "./write/safe-write.js";

// Generators for the root-unmount shutdown.
export { generateTmpfsInittab, type TmpfsOptions, type TmpfsResult } from "./generate/tmpfs.js";
export { addExecEntry, type ExecEntryOptions, type ExecEntryResult } from "./generate/exec-entry.js";
export type { ShutdownLevel } from "./generate/common.js";

// What a re-read does: the processes init stops and starts when it reads a new file.
export {
  planReload,
  settledProcesses,
  type KeepReason,
  type PlanDormant,
  type PlanEntry,
  type PlanKeep,
  type PlanStart,
  type PlanStop,
  type ProcessState,
  type ReloadPlan,
  type ReloadPlanOptions,
  type StartReason,
  type StopReason,
} from "./init/reload.js";
export { formatPlanJson, formatPlanText, summarizePlan, type PlanContext, type PlanSummary } from "./report/plan.js";
export { planOnSystem, readLiveSystem, type LiveOptions, type LiveSystem, type SystemPlan } from "./system/plan.js";
export { matchProcesses, type LiveMatch, type MatchOptions } from "./system/live.js";
export { readInitChildren, type ProcessInfo } from "./system/processes.js";
export { readRunlevel, type RunlevelReading } from "./system/runlevel.js";

// initctl requests.
export { REQUEST_SIZE } from "./initctl/protocol.js";
export { encodeRequest, type EncodeOptions, type InitRequest } from "./initctl/encode.js";
export { decodeRequest, type DecodedRequest } from "./initctl/decode.js";
export { sendRequest, type SendOptions, type SendResult } from "./initctl/send.js";

// Where inittabs come from.
export { collectGroups, defaultGroup, type CheckGroup } from "./inputs/collect.js";
export { DirectoryImage } from "./inputs/directory-image.js";
export { readInput } from "./inputs/read.js";
