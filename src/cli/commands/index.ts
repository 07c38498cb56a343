/**
 * Every CLI command, in the order `--help` lists them. Each module owns one command family and
 * is loaded only when one of its commands runs (or when help needs them all): a `check` never
 * evaluates the initctl or edit code, and in the bundled CLI (scripts/bundle.js) a module that
 * is not loaded costs no start-up time at all.
 */
import type { Command } from "commander";
import type { CliContext } from "../context.js";

export type Register = (program: Command, ctx: CliContext) => void;

export interface CommandModule {
  /** The commands the module registers; test/cli/commands.test.ts keeps this list honest. */
  names: readonly string[];
  load: () => Promise<{ register: Register }>;
}

export const COMMAND_MODULES: readonly CommandModule[] = [
  { names: ["parse"], load: () => import("./parse.js") },
  { names: ["ls"], load: () => import("./ls.js") },
  { names: ["check"], load: () => import("./check.js") },
  { names: ["add", "set", "rm", "comment", "uncomment", "batch"], load: () => import("./edit.js") },
  { names: ["plan"], load: () => import("./plan.js") },
  { names: ["tmpfs"], load: () => import("./tmpfs.js") },
  { names: ["exec-shutdown"], load: () => import("./exec-shutdown.js") },
  { names: ["initctl"], load: () => import("./initctl.js") },
  { names: ["completion"], load: () => import("./completion.js") },
];

/**
 * The modules a command line needs: the one owning its command, or all of them when there is no
 * known command (help, a typo commander should suggest a fix for).
 */
export function modulesFor(command: string | undefined): readonly CommandModule[] {
  const owner = command === undefined ? undefined : COMMAND_MODULES.find((m) => m.names.includes(command));
  return owner ? [owner] : COMMAND_MODULES;
}
