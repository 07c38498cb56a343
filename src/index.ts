/** inittab: read, check and safely edit /etc/inittab. The public API. */
export * from "./document/index.js";
export * from "./dialects/index.js";
export * from "./edit/index.js";
export * from "./rules/index.js";
export * from "./write/index.js";
export * from "./generate/index.js";
export * from "./initctl/index.js";
