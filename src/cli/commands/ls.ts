/** `inittab ls [FILE] [--json] [--matrix]`: the entries, like AIX lsitab or chkconfig --list. */
import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { loadInittab } from "../load.js";
import { entryRows, formatMatrix, formatTable } from "../../report/table.js";
import { stringifyJson } from "../../base/bytes.js";

export function register(program: Command, ctx: CliContext): void {
  program
    .command("ls")
    .description("list the entries; --matrix shows which entry runs in which runlevel")
    .argument("[file]", "inittab to read, or - for stdin")
    .option("--json", "entries as JSON")
    .option("--matrix", "a runlevel grid, with init's defaults for empty runlevels")
    .action((file: string | undefined, opts: { json?: boolean; matrix?: boolean }) => {
      const { doc } = loadInittab(file, ctx.globals());
      if (opts.json) {
        process.stdout.write(`${stringifyJson({ dialect: doc.dialect.name, entries: entryRows(doc) })}\n`);
      } else {
        process.stdout.write(opts.matrix ? formatMatrix(doc) : formatTable(doc));
      }
      const invalid = doc.lines.filter((l) => l.kind === "invalid").length;
      if (invalid > 0) process.stderr.write(`inittab: ${invalid} line(s) are not entries; see \`inittab check\`\n`);
    });
}
