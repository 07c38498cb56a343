/**
 * `inittab add | set | rm | comment | uncomment`: one-line, repeatable edits whose worst outcome
 * is "refused, nothing changed" (issue #4). Each command computes minimal edits (src/edit),
 * checks the result with the validator (the gate), then writes through the safe writer
 * (src/write) — or only shows the diff (`--diff`) or answers "would it change?" (`--check`).
 *
 * Exit status: 0 done or already so; 1 refused (conflict, no such entry, the gate, --validate,
 * --check with a change to make); 2 unusable input (missing file, bad arguments, a failed write);
 * 3 written, but with --reload the running init was not asked to re-read it (not the live
 * system's file, PID 1 not that init, or the request failed).
 */
import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { InittabError, isInittabError } from "../../base/errors.js";
import { naming, usageError } from "../errors.js";
import {
  defaultInittab, displayPath, fileOptions, imageOptions, isLiveInittab, lockOptions, lockTimeoutOption, readInput,
  writeFileBytes, type GlobalOptions,
} from "../io.js";
import { escapeText } from "../../base/bytes.js";
import type { Document } from "../../document/model.js";
import { parse } from "../../document/parse.js";
import {
  addEntry, commentEntry, diffLabel, type EditResult, escapeDiff, gateEdit,
  removeEntries, setFields, uncommentEntry, unifiedDiff, type FieldChanges, type GateResult,
  type Selector,
} from "../../edit/index.js";
import { reloadInit } from "../../system/index.js";
import type { CheckOptions, Diagnostic } from "../../rules/types.js";
import { editFileSafely, validateArgv, validateBytes } from "../../write/index.js";
import { applyEdits } from "../../document/index.js";

interface CommonOptions {
  missingOk?: boolean;
  file?: string;
  backup?: string | boolean;
  inPlace?: boolean;
  force?: boolean;
  diff?: boolean;
  check?: boolean;
  validate?: string;
  reload?: boolean;
  lockTimeout?: number;
}

interface SelectOptions {
  tty?: string;
  action?: string;
  withAction?: string;
  match?: string;
  line?: number;
}

/** The options every edit command takes. */
function common(cmd: Command): Command {
  return cmd
    .option("-f, --file <path>", "the inittab to edit (default /etc/inittab, or DIR/etc/inittab with --root); - edits stdin to stdout")
    .option("--backup [suffix]", "keep the previous version as FILE<suffix> (default .bak; write --backup=SUFFIX)")
    .option("--in-place", "write into the file where a rename cannot replace it (hard links, bind mounts); not atomic")
    .option("--force", "write even if the edit adds errors the validator reports")
    .option("--diff", "print the change as a unified diff (a/ and b/ paths) and write nothing")
    .option("--check", "write nothing; exit 1 if a change would be made, 0 if the file is already so")
    .option("--validate <command>", "run COMMAND on the new file before installing (or, with -f -, --diff, --check, printing) it; %s is the file; no shell")
    .option(
      "--reload",
      "after writing, ask the running init to re-read, only if it reads this file (sysvinit: telinit q; " +
        "BusyBox: SIGHUP to PID 1); exit 3 when it was not asked",
    )
    .addOption(lockTimeoutOption());
}

/** Selector options for BusyBox entries (sysvinit ones are named by id). */
function selectors(cmd: Command, actionFlag: "--action" | "--with-action"): Command {
  return cmd
    .option("--tty <tty>", "BusyBox: the entry's tty (`ttyS0` or `/dev/ttyS0`; '' is init's console)")
    .option(`${actionFlag} <action>`, "only entries with this action")
    .option("--match <text>", "only entries whose command (with a BusyBox trailing comment) contains TEXT")
    .option("--line <n>", "only the entry (or commented-out entry) on line N, as `comment` reports it", parseLine)
    .option("--missing-ok", "no such entry is not an error (exit 0): for build hooks run on any skeleton");
}

