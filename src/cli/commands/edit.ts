/**
 * `inittab add | set | rm | comment | uncomment | batch`: repeatable edits whose worst outcome is
 * "refused, nothing changed" (issue #4). Each command computes minimal edits (src/edit), checks
 * the result with the validator (the gate), then writes through the safe writer (src/write) — or
 * only shows the diff (`--diff`) or answers "would it change?" (`--check`). `batch` applies
 * several of these operations in order and writes once.
 *
 * Exit status: 0 done or already so; 1 refused (conflict, no such entry, the gate, --validate,
 * --check with a change to make); 2 unusable input (missing file, bad arguments, a failed write);
 * 3 written, but with --reload the running init was not asked to re-read it (not the live
 * system's file, PID 1 not that init, or the request failed).
 */
import { Command, CommanderError } from "commander";
import { parse as shellWords } from "shell-quote";
import type { CliContext } from "../context.js";
import { InittabError, isInittabError } from "../../base/errors.js";
import { naming, usageError } from "../errors.js";
import { printWriteJson, writeJson, type WriteJson } from "../output.js";
import {
  displayPath,
  effectiveDialect,
  fileOptions,
  imageOptions,
  isLiveInittab,
  lockOptions,
  readInput,
  writeFileBytes,
  type GlobalOptions,
} from "../io.js";
import { binaryToText, escapeText, toBinary } from "../../base/bytes.js";
import { count } from "../../base/plural.js";
import type { Document } from "../../document/model.js";
import { parse } from "../../document/parse.js";
import {
  addEntry,
  assertOneLine,
  commentEntry,
  diffLabel,
  type EditResult,
  escapeDiff,
  gateEdit,
  removeEntries,
  setFields,
  uncommentEntry,
  unifiedDiff,
  type FieldChanges,
  type GateResult,
  type Selector,
} from "../../edit/index.js";
import { askToReread, liveInit } from "../../system/index.js";
import { ConfigFinder, disabledCodes, readConfig } from "../../inputs/config.js";
import type { CheckOptions, Diagnostic } from "../../rules/types.js";
import { diagnosticJson } from "../../report/machine.js";
import { editFileSafely, validateArgv, validateBytes } from "../../write/index.js";
import { applyEdits } from "../../document/index.js";
import {
  backupSuffix,
  checkWriteFlags,
  deprecated,
  editTarget,
  editWriteOptions,
  type WriteFlags,
} from "../write-options.js";
import { computePlan, printPlan, runlevelArg, type LiveCliOptions } from "../plan-output.js";

/** One operation of an edit command line or of a batch. */
export interface Operation {
  /** How the operation is named in messages and JSON: the command line that asked for it. */
  label: string;
  run: (doc: Document) => EditResult;
  /** `--missing-ok`: no such entry is the file already being as asked. */
  missingOk: boolean;
}

interface SelectOptions {
  tty?: string;
  withAction?: string;
  /** The old spelling of --with-action on rm, comment and uncomment. */
  action?: string;
  match?: string;
  /** `--line N`: only the entry (or commented-out entry) on that line. */
  line?: number;
  missingOk?: boolean;
}

/** Selector options: BusyBox entries are named by tty, action and text; sysvinit ones by id. */
function selectors(cmd: Command, deprecatedAction: boolean): Command {
  cmd
    .option("--tty <tty>", "BusyBox: the entry's tty (`ttyS0` or `/dev/ttyS0`; '' is init's console)")
    .option("--with-action <action>", "only entries with this action")
    .option("--match <text>", "only entries whose command (with a BusyBox trailing comment) contains TEXT")
    .option("--line <n>", "only the entry (or commented-out entry) on line N, as `comment` reports it", parseLine)
    .option("--missing-ok", "no such entry is not an error (exit 0): for build hooks run on any skeleton");
  if (deprecatedAction) cmd.addOption(deprecated("--action <action>", "the old spelling of --with-action"));
  return cmd;
}

