export * from "./edits.js";