function selectorFrom(id: string | undefined, o: SelectOptions, action: string | undefined): Selector {
  const sel: Selector = {};
  if (id !== undefined) sel.id = id;
  if (o.tty !== undefined) sel.tty = o.tty;
  if (action !== undefined) sel.action = action;
  if (o.match !== undefined) sel.match = o.match;
  if (o.line !== undefined) sel.line = o.line;
  return sel;
}

function parseLine(value: string): number {
  if (!/^[1-9]\d{0,9}$/.test(value)) throw usageError(`--line: "${escapeText(value)}" is not a line number`);
  return Number(value);
}

export function register(program: Command, ctx: CliContext): void {
  common(
    program
      .command("add")
      .description("add an entry (like mkitab); an identical entry means no change")
      .argument("<entry>", "ID:RUNLEVELS:ACTION:PROCESS (one line)")
      .option("--before <id>", "insert before this entry")
      .option("--after <id>", "insert after this entry (default: after the last entry)")
      .option("--first", "insert before the first entry")
      .option("--replace", "if the id (BusyBox: the tty's slot) holds another entry, change it in place")
      .option("--match <text>", "with --replace: replace the entry (or commented-out placeholder) whose command contains TEXT"),
  ).action(async (entry: string, o: CommonOptions & { before?: string; after?: string; first?: boolean; replace?: boolean; match?: string }) => {
    await runEdit(ctx, o, (doc) =>
      addEntry(doc, entry, {
        ...(o.before !== undefined ? { before: o.before } : {}),
        ...(o.after !== undefined ? { after: o.after } : {}),
        ...(o.first ? { first: true } : {}),
        ...(o.replace ? { replace: true } : {}),
        ...(o.match !== undefined ? { target: { match: o.match } } : {}),
      }),
    );
  });

  common(
    selectors(
      program
        .command("set")
        .description("change fields of one entry (like chitab); only those fields' bytes change")
        .argument("[id]", "the entry's id (BusyBox: its tty)")
        .option("--id <new>", "new id (BusyBox: new tty)")
        .option("--runlevels <runlevels>", "new runlevels")
        .option("--action <action>", "new action")
        .option("--process <command>", "new command"),
      "--with-action",
    ),
  ).action(async (id: string | undefined, o: CommonOptions & SelectOptions & { id?: string; runlevels?: string; process?: string }) => {
    // Commander puts the positional id and --id in different places; --id is the new value.
    const changes: FieldChanges = {};
    if (o.id !== undefined) changes.id = o.id;
    if (o.runlevels !== undefined) changes.runlevels = o.runlevels;
    if (o.action !== undefined) changes.action = o.action;
    if (o.process !== undefined) changes.process = o.process;
    const sel = selectorFrom(id, o, o.withAction);
    await runEdit(ctx, o, (doc) => setFields(doc, sel, changes));
  });

  common(
    selectors(
      program
        .command("rm")
        .description("remove entries, whole lines (like rmitab); none left to remove means no change")
        .argument("[ids...]", "ids of the entries (BusyBox: ttys)"),
      "--action",
    ),
  ).action(async (ids: string[], o: CommonOptions & SelectOptions) => {
    const sels = ids.length > 0 ? ids.map((id) => selectorFrom(id, o, o.action)) : [selectorFrom(undefined, o, o.action)];
    await runEdit(ctx, o, (doc) => removeEntries(doc, sels));
  });

  common(
    selectors(
      program
        .command("comment")
        .description("comment out entries (a # before the line), keeping their text")
        .argument("[id]", "the entry's id (BusyBox: its tty)"),
      "--action",
    ),
  ).action(async (id: string | undefined, o: CommonOptions & SelectOptions) => {
    const sel = selectorFrom(id, o, o.action);
    await runEdit(ctx, o, (doc) => commentEntry(doc, sel));
  });

  common(
    selectors(
      program
        .command("uncomment")
        .description("re-enable commented-out entries")
        .argument("[id]", "the entry's id (BusyBox: its tty)"),
      "--action",
    ),
  ).action(async (id: string | undefined, o: CommonOptions & SelectOptions) => {
    const sel = selectorFrom(id, o, o.action);
    await runEdit(ctx, o, (doc) => uncommentEntry(doc, sel));
  });
}

