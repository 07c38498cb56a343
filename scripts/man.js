#!/usr/bin/env node
// `npm run build` (after tsc): the man page, dist/inittab.1, made from the same commander
// definitions as --help (src/cli/reference.ts). package.json's "man" names it, so `npm install -g`
// installs it and `man inittab` shows it.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const { fullProgram } = await import(join(root, "dist", "cli", "program.js"));
const { manPage } = await import(join(root, "dist", "cli", "reference.js"));
await writeFile(join(root, "dist", "inittab.1"), manPage(await fullProgram()));
process.stdout.write("man: dist/inittab.1\n");
