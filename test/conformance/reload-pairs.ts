/**
 * OLD/NEW inittab pairs for the re-read tests: hand-written ones, one or more per rule of each
 * init, and seeded random ones. Every entry runs /bin/sleep with an argument of its own, so that
 * its process can be told apart: entries init waits for (sysinit, wait, bootwait, the power
 * waits, ctrlaltdel) sleep a fraction of a second (0.2NNN), the others for months (1NNNNNN).
 * BusyBox keys entries on (command, terminal), so there a respawn or askfirst line always runs
 * a long sleep: a short one would be restarted every second and never settle.
 */
import { rng } from "../support/random.js";

export interface ReloadPair {
  name: string;
  old: string;
  new: string;
}

type Rand = () => number;
const int = (r: Rand, n: number): number => Math.floor(r() * n);
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)]!;

/** Actions whose processes init waits for: they must end, so they sleep briefly. */
const SHORT = new Set(["sysinit", "wait", "bootwait", "powerwait", "powerokwait", "powerfailnow", "ctrlaltdel"]);

const sleepFor = (action: string, marker: number): string =>
  SHORT.has(action) ? `/bin/sleep 0.2${String(marker).padStart(3, "0")}` : `/bin/sleep ${1000000 + marker}`;

// ---------------------------------------------------------------------------------------------
// Hand-written: each names the rule it exercises.

const sv = (lines: string[]): string => `id:2:initdefault:\n${lines.join("\n")}\n`;

