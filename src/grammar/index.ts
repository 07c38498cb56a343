/**
 * The grammar layer: the inittab language as chevrotain lexers (one per syntax, sysvinit and
 * BusyBox) and one parser; every byte lands in exactly one token, and lexing cannot fail.
 */
export * from "./tokens.js";
export * from "./parser.js";
