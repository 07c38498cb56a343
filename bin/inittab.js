#!/usr/bin/env node
// The `inittab` command. The CLI itself is built into dist/ by `npm ci` (prepare).
import { main } from "../dist/src/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
