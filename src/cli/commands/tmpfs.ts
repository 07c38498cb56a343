/**
 * `inittab tmpfs [--from FILE] [--runlevel 0|6] [-o OUT]`: the dummy /etc/inittab to put in the
 * shutdown tmpfs before pivot_root and `telinit U` (see generate/tmpfs.ts for what it holds).
 * A live file that cannot give a correct dummy is a refusal: one line, exit 1.
 */
import { basename } from "node:path";
import { Option, type Command } from "commander";
import type { CliContext } from "../context.js";
import { InittabError } from "../../base/errors.js";
import { fsError, naming } from "../errors.js";
import {
  displayPath, fileOptions, lockOptions, lockTimeoutOption, readInput, writeFileBytes, type GlobalOptions,
} from "../io.js";
import { tabsBeside } from "../../inputs/index.js";
import { loadInittab } from "../load.js";
import { parse, type Document } from "../../document/index.js";
import { escapeBinary } from "../../base/index.js";
import { generateTmpfsInittab, type ShutdownLevel } from "../../generate/index.js";
import { safeWriteFile } from "../../write/index.js";

interface TmpfsOptions {
  from?: string;
  runlevel: ShutdownLevel;
  keep?: string;
  output?: string;
  lockTimeout?: number;
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command("tmpfs")
    .description("generate the dummy inittab for a shutdown tmpfs (pivot_root, then telinit U)")
    .option("--from <file>", "the live inittab (default /etc/inittab, or DIR/etc/inittab under --root)")
    .addOption(new Option("--runlevel <level>", "the shutdown runlevel: 0 halt, 6 reboot").choices(["0", "6"]).default("0"))
    .option("--keep <id>", "the wait entry that runs the pivot (default: the last wait entry of the level)")
    .option("-o, --output <file>", "write the dummy to FILE (atomically) instead of stdout")
    .addOption(lockTimeoutOption())
    .action(async (opts: TmpfsOptions) => {
      const globals = ctx.globals();
      const { path, doc } = loadInittab(opts.from, globals);
      const tabs = readTabs(path, doc, globals);
      let result;
      try {
        result = generateTmpfsInittab(doc, {
          runlevel: opts.runlevel,
          ...(opts.keep !== undefined ? { keep: opts.keep } : {}),
          sourceName: path === "-" ? "<stdin>" : path,
          ...(tabs.length > 0 ? { tabs } : {}),
        });
      } catch (err) {
        throw err instanceof InittabError ? naming(displayPath(path), err) : err;
      }
      for (const k of result.kept) {
        const where = k.path ? `${displayPath(k.path)} line ${k.line}` : `line ${k.line}`;
        process.stderr.write(`kept ${escapeBinary(k.id)} (${k.action}, ${where}): the entry running the shutdown at the switch (--keep ID names another)\n`);
      }
      if (opts.output === undefined) {
        writeFileBytes(result.bytes);
        return;
      }
      try {
        await safeWriteFile(opts.output, result.bytes, { ...fileOptions(globals), ...lockOptions(opts) });
      } catch (err) {
        if (err instanceof InittabError) throw err;
        throw fsError(displayPath(opts.output), err);
      }
      process.stderr.write(`wrote ${displayPath(opts.output)}\n`);
    });
}

/**
 * The live system's inittab.d (sysvinit 2.97+): its entries can be running too. Read only for a
 * file named `inittab` with an `inittab.d` beside it, in name order (init's readdir order is
 * unspecified; only duplicate ids depend on it).
 */
function readTabs(path: string, doc: Document, globals: GlobalOptions): Array<{ path: string; doc: Document }> {
  if (path === "-" || basename(path) !== "inittab" || !doc.dialect.inittabD) return [];
  // Under --root, inittab.d and its files are resolved inside the image.
  return tabsBeside(path, globals.root).tabs.map((p) => ({
    path: p,
    doc: parse(readInput(p, globals), { dialect: doc.dialect }),
  }));
}
