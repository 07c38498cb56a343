export * from "./model.js";
export * from "./bytes.js";
export { parse, parseBinary, print, printBinary, UnknownDialectError, type ParseOptions } from "./parse.js";
export { Interned, LineCounter, lineCounterOf } from "./build.js";
export { documentToJson, type LineJson } from "./json.js";
export { JoinedField, SourceField, SourceLine, SourceSpan, type Positions, type SourceText } from "./nodes.js";
export { lowerBound, NulFinder } from "./search.js";
