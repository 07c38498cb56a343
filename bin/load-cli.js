/**
 * Loads the bundled CLI, dist/cli.cjs (scripts/bundle.js), with V8's code cache for it,
 * dist/cli.v8cache: V8 then skips compiling the ~340 KiB file and the functions a typical
 * run calls, a good part of the command's start-up. A cache that is missing, or that V8 rejects
 * (another Node version, other V8 flags, a rebuilt bundle), only costs that time back.
 */
"use strict";
const { readFileSync } = require("node:fs");
const { createRequire } = require("node:module");
const { dirname, join } = require("node:path");
const { Script } = require("node:vm");

const CLI_BUNDLE = join(__dirname, "..", "dist", "cli.cjs");
const CODE_CACHE = join(__dirname, "..", "dist", "cli.v8cache");

/**
 * Evaluate the bundle as a CommonJS module. `useCache: false` ignores an existing cache (the
 * build uses it to make a fresh one). Returns the bundle's exports and the compiled script.
 */
function loadCli({ useCache = true } = {}) {
  const source = readFileSync(CLI_BUNDLE, "utf8");
  let cachedData;
  if (useCache) {
    try {
      cachedData = readFileSync(CODE_CACHE);
    } catch {
      // No cache: compile from source.
    }
  }
  // The same wrapper as Node's own CommonJS loader; the build makes the cache with this very
  // function, so the source V8 checks the cache against is identical.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: CLI_BUNDLE,
    ...(cachedData ? { cachedData } : {}),
  });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(CLI_BUNDLE), module, CLI_BUNDLE, dirname(CLI_BUNDLE));
  return { cli: module.exports, script };
}

module.exports = { CLI_BUNDLE, CODE_CACHE, loadCli };
