/**
 * The edit layer: mkitab/chitab/rmitab-like operations as `{start, end, text}` edits against the
 * original bytes, the validation gate that refuses an edit adding errors, and unified diffs.
 */
export {
  assertOneLine,
  parseEntryText,
  parseEntryBinary,
  entryValues,
  sameValues,
  type EntryValues,
  type NewEntry,
} from "./entry.js";
export {
  selectEntries,
  selectCommented,
  commentedEntries,
  sameSlot,
  sameIdentity,
  ttyKey,
  type Selector,
  type SelectorLike,
  type CommentedEntry,
} from "./select.js";
export {
  addEntry,
  setFields,
  removeEntries,
  commentEntry,
  uncommentEntry,
  type AddOptions,
  type EditResult,
  type FieldChanges,
} from "./ops.js";
export { gateEdit, newErrors, stoppedEntries, type CheckFn, type GateResult } from "./gate.js";
export { unifiedDiff, diffLabel, escapeDiff } from "./diff.js";
