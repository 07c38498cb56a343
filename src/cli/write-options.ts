/**
 * The options of every command that writes a file, defined once: the edit commands (add, set, rm,
 * comment, uncomment, batch, exec-shutdown) take the whole set; the generators that write an
 * output file (`tmpfs -o`, `initctl encode -o`) take the part that applies to a new file. A flag
 * means the same thing on every command, and a combination that cannot work is refused here,
 * before anything is read.
 */
import { Option, type Command } from "commander";
import { usageError } from "./errors.js";
import { escapeText } from "../base/bytes.js";
import { defaultInittab, lockTimeoutOption, type GlobalOptions } from "./io.js";
import { planFlag } from "./plan-output.js";

/** What the write options give an action (commander's attribute names). */
export interface WriteFlags {
  file?: string;
  /** `-f FILE`, the old spelling of --file on the edit commands. */
  f?: string;
  diff?: boolean;
  check?: boolean;
  backup?: string | boolean;
  inPlace?: boolean;
  validate?: string;
  force?: boolean;
  /** `--config FILE`, or false for `--no-config`: the settings the gate checks with. */
  config?: string | false;
  reload?: boolean;
  initPid?: string;
  /** `--lock-timeout SECONDS`. */
  lockTimeout?: number;
  json?: boolean;
  output?: string;
  /** `--plan` (""), or `--plan=RUNLEVEL`. */
  plan?: string;
  /** Where the live reading of a plan looks (hidden: tests, a run inside another root). */
  proc?: string;
  utmp?: string;
}

/** The heading of the write options in --help: the same on every write command. */
export const WRITE_GROUP = "Write options (the same on every command that writes):";

/** An old spelling, still accepted, listed under its own heading in --help. */
export function deprecated(flags: string, help: string): Option {
  return new Option(flags, `deprecated: ${help}`).helpGroup("Deprecated spellings (still accepted):");
}

export const FILE_HELP = "the inittab (default /etc/inittab, or DIR/etc/inittab with --root); - is stdin";

/** `--file FILE`, given the same way on every command that reads or edits one inittab. */
export function fileOption(cmd: Command, help = FILE_HELP): Command {
  return cmd.option("--file <path>", help);
}

/**
 * The write options of an edit command. Where the others go: issue #14's `--lock-timeout SECONDS`
 * and issue #19's `--plan` are one `.addOption(w(...))` line each, added in this function (and
 * `--lock-timeout` in outputWriteOptions too), so that every write command gets them at once.
 */
export function editWriteOptions(cmd: Command): Command {
  const w = (flags: string, help: string): Option => new Option(flags, help).helpGroup(WRITE_GROUP);
  return cmd
    .addOption(
      w(
        "--file <path>",
        "the inittab to edit (default /etc/inittab, or DIR/etc/inittab with --root); - edits stdin to stdout",
      ),
    )
    .addOption(w("--diff", "print the change as a unified diff (a/ and b/ paths) and write nothing"))
    .addOption(w("--check", "write nothing; exit 1 if a change would be made, 0 if the file is already so"))
    .addOption(
      w(
        "--json",
        "print the outcome as JSON on stdout (docs/schemas/edit.v1.json): changed, diff, new findings, backup",
      ),
    )
    .addOption(
      w("--backup [suffix]", "keep the previous version as FILE<suffix> (default .bak; write --backup=SUFFIX)"),
    )
    .addOption(
      w("--in-place", "write into the file where a rename cannot replace it (hard links, bind mounts); not atomic"),
    )
    .addOption(w("--force", "write even if the edit adds errors the validator reports"))
    .addOption(
      w(
        "--config <file>",
        "check the edit with the settings of FILE, not of the nearest .inittab.json above the edited file",
      ),
    )
    .addOption(w("--no-config", "check the edit without .inittab.json settings"))
    .addOption(
      w(
        "--validate <command>",
        "run COMMAND on the new file before installing (or, with --file -, --diff, --check, printing) it; " +
          "%s is the file; no shell",
      ),
    )
    .addOption(
      w(
        "--reload",
        "after writing, ask the running init to re-read, only if it reads this file (sysvinit: telinit q; " +
          "BusyBox: SIGHUP to PID 1); exit 3 when it was not asked",
      ),
    )
    .addOption(lockTimeoutOption().helpGroup(WRITE_GROUP))
    .addOption(w(...planFlag()))
    .addOption(new Option("--init-pid <pid>", "the init whose processes --plan reads").hideHelp())
    .addOption(new Option("--proc <dir>", "where proc is mounted, for --plan's live reading").hideHelp())
    .addOption(new Option("--utmp <file>", "the utmp file --plan reads the runlevel from").hideHelp())
    .addOption(deprecated("-f <path>", "the old spelling of --file (in `check`, -f is --format)"));
}

