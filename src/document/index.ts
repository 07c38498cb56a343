export * from "./model.js";
export * from "./bytes.js";
export { parse, parseBinary, print, printBinary, UnknownDialectError, type ParseOptions } from "./parse.js";
export { LineCounter } from "./build.js";
export { documentToJson, type LineJson } from "./json.js";