export const SYSVINIT_PAIRS: readonly ReloadPair[] = [
  {
    name: "an id that is gone: its respawn process is stopped",
    old: sv(["r1:2:respawn:/bin/sleep 1000001", "r2:2:respawn:/bin/sleep 1000002"]),
    new: sv(["r1:2:respawn:/bin/sleep 1000001"]),
  },
  {
    name: "a renamed id: the old process is stopped and the new entry started",
    old: sv(["r1:2:respawn:/bin/sleep 1000001"]),
    new: sv(["t1:2:respawn:/bin/sleep 1000001"]),
  },
  {
    name: "action respawn → off: stopped, nothing started",
    old: sv(["T0:23:respawn:/bin/sleep 1000001"]),
    new: sv(["T0:23:off:/bin/sleep 1000001"]),
  },
  {
    name: "action respawn → once: stopped and started again as once",
    old: sv(["r1:2:respawn:/bin/sleep 1000001"]),
    new: sv(["r1:2:once:/bin/sleep 1000001"]),
  },
  {
    name: "action once → respawn while the once process runs: stopped and started again",
    old: sv(["o1:2:once:/bin/sleep 1000001"]),
    new: sv(["o1:2:respawn:/bin/sleep 1000001"]),
  },
  {
    name: "a changed command only: the process keeps running, nothing starts",
    old: sv(["r1:2:respawn:/bin/sleep 1000001"]),
    new: sv(["r1:2:respawn:/bin/sleep 1000009"]),
  },
  {
    name: "runlevels narrowed to exclude the current level: the process keeps running",
    old: sv(["T0:23:respawn:/bin/sleep 1000001"]),
    new: sv(["T0:3:respawn:/bin/sleep 1000001"]),
  },
  {
    name: "runlevels widened to include the current level: started",
    old: sv(["r3:3:respawn:/bin/sleep 1000001"]),
    new: sv(["r3:23:respawn:/bin/sleep 1000001"]),
  },
  {
    name: "new entries: the one for the current level starts, the other does not",
    old: sv(["r1:2:respawn:/bin/sleep 1000001"]),
    new: sv(["r1:2:respawn:/bin/sleep 1000001", "n2:2:respawn:/bin/sleep 1000002", "n3:3:respawn:/bin/sleep 1000003"]),
  },
  {
    name: "the current level's wait entry, kept: not run again",
    old: sv(["w2:2:wait:/bin/sleep 0.2001", "r1:2:respawn:/bin/sleep 1000001"]),
    new: sv(["w2:2:wait:/bin/sleep 0.2009", "r1:2:respawn:/bin/sleep 1000001"]),
  },
  {
    name: "the current level's wait entry renamed: run again",
    old: sv(["w2:2:wait:/bin/sleep 0.2001"]),
    new: sv(["x2:2:wait:/bin/sleep 0.2001"]),
  },
  {
    name: "a wait entry turned once: run again (the action changed)",
    old: sv(["w2:2:wait:/bin/sleep 0.2001"]),
    new: sv(["w2:2:once:/bin/sleep 1000001"]),
  },
  {
    name: "a wait entry widened from another level: run; later entries start after it",
    old: sv(["w3:3:wait:/bin/sleep 0.2001", "r1:2:respawn:/bin/sleep 1000001"]),
    new: sv(["w3:23:wait:/bin/sleep 0.2001", "n1:2:respawn:/bin/sleep 1000002"]),
  },
  {
    name: "a once entry kept: not run again; a once entry removed: its process is stopped",
    old: sv(["o1:2:once:/bin/sleep 1000001", "o2:2:once:/bin/sleep 1000002"]),
    new: sv(["o1:2:once:/bin/sleep 1000001"]),
  },
  {
    name: "a boot entry outside the level is never stopped for its runlevels; removed, it is",
    old: sv(["b1:3:boot:/bin/sleep 1000001", "b2::boot:/bin/sleep 1000002"]),
    new: sv(["b1:3:boot:/bin/sleep 1000001"]),
  },
  {
    name: "off → respawn: started",
    old: sv(["r1:2:off:/bin/sleep 1000001"]),
    new: sv(["r1:2:respawn:/bin/sleep 1000001"]),
  },
  {
    name: "power, ctrlaltdel and kbrequest entries are never started by a re-read",
    old: sv(["r1:2:respawn:/bin/sleep 1000001", "ca:12345:ctrlaltdel:/bin/sleep 0.2001"]),
    new: sv([
      "r1:2:respawn:/bin/sleep 1000001",
      "ca:12345:ctrlaltdel:/bin/sleep 0.2002",
      "pf::powerwait:/bin/sleep 0.2003",
      "pn::powerfail:/bin/sleep 1000004",
      "kb::kbrequest:/bin/sleep 1000005",
      "c2:2:ctrlaltdel:/bin/sleep 0.2006",
    ]),
  },
  {
    name: "ondemand in the level runs like respawn; one for level a does not start",
    old: sv(["d1:2:ondemand:/bin/sleep 1000001"]),
    new: sv([
      "d1:2:respawn:/bin/sleep 1000001",
      "d2:2:ondemand:/bin/sleep 1000002",
      "da:a:ondemand:/bin/sleep 1000003",
    ]),
  },
  {
    name: "sysinit and bootwait entries are never run again; renaming one stops nothing",
    old: sv(["si::sysinit:/bin/sleep 0.2001", "bw::bootwait:/bin/sleep 0.2002", "r1:2:respawn:/bin/sleep 1000001"]),
    new: sv(["s2::sysinit:/bin/sleep 0.2001", "bw::bootwait:/bin/sleep 0.2009", "r1:2:respawn:/bin/sleep 1000001"]),
  },
  {
    name: "a duplicate id in NEW: the first line wins, the second is ignored",
    old: sv(["r1:2:respawn:/bin/sleep 1000001"]),
    new: sv(["r1:2:respawn:/bin/sleep 1000001", "r1:2:off:/bin/sleep 1000001"]),
  },
  {
    name: "the entry that follows a new wait entry starts after it",
    old: sv(["r1:2:respawn:/bin/sleep 1000001"]),
    new: sv(["w1:2:wait:/bin/sleep 0.3001", "n1:2:once:/bin/sleep 1000002", "r1:2:respawn:/bin/sleep 1000001"]),
  },
  {
    name: "empty runlevels are 0-9: kept; S alone: the synthetic sulogin goes, nothing stops",
    old: "id:2:initdefault:\nr1::respawn:/bin/sleep 1000001\n",
    new: "id:2:initdefault:\nr1::respawn:/bin/sleep 1000001\nsu:S:off:\n",
  },
];

