/**
 * The CLI: parses arguments with commander and calls the library. Each command lives in
 * commands/<name>.ts and registers itself; this file only wires globals and exit codes.
 */
import { Command, CommanderError, Option } from "commander";
import { InittabError } from "../base/errors.js";
import { EXIT_STATUS, inFlags } from "./errors.js";
import { DIALECT_NAMES } from "../dialects/index.js";
import { modulesFor } from "./commands/index.js";
import { VERSION } from "../base/version.js";
import { escapeText } from "../base/bytes.js";
import { parseSize } from "../base/limits.js";
import type { CliContext } from "./context.js";


/** Run the CLI on argv (without node and script); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  quietOnClosedPipe();
  let exitCode = 0;
  const program = new Command();
  const ctx: CliContext = {
    globals: () => {
      const o = program.opts<{ dialect: string; root?: string; allowExec?: boolean; maxSize?: number }>();
      return {
        dialect: o.dialect,
        ...(o.root ? { root: o.root } : {}),
        ...(o.allowExec ? { allowExec: true } : {}),
        ...(o.maxSize !== undefined ? { maxBytes: o.maxSize } : {}),
      };
    },
    exit: (code) => {
      exitCode = Math.max(exitCode, code);
    },
  };
  program
    .name("inittab")
    .description("Read, check and safely edit /etc/inittab (SysV init and BusyBox init).")
    .version(VERSION)
    .addOption(
      new Option("-d, --dialect <name>", "which init reads the file").choices([...DIALECT_NAMES]).default("auto"),
    )
    .option(
      "--root <dir>",
      "act on the system image under DIR (default file DIR/etc/inittab); " +
        "every path is resolved inside DIR, as chroot would",
    )
    .addOption(
      new Option("--max-size <size>", "refuse inputs larger than SIZE (bytes, or with K, M, G; default 16M)").argParser(
        (value: string) => parseSize(value) ?? invalidSize(value),
      ),
    )
    .option("--allow-exec", "accept the proposed `exec` action (your init carries the exec patch)")
    .showSuggestionAfterError()
    .exitOverride()
    // Commander's own messages echo arguments (an unknown option, an invalid choice): escaped,
    // so that no control byte given on the command line reaches the terminal raw.
    .configureOutput({
      writeErr: (s) => process.stderr.write(escapeLines(s)),
      outputError: (s, write) => write(s),
    });
  const args = optionalValuesWithEquals(argv);
  try {
    for (const module of modulesFor(commandName(program, args))) (await module.load()).register(program, ctx);
    program.commands.forEach((c) => c.exitOverride());
    await program.parseAsync(args, { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.code === "commander.help") {
        return 0;
      }
      return 2;
    }
    if (err instanceof InittabError) {
      process.stderr.write(`inittab: ${inFlags(err.message)}\n`);
      return EXIT_STATUS[err.code];
    }
    const e = err as Error;
    process.stderr.write(`inittab: internal error: ${e?.message ?? String(err)}\n`);
    if (process.env["INITTAB_DEBUG"]) process.stderr.write(`${e?.stack}\n`);
    return 2;
  }
  return exitCode;
}

function escapeLines(s: string): string {
  return s.split("\n").map(escapeText).join("\n");
}

function invalidSize(value: string): never {
  const what = `"${escapeText(value)}" is not a size (bytes, or with K, M or G)`;
  throw new InittabError("invalid-option", `--max-size: ${what}`);
}

/**
 * Options whose value is optional take it only as `--opt=VALUE`, as GNU getopt does (and as
 * the help says). Commander would take the next word too, so `inittab rm --backup l3 l4` kept a
 * backup with the suffix "l3" and removed only l4. A bare option gets its default instead.
 */
const OPTIONAL_VALUE_DEFAULTS: Readonly<Record<string, string>> = { "--backup": ".bak" };

export function optionalValuesWithEquals(argv: readonly string[]): string[] {
  const out: string[] = [];
  let operands = false;
  for (const arg of argv) {
    if (arg === "--") operands = true;
    const preset = operands ? undefined : OPTIONAL_VALUE_DEFAULTS[arg];
    out.push(preset !== undefined ? `${arg}=${preset}` : arg);
  }
  return out;
}

/**
 * The command word of a command line: its first operand, skipping the global options (and the
 * value of those that take one) as commander will. Only decides which command modules to load;
 * commander still parses the whole line.
 */
export function commandName(program: Command, argv: readonly string[]): string | undefined {
  const takesValue = (flag: string): boolean => {
    const option = program.options.find((o) => o.long === flag || o.short === flag);
    return option !== undefined && (option.required || option.optional);
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") return argv[i + 1];
    if (arg.startsWith("--")) {
      if (!arg.includes("=") && takesValue(arg)) i++;
    } else if (arg.startsWith("-") && arg.length > 1) {
      // `-d busybox`, but `-dbusybox` carries its value.
      if (arg.length === 2 && takesValue(arg)) i++;
    } else {
      return arg;
    }
  }
  return undefined;
}

let pipeGuarded = false;

/** `inittab check | head`: a reader that goes away is not an error worth a stack trace. */
function quietOnClosedPipe(): void {
  if (pipeGuarded) return;
  pipeGuarded = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EPIPE") process.exit(typeof process.exitCode === "number" ? process.exitCode : 0);
      throw err;
    });
  }
}
