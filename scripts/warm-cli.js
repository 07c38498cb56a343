#!/usr/bin/env node
// Run by scripts/bundle.js: load the fresh bundle, run the CLI's common paths on the samples,
// then save V8's code cache (bin/load-cli.js reads it). The output of the runs is discarded.
import { renameSync, writeFileSync } from "node:fs";
import { CODE_CACHE, loadCli } from "../bin/load-cli.js";

const { cli, script } = loadCli({ useCache: false });
const runs = [
  ["check", "samples"],
  ["check", "--format", "json", "samples/debian-desktop.inittab"],
  ["check", "-d", "busybox", "samples/busybox-board.inittab"],
  ["parse", "samples/debian-desktop.inittab"],
  ["ls", "--matrix", "samples/debian-desktop.inittab"],
  ["add", "--diff", "-f", "samples/debian-desktop.inittab", "x9:2345:respawn:/sbin/getty 38400 tty9"],
  ["--help"],
];
const write = { out: process.stdout.write, err: process.stderr.write };
process.stdout.write = process.stderr.write = () => true;
try {
  for (const argv of runs) await cli.main(argv);
} finally {
  process.stdout.write = write.out;
  process.stderr.write = write.err;
}
process.exitCode = 0;
// Written whole, then renamed: a build killed midway leaves no truncated cache behind.
const data = script.createCachedData();
writeFileSync(`${CODE_CACHE}.tmp`, data);
renameSync(`${CODE_CACHE}.tmp`, CODE_CACHE);
process.stdout.write(`dist/cli.v8cache (${(data.length / 1024).toFixed(0)} KiB)\n`);