const bb = (lines: string[]): string => `${lines.join("\n")}\n`;

export const BUSYBOX_PAIRS: readonly ReloadPair[] = [
  {
    name: "a respawn line removed: its process gets TERM (FEATURE_KILL_REMOVED)",
    old: bb(["::respawn:/bin/sleep 1000001", "::respawn:/bin/sleep 1000002"]),
    new: bb(["::respawn:/bin/sleep 1000001"]),
  },
  {
    name: "a changed command is a removal and an addition",
    old: bb(["::respawn:/bin/sleep 1000001"]),
    new: bb(["::respawn:/bin/sleep 1000009"]),
  },
  {
    name: "a changed terminal is a removal and an addition",
    old: bb(["tty1::respawn:/bin/sleep 1000001"]),
    new: bb(["tty2::respawn:/bin/sleep 1000001"]),
  },
  {
    name: "respawn → once on the same line: keeps running, not restarted",
    old: bb(["::respawn:/bin/sleep 1000001"]),
    new: bb(["::once:/bin/sleep 1000001"]),
  },
  {
    name: "once → respawn while the once process runs: a second process starts",
    old: bb(["::once:/bin/sleep 1000001"]),
    new: bb(["::respawn:/bin/sleep 1000001"]),
  },
  {
    name: "askfirst → respawn and respawn → askfirst: keep running",
    old: bb(["tty1::askfirst:/bin/sleep 1000001", "tty2::respawn:/bin/sleep 1000002"]),
    new: bb(["tty1::respawn:/bin/sleep 1000001", "tty2::askfirst:/bin/sleep 1000002"]),
  },
  {
    name: "new respawn and askfirst lines start; new sysinit, wait and once lines never run",
    old: bb(["::respawn:/bin/sleep 1000001"]),
    new: bb([
      "::respawn:/bin/sleep 1000001",
      "::respawn:/bin/sleep 1000002",
      "tty3::askfirst:/bin/sleep 1000003",
      "::sysinit:/bin/sleep 0.2004",
      "::wait:/bin/sleep 0.2005",
      "::once:/bin/sleep 1000006",
    ]),
  },
  {
    name: "a once line removed: its process runs on, untracked",
    old: bb(["::once:/bin/sleep 1000001", "::respawn:/bin/sleep 1000002"]),
    new: bb(["::respawn:/bin/sleep 1000002"]),
  },
  {
    name: "wait and sysinit lines, kept or changed, are not run again",
    old: bb(["::sysinit:/bin/sleep 0.2001", "::wait:/bin/sleep 0.2002", "::respawn:/bin/sleep 1000003"]),
    new: bb(["::sysinit:/bin/sleep 0.2001", "::wait:/bin/sleep 0.2009", "::respawn:/bin/sleep 1000003"]),
  },
  {
    name: "the same line twice in NEW: one entry, the later action wins",
    old: bb(["::respawn:/bin/sleep 1000001"]),
    new: bb(["::respawn:/bin/sleep 1000001", "::once:/bin/sleep 1000001"]),
  },
  {
    name: "respawn → wait on the same line: keeps running; the runlevels field is ignored",
    old: bb(["::respawn:/bin/sleep 1000001", "tty1::respawn:/bin/sleep 1000002"]),
    new: bb(["::wait:/bin/sleep 1000001", "tty1:2345:respawn:/bin/sleep 1000002"]),
  },
  {
    name: "a wait line turned ctrlaltdel and a respawn line turned shutdown: nothing runs",
    old: bb(["::wait:/bin/sleep 0.2001", "::respawn:/bin/sleep 1000002"]),
    new: bb(["::ctrlaltdel:/bin/sleep 0.2001", "::shutdown:/bin/sleep 1000002"]),
  },
];

