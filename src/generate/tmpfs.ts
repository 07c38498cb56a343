/**
 * The dummy /etc/inittab for a shutdown tmpfs (init.c re-exec with state passing; docs/internals/sysvinit.md).
 *
 * The shutdown pivots into a tmpfs that holds /sbin/init and this file, then `telinit U` makes
 * PID 1 re-exec /sbin/init from there so that it lets go of the old root. With state passing,
 * the new init does not read this file at all; it is read only when something re-reads inittab
 * later (telinit q, SIGHUP, a runlevel request, telinit a|b|c) or when the re-exec lost its state
 * and init boots from scratch. The file is built so that both cases are harmless:
 *
 * - Kept: the entry that is running at the switch, with the same id and action, because a
 *   re-read kills a running entry whose id is gone or whose action changed. init starts the
 *   entries of a level in file order and stops at a running waited-for one, so at any moment
 *   exactly one waited-for entry of the level runs. The pivot is the last step of a shutdown,
 *   so by default that is the LAST waited-for entry of the level (`wait`: spawns and is waited
 *   for; not sysinit/bootwait, not the signal-triggered power/ctrlaltdel entries) — the same
 *   entry `exec-shutdown` puts its entry after. `keep` names another one when the system pivots
 *   from an earlier entry. Entries of the level before it have finished (waited-for ones) or
 *   were stopped by the shutdown's kill-all step (`once` ones); dropping them kills nothing.
 *   Entries after it have not started, and must not start from the tmpfs.
 * - The kept entry's runlevels are narrowed to the level alone. The re-read decides on killing
 *   with the *old* entry's runlevels, so this does not endanger the process; it makes the dummy
 *   match nothing in any other level, so `7` below is truly unused and no `#`/`*` phase entry
 *   can run in a fallback boot.
 * - Nothing else that runs: no respawn/ondemand (a re-read would start them once the rc entry
 *   exits), no sysinit/boot/bootwait (they would run in the fallback boot).
 * - `initdefault` 7: a fallback boot neither blocks at "Enter runlevel:" nor re-runs rc 0/6.
 * - An `off` entry with `S`: init adds its synthetic `~~:S:wait:/sbin/sulogin` only when no entry
 *   has S, and an `off` entry is stored (with its S) but never started.
 * - LF endings, a final newline, every line at most 254 bytes (3.14 drops longer lines and
 *   older versions split them).
 */
import { InittabError } from "../base/errors.js";
import { dialectByName } from "../dialects/index.js";
import { escapeBinary, fromBinary, textToBinary } from "../base/bytes.js";
import type { Document } from "../document/model.js";
import { simulateInit, type SimulatedEntry } from "../init/simulate.js";
import { droppedHint, isWaitedFor, type ShutdownLevel } from "./common.js";

export interface TmpfsOptions {
  /** The shutdown runlevel: 0 (halt, default) or 6 (reboot). */
  runlevel?: ShutdownLevel;
  /** How to name the live file in the header comment (default `/etc/inittab`). */
  sourceName?: string;
  /** The live system's /etc/inittab.d/*.tab files, in the order init reads them. */
  tabs?: Array<{ path: string; doc: Document }>;
  /**
   * The id (text) of the entry running when the system pivots, when it is not the last
   * waited-for entry of the level; it must be a `wait` entry of the level.
   */
  keep?: string;
}

export interface KeptEntry {
  /** Where it came from: 1-based line, and the inittab.d file when not the main file. */
  line: number;
  path?: string;
  /** The id and canonical action (binary strings), as in the dummy. */
  id: string;
  action: string;
}

export interface TmpfsResult {
  /** The dummy inittab. */
  bytes: Uint8Array;
  kept: KeptEntry[];
  /** Ids of the two entries added (the initdefault and the S entry). */
  initdefaultId: string;
  sEntryId: string;
}

/** The level the dummy's initdefault names: not S, 0 or 6, and nothing in the dummy runs in it. */
export const DUMMY_INITDEFAULT = "7";

/**
 * The dummy inittab for a shutdown tmpfs (pivot_root, then `telinit U`), derived from the live
 * file: it keeps the entry running the shutdown with its id and action, so that a re-read kills
 * nothing, names an unused initdefault level, adds an S entry, and has nothing else that runs.
 * The result passes `checkSet(…, { profile: "tmpfs" })`.
 *
 * @throws InittabError `not-applicable` when the live file cannot give a correct dummy (no
 *   runlevels, no entry running at the switch, no free id…).
 */
