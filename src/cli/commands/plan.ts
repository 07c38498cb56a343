/**
 * `inittab plan [NEW] [--from OLD]`: what the running init does when it re-reads its file —
 * which processes it stops, which entries it starts, which processes keep running although
 * their entry changed (init/reload.ts). OLD is the file init runs (default /etc/inittab, or
 * DIR/etc/inittab under --root); NEW is the file it will read (default /etc/inittab when
 * --from names OLD). Nothing is written and nothing is signalled.
 *
 * Exit status: 0 when nothing would be stopped, 1 when something would be; 2 unusable input.
 */
import { Option, type Command } from "commander";
import type { CliContext } from "../context.js";
import { usageError } from "../errors.js";
import { escapeText } from "../../base/bytes.js";
import { defaultInittab, displayPath, effectiveDialect, isLiveInittab, readInput, type GlobalOptions } from "../io.js";
import { parse, type Document } from "../../document/index.js";
import { dialectByName } from "../../dialects/index.js";
import { tabsBeside } from "../../inputs/collect.js";
import { computePlan, liveOptions, printPlan, runlevelArg, type LiveCliOptions } from "../plan-output.js";

interface PlanOptions extends LiveCliOptions {
  from?: string;
  runlevel?: string;
  json?: boolean;
  grace?: string;
  killRemoved?: "yes" | "no";
  live?: boolean;
}

export function register(program: Command, ctx: CliContext): void {
  liveOptions(
    program
      .command("plan")
      .description("predict what the running init stops and starts when it re-reads its inittab")
      .argument("[new]", "the file init will read (default /etc/inittab, when --from names what it runs now)")
      .option("--from <old>", "the file init runs now (default /etc/inittab, or DIR/etc/inittab with --root)")
      .option("--runlevel <level>", "sysvinit: the runlevel init is in (default: the system's, or OLD's initdefault)")
      .option("--json", "print the plan as JSON")
      .option("--grace <seconds>", "sysvinit: seconds from TERM to KILL (the request's sleeptime; default telinit's)")
      .addOption(
        new Option(
          "--kill-removed <yes|no>",
          "BusyBox: built with FEATURE_KILL_REMOVED (default yes, as Debian's)",
        ).choices(["yes", "no"]),
      )
      .option("--no-live", "do not read the running system's runlevel and processes"),
  ).action((next: string | undefined, o: PlanOptions) => {
    const globals = ctx.globals();
    if (next === undefined && o.from === undefined) {
      throw usageError("plan needs the file init will read (NEW), or --from with the file init runs now");
    }
    const oldPath = o.from ?? defaultInittab(globals);
    const newPath = next ?? defaultInittab(globals);
    if (oldPath === "-" && newPath === "-") throw usageError("only one of OLD and NEW can be standard input");
    const runlevel = o.runlevel !== undefined ? runlevelArg(o.runlevel, "--runlevel") : undefined;
    let grace: number | undefined;
    if (o.grace !== undefined) {
      if (!/^\d{1,4}$/.test(o.grace)) throw usageError(`--grace: "${escapeText(o.grace)}" is not a number of seconds`);
      grace = Number(o.grace);
    }
    const before = parse(readInput(oldPath, globals), { dialect: effectiveDialect(globals) });
    const dialect = before.dialect;
    const after = parse(readInput(newPath, globals), { dialect: dialect.name });
    // The running system is read when no image is named: what init runs is there, whichever
    // file holds the table it read (a backup given with --from, say).
    const live = o.live !== false && globals.root === undefined;
    const tabs =
      dialect.inittabD && oldPath !== "-" && (oldPath === defaultInittab(globals) || isLiveInittab(oldPath, globals))
        ? loadTabs(oldPath, dialect.name, globals)
        : undefined;
    const result = computePlan({
      before,
      after,
      live,
      liveOptions: o,
      ...(tabs ? { tabs } : {}),
      ...(runlevel !== undefined ? { runlevel } : {}),
      ...(grace !== undefined ? { graceSeconds: grace } : {}),
      ...(o.killRemoved !== undefined ? { killRemoved: o.killRemoved === "yes" } : {}),
      ...(globals.allowExec ? { allowExec: true } : {}),
    });
    const names = { old: displayPath(oldPath), new: displayPath(newPath), reread: rereadOf(dialect.name) };
    const status = printPlan(result, names, o.json === true);
    ctx.exit(status);
  });
}

function rereadOf(dialect: string): string {
  return dialectByName(dialect)?.reloadHint ?? "a re-read";
}

/** The .tab files of the inittab.d beside the file init runs: the same on both sides of the re-read. */
function loadTabs(main: string, dialect: string, globals: GlobalOptions): Array<{ path: string; doc: Document }> {
  return tabsBeside(main, globals.root).tabs.map((path) => ({
    path,
    doc: parse(readInput(path, globals), { dialect }),
  }));
}
