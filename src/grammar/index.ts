export * from "./tokens.js";
export * from "./parser.js";
