/**
 * The proposed sysvinit `exec` action (bug #33517; docs/internals/sysvinit.md#the-proposed-exec-action), e.g.
 * `l0u:0:exec:/lib/deinitramfs/deinit /sbin/halt -dhp`: PID 1 execs the program, which then
 * *is* init. No released sysvinit knows it (IT033). Under --allow-exec it is a known action and
 * validated: runlevels (EX001), the boot runlevel (EX002), one per runlevel (EX003), after that
 * runlevel's waited-for entries (EX004), an absolute program (EX005), no respawners left behind
 * (EX006). Whether the program exists in an image is the --root rules' job.
 */
import { holdsBackLaterEntries } from "../dialects/index.js";
import type { CheckContext } from "./context.js";
import { analyseCommand, programOf } from "../init/command.js";
import type { SimulatedEntry } from "../init/simulate.js";
import { dropAt, EntriesByLevel, entryView, fileOf } from "./lookup.js";
import { lineList, quote } from "./wording.js";

export function checkExec(ctx: CheckContext): void {
  if (ctx.dialect.family !== "sysvinit") return;
  if (!ctx.allowExec) {
    for (const file of [ctx.main, ...ctx.tabs]) {
      if (!file) continue;
      for (const v of file.parsed) {
        const field = v.line.fields.action;
        if (!field || v.line.colons < 3 || field.value.toLowerCase() !== "exec") continue;
        const drop = dropAt(ctx, file, v.line.start);
        ctx.report(
          file,
          "IT033",
          field,
          `no released sysvinit knows the action \`exec\`; init ignores this line${drop ? ` (init logs "${drop.message.replace(/^\/etc\/inittab\[\d+\]: /, "")}")` : ""} — pass --allow-exec if your init carries the exec patch`,
          { cause: "unknown-action" },
        );
      }
    }
    return;
  }
  const entries = ctx.sim.entries;
  const firstPerLevel = new Map<string, SimulatedEntry>();
  const waitedFor = new EntriesByLevel(entries, (o) => o.action !== "exec" && holdsBackLaterEntries(o.info));
  const respawning = new EntriesByLevel(entries, (o) => o.action === "respawn" || o.action === "ondemand");
  for (let index = 0; index < entries.length; index++) {
    const e = entries[index]!;
    if (e.action !== "exec") continue;
    const file = fileOf(ctx, e.path);
    if (!file) continue;
    const view = entryView(file, e.start);
    const fields = view?.line.fields;
    const whole = { start: e.start, end: e.end };
    const rlField = fields?.runlevels;
    const raw = rlField?.value ?? e.runlevels;
    const rlAt = rlField ?? whole;
    // Runlevels: only 0 and 6 make sense; empty would mean 0123456789, i.e. the first
    // runlevel after boot.
    if (raw === "") {
      ctx.report(
        file,
        "EX001",
        { start: rlAt.start, end: rlAt.start },
        `an exec entry with empty runlevels runs in every runlevel 0-9, so it replaces init in the first runlevel after boot: give it 0 and/or 6`,
      );
    } else if (/[^06]/.test(raw)) {
      const bad = [...new Set(raw.replace(/[06]/g, ""))].join("");
      ctx.report(
        file,
        "EX001",
        rlAt,
        `exec replaces init, so it belongs only in runlevel 0 (halt) or 6 (reboot); ${quote(bad)} would end the running system`,
      );
    }
    const levels = [...new Set(e.runlevels)].filter((c) => /[0-9S]/.test(c));
    if (ctx.sim.defaultRunlevel !== null && levels.includes(ctx.sim.defaultRunlevel)) {
      ctx.report(
        file,
        "EX002",
        rlAt,
        `this exec entry runs in runlevel ${ctx.sim.defaultRunlevel}, the initdefault level: init would replace itself right after boot`,
      );
    }
    for (const level of levels) {
      const earlier = firstPerLevel.get(level);
      if (earlier) {
        ctx.report(
          file,
          "EX003",
          rlAt,
          `runlevel ${level} already has an exec entry (line ${earlier.line}): the first one replaces init, so this one never runs`,
        );
      } else {
        firstPerLevel.set(level, e);
      }
    }
    // start_if_needed walks the list in order and stops at a running waited-for entry: an exec
    // before that entry fires first and replaces init while the shutdown scripts have not run.
    for (const level of levels) {
      const waited = waitedFor.nextAfter(index, [level]);
      if (waited) {
        ctx.report(
          file,
          "EX004",
          fields?.action ?? whole,
          `this exec entry comes before the ${waited.action} entry on line ${waited.line} of runlevel ${level}: init replaces itself before that entry runs — move the exec line after it`,
        );
        break;
      }
    }
    const procField = fields?.process;
    const process = procField?.value ?? e.process;
    const procAt = procField ?? whole;
    if (/^[ \t]*$/.test(process)) {
      ctx.report(
        file,
        "EX005",
        { start: procAt.start, end: procAt.start },
        `an exec entry needs a program: with an empty process PID 1 has nothing to become`,
      );
    } else {
      const cmd = analyseCommand(file.doc.dialect, process);
      const program = programOf(cmd);
      if (!program || !program.startsWith("/")) {
        ctx.report(
          file,
          "EX005",
          procAt,
          `the exec program should be an absolute path: ${quote(program ?? cmd.body)} is looked up in PATH at the moment the root file system is going away`,
        );
      }
    }
    const respawners = respawning.inLevels(levels);
    if (respawners.length > 0) {
      const shared = levels.filter((l) => respawners.some((o) => o.runlevels.includes(l))).join("");
      ctx.report(
        file,
        "EX006",
        rlAt,
        `runlevel ${shared} also has ${respawners.length === 1 ? "a respawn/ondemand entry" : `${respawners.length} respawn/ondemand entries`} (line ${lineList(respawners.map((o) => o.line))}): after the exec nothing restarts or reaps them, and they may hold the file systems the exec program wants to unmount`,
      );
    }
  }
}
