/**
 * The `exec` entry of sysvinit bug #33517 (Savannah bug #33517;
 * docs/internals/sysvinit.md#the-proposed-exec-action): at the end of the shutdown, PID 1
 * replaces itself with a program (e.g. `/lib/deinitramfs/deinit /sbin/halt -dhp`) that unmounts
 * the old root and ends the system.
 *
 * Where it goes is not a matter of taste. init starts entries in file order and stops at a
 * running waited-for entry, so an exec entry placed right after the level's waited-for rc entry
 * (`l0:0:wait:/etc/init.d/rc 0`) fires only once the shutdown scripts have finished; anywhere
 * before it, it would cut them short. No released sysvinit knows the action (it logs
 * `exec: unknown action field` and ignores the line), so it is added only for an init that
 * carries the patch (`allowExec`).
 */
import type { Dialect } from "../dialects/index.js";
import { binaryToText, escapeBinary, escapeText, fromBinary, textToBinary } from "../base/bytes.js";
import type { Document } from "../document/model.js";
import { applyEditsBinary, type Edit } from "../document/edits.js";
import { parseEntryBinary } from "../edit/entry.js";
import { InittabError } from "../base/errors.js";
import { addEntry, type EditResult } from "../edit/ops.js";
import { simulateInit, type SimulatedEntry } from "../init/simulate.js";
import { droppedHint, isWaitedFor, type ShutdownLevel } from "./common.js";

export interface ExecEntryOptions {
  /** The program PID 1 becomes: an absolute path. */
  program: string;
  args?: readonly string[];
  /** 0 (halt, default) or 6 (reboot). */
  runlevel?: ShutdownLevel;
  /** The target init carries the exec patch. Without it every sysvinit refuses the action. */
  allowExec?: boolean;
}

export type ExecEntryResult =
  | {
      status: "unchanged";
      /** The exec entry already there. */
      line: number;
      id: string;
    }
  | {
      status: "added";
      edits: Edit[];
      /** The whole new file. */
      bytes: Uint8Array;
      id: string;
      /** The line (binary string, no terminator). */
      entry: string;
      /** The waited-for entry it follows: its 1-based line and id. */
      after: { line: number; id: string };
      /** Things init will do that the caller should say (e.g. a shell runs the command). */
      notes: string[];
    };

/** The action name written; sysvinit compares actions case-insensitively. */
const EXEC = "exec";

/**
 * Add the proposed `exec` entry (sysvinit bug #33517) right after the shutdown level's last
 * waited-for entry, with a free id; an identical entry there already is "unchanged".
 *
 * @throws InittabError `not-applicable` (an init without the exec patch unless `allowExec`, no
 *   waited-for entry in the level, a conflicting exec entry, no free id), `invalid-option` or
 *   `invalid-entry` (unusable program or arguments).
 */
export function addExecEntry(doc: Document, options: ExecEntryOptions): ExecEntryResult {
  const level = options.runlevel ?? "0";
  const dialect = doc.dialect;
  // Unusable arguments first (exit 2), then what the file's init cannot do (exit 1).
  const process = buildProcess(options.program, options.args ?? [], dialect);
  refuseDialect(dialect, options.allowExec === true);
  const notes: string[] = [];
  if ([...process].some((c) => dialect.shellMetachars.includes(c)) && !process.startsWith("@")) {
    notes.push("the command contains shell metacharacters: init runs it through /bin/sh -c");
  }

  const prediction = simulateInit(doc, { allowExec: true });
  const entries = prediction.entries;
  const waited = entries.filter((e) => isWaitedFor(e, level));
  const rc = waited[waited.length - 1];
  if (!rc) {
    throw new InittabError(
      "not-applicable",
      `no waited-for entry runs in runlevel ${level} (such as l${level}:${level}:wait:/etc/init.d/rc ${level}): ` +
        "the exec entry must come after the shutdown scripts, and there are none" +
        droppedHint(prediction.dropped.length),
    );
  }

  const execs = entries.filter((e) => e.action === EXEC && e.runlevels.includes(level));
  const existing = execs[0];
  if (existing) {
    const where = `line ${existing.line}`;
    const shown = `${escapeBinary(existing.id)}:${escapeBinary(existing.runlevels)}:exec:${escapeBinary(existing.process)}`;
    if (existing.start < rc.start) {
      throw new InittabError(
        "not-applicable",
        `${where} already has an exec entry for runlevel ${level} (${shown}) before the waited-for entry ` +
          `${escapeBinary(rc.id)} at line ${rc.line}: it would replace init before the shutdown scripts ran; move or remove it first`,
      );
    }
    if (stripCr(existing.process) === process) return { status: "unchanged", line: existing.line, id: existing.id };
    throw new InittabError(
      "not-applicable",
      `${where} already has an exec entry for runlevel ${level} (${shown}); only the first one init reaches runs: remove or change it first`,
    );
  }

  const id = freeId(doc, entries, level, dialect);
  const entry = `${id}:${level}:${EXEC}:${process}`;
  if (dialect.maxLineBytes !== null && entry.length > dialect.maxLineBytes) {
    throw new InittabError(
      "invalid-option",
      `the entry would be a ${entry.length}-byte line; ${dialect.name} reads at most ${dialect.maxLineBytes}`,
    );
  }
  // The line must read back as exactly these four fields (parseEntryBinary refuses otherwise),
  // and the insertion is checked by the edit engine: every other line stays as init read it.
  const parsed = parseEntryBinary(entry, dialect, `the exec entry "${escapeBinary(entry)}"`);
  if (parsed.values.process !== process || parsed.values.id !== id) {
    throw new InittabError("invalid-entry", `the exec entry "${escapeBinary(entry)}" would not read back as written`);
  }
  const added: EditResult = addEntry(doc, parsed, { after: { id: binaryToText(rc.id), action: rc.action } });
  return {
    status: "added",
    edits: added.edits,
    bytes: fromBinary(applyEditsBinary(doc.source, added.edits)),
    id,
    entry,
    after: { line: rc.line, id: rc.id },
    notes,
  };
}

