/**
 * `inittab parse [--file FILE|-]`: the document model as JSON (lines tile the file exactly). FILE
 * may be a package, a rootfs archive or a directory: an array then holds each inittab in it,
 * with its name (`pkg.deb!/etc/inittab`).
 */
import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { loadInittabs } from "../load.js";
import { usageError } from "../errors.js";
import { fileOption } from "../write-options.js";
import { documentToJson } from "../../document/json.js";
import { stringifyJson } from "../../base/bytes.js";

export function register(program: Command, ctx: CliContext): void {
  fileOption(
    program
      .command("parse")
      .description("print the parsed lines as JSON (byte offsets; lines tile the file)")
      .argument("[file]", "the same as --file: an inittab, -, or a package, archive or directory holding inittabs"),
  ).action(async (operand: string | undefined, opts: { file?: string }) => {
    if (operand !== undefined && opts.file !== undefined) throw usageError("give the file once: --file FILE or FILE");
    const { docs, failed, collection } = await loadInittabs(operand ?? opts.file, ctx.globals());
    if (failed) ctx.exit(2);
    if (!collection && docs.length === 1) {
      process.stdout.write(`${stringifyJson(documentToJson(docs[0]!.doc))}\n`);
    } else if (docs.length > 0) {
      const all = docs.map(({ display, doc }) => ({ path: display, ...documentToJson(doc) }));
      process.stdout.write(`${stringifyJson(all)}\n`);
    }
  });
}
