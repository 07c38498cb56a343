/**
 * `inittab parse [FILE|-]`: the document model as JSON (lines tile the file exactly). FILE may be
 * a package, a rootfs archive or a directory: an array then holds each inittab in it, with its
 * name (`pkg.deb!/etc/inittab`).
 */
import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { loadInittabs } from "../load.js";
import { documentToJson } from "../../document/json.js";

export function register(program: Command, ctx: CliContext): void {
  program
    .command("parse")
    .description("print the parsed lines as JSON (byte offsets; lines tile the file)")
    .argument("[file]", "inittab to read, - for stdin, or a package, archive or directory holding inittabs")
    .action(async (file: string | undefined) => {
      const { docs, failed, collection } = await loadInittabs(file, ctx.globals());
      if (failed) ctx.exit(2);
      if (!collection && docs.length === 1) {
        process.stdout.write(`${JSON.stringify(documentToJson(docs[0]!.doc), null, 2)}\n`);
      } else if (docs.length > 0) {
        const all = docs.map(({ display, doc }) => ({ path: display, ...documentToJson(doc) }));
        process.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
      }
    });
}
