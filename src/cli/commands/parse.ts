/** `inittab parse [--file FILE|-]`: the document model as JSON (lines tile the file exactly). */
import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { loadInittab } from "../load.js";
import { usageError } from "../errors.js";
import { fileOption } from "../write-options.js";
import { documentToJson } from "../../document/json.js";

export function register(program: Command, ctx: CliContext): void {
  fileOption(
    program
      .command("parse")
      .description("print the parsed lines as JSON (byte offsets; lines tile the file)")
      .argument("[file]", "the same as --file"),
  ).action((operand: string | undefined, opts: { file?: string }) => {
    if (operand !== undefined && opts.file !== undefined) throw usageError("give the file once: --file FILE or FILE");
    const { doc } = loadInittab(operand ?? opts.file, ctx.globals());
    process.stdout.write(`${JSON.stringify(documentToJson(doc), null, 2)}\n`);
  });
}
