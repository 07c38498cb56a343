/**
 * `--dialect auto`: decide from the file's own content which init it is written for, and say
 * why. Evidence is weighed line by line; with none either way (or a tie) the answer is sysvinit
 * (the format's reference), and the reason says so.
 */
import type { Dialect } from "./types.js";
import { BUSYBOX, BUSYBOX_ACTIONS } from "./busybox.js";
import { SYSVINIT_3_14, SYSVINIT_ACTIONS } from "./sysvinit.js";

export interface Detection {
  dialect: Dialect;
  /** Human-readable evidence, strongest first, e.g. `line 3: action "askfirst" exists only in BusyBox`. */
  reasons: string[];
}

/** The fields of one candidate entry line, as split at its first three colons. */
export interface DetectionLine {
  line: number;
  id: string;
  action: string;
  colons: number;
  /** The runlevels field (optional for callers that do not have it). */
  runlevels?: string;
}

/**
 * How much each kind of evidence weighs. An action only one init knows is decisive on its own;
 * an id sysvinit would reject is strong; a short tty-shaped id such as `tty1` is weak, because
 * it is also a valid sysvinit id; a runlevels field is weak too, since BusyBox merely ignores it.
 */
const WEIGHT = {
  actionOnlyIn: 3,
  emptyId: 2,
  idTooLongForSysvinit: 2,
  shortTtyId: 1,
  runlevelsGiven: 1,
} as const;

// A tty-shaped id: what BusyBox reads in the first field.
const TTY_ID = /^(?:\/dev\/)?(?:tty[A-Za-z]*\d*|console|hvc\d+|ttyS\d+|ttyAMA\d+|ttymxc\d+|ttyO\d+|ttyUSB\d+|ttyPS\d+|ttySAC\d+|null)$/;

/** One kind of evidence (an action, an id, …) and every line that gives it. */
interface Evidence {
  side: "busybox" | "sysvinit";
  /** Weight of one line of it. */
  weight: number;
  /** What it says, without the line numbers. */
  reason: string;
  lines: number[];
}

/** The evidence one entry-shaped line gives, as (side, weight, reason) triples. */
function weigh(l: DetectionLine, give: (side: Evidence["side"], weight: number, reason: string) => void): void {
  const action = l.action;
  // BusyBox compares action names exactly, sysvinit ignoring case.
  const inBb = Object.hasOwn(BUSYBOX_ACTIONS, action);
  const inSv = Object.hasOwn(SYSVINIT_ACTIONS, action.toLowerCase());
  if (inBb && !inSv) give("busybox", WEIGHT.actionOnlyIn, `action "${action}" exists only in BusyBox`);
  else if (inSv && !inBb) give("sysvinit", WEIGHT.actionOnlyIn, `action "${action}" exists only in sysvinit`);
  const maxId = SYSVINIT_3_14.maxIdLength ?? Infinity;
  if (l.id === "") {
    give("busybox", WEIGHT.emptyId, "empty id (BusyBox's console; sysvinit rejects it)");
  } else if (l.id.length > maxId) {
    const what = TTY_ID.test(l.id) ? "a tty name" : "longer than sysvinit allows";
    give("busybox", WEIGHT.idTooLongForSysvinit, `id "${l.id}" is ${what} (sysvinit rejects ids over ${maxId} bytes)`);
  } else if (TTY_ID.test(l.id)) {
    give("busybox", WEIGHT.shortTtyId, `id "${l.id}" is a tty name`);
  }
  if (l.runlevels !== undefined && l.runlevels !== "") {
    give("sysvinit", WEIGHT.runlevelsGiven, "runlevels given (BusyBox ignores the field)");
  }
}

/** `line 3`, `lines 3, 7, 9`, `lines 3, 7, 9 and 12 more`. */
function where(lines: number[]): string {
  if (lines.length === 1) return `line ${lines[0]}`;
  const shown = lines.slice(0, 3).join(", ");
  return lines.length > 3 ? `lines ${shown} and ${lines.length - 3} more` : `lines ${shown}`;
}

export function detectDialect(lines: readonly DetectionLine[]): Detection {
  const score = { busybox: 0, sysvinit: 0 };
  // Evidence of one kind is reported once, with its lines, so a long file's reasons stay short.
  const evidence = new Map<string, Evidence>();
  for (const l of lines) {
    // Only lines with all four fields say anything about the dialect.
    if (l.colons < 3) continue;
    weigh(l, (side, weight, reason) => {
      score[side] += weight;
      const key = `${side}\0${reason}`;
      const e = evidence.get(key);
      if (e) e.lines.push(l.line);
      else evidence.set(key, { side, weight, reason, lines: [l.line] });
    });
  }
  const strongestFirst = (side: Evidence["side"]) =>
    [...evidence.values()]
      .filter((e) => e.side === side)
      // The most telling kind first (an action one init lacks beats any number of weak hints),
      // then the most frequent; stable, so file order among equals.
      .sort((x, y) => y.weight - x.weight || y.lines.length - x.lines.length)
      .slice(0, 5)
      .map((e) => `${where(e.lines)}: ${e.reason}`);
  if (score.busybox > score.sysvinit) {
    return { dialect: BUSYBOX, reasons: strongestFirst("busybox") };
  }
  if (score.sysvinit > score.busybox) {
    return { dialect: SYSVINIT_3_14, reasons: strongestFirst("sysvinit") };
  }
  if (score.busybox > 0) {
    return {
      dialect: SYSVINIT_3_14,
      reasons: [`BusyBox and sysvinit evidence weigh the same (${score.busybox}): defaulting to sysvinit`],
    };
  }
  return { dialect: SYSVINIT_3_14, reasons: ["no BusyBox evidence: defaulting to sysvinit"] };
}
