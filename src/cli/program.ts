/** The `inittab` program: its global options, and every command registered (for the references). */
import { Command, Option } from "commander";
import { VERSION } from "../base/version.js";
import { escapeText } from "../base/bytes.js";
import { InittabError } from "../base/errors.js";
import { parseSize } from "../base/limits.js";
import { DIALECT_NAMES } from "../dialects/index.js";
import { COMMAND_MODULES } from "./commands/index.js";
import type { CliContext } from "./context.js";

/** The program with its global options, before any command module registers itself. */
export function defineProgram(program: Command): Command {
  return (
    program
      .name("inittab")
      .description("Read, check and safely edit /etc/inittab (SysV init and BusyBox init).")
      .version(VERSION)
      .addOption(
        new Option("-d, --dialect <name>", "which init reads the file").choices([...DIALECT_NAMES]).default("auto"),
      )
      .option(
        "--root <dir>",
        "act on the system image under DIR (default file DIR/etc/inittab; its init and version choose the dialect); " +
          "every path is resolved inside DIR, as chroot would",
      )
      .addOption(
        new Option(
          "--max-size <size>",
          "refuse inputs larger than SIZE (bytes, or with K, M, G; default 16M)",
        ).argParser((value: string) => parseSize(value) ?? invalidSize(value)),
      )
      .option("--allow-exec", "accept the proposed `exec` action (your init carries the exec patch)")
      .showSuggestionAfterError()
      .exitOverride()
      // Commander's own messages echo arguments (an unknown option, an invalid choice): escaped,
      // so that no control byte given on the command line reaches the terminal raw.
      .configureOutput({
        writeErr: (s) => process.stderr.write(escapeLines(s)),
        outputError: (s, write) => write(s),
      })
  );
}

function escapeLines(s: string): string {
  return s.split("\n").map(escapeText).join("\n");
}

function invalidSize(value: string): never {
  const what = `"${escapeText(value)}" is not a size (bytes, or with K, M or G)`;
  throw new InittabError("invalid-option", `--max-size: ${what}`);
}

/** Every command registered, as --help, the man page and the completions describe them. */
export async function fullProgram(): Promise<Command> {
  const program = defineProgram(new Command());
  const ctx: CliContext = { globals: () => ({ dialect: "auto" }), exit: () => undefined };
  for (const module of COMMAND_MODULES) (await module.load()).register(program, ctx);
  return program;
}
