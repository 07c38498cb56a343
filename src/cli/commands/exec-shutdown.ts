/**
 * `inittab exec-shutdown --program PATH [--runlevel 0|6] [-f FILE] [--diff|--check] [-- ARGS...]`:
 * add the `exec` entry of sysvinit bug #33517 right after the level's waited-for rc entry
 * (generate/exec-entry.ts). Refusals (stock init without --allow-exec, BusyBox, no rc entry, a
 * conflicting exec entry, an edit that would add a check error) are one line and exit 1;
 * unusable arguments exit 2; an entry that is already there is "unchanged", exit 0.
 */
import { Option, type Command } from "commander";
import type { CliContext } from "../context.js";
import { InittabError } from "../../base/errors.js";
import { fsError, naming, usageError } from "../errors.js";
import { displayPath, fileOptions, isLiveInittab, lockOptions, lockTimeoutOption } from "../io.js";
import { loadInittab } from "../load.js";
import { parse, type Document } from "../../document/index.js";
import { escapeBinary } from "../../base/index.js";
import { diffLabel, escapeDiff, gateEdit, loadChecker, unifiedDiff } from "../../edit/index.js";
import { addExecEntry, type ExecEntryResult, type ShutdownLevel } from "../../generate/index.js";
import { editFileSafely } from "../../write/index.js";

interface Opts {
  program: string;
  runlevel: ShutdownLevel;
  file?: string;
  diff?: boolean;
  check?: boolean;
  lockTimeout?: number;
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command("exec-shutdown")
    .description("add the proposed `exec` entry (sysvinit bug #33517) after the shutdown rc entry")
    .requiredOption("--program <path>", "absolute path of the program PID 1 becomes, e.g. /lib/deinitramfs/deinit")
    .argument("[args...]", "its arguments, after --, e.g. -- /sbin/halt -dhp")
    .addOption(new Option("--runlevel <level>", "the shutdown runlevel: 0 halt, 6 reboot").choices(["0", "6"]).default("0"))
    .option("-f, --file <file>", "the inittab to edit (default /etc/inittab, or DIR/etc/inittab under --root)")
    .addOption(new Option("--diff", "print the change as a unified diff; write nothing").conflicts("check"))
    .option("--check", "exit 1 if the entry is missing (write nothing)")
    .addOption(lockTimeoutOption())
    .action(async (args: string[], opts: Opts) => {
      const globals = ctx.globals();
      if (opts.file === "-") throw usageError("exec-shutdown edits a file in place: give a path, not -");
      const loaded = loadInittab(opts.file, globals);
      const path = loaded.path;
      const shownPath = displayPath(path);
      const compute = async (doc: Document): Promise<ExecEntryResult> => {
        let result: ExecEntryResult;
        try {
          result = addExecEntry(doc, { program: opts.program, args, runlevel: opts.runlevel, allowExec: globals.allowExec === true });
        } catch (err) {
          throw err instanceof InittabError ? naming(shownPath, err) : err;
        }
        if (result.status === "added") await refuseNewErrors(doc, result, shownPath);
        return result;
      };

      if (opts.diff || opts.check) {
        const result = await compute(loaded.doc);
        if (result.status === "unchanged") {
          // With --diff, stdout is the patch (empty here): the status goes to stderr.
          (opts.diff ? process.stderr : process.stdout).write(`${shownPath}: unchanged (line ${result.line} is already this exec entry)\n`);
          return;
        }
        notes(result);
        if (opts.check) {
          process.stdout.write(`${shownPath}: would add "${escapeBinary(result.entry)}" after line ${result.after.line}\n`);
          ctx.exit(1);
        } else {
          // The file's exact bytes for `git apply` and `patch -p1`; escaped only on a terminal.
          const diff = unifiedDiff(loaded.bytes, result.bytes, diffLabel(path, globals.root));
          process.stdout.write(process.stdout.isTTY ? escapeDiff(diff) : Buffer.from(diff, "latin1"));
        }
        return;
      }

      // Read-modify-write under the safe writer's lock: the entry is computed from the bytes
      // as they are once the lock is held, with the dialect the file was loaded with.
      let result: ExecEntryResult | undefined;
      try {
        await editFileSafely(path, async (current) => {
          if (current === null) throw usageError(`${shownPath}: no such file or directory`, "io-error");
          result = await compute(parse(current, { dialect: loaded.doc.dialect }));
          return result.status === "added" ? result.bytes : null;
        }, { ...fileOptions(globals), ...lockOptions(opts) });
      } catch (err) {
        if (err instanceof InittabError) throw err;
        throw fsError(shownPath, err);
      }
      if (!result) return;
      if (result.status === "unchanged") {
        process.stdout.write(`${shownPath}: unchanged (line ${result.line} is already this exec entry)\n`);
        return;
      }
      notes(result);
      process.stdout.write(
        `${shownPath}: added "${escapeBinary(result.entry)}" after line ${result.after.line} (${escapeBinary(result.after.id)})` +
          (isLiveInittab(loaded.path, globals)
            ? `; run \`${loaded.doc.dialect.reloadHint}\` so that init reads it\n`
            : "\n"),
      );
    });
}

function notes(result: ExecEntryResult): void {
  if (result.status !== "added") return;
  for (const note of result.notes) process.stderr.write(`inittab: note: ${note}\n`);
}

/** The edit gate, as for the edit commands: the change may not add an error `check` reports. */
async function refuseNewErrors(before: Document, result: Extract<ExecEntryResult, { status: "added" }>, shownPath: string): Promise<void> {
  const check = await loadChecker();
  if (!check) return;
  const after = parse(result.bytes, { dialect: before.dialect });
  const { added } = gateEdit(before, after, check, { allowExec: true });
  const first = added[0];
  if (first) {
    throw usageError(`${shownPath}: refused: the exec entry would add ${first.code} at line ${first.line}: ${first.message}`, "edit-adds-errors");
  }
}
