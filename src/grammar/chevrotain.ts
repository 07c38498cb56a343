/**
 * chevrotain, loaded from the single-file ESM build its package ships (lib/chevrotain.mjs).
 *
 * The package's entry point (lib/src/api.js) imports lodash-es module by module, hundreds of
 * files: about 0.2 s before the first token, against about 0.01 s for the single file of the same
 * version with the same API. The package's `exports` name only the entry point, so the file is
 * found next to it and loaded synchronously (Node 20.19 `require`s an ES module that has no
 * top-level await), which keeps this library free of top-level await: `require("inittab")` works.
 * Where that fails (a bundler that cannot follow it), the entry point is used. Every chevrotain
 * value in src/grammar/ comes from here, so tokens, lexers and the parser share one copy.
 */
import { createRequire } from "node:module";
import type * as ChevrotainModule from "chevrotain";
import { dirname, join } from "node:path";

export type Chevrotain = typeof ChevrotainModule;

function load(): Chevrotain {
  const require = createRequire(import.meta.url);
  const entry = require.resolve("chevrotain"); // …/lib/src/api.js
  try {
    return require(join(dirname(entry), "..", "chevrotain.mjs")) as Chevrotain;
  } catch {
    return require(entry) as Chevrotain;
  }
}

export const chevrotain: Chevrotain = load();