/** What one edit produced: the result, the new bytes and the gate's verdict. */
interface Computed {
  doc: Document;
  result: EditResult;
  after: Uint8Array;
  gate: GateResult | undefined;
}

async function runEdit(ctx: CliContext, o: CommonOptions, op: (doc: Document) => EditResult): Promise<void> {
  const globals = ctx.globals();
  const file = o.file ?? defaultInittab(globals);
  const shown = displayPath(file);
  const stdio = file === "-";
  if (o.backup !== undefined && stdio) throw usageError("--backup cannot be used with -f - (the result goes to stdout)");
  if (o.reload && (o.diff || o.check)) throw usageError("--reload cannot be used with --diff or --check (nothing is written)");
  if (o.reload && stdio) throw usageError("--reload cannot be used with -f - (the result goes to stdout, not to init's file)");
  const checkOptions: CheckOptions = {
    ...(globals.allowExec ? { allowExec: true } : {}),
    ...imageOptions(globals),
  };
  // Status goes to stderr when stdout carries the file or the diff.
  const say = (s: string): void => void (stdio || o.diff ? process.stderr : process.stdout).write(`${s}\n`);

  const compute = (bytes: Uint8Array): Computed => {
    const doc = parseWith(bytes, globals);
    const result = runOp(op, doc, o.missingOk === true);
    if (!result.changed) return { doc, result, after: bytes, gate: undefined };
    const after = applyEdits(bytes, result.edits);
    const afterDoc = parse(after, { dialect: doc.dialect });
    const gate = gateEdit(doc, afterDoc, undefined, checkOptions);
    if (gate.added.length > 0 && !o.force) {
      throw new InittabError("edit-adds-errors", "the edit adds errors", { details: { diagnostics: gate.added } });
    }
    return { doc, result, after, gate };
  };

  let computed: Computed | undefined;
  try {
    // An unusable --validate (empty, no %s, bad quoting) is refused whether or not there is a change.
    if (o.validate !== undefined) validateArgv(o.validate, file, stdio ? "<stdin>" : file);
    if (stdio || o.diff || o.check) {
      // Nothing is written to the file: read it as it is now, no lock needed.
      const bytes = readInput(file, globals);
      computed = compute(bytes);
      // The validator judges what would be installed, as the gate does: the output of -f -,
      // and the change --diff shows or --check announces.
      if (o.validate !== undefined && computed.result.changed) validateBytes(o.validate, computed.after, stdio ? "<stdin>" : file, stdio ? "inittab" : undefined);
      if (o.diff) {
        const diff = unifiedDiff(bytes, computed.after, diffLabel(file, globals.root));
        process.stdout.write(process.stdout.isTTY ? escapeDiff(diff) : Buffer.from(diff, "latin1"));
      } else if (stdio && !o.check) {
        writeFileBytes(computed.after);
      }
    } else {
      await editFileSafely(
        file,
        (current) => {
          if (current === null) throw usageError(`${shown}: no such file or directory`, "io-error");
          computed = compute(current);
          return computed.after;
        },
        {
          ...(o.backup !== undefined ? { backup: typeof o.backup === "string" ? o.backup : ".bak" } : {}),
          ...(o.inPlace ? { inPlace: true } : {}),
          ...(o.validate !== undefined ? { validate: o.validate } : {}),
          ...fileOptions(globals),
          ...lockOptions(o),
        },
      );
    }
  } catch (err) {
    throw explain(err, shown);
  }

  const { result, gate, doc } = computed!;
  for (const w of gate?.warnings ?? []) process.stderr.write(`inittab: warning: ${shown}:${w.line}: ${w.message} [${w.code}]\n`);
  if (gate && gate.added.length > 0) {
    process.stderr.write(`inittab: ${shown}: --force: writing despite ${gate.added.length} new error(s):\n`);
    printDiagnostics(shown, gate.added);
  }
  if (o.check) {
    say(`${shown}: ${result.changed ? `would change: ${result.message}` : result.message}`);
    if (result.changed) ctx.exit(1);
    return;
  }
  if (o.diff) {
    say(`${shown}: ${result.changed ? `would change: ${result.message}` : result.message}`);
    return;
  }
  say(`${shown}: ${result.message}`);
  if (!result.changed || stdio) return;
  if (!o.reload) {
    // Only for the running system's file: a build tree's copy is read by no running init.
    if (isLiveInittab(file, globals)) say(`run \`${doc.dialect.reloadHint}\` to make init re-read it`);
    return;
  }
  if (globals.root !== undefined) {
    const why = "not reloading: --root edits a system image, not the running system";
    throw new InittabError("reload-skipped", `${shown}: written, but ${why}`);
  }
  try {
    say(await reloadInit(doc.dialect, file));
  } catch (err) {
    if (isInittabError(err, "reload-skipped")) {
      throw new InittabError("reload-skipped", `${shown}: written, but ${err.message}`);
    }
    if (isInittabError(err, "reload-failed")) {
      // The file is written; only the running init has not been told.
      throw new InittabError("reload-failed", `${shown}: written, but ${err.message}; run \`${doc.dialect.reloadHint}\``);
    }
    throw err;
  }
}

