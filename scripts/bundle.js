#!/usr/bin/env node
// `npm run build` (after tsc): the CLI as one file, dist/cli.cjs, and V8's code cache for it.
//
// Why: loading ~100 compiled modules, chevrotain's package entry (hundreds of lodash-es files)
// and commander one by one cost the CLI about 0.1 s per call before it did any work; build
// systems call `inittab` many times per image. One minified file starts faster, and the code
// cache (dist/cli.v8cache, see bin/load-cli.js) spares V8 compiling it again on every call.
//
// Command modules are imported dynamically (src/cli/commands/index.ts); esbuild keeps such
// modules in the file but evaluates them only when imported, so a command pays for itself only.
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { computeCharMap } from "./chevrotain-char-map.js";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const require = createRequire(import.meta.url);

/**
 * src/grammar/chevrotain.ts finds chevrotain's single-file ESM bundle at run time, next to the
 * package entry; here the same file is bundled in directly.
 */
const chevrotainBundle = join(dirname(require.resolve("chevrotain")), "..", "chevrotain.mjs");
const chevrotainFromItsBundle = {
  name: "chevrotain-from-its-bundle",
  setup(b) {
    b.onLoad({ filter: /[\\/]grammar[\\/]chevrotain\.ts$/ }, () => ({
      contents: `import * as chevrotainModule from ${JSON.stringify(chevrotainBundle)};\nexport const chevrotain = chevrotainModule;\n`,
      loader: "ts",
      resolveDir: root,
    }));
  },
};

/**
 * commander requires node:child_process at load time, for executable subcommands this CLI
 * does not have; loading that builtin was a tenth of the start-up. Within commander it becomes
 * a proxy that loads the builtin on first use.
 */
const LAZY = "lazy-builtin";
const lazyChildProcessInCommander = {
  name: "lazy-child-process-in-commander",
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer)
        ? { path: "node:child_process", namespace: LAZY }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: LAZY }, (args) => ({
      contents: `let loaded;\nmodule.exports = new Proxy({}, { get: (_, key) => (loaded ??= require(${JSON.stringify(args.path)}))[key] });\n`,
      loader: "js",
    }));
  },
};

/**
 * src/base/version.ts reads package.json next to the library at run time; the bundle carries the
 * same values, read here from the same file.
 */
const pkg = JSON.parse(await readFile(join(root, "package.json"), "utf8"));
const packageInfoInlined = {
  name: "package-info-inlined",
  setup(b) {
    b.onLoad({ filter: /[\\/]base[\\/]version\.ts$/ }, () => ({
      contents:
        `export const VERSION = ${JSON.stringify(pkg.version)};\n` +
        `export const REPOSITORY_URL = ${JSON.stringify(pkg.repository.url.replace(/^git\+/, "").replace(/\.git$/, ""))};\n`,
      loader: "ts",
    }));
  },
};

const chevrotainCharMapComputed = {
  name: "chevrotain-char-map-computed",
  setup(b) {
    b.onLoad({ filter: /[\\/]chevrotain[\\/]lib[\\/]chevrotain\.mjs$/ }, async (args) => {
      return { contents: computeCharMap(await readFile(args.path, "utf8"), args.path), loader: "js" };
    });
  },
};

const outfile = join(root, "dist", "cli.cjs");
const result = await build({
  entryPoints: [join(root, "src", "cli", "main.ts")],
  outfile,
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  minify: !process.argv.includes("--no-minify"), // --no-minify: readable names for profiling
  legalComments: "none",
  metafile: true,
  plugins: [packageInfoInlined, chevrotainFromItsBundle, chevrotainCharMapComputed, lazyChildProcessInCommander],
  logLevel: "warning",
});

const bytes = result.metafile.outputs[Object.keys(result.metafile.outputs)[0]].bytes;

// The code cache: run the CLI's common paths once in a child (bin/load-cli.js, the same loader
// the command uses, so V8 accepts the cache), then save what V8 compiled.
const warm = spawnSync(process.execPath, [join(root, "scripts", "warm-cli.js")], { cwd: root, encoding: "utf8" });
if (warm.status !== 0) {
  process.stderr.write(`bundle: writing the code cache failed:\n${warm.stderr}`);
  process.exit(1);
}
process.stdout.write(`bundle: dist/cli.cjs (${(bytes / 1024).toFixed(0)} KiB) and ${warm.stdout.trim()}\n`);
