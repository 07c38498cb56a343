/** `inittab parse [FILE|-]`: the document model as JSON (lines tile the file exactly). */
import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { loadInittab } from "../load.js";
import { documentToJson } from "../../document/json.js";
import { stringifyJson } from "../../base/bytes.js";

export function register(program: Command, ctx: CliContext): void {
  program
    .command("parse")
    .description("print the parsed lines as JSON (byte offsets; lines tile the file)")
    .argument("[file]", "inittab to read, or - for stdin")
    .action((file: string | undefined) => {
      const { doc } = loadInittab(file, ctx.globals());
      process.stdout.write(`${stringifyJson(documentToJson(doc))}\n`);
    });
}
