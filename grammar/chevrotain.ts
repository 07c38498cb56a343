/**
 * chevrotain, loaded from the single-file ESM bundle its package ships (lib/chevrotain.mjs).
 *
 * The package's entry point (lib/src/api.js) imports lodash-es module by module, hundreds of
 * files, and that dominated the CLI's cold start: about 0.3 s of CPU before any work, against
 * about 0.05 s for the bundle of the same version with the same API. The package's `exports`
 * only name the entry point, so the bundle is found next to it; should that ever fail, the entry
 * point is used. Every chevrotain value in grammar/ must come from here, so that tokens, lexers
 * and the parser share one copy of the library.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

export type Chevrotain = typeof import("chevrotain");

async function load(): Promise<Chevrotain> {
  try {
    const entry = createRequire(import.meta.url).resolve("chevrotain"); // …/lib/src/api.js
    return (await import(pathToFileURL(join(dirname(entry), "..", "chevrotain.mjs")).href)) as Chevrotain;
  } catch {
    return import("chevrotain");
  }
}

export const chevrotain: Chevrotain = await load();
