/**
 * The CLI: parses arguments with commander and calls the library. Each command lives in
 * commands/<name>.ts and registers itself; this file only wires globals and exit codes.
 */
import { Command, CommanderError } from "commander";
import { InittabError } from "../base/errors.js";
import { EXIT_STATUS, inFlags } from "./errors.js";
import { modulesFor } from "./commands/index.js";
import { defineProgram } from "./program.js";
import type { CliContext } from "./context.js";
import { detectImageInit, type ImageInit } from "../inputs/init-version.js";
import { DirectoryImage } from "../inputs/directory-image.js";

/** Run the CLI on argv (without node and script); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  quietOnClosedPipe();
  let exitCode = 0;
  const program = new Command();
  let imageInit: ImageInit | null | undefined;
  const ctx: CliContext = {
    globals: () => {
      const o = program.opts<{ dialect: string; root?: string; allowExec?: boolean; maxSize?: number }>();
      const dialectGiven = program.getOptionValueSource("dialect") !== "default";
      // The image says which init reads its inittab; read once, and only when it matters.
      if (o.root !== undefined && !dialectGiven && imageInit === undefined) {
        imageInit = detectImageInit(new DirectoryImage(o.root)) ?? null;
      }
      return {
        dialect: o.dialect,
        dialectGiven,
        ...(o.root ? { root: o.root } : {}),
        ...(o.allowExec ? { allowExec: true } : {}),
        ...(o.maxSize !== undefined ? { maxBytes: o.maxSize } : {}),
        ...(imageInit ? { imageInit } : {}),
      };
    },
    exit: (code) => {
      exitCode = Math.max(exitCode, code);
    },
  };
  defineProgram(program);
  const args = optionalValuesWithEquals(argv);
  try {
    const command = commandName(program, args);
    for (const module of modulesFor(command)) (await module.load()).register(program, ctx);
    program.commands.forEach((c) => c.exitOverride());
    if (command === undefined && !args.some((a) => HELP_OR_VERSION.has(a))) {
      // No command is a usage error, as with git or apt: the help goes to stderr, exit 2.
      program.outputHelp({ error: true });
      return 2;
    }
    await program.parseAsync(args, { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version") return 0;
      // `inittab help` exits 0; help shown because a command group lacks its subcommand
      // (`inittab initctl`) is a usage error.
      if (err.code === "commander.help") return err.exitCode === 0 ? 0 : 2;
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

const HELP_OR_VERSION = new Set(["-h", "--help", "-V", "--version"]);

/**
 * Options whose value is optional take it only as `--opt=VALUE`, as GNU getopt does (and as
 * the help says). Commander would take the next word too, so `inittab rm --backup l3 l4` kept a
 * backup with the suffix "l3" and removed only l4. A bare option gets its default instead.
 */
const OPTIONAL_VALUE_DEFAULTS: Readonly<Record<string, string>> = { "--backup": ".bak", "--plan": "" };

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
