/**
 * `--dialect auto`: decide from the file's own content which init it is written for, and say
 * why. Evidence is weighed line by line; with none either way the answer is sysvinit (the
 * format's reference), and the reason says so.
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
}

// A tty-shaped id: what BusyBox reads in the first field (sysvinit ids are 1-4 bytes and rarely
// look like this; `tty1` would also be a valid sysvinit id, so it counts for less).
const TTY_ID = /^(?:\/dev\/)?(?:tty[A-Za-z]*\d*|console|hvc\d+|ttyS\d+|ttyAMA\d+|ttymxc\d+|ttyO\d+|ttyUSB\d+|ttyPS\d+|ttySAC\d+|null)$/;

export function detectDialect(lines: readonly DetectionLine[]): Detection {
  let busybox = 0;
  let sysvinit = 0;
  const bbReasons: string[] = [];
  const svReasons: string[] = [];
  for (const l of lines) {
    if (l.colons < 3) continue;
    const action = l.action;
    const inBb = Object.hasOwn(BUSYBOX_ACTIONS, action);
    const inSv = Object.hasOwn(SYSVINIT_ACTIONS, action.toLowerCase());
    if (inBb && !Object.hasOwn(SYSVINIT_ACTIONS, action)) {
      busybox += 3;
      bbReasons.push(`line ${l.line}: action "${action}" exists only in BusyBox`);
    } else if (inSv && !inBb) {
      sysvinit += 3;
      svReasons.push(`line ${l.line}: action "${action}" exists only in sysvinit`);
    }
    if (l.id === "") {
      busybox += 2;
      bbReasons.push(`line ${l.line}: empty id (BusyBox's console; sysvinit rejects it)`);
    } else if (TTY_ID.test(l.id)) {
      const weight = l.id.length > 4 ? 2 : 1;
      busybox += weight;
      bbReasons.push(`line ${l.line}: id "${l.id}" is a tty name`);
    }
  }
  if (busybox > sysvinit) {
    return { dialect: BUSYBOX, reasons: bbReasons.slice(0, 5) };
  }
  if (sysvinit > 0) {
    return { dialect: SYSVINIT_3_14, reasons: svReasons.slice(0, 5) };
  }
  return { dialect: SYSVINIT_3_14, reasons: ["no BusyBox evidence: defaulting to sysvinit"] };
}