function selectorFrom(id: string | undefined, o: SelectOptions): Selector {
  if (o.withAction !== undefined && o.action !== undefined) {
    throw usageError("give the action once: --with-action (--action is its old spelling)");
  }
  const action = o.withAction ?? o.action;
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

/** The label of an operation: its words as typed, quoted where needed. */
function labelOf(words: readonly string[]): string {
  return words
    .map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`))
    .map(escapeText)
    .join(" ");
}

type Sink = (cmd: Command, op: Operation, options: object) => Promise<void> | void;

/**
 * The five edit operations as commands of `parent`. Each action hands its operation to `sink`:
 * the CLI's commands run it at once, `batch` collects one per line. The same definitions serve
 * both, so an operation means the same in a batch as on its own.
 */
export function defineEditCommands(parent: Command, sink: Sink): Command[] {
  const words = (cmd: Command): string[] => [cmd.name(), ...cmd.args];
  const add = parent
    .command("add")
    .description("add an entry (like mkitab); an identical entry means no change")
    .argument("<entry>", "ID:RUNLEVELS:ACTION:PROCESS (one line)")
    .option("--before <id>", "insert before this entry")
    .option("--after <id>", "insert after this entry (default: after the last entry)")
    .option("--first", "insert before the first entry")
    .option("--replace", "if the id (BusyBox: the tty's slot) holds another entry, change it in place")
    .option(
      "--match <text>",
      "with --replace: replace the entry (or commented-out placeholder) whose command contains TEXT",
    );
  add.action(
    async (
      entry: string,
      o: { before?: string; after?: string; first?: boolean; replace?: boolean; match?: string },
      cmd: Command,
    ) => {
      // The entry is checked before any file is read: `add ''` is a mistake in the arguments.
      if (entry.trim() === "") throw usageError("add: the entry is empty; give ID:RUNLEVELS:ACTION:PROCESS");
      assertOneLine(entry, "the entry");
      if (o.match !== undefined && !o.replace)
        throw usageError("add: --match names the entry --replace replaces: add --replace");
      await sink(
        cmd,
        {
          label: labelOf(words(cmd)),
          missingOk: false,
          run: (doc) =>
            addEntry(doc, entry, {
              ...(o.before !== undefined ? { before: o.before } : {}),
              ...(o.after !== undefined ? { after: o.after } : {}),
              ...(o.first ? { first: true } : {}),
              ...(o.replace ? { replace: true } : {}),
              ...(o.match !== undefined ? { target: { match: o.match } } : {}),
            }),
        },
        o,
      );
    },
  );

  const set = selectors(
    parent
      .command("set")
      .description("change fields of one entry (like chitab); only those fields' bytes change")
      .argument("[id]", "the entry's id (BusyBox: its tty)")
      .option("--id <new>", "new id (BusyBox: new tty)")
      .option("--runlevels <runlevels>", "new runlevels")
      .option("--action <action>", "new action")
      .option("--process <command>", "new command"),
    false,
  );
  set.action(
    async (
      id: string | undefined,
      o: SelectOptions & { id?: string; runlevels?: string; process?: string },
      cmd: Command,
    ) => {
      // Commander puts the positional id and --id in different places; --id is the new value.
      const changes: FieldChanges = {};
      if (o.id !== undefined) changes.id = o.id;
      if (o.runlevels !== undefined) changes.runlevels = o.runlevels;
      if (o.action !== undefined) changes.action = o.action;
      if (o.process !== undefined) changes.process = o.process;
      if (Object.keys(changes).length === 0)
        throw usageError("set: nothing to change: give --id, --runlevels, --action or --process");
      const sel = selectorFrom(id, { ...o, action: undefined });
      await sink(
        cmd,
        { label: labelOf(words(cmd)), missingOk: o.missingOk === true, run: (doc) => setFields(doc, sel, changes) },
        o,
      );
    },
  );

  const rm = selectors(
    parent
      .command("rm")
      .description("remove entries, whole lines (like rmitab); none left to remove means no change")
      .argument("[ids...]", "ids of the entries (BusyBox: ttys)"),
    true,
  );
  rm.action(async (ids: string[], o: SelectOptions, cmd: Command) => {
    const sels = ids.length > 0 ? ids.map((id) => selectorFrom(id, o)) : [selectorFrom(undefined, o)];
    await sink(
      cmd,
      { label: labelOf(words(cmd)), missingOk: o.missingOk === true, run: (doc) => removeEntries(doc, sels) },
      o,
    );
  });

  const comment = selectors(
    parent
      .command("comment")
      .description("comment out entries (a # before the line), keeping their text")
      .argument("[id]", "the entry's id (BusyBox: its tty)"),
    true,
  );
  comment.action(async (id: string | undefined, o: SelectOptions, cmd: Command) => {
    const sel = selectorFrom(id, o);
    await sink(
      cmd,
      { label: labelOf(words(cmd)), missingOk: o.missingOk === true, run: (doc) => commentEntry(doc, sel) },
      o,
    );
  });

  const uncomment = selectors(
    parent
      .command("uncomment")
      .description("re-enable commented-out entries")
      .argument("[id]", "the entry's id (BusyBox: its tty)"),
    true,
  );
  uncomment.action(async (id: string | undefined, o: SelectOptions, cmd: Command) => {
    const sel = selectorFrom(id, o);
    await sink(
      cmd,
      { label: labelOf(words(cmd)), missingOk: o.missingOk === true, run: (doc) => uncommentEntry(doc, sel) },
      o,
    );
  });
  return [add, set, rm, comment, uncomment];
}

export function register(program: Command, ctx: CliContext): void {
  const commands = defineEditCommands(program, (cmd, op, o) => runEdit(ctx, o, [op], cmd.name()));
  for (const cmd of commands) editWriteOptions(cmd);

  editWriteOptions(
    program
      .command("batch")
      .description("apply several edits in order, validated and written once (atomically)")
      .argument(
        "[operations...]",
        "operations, each one quoted argument: 'rm T1' 'add \"T0:23:respawn:/sbin/getty 38400 ttyS0\"'",
      )
      .option("--ops <file>", "read operations from FILE, one a line (# comments, blank lines); - is stdin")
      .addHelpText(
        "after",
        "\nAn operation is an edit command line without `inittab`: add, set, rm, comment or uncomment with its own\n" +
          "options (--before, --replace, --runlevels, --tty, --missing-ok, ...), quoted as in sh but never run by a\n" +
          "shell: `$` is literal only inside single quotes. The write options (--file, --diff, --check,\n" +
          "--json, ...) apply to the whole batch.",
      ),
  ).action(async (operations: string[], o: WriteFlags & { ops?: string }) => {
    const lines = operations.map((text, i) => ({ text, where: `operation ${i + 1}` }));
    if (o.ops !== undefined) {
      if (o.ops === "-" && (o.file === "-" || o.f === "-")) throw usageError("--ops - and --file - both want stdin");
      const text = binaryToText(toBinary(readInput(o.ops, ctx.globals())));
      text.split("\n").forEach((line, i) => {
        if (line.trim() !== "" && !line.trimStart().startsWith("#"))
          lines.push({ text: line, where: `${displayPath(o.ops!)}:${i + 1}` });
      });
    }
    if (lines.length === 0) throw usageError("batch: no operations (give them as arguments or with --ops FILE)");
    const ops: Operation[] = [];
    for (const line of lines) ops.push(await parseOperation(line.text, line.where));
    await runEdit(ctx, o, ops, "batch");
  });
}

/** One batch line as an operation, parsed by the same definitions as the edit commands. */
export async function parseOperation(text: string, where: string): Promise<Operation> {
  const bad = (why: string): InittabError => usageError(`${where}: ${why}: ${escapeText(text.trim())}`);
  let words: string[];
  try {
    const tokens = shellWords(text, (name: string) => {
      throw bad(`"$${name}" outside single quotes (batch lines are not run by a shell; quote it with '...')`);
    });
    words = tokens.flatMap((t) => {
      if (typeof t === "string") return [t];
      if ("comment" in t) return [];
      if ("op" in t && t.op === "glob") return [t.pattern];
      throw bad(`"${"op" in t ? t.op : "?"}" is shell syntax, which a batch line does not take`);
    });
  } catch (err) {
    if (err instanceof InittabError) throw err;
    throw bad((err as Error).message);
  }
  if (words.length === 0) throw bad("empty operation");
  const inner = new Command().exitOverride();
  let messages = "";
  inner.configureOutput({ writeErr: (s) => void (messages += s), writeOut: (s) => void (messages += s) });
  let planned: Operation | undefined;
  defineEditCommands(inner, (_cmd, op) => void (planned = op));
  for (const c of inner.commands)
    c.exitOverride().configureOutput({ writeErr: (s) => void (messages += s), writeOut: (s) => void (messages += s) });
  if (!inner.commands.some((c) => c.name() === words[0])) {
    throw bad(`"${escapeText(words[0]!)}" is not an edit (add, set, rm, comment, uncomment)`);
  }
  try {
    await inner.parseAsync(words, { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError)
      throw bad(
        messages
          .trim()
          .split("\n")[0]!
          .replace(/^error: /, "") || err.message,
      );
    if (err instanceof InittabError) throw bad(err.message);
    throw err;
  }
  if (!planned) throw bad("not an operation");
  return { ...planned, label: escapeText(text.trim()) };
}

/** What the operations produced: each result, the new bytes and the gate's verdict. */
interface Computed {
  before: Document;
  after: Uint8Array;
  results: EditResult[];
  changed: boolean;
  gate: GateResult | undefined;
}

/** The JSON of an edit (docs/schemas/edit.schema.json); `error` when it was refused. */

/** Run operations against a file: compute, gate, then print, answer or write (see the module comment). */
export async function runEdit(
  ctx: CliContext,
  o: WriteFlags,
  ops: readonly Operation[],
  command: string,
): Promise<void> {
  const globals = ctx.globals();
  const file = editTarget(o, globals);
  const stdio = file === "-";
  checkWriteFlags(o, stdio);
  const shown = displayPath(file);
  // With --plan, the output is the plan (as JSON with --json), not the edit's outcome.
  const json: WriteJson | undefined = o.json && o.plan === undefined ? writeJson(command, shown) : undefined;
  try {
    await editAndReport(ctx, o, ops, file, json);
  } catch (err) {
    if (json && err instanceof InittabError) {
      const added = (err.details.diagnostics ?? []) as Diagnostic[];
      json.diagnostics = added.map(diagnosticJson);
      printWriteJson(json, err);
    }
    throw err;
  }
  if (json) printWriteJson(json);
}

async function editAndReport(
  ctx: CliContext,
  o: WriteFlags,
  ops: readonly Operation[],
  file: string,
  json: WriteJson | undefined,
): Promise<void> {
  const globals = ctx.globals();
  const stdio = file === "-";
  const shown = displayPath(file);
  // The gate checks as `inittab check` would check the file: with the nearest .inittab.json
  // (its dialect, rule selection and allowExec), unless --config or --no-config says otherwise.
  const config =
    o.config === false
      ? undefined
      : typeof o.config === "string"
        ? readConfig(o.config)
        : new ConfigFinder().find(stdio ? "-" : file);
  const disable = disabledCodes(config, [], []);
  const dialect = effectiveDialect(globals, config?.dialect);
  const checkOptions: CheckOptions = {
    ...(globals.allowExec || config?.allowExec ? { allowExec: true } : {}),
    ...imageOptions(globals),
    ...(disable.length > 0 ? { disable } : {}),
  };
  // Status goes to stderr when stdout carries the file, the diff or the JSON.
  const say = (s: string): void => void (stdio || o.diff || json ? process.stderr : process.stdout).write(`${s}\n`);

  const compute = (bytes: Uint8Array): Computed => {
    const before = parse(bytes, { dialect });
    let doc = before;
    let current = bytes;
    const results: EditResult[] = [];
    for (const op of ops) {
      const result = runOp(op, doc);
      results.push(result);
      if (!result.changed) continue;
      current = applyEdits(current, result.edits);
      doc = parse(current, { dialect: before.dialect });
    }
    const changed = results.some((r) => r.changed);
    if (!changed) return { before, after: bytes, results, changed, gate: undefined };
    const gate = gateEdit(before, doc, undefined, checkOptions);
    if (gate.added.length > 0 && !o.force) {
      throw new InittabError("edit-adds-errors", "the edit adds errors", { details: { diagnostics: gate.added } });
    }
    return { before, after: current, results, changed, gate };
  };

  let computed: Computed | undefined;
  let original: Uint8Array | undefined;
  let backup: string | undefined;
  try {
    // An unusable --validate (empty, no %s, bad quoting) is refused whether or not there is a change.
    if (o.validate !== undefined) validateArgv(o.validate, file, stdio ? "<stdin>" : file);
    if (stdio || o.diff || o.check || o.plan !== undefined) {
      // Nothing is written to the file: read it as it is now, no lock needed.
      original = readInput(file, globals);
      computed = compute(original);
      // The validator judges what would be installed, as the gate does: the output of --file -,
      // and the change --diff shows or --check announces.
      if (o.validate !== undefined && computed.changed) {
        validateBytes(o.validate, computed.after, stdio ? "<stdin>" : file, stdio ? "inittab" : undefined);
      }
      if (o.diff && !json) {
        const diff = unifiedDiff(original, computed.after, diffLabel(file, globals.root));
        process.stdout.write(process.stdout.isTTY ? escapeDiff(diff) : Buffer.from(diff, "latin1"));
      } else if (stdio && !o.check && !o.diff && o.plan === undefined) {
        writeFileBytes(computed.after);
      }
    } else {
      const written = await editFileSafely(
        file,
        (current) => {
          if (current === null) throw usageError(`${shown}: no such file or directory`, "io-error");
          original = current;
          computed = compute(current);
          return computed.after;
        },
        {
          ...fileOptions(globals),
          ...lockOptions(o),
          ...(backupSuffix(o) !== undefined ? { backup: backupSuffix(o)! } : {}),
          ...(o.inPlace ? { inPlace: true } : {}),
          ...(o.validate !== undefined ? { validate: o.validate } : {}),
        },
      );
      backup = written.backup;
    }
  } catch (err) {
    throw explain(err, shown);
  }

  const { results, gate, before, changed } = computed!;
  const message =
    ops.length === 1
      ? results[0]!.message
      : `${count(results.filter((r) => r.changed).length, "operation")} of ${ops.length} changed the file`;
  if (json) {
    json.changed = changed;
    json.written = changed && !stdio && !o.diff && !o.check;
    json.operations = ops.map((op, i) => ({
      operation: op.label,
      changed: results[i]!.changed,
      message: results[i]!.message,
    }));
    json.diff = changed ? binaryToText(unifiedDiff(original!, computed!.after, diffLabel(file, globals.root))) : "";
    json.diagnostics = [...(gate?.added ?? []), ...(gate?.warnings ?? [])].map(diagnosticJson);
    json.backup = backup ?? null;
  }
  if (o.plan !== undefined) {
    // The plan says what IT034 would, for the runlevel init is in.
    process.stderr.write(`${shown}: ${changed ? `would change: ${message}` : message}\n`);
    const level = o.plan !== "" ? runlevelArg(o.plan, "--plan") : undefined;
    const afterDoc = parse(computed!.after, { dialect: before.dialect });
    ctx.exit(showPlan(before, afterDoc, file, o, globals, level, o.json === true));
    return;
  }
  for (const w of gate?.warnings ?? [])
    process.stderr.write(`inittab: warning: ${shown}:${w.line}: ${w.message} [${w.code}]\n`);
  if (gate && gate.added.length > 0) {
    process.stderr.write(`inittab: ${shown}: --force: writing despite ${count(gate.added.length, "new error")}:\n`);
    printDiagnostics(shown, gate.added);
  }
  if (ops.length > 1 && !json) {
    for (const [i, op] of ops.entries()) say(`${shown}: ${op.label}: ${results[i]!.message}`);
  }
  if (o.check) {
    if (!json) say(`${shown}: ${changed ? `would change: ${message}` : message}`);
    if (changed) ctx.exit(1);
    return;
  }
  if (o.diff) {
    if (!json) say(`${shown}: ${changed ? `would change: ${message}` : message}`);
    return;
  }
  if (!json) say(`${shown}: ${message}`);
  if (!changed || stdio) return;
  if (!o.reload) {
    // Only for the running system's file: a build tree's copy is read by no running init.
    if (isLiveInittab(file, globals) && !json) say(`run \`${before.dialect.reloadHint}\` to make init re-read it`);
    return;
  }
  if (globals.root !== undefined) {
    const why = "not reloading: --root edits a system image, not the running system";
    throw new InittabError("reload-skipped", `${shown}: written, but ${why}`);
  }
  const live = liveInit(before.dialect, file);
  if ("refused" in live)
    throw new InittabError("reload-skipped", `${shown}: written, but not reloading: ${live.refused}`);
  // What the re-read is about to do, from the file as it was and as it is now.
  if (!json) showPlan(before, parse(computed!.after, { dialect: before.dialect }), file, o, globals, undefined, false);
  try {
    const done = await askToReread(live, before.dialect, file);
    if (json) json.reloaded = done;
    else say(done);
  } catch (err) {
    if (isInittabError(err, "reload-failed")) {
      // The file is written; only the running init has not been told.
      throw new InittabError(
        "reload-failed",
        `${shown}: written, but ${err.message}; run \`${before.dialect.reloadHint}\``,
      );
    }
    throw err;
  }
}

