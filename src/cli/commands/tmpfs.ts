/**
 * `inittab tmpfs [--file FILE] [--runlevel 0|6] [-o OUT] [--backup] [--diff|--check] [--validate CMD]`: the dummy
 * /etc/inittab to put in the
 * shutdown tmpfs before pivot_root and `telinit U` (see generate/tmpfs.ts for what it holds).
 * A live file that cannot give a correct dummy is a refusal: one line, exit 1.
 */
import { basename } from "node:path";
import { Option, type Command } from "commander";
import type { CliContext } from "../context.js";
import { InittabError } from "../../base/errors.js";
import { naming, usageError } from "../errors.js";
import { displayPath, readInput, type GlobalOptions } from "../io.js";
import { tabsBeside } from "../../inputs/index.js";
import { loadInittab } from "../load.js";
import { parse, type Document } from "../../document/index.js";
import { escapeBinary } from "../../base/index.js";
import { generateTmpfsInittab, type ShutdownLevel } from "../../generate/index.js";
import { writeOutput, writeOutputJson } from "../output.js";
import { checkOutputFlags, deprecated, fileOption, outputWriteOptions, type WriteFlags } from "../write-options.js";

export function register(program: Command, ctx: CliContext): void {
  outputWriteOptions(
    fileOption(
      program
        .command("tmpfs")
        .description("generate the dummy inittab for a shutdown tmpfs (pivot_root, then telinit U)")
        .addOption(
          new Option("--runlevel <level>", "the shutdown runlevel: 0 halt, 6 reboot").choices(["0", "6"]).default("0"),
        )
        .option("--keep <id>", "the wait entry that runs the pivot (default: the last wait entry of the level)")
        .addOption(deprecated("--from <file>", "the old spelling of --file")),
      "the live inittab (default /etc/inittab, or DIR/etc/inittab under --root); - is stdin",
    ),
    true,
  ).action(async (opts: WriteFlags & { from?: string; runlevel: ShutdownLevel; keep?: string }) => {
    const globals = ctx.globals();
    if (opts.from !== undefined && opts.file !== undefined) {
      throw usageError("give the live file once: --file (--from is its old spelling)");
    }
    checkOutputFlags(opts);
    const given = opts.file ?? opts.from;
    const { path, doc } = loadInittab(given, globals);
    const tabs = readTabs(path, doc, globals);
    let result;
    try {
      result = generateTmpfsInittab(doc, {
        runlevel: opts.runlevel,
        ...(opts.keep !== undefined ? { keep: opts.keep } : {}),
        // The live file as the system sees it, whatever the host path under --root: the same
        // image gives the same bytes wherever it is unpacked.
        sourceName: given === undefined ? "/etc/inittab" : path === "-" ? "<stdin>" : given,
        ...(tabs.length > 0 ? { tabs } : {}),
      });
    } catch (err) {
      throw err instanceof InittabError ? naming(displayPath(path), err) : err;
    }
    for (const k of result.kept) {
      const where = k.path ? `${displayPath(k.path)} line ${k.line}` : `line ${k.line}`;
      process.stderr.write(
        `kept ${escapeBinary(k.id)} (${k.action}, ${where}): the entry running the shutdown at the switch (--keep ID names another)\n`,
      );
    }
    const ok = opts.json
      ? await writeOutputJson(opts, result.bytes, globals, "tmpfs", true)
      : await writeOutput(opts, result.bytes, globals);
    if (!ok) ctx.exit(1);
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
