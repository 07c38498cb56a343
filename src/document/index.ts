/**
 * The document layer: an inittab as lines and fields with byte offsets (lossless: the lines print
 * back to the input), edits as data against those bytes, and the lines as the target init reads them.
 */
export * from "./model.js";
export { parse, parseBinary, print, printBinary, type ParseOptions } from "./parse.js";
export { documentToJson, type LineJson } from "./json.js";
export {
  EntryFields,
  JoinedField,
  NO_FIELDS,
  SourceField,
  SourceLine,
  SourceSpan,
  ValueField,
  type LineInit,
  type SourceText,
} from "./nodes.js";
export { applyEdits, applyEditsBinary, type Edit } from "./edits.js";
export { buildView, type InitLine } from "./view.js";