/**
 * Print the plan of a re-read from `before` to `after` (the running system is read when `file` is
 * the live inittab); returns its exit status (1: something would be stopped).
 */
function showPlan(
  before: Document,
  after: Document,
  file: string,
  o: WriteFlags,
  globals: GlobalOptions,
  runlevel: string | undefined,
  json: boolean,
): 0 | 1 {
  const live: LiveCliOptions = {
    ...(o.proc !== undefined ? { proc: o.proc } : {}),
    ...(o.initPid !== undefined ? { initPid: o.initPid } : {}),
    ...(o.utmp !== undefined ? { utmp: o.utmp } : {}),
  };
  const plan = computePlan({
    before,
    after,
    live: file !== "-" && isLiveInittab(file, globals),
    liveOptions: live,
    ...(runlevel !== undefined ? { runlevel } : {}),
    ...(globals.allowExec ? { allowExec: true } : {}),
  });
  const shown = displayPath(file);
  return printPlan(plan, { old: shown, new: `${shown} as edited`, reread: before.dialect.reloadHint }, json);
}

/** The operation; with --missing-ok, "no such entry" is the file already being as asked. */
function runOp(op: Operation, doc: Document): EditResult {
  try {
    return op.run(doc);
  } catch (err) {
    if (op.missingOk && isInittabError(err, "no-such-entry")) {
      return { changed: false, edits: [], message: `unchanged: ${err.message}` };
    }
    throw err;
  }
}

/** Turn a failure into the CLI's one-line error, naming the file; print what goes with it first. */
function explain(err: unknown, shown: string): unknown {
  if (!(err instanceof InittabError)) return err;
  switch (err.code) {
    case "edit-adds-errors": {
      const added = (err.details.diagnostics ?? []) as Diagnostic[];
      printDiagnostics(shown, added);
      // A new line takes the file's own terminator, so in a CRLF file it carries the CR too.
      const crlfOnly = added.every((d) => d.code === "IT003");
      const hint = crlfOnly
        ? "; the file uses CRLF line ends, which init misreads: convert it first with `inittab check --fix`"
        : "";
      return new InittabError(
        "edit-adds-errors",
        `${shown}: refused: the edit adds ${count(added.length, "error")} the file did not have (--force writes it anyway); nothing was changed${hint}`,
        { details: err.details },
      );
    }
    case "validation-failed": {
      const text = String(err.details.stderr ?? "").trimEnd();
      if (text !== "")
        process.stderr.write(
          `${text
            .split("\n")
            .map((l) => `  ${escapeText(l)}`)
            .join("\n")}\n`,
        );
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
