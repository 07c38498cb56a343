/**
 * `inittab ls [FILE] [--json] [--matrix]`: the entries, like AIX lsitab or chkconfig --list.
 * FILE may be a package, a rootfs archive or a directory: each inittab in it is listed under its
 * name (`pkg.deb!/etc/inittab`), and --json gives an array of them, each with its path.
 */
import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { loadInittabs } from "../load.js";
import { entryRows, formatMatrix, formatTable } from "../../report/table.js";

export function register(program: Command, ctx: CliContext): void {
  program
    .command("ls")
    .description("list the entries; --matrix shows which entry runs in which runlevel")
    .argument("[file]", "inittab to read, - for stdin, or a package, archive or directory holding inittabs")
    .option("--json", "entries as JSON")
    .option("--matrix", "a runlevel grid, with init's defaults for empty runlevels")
    .action(async (file: string | undefined, opts: { json?: boolean; matrix?: boolean }) => {
      const { docs, failed, collection } = await loadInittabs(file, ctx.globals());
      if (failed) ctx.exit(2);
      const many = collection || docs.length > 1;
      if (opts.json) {
        const rows = docs.map(({ display, doc }) => ({
          ...(many ? { path: display } : {}),
          dialect: doc.dialect.name,
          entries: entryRows(doc),
        }));
        if (rows.length > 0) process.stdout.write(`${JSON.stringify(many ? rows : rows[0], null, 2)}\n`);
      } else {
        docs.forEach(({ display, doc }, i) => {
          if (many) process.stdout.write(`${i > 0 ? "\n" : ""}${display}:\n`);
          process.stdout.write(opts.matrix ? formatMatrix(doc) : formatTable(doc));
        });
      }
      for (const { display, doc } of docs) {
        const invalid = doc.lines.filter((l) => l.kind === "invalid").length;
        if (invalid > 0) {
          const where = many ? `${display}: ` : "";
          process.stderr.write(`inittab: ${where}${invalid} line(s) are not entries; see \`inittab check\`\n`);
        }
      }
    });
}
