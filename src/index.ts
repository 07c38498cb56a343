/** inittab: read, check and safely edit /etc/inittab. The public API. */
export * from "./document/index.js";
export * from "./dialects/index.js";
export * from "./edit/index.js";