/**
 * The write options of a generator's output file (`-o FILE`, `-` for stdout). `text`: the output
 * is an inittab, so a diff against the file there and a --validate command make sense.
 */
export function outputWriteOptions(cmd: Command, text: boolean): Command {
  const w = (flags: string, help: string): Option => new Option(flags, help).helpGroup(WRITE_GROUP);
  cmd
    .addOption(w("-o, --output <file>", "write to FILE (atomically) instead of stdout; - is stdout"))
    .addOption(
      w("--backup [suffix]", "with -o: keep the previous FILE as FILE<suffix> (default .bak; write --backup=SUFFIX)"),
    )
    .addOption(w("--check", "with -o: write nothing; exit 1 if FILE would change, 0 if it already holds this"))
    .addOption(
      w("--json", "with -o: print the outcome as JSON on stdout (docs/schemas/edit.v1.json): changed, diff, backup"),
    )
    .addOption(lockTimeoutOption().helpGroup(WRITE_GROUP));
  if (text) {
    cmd
      .addOption(w("--diff", "with -o: print the change to FILE as a unified diff and write nothing"))
      .addOption(
        w(
          "--validate <command>",
          "run COMMAND on the output before installing or printing it; %s is the file; no shell",
        ),
      );
  }
  return cmd;
}

/** The file an edit command works on: --file, the old -f, or the default. */
export function editTarget(o: WriteFlags, globals: GlobalOptions): string {
  if (o.file !== undefined && o.f !== undefined)
    throw usageError("give the file once: --file (-f is its old spelling)");
  const file = o.file ?? o.f;
  if (file === "") throw usageError("--file: the path is empty");
  return file ?? defaultInittab(globals);
}

/** Refuse write-option combinations that cannot work, naming both flags. */
export function checkWriteFlags(o: WriteFlags, stdio: boolean): void {
  const clash = (a: string, b: string, why: string): never => {
    throw usageError(`${a} cannot be used with ${b} (${why})`);
  };
  const noWrite = o.diff ? "--diff" : o.check ? "--check" : undefined;
  if (o.diff && o.check)
    clash("--diff", "--check", "one prints the change, the other only answers whether there is one");
  if (stdio) {
    const why = "the result goes to stdout";
    if (o.backup !== undefined) clash("--backup", "--file -", why);
    if (o.reload) clash("--reload", "--file -", `${why}, not to init's file`);
    if (o.inPlace) clash("--in-place", "--file -", why);
    if (o.json && !noWrite) clash("--json", "--file -", "stdout carries the file; add --diff or --check to get JSON");
  }
  if (noWrite !== undefined) {
    const why = "nothing is written";
    if (o.backup !== undefined) clash("--backup", noWrite, why);
    if (o.reload) clash("--reload", noWrite, why);
    if (o.inPlace) clash("--in-place", noWrite, why);
  }
  if (o.plan !== undefined) {
    const other = o.diff
      ? "--diff"
      : o.check
        ? "--check"
        : o.reload
          ? "--reload"
          : o.backup !== undefined
            ? "--backup"
            : undefined;
    if (other !== undefined) clash("--plan", other, "--plan writes nothing; it prints what a re-read would do");
  }
  // The live system --plan reads may be pointed elsewhere; --reload only ever asks process 1.
  const liveFlag =
    o.initPid !== undefined
      ? "--init-pid"
      : o.proc !== undefined
        ? "--proc"
        : o.utmp !== undefined
          ? "--utmp"
          : undefined;
  if (liveFlag !== undefined && o.plan === undefined) {
    throw usageError(`${liveFlag} is only for --plan (--reload asks process 1, and no other process)`);
  }
  if (o.initPid !== undefined) {
    const pid = Number(o.initPid);
    if (!(Number.isSafeInteger(pid) && pid > 0))
      throw usageError(`--init-pid: not a process id: ${escapeText(o.initPid)}`);
  }
}

/** The backup suffix the safe writer takes, from `--backup` / `--backup=SUFFIX`. */
export function backupSuffix(o: WriteFlags): string | undefined {
  if (o.backup === undefined) return undefined;
  return typeof o.backup === "string" ? o.backup : ".bak";
}

/** Refuse output-option combinations that cannot work (tmpfs, initctl encode). */
export function checkOutputFlags(o: WriteFlags): void {
  const toStdout = o.output === undefined || o.output === "-";
  for (const flag of ["backup", "check", "diff", "json"] as const) {
    if (o[flag] !== undefined && o[flag] !== false && toStdout) {
      throw usageError(`--${flag} needs -o FILE (the output goes to stdout)`);
    }
  }
  if (o.diff && o.check)
    throw usageError(
      "--diff cannot be used with --check (one prints the change, the other only answers whether there is one)",
    );
  if ((o.diff || o.check) && o.backup !== undefined)
    throw usageError(`--backup cannot be used with ${o.diff ? "--diff" : "--check"} (nothing is written)`);
}