/** The operation; with --missing-ok, "no such entry" is the file already being as asked. */
function runOp(op: (doc: Document) => EditResult, doc: Document, missingOk: boolean): EditResult {
  try {
    return op(doc);
  } catch (err) {
    if (missingOk && isInittabError(err, "no-such-entry")) {
      return { changed: false, edits: [], message: `unchanged: ${err.message}` };
    }
    throw err;
  }
}

function parseWith(bytes: Uint8Array, globals: GlobalOptions): Document {
  return parse(bytes, { dialect: globals.dialect });
}

/** Turn a failure into the CLI's one-line error, naming the file; print what goes with it first. */
function explain(err: unknown, shown: string): unknown {
  if (!(err instanceof InittabError)) return err;
  switch (err.code) {
    case "edit-adds-errors": {
      const added = (err.details.diagnostics ?? []) as Diagnostic[];
      printDiagnostics(shown, added);
      const n = added.length;
      // A new line takes the file's own terminator, so in a CRLF file it carries the CR too.
      const crlfOnly = added.every((d) => d.code === "IT003");
      const hint = crlfOnly ? "; the file uses CRLF line ends, which init misreads: convert it first with `inittab check --fix`" : "";
      return new InittabError(
        "edit-adds-errors",
        `${shown}: refused: the edit adds ${n} error${n === 1 ? "" : "s"} the file did not have (--force writes it anyway); nothing was changed${hint}`,
        { details: err.details },
      );
    }
    case "validation-failed": {
      const text = String(err.details.stderr ?? "").trimEnd();
      if (text !== "") process.stderr.write(`${text.split("\n").map((l) => `  ${escapeText(l)}`).join("\n")}\n`);
      return err;
    }
    case "entry-exists":
    case "no-such-entry":
    case "ambiguous-selector":
    case "invalid-entry":
    case "unsafe-edit":
    case "overlapping-edits":
      return naming(shown, err);
    case "invalid-option":
      return err.path === undefined ? naming(shown, err) : err;
    default:
      return err;
  }
}

function printDiagnostics(shown: string, list: readonly Diagnostic[]): void {
  for (const d of list) {
    process.stderr.write(`  ${shown}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${escapeText(d.message)}\n`);
  }
}
