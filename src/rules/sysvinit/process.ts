/**
 * The process field (init.c spawn; docs/internals/sysvinit.md): length (IT013), empty on a spawning action (IT014),
 * prefixes (IT024, IT025), the shell (IT026, IT026b), the word limit (IT027), `#` (IT028), and
 * waited-for entries that hold the rest back (IT029).
 */
import type { CheckContext, CheckedFile } from "../context.js";
import { analyseCommand, chainsCommands, programOf } from "../../init/command.js";
import { EntriesByLevel, entryView, fileOf, initLogs } from "../lookup.js";
import { quote } from "../wording.js";
import { lookupAction } from "../../init/index.js";

export function checkProcesses(ctx: CheckContext, file: CheckedFile): void {
  const dialect = file.doc.dialect;
  for (const v of file.parsed) {
    const line = v.line;
    const field = line.fields.process;
    if (!field) continue;
    // The CR of a CRLF line is part of the process to init (IT003 reports it).
    const length = field.value.length + (line.terminator === "CRLF" ? 1 : 0);
    if (dialect.maxProcessLength !== null && length > dialect.maxProcessLength) {
      ctx.report(
        file,
        "IT013",
        { start: field.start + dialect.maxProcessLength, end: field.end },
        `init ${dialect.version} ignores this line: the process is ${length} bytes long, more than ${dialect.maxProcessLength} ${initLogs(ctx, file, field.start, "process-too-long", dialect.processTooLongMessage ?? "process field too long")}; 3.14 allows longer ones`,
        { cause: "process-too-long" },
      );
    }
    if (line.kind !== "entry") continue;
    const action = lookupAction(dialect, line.fields.action?.value ?? "", ctx);
    if (!action || !action.info.spawns) continue;
    const value = field.value;
    if (/^[ \t]*$/.test(value)) {
      ctx.report(
        file,
        "IT014",
        value === "" ? { start: field.start, end: field.start } : field,
        `this ${action.name} entry has ${value === "" ? "an empty" : "a blank"} process: init starts a child with no program, which crashes (SIGSEGV) before it can run anything${action.info.respawns ? "; init restarts it until it disables the entry for 5 minutes" : ""}`,
      );
      continue;
    }
    const lead = /^[ \t]+/.exec(value)?.[0] ?? "";
    const afterLead = value.slice(lead.length);
    if (lead !== "" && (afterLead.startsWith("+") || (dialect.atPrefix && afterLead.startsWith("@")))) {
      ctx.report(
        file,
        "IT024",
        { start: field.start, end: field.start + lead.length + 1 },
        `init recognises "${afterLead[0]}" only as the first byte of the process: after the blank it becomes part of the program name`,
      );
    }
    const cmd = analyseCommand(dialect, value);
    if (!dialect.atPrefix && cmd.body.startsWith("@")) {
      const at = field.start + cmd.prefix.length;
      ctx.report(
        file,
        "IT025",
        { start: at, end: at + 1 },
        `sysvinit ${dialect.version} has no "@" prefix (it came in 3.02): init runs a program literally named ${quote(cmd.body.split(/[ \t]/)[0] ?? "")}, which fails`,
      );
    }
    if (cmd.shell) {
      const form = dialect.shellForm === "sh -c" ? `/bin/sh -c "<process>"` : `/bin/sh -c "exec <process>"`;
      const escape = dialect.atPrefix ? `; start it with "@" to run it without a shell` : "";
      ctx.report(
        file,
        "IT026",
        field,
        `the process contains shell metacharacters, so init runs it as ${form}${escape}`,
      );
      if (dialect.shellForm === "sh -c exec" && chainsCommands(cmd.body)) {
        ctx.report(
          file,
          "IT026b",
          field,
          `init ${dialect.version} runs this as /bin/sh -c "exec <process>": the shell replaces itself with the first command, so the commands after ";", "&&" or "||" never run (3.11 and later pass the process unchanged)`,
        );
      }
      continue;
    }
    const bodyStart = field.start + cmd.prefix.length;
    if (cmd.cutAfterLimit !== "") {
      const cutAt = bodyStart + cmd.body.length - cmd.cutAfterLimit.length;
      ctx.report(
        file,
        "IT027",
        { start: cutAt, end: field.end },
        `init passes at most ${dialect.maxWords} words (the program and ${(dialect.maxWords ?? 1) - 1} arguments) to a command run without a shell: ${quote(cmd.cutAfterLimit.trim())} is dropped`,
      );
    }
    if (cmd.hashAt !== undefined) {
      const at = bodyStart + cmd.hashAt;
      const rest = cmd.body.slice(cmd.hashAt);
      ctx.report(
        file,
        "IT028",
        { start: at, end: field.end },
        cmd.hashEmptyArg
          ? `init stops the argument list at "#" and passes an extra empty argument in its place; ${quote(rest)} is not passed`
          : `init stops the argument list at "#": ${quote(rest)} is not passed to the program`,
      );
    }
  }
}

/** A program that normally runs until logout or for ever (not one that does a job and exits). */
function neverExits(program: string, args: string[]): boolean {
  const base = program.slice(program.lastIndexOf("/") + 1);
  if (/^(?:[a-z]*getty|getty.*|login)$/.test(base)) return true;
  if (/^(?:sh|ash|bash|dash|ksh|mksh|zsh)$/.test(base)) {
    // An interactive shell: no script and no -c.
    return args.every((a) => a.startsWith("-") && a !== "-c" && !a.startsWith("-c"));
  }
  return false;
}

/**
 * IT029: a waited-for entry whose program does not exit holds back every later entry of its
 * runlevel (start_if_needed stops at a WAITING entry); in the sysinit or boot phase, the whole
 * boot.
 */
export function checkWaits(ctx: CheckContext): void {
  const entries = ctx.sim.entries;
  // Built on first use: a waited-for command that never exits is rare, and most files have none.
  let held: EntriesByLevel | undefined;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (!e.info.waited || e.info.power || e.action === "exec") continue;
    const file = fileOf(ctx, e.path);
    if (!file) continue;
    const cmd = analyseCommand(file.doc.dialect, e.process);
    const program = programOf(cmd);
    if (
      !program ||
      !neverExits(
        program,
        cmd.shell
          ? cmd.body
              .trim()
              .split(/[ \t]+/)
              .slice(1)
          : cmd.words.slice(1),
      )
    )
      continue;
    const view = entryView(file, e.start);
    const at = view?.line.fields.process ?? { start: e.start, end: e.end };
    if (e.info.bootPhase) {
      const phase = e.info.bootPhase === "#" ? "sysinit" : "boot";
      ctx.report(
        file,
        "IT029",
        at,
        `init waits for this ${e.action} entry to exit before it leaves the ${phase} phase, but ${quote(program)} normally runs until logout or for ever: the boot stops here`,
      );
      continue;
    }
    held ??= new EntriesByLevel(entries, (o) => !o.info.power);
    const later = held.nextAfter(
      i,
      [...e.runlevels].filter((c) => /[0-9S]/.test(c)),
    );
    if (!later) continue;
    const shared = [...e.runlevels].filter((c) => /[0-9S]/.test(c) && later.runlevels.includes(c)).join("");
    ctx.report(
      file,
      "IT029",
      at,
      `init waits for this ${e.action} entry to exit before it starts the later entries of runlevel ${shared} (first: line ${later.line}), but ${quote(program)} normally runs until logout or for ever; use respawn or once`,
    );
  }
}