export function generateTmpfsInittab(doc: Document, options: TmpfsOptions = {}): TmpfsResult {
  const level = options.runlevel ?? "0";
  const dialect = doc.dialect;
  if (!dialect.usesRunlevels || dialect.fifoPath === null) {
    throw new InittabError(
      "not-applicable",
      `${dialect.name} has no runlevels and no \`telinit U\` re-exec, so a dummy inittab does not apply` +
        (Object.hasOwn(dialect.actions, "restart")
          ? ": its own way is a `restart` entry, which init execs in place of itself after the shutdown entries"
          : ""),
    );
  }
  const maxLine = dialect.maxLineBytes ?? sysvinitLineLimit();
  const prediction = simulateInit(doc, options.tabs ? { tabs: options.tabs } : {});
  const kept = [runningEntry(prediction.entries, level, options.keep, prediction.dropped.length)];

  // Ids of the live file: an added entry must not reuse one with another action, or a re-read
  // would see that entry's action change.
  const liveActions = new Map<string, Set<string>>();
  for (const e of prediction.entries) {
    if (!liveActions.has(e.id)) liveActions.set(e.id, new Set());
    liveActions.get(e.id)!.add(e.action);
  }
  for (const l of doc.lines) {
    const id = l.fields.id?.value;
    if (id !== undefined && !liveActions.has(id)) liveActions.set(id, new Set(["?"]));
  }
  const taken = new Set(kept.map((e) => e.id));
  const freeId = (preferred: string[], action: string): string => {
    for (const id of [...preferred, ...fallbackIds()]) {
      if (taken.has(id)) continue;
      const actions = liveActions.get(id);
      if (actions && [...actions].some((a) => a !== action)) continue;
      taken.add(id);
      return id;
    }
    throw new InittabError("not-applicable", "no free id left for the entries the dummy needs");
  };
  const initdefaultId = freeId(["id"], "initdefault");
  const sEntryId = freeId(["su", "ss"], "off");

  const body: string[] = [`${initdefaultId}:${DUMMY_INITDEFAULT}:initdefault:`, `${sEntryId}:S:off:`];
  for (const e of kept) {
    let process = e.process;
    // A CRLF file leaves a CR at the end of the process; the dummy has LF endings only. The
    // process text may differ from the live one (only id and action decide a kill).
    if (process.endsWith("\r")) process = process.slice(0, -1);
    const where = e.path ? `${e.path} line ${e.line}` : `line ${e.line}`;
    if (/[\r\n\0]/.test(process)) {
      throw new InittabError(
        "not-applicable",
        `${where}: the entry ${escapeBinary(e.id)} has a control character inside its process; fix the live file first`,
      );
    }
    const line = `${e.id}:${level}:${e.action}:${process}`;
    if (line.length > maxLine) {
      throw new InittabError(
        "not-applicable",
        `${where}: the entry ${escapeBinary(e.id)} would be a ${line.length}-byte line in the dummy; init reads at most ${maxLine}`,
      );
    }
    body.push(line);
  }

  const command = `inittab tmpfs --runlevel ${level}${options.keep !== undefined ? ` --keep ${textToBinary(escapeBinary(kept[0]!.id))}` : ""}`;
  const header = headerLines(level, command, options.sourceName ?? "/etc/inittab", maxLine);
  const text = [...header, ...body].map((l) => `${l}\n`).join("");
  return {
    bytes: fromBinary(text),
    kept: kept.map((e) => ({ line: e.line, ...(e.path ? { path: e.path } : {}), id: e.id, action: e.action })),
    initdefaultId,
    sEntryId,
  };
}

/** The entry running at the switch: `keep`, or the last waited-for entry of the level. */
function runningEntry(
  entries: readonly SimulatedEntry[],
  level: string,
  keep: string | undefined,
  dropped: number,
): SimulatedEntry {
  if (keep !== undefined) {
    const id = textToBinary(keep);
    const e = entries.find((x) => x.id === id);
    if (!e)
      throw new InittabError(
        "not-applicable",
        `no entry with id "${escapeBinary(id)}" that init accepts` + droppedHint(dropped),
      );
    if (!isWaitedFor(e, level)) {
      throw new InittabError(
        "not-applicable",
        `entry "${escapeBinary(id)}" (line ${e.line}, ${e.action}) is not a waited-for entry of runlevel ${level}: ` +
          "name the wait entry that runs the pivot",
      );
    }
    return e;
  }
  const waited = entries.filter((e) => isWaitedFor(e, level));
  const last = waited[waited.length - 1];
  if (!last) {
    throw new InittabError(
      "not-applicable",
      `no waited-for entry runs in runlevel ${level} (such as l${level}:${level}:wait:/etc/init.d/rc ${level}): ` +
        "nothing drives the shutdown, so there is nothing to keep alive" +
        droppedHint(dropped),
    );
  }
  return last;
}

function sysvinitLineLimit(): number {
  return dialectByName("sysvinit")!.maxLineBytes ?? 254;
}

/** Short ids for the added entries when the preferred ones are taken. */
function* fallbackIds(): Generator<string> {
  const chars = "abcdefghijklmnopqrstuvwxyz0123456789";
  for (const a of chars) for (const b of chars) yield `z${a}${b}`;
}

function headerLines(level: ShutdownLevel, command: string, sourceName: string, maxLine: number): string[] {
  // The source name is the user's (a path): escaped so that no byte of it can end the comment.
  let source = textToBinary(escapeBinary(textToBinary(sourceName)));
  const fromLine = (s: string): string => `# Derived from ${s} by \`${command}\`.`;
  if (fromLine(source).length > maxLine) {
    const room = maxLine - fromLine("...").length;
    source = `...${source.slice(source.length - room)}`;
  }
  return [
    `# Dummy /etc/inittab for the shutdown tmpfs (runlevel ${level}): pivot_root into the tmpfs,`,
    "# then `telinit U` re-executes /sbin/init there so that the old root can be unmounted.",
    fromLine(source),
    "# With state passing init does not read this file; it is read only on a later re-read",
    "# (telinit q, a runlevel request) or a fallback boot, and then must start nothing new:",
    `# the entry running the shutdown keeps its id and action, initdefault ${DUMMY_INITDEFAULT} is unused,`,
    "# and the S entry (off) stops init from adding a /sbin/sulogin entry.",
  ];
}
