/**
 * `inittab exec-shutdown --program PATH [--runlevel 0|6] [--file FILE] [write options] [-- ARGS...]`:
 * add the `exec` entry of sysvinit bug #33517 right after the level's waited-for rc entry
 * (generate/exec-entry.ts), as an edit with the same write options as `add` (edit.ts runs it).
 * Refusals (stock init without --allow-exec, BusyBox, no rc entry, a conflicting exec entry, an
 * edit that would add a check error) are one line and exit 1; unusable arguments exit 2; an entry
 * that is already there is "unchanged", exit 0.
 */
import { Option, type Command } from "commander";
import type { CliContext } from "../context.js";
import { escapeBinary } from "../../base/index.js";
import { addExecEntry, type ShutdownLevel } from "../../generate/index.js";
import { runEdit } from "./edit.js";
import { editWriteOptions, type WriteFlags } from "../write-options.js";

interface Opts extends WriteFlags {
  program: string;
  runlevel: ShutdownLevel;
}

export function register(program: Command, ctx: CliContext): void {
  editWriteOptions(
    program
      .command("exec-shutdown")
      .description("add the proposed `exec` entry (sysvinit bug #33517) after the shutdown rc entry")
      .requiredOption("--program <path>", "absolute path of the program PID 1 becomes, e.g. /lib/deinitramfs/deinit")
      .argument("[args...]", "its arguments, after --, e.g. -- /sbin/halt -dhp")
      .addOption(
        new Option("--runlevel <level>", "the shutdown runlevel: 0 halt, 6 reboot").choices(["0", "6"]).default("0"),
      ),
  ).action(async (args: string[], opts: Opts) => {
    const allowExec = ctx.globals().allowExec === true;
    await runEdit(
      ctx,
      opts,
      [
        {
          label: `exec-shutdown --program ${opts.program}`,
          missingOk: false,
          run: (doc) => {
            const result = addExecEntry(doc, { program: opts.program, args, runlevel: opts.runlevel, allowExec });
            if (result.status === "unchanged") {
              return {
                changed: false,
                edits: [],
                message: `unchanged (line ${result.line} is already this exec entry)`,
              };
            }
            for (const note of result.notes) process.stderr.write(`inittab: note: ${note}\n`);
            return {
              changed: true,
              edits: result.edits,
              message: `added "${escapeBinary(result.entry)}" after line ${result.after.line} (${escapeBinary(result.after.id)})`,
            };
          },
        },
      ],
      "exec-shutdown",
    );
  });
}