// ---------------------------------------------------------------------------------------------
// Generated.

interface SvLine {
  id: string;
  runlevels: string;
  action: string;
  marker: number;
}

const SV_ACTIONS = [
  ...Array<string>(6).fill("respawn"),
  ...Array<string>(4).fill("once"),
  ...Array<string>(4).fill("wait"),
  "off",
  "ondemand",
  "boot",
  "sysinit",
  "bootwait",
  "powerwait",
  "powerfail",
  "ctrlaltdel",
  "kbrequest",
] as const;
const SV_LEVELS = ["2", "3", "5", "23", "35", "2345", "345", "12", "", "S", "a", "235"] as const;
const SV_IDS = "abcdefghjkmnpqrstuvwxyz".split("");

const svLine = (l: SvLine): string => `${l.id}:${l.runlevels}:${l.action}:${sleepFor(l.action, l.marker)}`;
const svText = (level: string, lines: readonly SvLine[]): string =>
  `id:${level}:initdefault:\n${lines.map(svLine).join("\n")}\n`;

/** Runlevels that hold `level`, or not, at random. */
function levelsFor(r: Rand, level: string, holds: boolean): string {
  for (let i = 0; i < 20; i++) {
    const c = pick(r, SV_LEVELS);
    const has = c === "" || c.includes(level);
    if (has === holds) return c;
  }
  return holds ? level : "S";
}

/** A sysvinit pair: 4-9 entries in a level of 2, 3 or 5, and 1-4 changes of the kinds that matter. */
export function sysvinitPair(r: Rand, n: number): ReloadPair {
  const level = pick(r, ["2", "2", "3", "5"]);
  let marker = 1;
  const ids = [...SV_IDS].sort(() => r() - 0.5).map((c) => `${c}${int(r, 10)}`);
  const freshId = (): string => ids.pop()!;
  const entry = (action?: string): SvLine => {
    const a = action ?? pick(r, SV_ACTIONS);
    return { id: freshId(), runlevels: levelsFor(r, level, r() < 0.65), action: a, marker: marker++ };
  };
  const old: SvLine[] = Array.from({ length: 4 + int(r, 6) }, () => entry());
  // Always some of the current level's wait entries.
  if (!old.some((l) => l.action === "wait" && (l.runlevels === "" || l.runlevels.includes(level)))) {
    old.splice(int(r, old.length + 1), 0, { ...entry("wait"), runlevels: level });
  }
  const next = old.map((l) => ({ ...l }));
  const changes: string[] = [];
  for (let k = 1 + int(r, 4); k > 0; k--) {
    const i = int(r, next.length);
    const l = next[i]!;
    switch (int(r, 9)) {
      case 0:
        changes.push(`rename ${l.id}`);
        l.id = r() < 0.15 ? pick(r, next).id : freshId();
        break;
      case 1: {
        const a = pick(r, SV_ACTIONS);
        changes.push(`${l.id}: ${l.action} → ${a}`);
        l.action = a;
        break;
      }
      case 2:
        changes.push(`${l.id}: narrow`);
        l.runlevels = levelsFor(r, level, false);
        break;
      case 3:
        changes.push(`${l.id}: widen`);
        l.runlevels = levelsFor(r, level, true);
        break;
      case 4:
        changes.push(`${l.id}: command`);
        l.marker = marker++;
        break;
      case 5:
        changes.push(`remove ${l.id}`);
        next.splice(i, 1);
        break;
      case 6: {
        const added = entry();
        changes.push(`add ${added.id}`);
        next.splice(int(r, next.length + 1), 0, added);
        break;
      }
      case 7: {
        const added = { ...entry("wait"), runlevels: level };
        changes.push(`add wait ${added.id}`);
        next.splice(int(r, next.length + 1), 0, added);
        break;
      }
      default: {
        const j = int(r, next.length);
        changes.push(`swap ${l.id} ${next[j]!.id}`);
        [next[i], next[j]] = [next[j]!, next[i]!];
      }
    }
    if (next.length === 0) next.push(entry());
  }
  const name = `generated sysvinit #${n} (${changes.join(", ")})`;
  return { name, old: svText(level, old), new: svText(level, next) };
}

