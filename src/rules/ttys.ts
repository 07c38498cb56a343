/**
 * Two gettys on one terminal at once: both open the line, and characters typed go to either, so
 * logins fail at random. sysvinit runs two such entries together when they share a runlevel;
 * BusyBox (which has no runlevels) when two running entries name the same tty in the id field.
 */
import { effectiveRunlevels } from "../dialects/index.js";
import { analyseCommand } from "../init/index.js";
import { binaryToText } from "../base/bytes.js";
import type { CheckContext } from "./context.js";
import { entryView, fileOf } from "./lookup.js";
import { quote } from "./wording.js";

/** A program that runs a login on a terminal: getty, agetty, mingetty, start_getty, ... */
const GETTY = /(^|\/)[A-Za-z_-]*getty$/;

/** A word naming a terminal line, with or without /dev/. */
const TTY_WORD =
  /^(?:\/dev\/)?(tty[A-Za-z]*\d+|ttyS\d+|ttyAMA\d+|ttymxc\d+|ttyUSB\d+|ttyACM\d+|ttyO\d+|ttyPS\d+|ttySAC\d+|ttyGS\d+|hvc\d+|xvc\d+|console)$/;

/** The terminal an entry runs a getty on, or undefined when it runs none (or cannot be told). */
function gettyTty(ctx: CheckContext, id: string, process: string): string | undefined {
  const cmd = analyseCommand(ctx.dialect, process);
  const words = cmd.shell ? cmd.body.trim().split(/[ \t]+/) : cmd.words;
  const at = words.findIndex((w) => GETTY.test(w));
  if (at === -1) return undefined;
  if (ctx.dialect.idIsTty) return id === "" ? "console" : id.replace(/^\/dev\//, "");
  for (const w of words.slice(at + 1)) {
    const m = TTY_WORD.exec(w);
    if (m) return m[1];
  }
  return undefined;
}

export function checkGettyTtys(ctx: CheckContext): void {
  const code = ctx.dialect.family === "busybox" ? "BB016" : "IT036";
  /** The gettys met so far, by terminal: a file of thousands of entries stays linear. */
  const seen = new Map<string, Array<{ levels: Set<string>; line: number; id: string; path: string | undefined }>>();
  for (const e of ctx.sim.entries) {
    const info = e.info;
    // Entries that keep a getty running beside others; boot phases and signals run alone.
    if (!info.spawns || info.waited || info.bootPhase || info.power || info.triggered === true) continue;
    const tty = gettyTty(ctx, e.id, e.process);
    if (tty === undefined) continue;
    const levels = ctx.dialect.usesRunlevels
      ? effectiveRunlevels(ctx.dialect, e.action, e.runlevels)
      : new Set(["running"]);
    const onTty = seen.get(tty) ?? [];
    const earlier = onTty.find((s) => [...levels].some((l) => s.levels.has(l)));
    onTty.push({ levels, line: e.line, id: e.id, path: e.path });
    seen.set(tty, onTty);
    if (!earlier) continue;
    const file = fileOf(ctx, e.path);
    if (!file) continue;
    const view = entryView(file, e.start);
    const shared = [...levels].filter((l) => earlier.levels.has(l)).join("");
    const where =
      earlier.path === e.path
        ? `line ${earlier.line}`
        : `line ${earlier.line} of ${quote(earlier.path ?? "the inittab")}`;
    const when = ctx.dialect.usesRunlevels ? ` in runlevel${shared.length === 1 ? "" : "s"} ${shared}` : "";
    ctx.report(
      file,
      code,
      view?.line.fields.process ?? { start: e.start, end: e.end },
      `a getty on ${binaryToText(tty)} already runs${when} from ${where} (${quote(earlier.id)}): ` +
        "the second getty fights the first for the line, and logins fail at random; " +
        (ctx.dialect.usesRunlevels ? "remove one, or give them different runlevels" : "remove one"),
    );
  }
}
