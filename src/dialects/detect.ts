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
const TTY_ID =
  /^(?:\/dev\/)?(?:tty[A-Za-z]*\d*|console|hvc\d+|ttyS\d+|ttyAMA\d+|ttymxc\d+|ttyO\d+|ttyUSB\d+|ttyPS\d+|ttySAC\d+|null)$/;

/** One kind of evidence (an action, an id, …) and every line that gives it. */
interface Evidence {
  side: "busybox" | "sysvinit";
  /** Weight of one line of it. */
  weight: number;
  /** What it says, without the line numbers. */
  reason: string;
  lines: number[];
}

/** The kinds of evidence; each is about a subject (the action, the id) or about nothing (""). */
const KINDS = {
  busyboxAction: {
    side: "busybox",
    weight: WEIGHT.actionOnlyIn,
    reason: (action: string) => `action "${action}" exists only in BusyBox`,
  },
  sysvinitAction: {
    side: "sysvinit",
    weight: WEIGHT.actionOnlyIn,
    reason: (action: string) => `action "${action}" exists only in sysvinit`,
  },
  emptyId: {
    side: "busybox",
    weight: WEIGHT.emptyId,
    reason: () => "empty id (BusyBox's console; sysvinit rejects it)",
  },
  longTtyId: {
    side: "busybox",
    weight: WEIGHT.idTooLongForSysvinit,
    reason: (id: string) => `id "${id}" is a tty name (sysvinit rejects ids over ${MAX_ID} bytes)`,
  },
  longId: {
    side: "busybox",
    weight: WEIGHT.idTooLongForSysvinit,
    reason: (id: string) => `id "${id}" is longer than sysvinit allows (sysvinit rejects ids over ${MAX_ID} bytes)`,
  },
  shortTtyId: { side: "busybox", weight: WEIGHT.shortTtyId, reason: (id: string) => `id "${id}" is a tty name` },
  runlevelsGiven: {
    side: "sysvinit",
    weight: WEIGHT.runlevelsGiven,
    reason: () => "runlevels given (BusyBox ignores the field)",
  },
} as const satisfies Record<string, { side: Evidence["side"]; weight: number; reason: (subject: string) => string }>;
type Kind = keyof typeof KINDS;

const MAX_ID = SYSVINIT_3_14.maxIdLength ?? Infinity;

/**
 * The evidence of a file, gathered line by line. Evidence of one kind about one subject is kept
 * once, with its lines, so a long file's reasons stay short; its text is written only once.
 */
class EvidenceLog {
  readonly score = { busybox: 0, sysvinit: 0 };
  /** In the order first seen. */
  readonly all: Evidence[] = [];
  private readonly byKind = new Map<Kind, Map<string, Evidence>>();

  give(kind: Kind, subject: string, line: number): void {
    const k = KINDS[kind];
    this.score[k.side] += k.weight;
    let bySubject = this.byKind.get(kind);
    if (!bySubject) this.byKind.set(kind, (bySubject = new Map()));
    const e = bySubject.get(subject);
    if (e) {
      e.lines.push(line);
      return;
    }
    const created: Evidence = { side: k.side, weight: k.weight, reason: k.reason(subject), lines: [line] };
    bySubject.set(subject, created);
    this.all.push(created);
  }
}

/** The evidence one entry-shaped line gives. */
function weigh(l: DetectionLine, log: EvidenceLog): void {
  const action = l.action;
  // BusyBox compares action names exactly, sysvinit ignoring case.
  const inBb = Object.hasOwn(BUSYBOX_ACTIONS, action);
  const inSv = Object.hasOwn(SYSVINIT_ACTIONS, action.toLowerCase());
  if (inBb && !inSv) log.give("busyboxAction", action, l.line);
  else if (inSv && !inBb) log.give("sysvinitAction", action, l.line);
  if (l.id === "") {
    log.give("emptyId", "", l.line);
  } else if (l.id.length > MAX_ID) {
    log.give(TTY_ID.test(l.id) ? "longTtyId" : "longId", l.id, l.line);
  } else if (TTY_ID.test(l.id)) {
    log.give("shortTtyId", l.id, l.line);
  }
  if (l.runlevels !== undefined && l.runlevels !== "") log.give("runlevelsGiven", "", l.line);
}

/** `line 3`, `lines 3, 7, 9`, `lines 3, 7, 9 and 12 more`. */
function where(lines: number[]): string {
  if (lines.length === 1) return `line ${lines[0]}`;
  const shown = lines.slice(0, 3).join(", ");
  return lines.length > 3 ? `lines ${shown} and ${lines.length - 3} more` : `lines ${shown}`;
}

export function detectDialect(lines: Iterable<DetectionLine>): Detection {
  const log = new EvidenceLog();
  for (const l of lines) {
    // Only lines with all four fields say anything about the dialect.
    if (l.colons >= 3) weigh(l, log);
  }
  const score = log.score;
  const strongestFirst = (side: Evidence["side"]) =>
    log.all
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
