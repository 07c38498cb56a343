#!/usr/bin/env node
// The `inittab` command: the bundled CLI, dist/cli.cjs, built by `npm ci` / `npm run build`.
// CommonJS (bin/package.json): Node starts a CommonJS entry point sooner than an ES module.
"use strict";
const { loadCli } = require("./load-cli.js");

let cli;
try {
  ({ cli } = loadCli());
} catch (err) {
  if (err?.code !== "ENOENT") throw err;
  process.stderr.write(`inittab: ${err.path}: missing; run \`npm run build\` first\n`);
  process.exit(2);
}
cli.main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