function refuseDialect(dialect: Dialect, allowExec: boolean): void {
  if (!dialect.usesRunlevels) {
    // BusyBox: the exec patch is a sysvinit patch, and BusyBox already has the mechanism.
    throw new InittabError(
      "not-applicable",
      `${dialect.name} init does not have the exec action (it belongs to a sysvinit patch)` +
        (Object.hasOwn(dialect.actions, "restart")
          ? "; its own way is a `restart` entry, which it execs in place of itself after running its `shutdown` entries"
          : ""),
    );
  }
  if (!allowExec) {
    throw new InittabError(
      "not-applicable",
      `no released ${dialect.family} has the exec action: ${dialect.name} would log "exec: unknown action field" and ignore the line ` +
        "(sysvinit bug #33517); allow it (`allowExec`) only if your init carries that patch, " +
        "otherwise use `inittab tmpfs` and `telinit U` (docs/root-unmount.md)",
    );
  }
}

/** Program and arguments as init will split them: words without blanks, `#` or line breaks. */
function buildProcess(program: string, args: readonly string[], dialect: Dialect): string {
  if (!program.startsWith("/")) {
    throw new InittabError(
      "invalid-option",
      `the program must be an absolute path, not "${escapeText(program)}" (PID 1 has no useful PATH or working directory)`,
    );
  }
  for (const [i, word] of [program, ...args].entries()) {
    const what = i === 0 ? "the program" : `argument ${i}`;
    if (word === "")
      throw new InittabError(
        "invalid-option",
        `${what} is empty: init splits words on blanks and cannot pass an empty one`,
      );
    // init splits the process on spaces and tabs (no quoting), and a `#` ends the command line.
    const bad = /[\s#\0-\x1f\x7f]/.exec(word);
    if (bad) {
      const name =
        bad[0] === "#"
          ? "a '#' (init ends the command there)"
          : /[ \t]/.test(bad[0])
            ? "a blank (init splits words on blanks)"
            : "a control character";
      throw new InittabError("invalid-option", `${what} "${escapeText(word)}" contains ${name}`);
    }
  }
  const process = textToBinary([program, ...args].join(" "));
  if (dialect.maxProcessLength !== null && process.length > dialect.maxProcessLength) {
    throw new InittabError(
      "invalid-option",
      `the command is ${process.length} bytes; ${dialect.name} accepts at most ${dialect.maxProcessLength}`,
    );
  }
  if (dialect.maxWords !== null && 1 + args.length > dialect.maxWords) {
    throw new InittabError(
      "invalid-option",
      `the command has ${1 + args.length} words; init passes only the first ${dialect.maxWords}`,
    );
  }
  return process;
}

function stripCr(s: string): string {
  return s.endsWith("\r") ? s.slice(0, -1) : s;
}

/** `l0u` when free, else another id of at most the dialect's length no line of the file uses. */
function freeId(doc: Document, entries: readonly SimulatedEntry[], level: string, dialect: Dialect): string {
  const used = new Set<string>(entries.map((e) => e.id));
  for (const l of doc.lines) {
    if (l.fields.id) used.add(l.fields.id.value);
    // A commented-out entry may come back; do not take its id either.
    const m = l.kind === "comment" ? /^#\s*([^:\s#]{1,4}):/.exec(l.comment?.raw ?? "") : null;
    if (m) used.add(m[1]!);
  }
  const max = dialect.maxIdLength ?? 4;
  const candidates = function* (): Generator<string> {
    yield `l${level}u`;
    yield `l${level}x`;
    yield `l${level}e`;
    const chars = "abcdefghijklmnopqrstuvwxyz0123456789";
    for (const c of chars) yield `l${level}u${c}`;
    for (const a of chars) for (const b of chars) yield `x${level}${a}${b}`;
  };
  for (const id of candidates()) if (id.length <= max && !used.has(id)) return id;
  throw new InittabError("not-applicable", "no free id left for the exec entry");
}