interface BbLine {
  tty: string;
  action: string;
  long: boolean;
  marker: number;
}

const BB_ACTIONS = [
  ...Array<string>(6).fill("respawn"),
  ...Array<string>(3).fill("askfirst"),
  ...Array<string>(3).fill("once"),
  "sysinit",
  "wait",
  "wait",
  "ctrlaltdel",
  "shutdown",
  "restart",
] as const;
const BB_TTYS = ["", "", "", "tty1", "tty2", "tty3", "tty4"] as const;
const TRACKED = new Set(["respawn", "askfirst"]);

const bbCommand = (l: BbLine): string =>
  l.long ? `/bin/sleep ${1000000 + l.marker}` : `/bin/sleep 0.2${String(l.marker).padStart(3, "0")}`;
const bbText = (lines: readonly BbLine[]): string =>
  `${lines.map((l) => `${l.tty}::${l.action}:${bbCommand(l)}`).join("\n")}\n`;

/** A BusyBox pair: 3-8 lines, 1-4 changes; a tracked line's command is always a long sleep. */
export function busyboxPair(r: Rand, n: number): ReloadPair {
  let marker = 1;
  const line = (action?: string): BbLine => {
    const a = action ?? pick(r, BB_ACTIONS);
    // Boot waits for sysinit and wait lines: those sleep briefly; the rest for months.
    return { tty: pick(r, BB_TTYS), action: a, long: !(a === "sysinit" || a === "wait"), marker: marker++ };
  };
  const old: BbLine[] = Array.from({ length: 3 + int(r, 6) }, () => line());
  const next = old.map((l) => ({ ...l }));
  const changes: string[] = [];
  for (let k = 1 + int(r, 4); k > 0; k--) {
    const i = int(r, next.length);
    const l = next[i]!;
    switch (int(r, 7)) {
      case 0:
        changes.push(`tty of #${l.marker}`);
        l.tty = pick(
          r,
          BB_TTYS.filter((t) => t !== l.tty),
        );
        break;
      case 1: {
        const a = pick(r, BB_ACTIONS);
        changes.push(`#${l.marker}: ${l.action} → ${a}`);
        l.action = a;
        // A short sleep that respawned would restart every second: the command changes with it.
        if (TRACKED.has(a) && !l.long) {
          l.long = true;
          l.marker = marker++;
        }
        break;
      }
      case 2:
        changes.push(`command of #${l.marker}`);
        l.marker = marker++;
        break;
      case 3:
        changes.push(`remove #${l.marker}`);
        next.splice(i, 1);
        break;
      case 4: {
        const added = line();
        changes.push(`add #${added.marker}`);
        next.splice(int(r, next.length + 1), 0, added);
        break;
      }
      case 5: {
        // The same line again with another action: one entry, the later action wins.
        const a = l.long ? pick(r, BB_ACTIONS) : pick(r, ["once", "wait", "sysinit", "shutdown"]);
        changes.push(`repeat #${l.marker} as ${a}`);
        next.splice(i + 1 + int(r, next.length - i), 0, { ...l, action: a });
        break;
      }
      default: {
        const j = int(r, next.length);
        changes.push(`swap #${l.marker} #${next[j]!.marker}`);
        [next[i], next[j]] = [next[j]!, next[i]!];
      }
    }
    if (next.length === 0) next.push(line());
  }
  return { name: `generated busybox #${n} (${changes.join(", ")})`, old: bbText(old), new: bbText(next) };
}

export function generatePairs(kind: "sysvinit" | "busybox", seed: number, count: number): ReloadPair[] {
  const r = rng(seed);
  return Array.from({ length: count }, (_, n) => (kind === "sysvinit" ? sysvinitPair(r, n) : busyboxPair(r, n)));
}
