/**
 * What the real init does when it reads the file: which lines it logs as bad and skips (with
 * its exact message and its own line number), which entries it keeps, and which runlevel it
 * boots into (or that it stops at "Enter runlevel:").
 *
 * It works on the bytes, through the readers of reader.ts (sysvinit's fgets records, BusyBox's
 * joined lines), and maps each record back to the file's own line numbers. Sources: sysvinit's
 * read_inittab and get_init_default (init.c), BusyBox's parse_inittab and new_init_action
 * (init/init.c); docs/internals/ has the details, test/conformance checks them on the binaries.
 */
import type { ActionInfo, Dialect } from "../dialects/index.js";
import { LineCounter } from "../base/positions.js";
import { lookupAction } from "./actions.js";
import {
  BUSYBOX_TERMINAL_MAX,
  busyboxTokens,
  fieldError,
  splitSysvinitFields,
  sysvinitSkips,
  skipBlanks,
  ttyPath,
  type DropCause,
} from "./fields.js";
import { readBusyBox, readSysvinit, sysvinitText, type SysvinitRead } from "./reader.js";

export type { DropCause } from "./fields.js";

/** What init reads: a file's bytes (a binary string) and the init reading them. A Document is one. */
export interface InitSource {
  readonly source: string;
  readonly dialect: Dialect;
  /** Where the source's lines start, when the caller has them already. */
  readonly positions?: LineCounter;
}

export interface DroppedLine {
  /** The file's 1-based physical line where the rejected piece starts, and where it ends. */
  line: number;
  endLine: number;
  /** The line number init prints (it counts fgets calls, or BusyBox's physical lines). */
  initLine: number;
  /** init's log message, e.g. `/etc/inittab[7]: duplicate ID field "1"`. */
  message: string;
  cause: DropCause;
  /** Byte range of the rejected piece in the file. */
  start: number;
  end: number;
  /** The inittab.d file it came from, when not the main file. */
  path?: string;
}

export interface SimulatedEntry {
  line: number;
  initLine: number;
  start: number;
  end: number;
  /** As init stores them (binary strings): sysvinit's defaulted runlevels, e.g. `0123456789`, `#`. */
  id: string;
  runlevels: string;
  /** Canonical (table) action name. */
  action: string;
  process: string;
  info: ActionInfo;
  path?: string;
  /** A piece of a longer line (sysvinit <= 3.13 splits lines at 255 bytes). */
  fromSplit: boolean;
}

export interface InitPrediction {
  dialect: Dialect;
  dropped: DroppedLine[];
  /** Entries init keeps, in file order (BusyBox: after merging identical tty+command pairs). */
  entries: SimulatedEntry[];
  /** BusyBox: lines whose (tty, command) repeat an earlier line; the later one replaces it. */
  merged: Array<{ line: number; intoLine: number; intoStart: number }>;
  /** sysvinit: the runlevel init enters after boot, or null when it prompts "Enter runlevel:". */
  defaultRunlevel: string | null;
  /** sysvinit: init blocks at "Enter runlevel:" on the console. */
  prompts: boolean;
  /** sysvinit: `Initdefault level 'x' is invalid`, when init logs it. */
  initdefaultMessage?: string;
  /** sysvinit: init appends `~~:S:wait:/sbin/sulogin` (no entry of /etc/inittab has S). */
  syntheticSulogin: boolean;
}

export interface SimulateOptions {
  /** /etc/inittab.d/*.tab files (sysvinit 2.97+), in the order init reads them. */
  tabs?: ReadonlyArray<{ path: string; doc: InitSource }>;
  /** Accept the proposed `exec` action (an init carrying the patch). */
  allowExec?: boolean;
}

/** Predict what the dialect's init does with a file (and, for sysvinit, its inittab.d files). */
export function simulateInit(input: InitSource, options: SimulateOptions = {}): InitPrediction {
  return input.dialect.family === "busybox" ? simulateBusyBox(input) : simulateSysvinit(input, options);
}

const positionsOf = (input: InitSource): LineCounter => input.positions ?? new LineCounter(input.source);

// ---------------------------------------------------------------------------------------------
// sysvinit

/** The runlevels init stores for an entry: boot phases `#`/`*`, and the defaults of an empty field. */
export function storedRunlevels(runlevels: string, info: ActionInfo): string {
  if (info.bootPhase) return info.bootPhase;
  if (runlevels === "") return info.power ? "S0123456789" : "0123456789";
  return runlevels;
}

function simulateSysvinit(input: InitSource, options: SimulateOptions): InitPrediction {
  const dialect = input.dialect;
  const allowExec = options.allowExec === true;
  const dropped: DroppedLine[] = [];
  const entries: SimulatedEntry[] = [];
  const seenIds = new Set<string>();
  // Runlevels repeat from entry to entry: one string each.
  const runlevelValues = new Map<string, string>();

  /** One fgets record: dropped, an entry, or (false) a comment or blank line. */
  const handle = (source: string, read: SysvinitRead, counter: LineCounter, path: string | undefined): boolean => {
    const text = sysvinitText(source, read);
    if (sysvinitSkips(text)) return false;
    const drop = (message: string, cause: DropCause): true => {
      const d: DroppedLine = {
        line: counter.index(read.start) + 1,
        endLine: counter.index(Math.max(read.start, read.end - 1)) + 1,
        initLine: read.initLine,
        message: cause === "too-long" ? message : `/etc/inittab[${read.initLine}]: ${message}`,
        cause,
        start: read.start,
        end: read.end,
      };
      if (path !== undefined) d.path = path;
      dropped.push(d);
      return true;
    };
    if (read.overlong)
      return drop(`Error detected in /etc/inittab at line ${read.initLine}. Possibly too long.`, "too-long");
    const fields = splitSysvinitFields(text, skipBlanks(text));
    const err = fieldError(fields, dialect);
    if (err) return drop(err.message, err.cause);
    const action = lookupAction(dialect, fields.action!, { allowExec });
    if (!action) return drop(`${fields.action}: unknown action field`, "unknown-action");
    const id = fields.id!;
    if (id !== "~~" && seenIds.has(id)) return drop(`duplicate ID field "${id}"`, "duplicate-id");
    seenIds.add(id);
    const stored = storedRunlevels(fields.runlevels!, action.info);
    let runlevels = runlevelValues.get(stored);
    if (runlevels === undefined) runlevelValues.set(stored, (runlevels = stored));
    const entry: SimulatedEntry = {
      line: counter.index(read.start) + 1,
      initLine: read.initLine,
      start: read.start,
      end: read.end,
      id,
      runlevels,
      action: action.name,
      process: fields.process!,
      info: action.info,
      fromSplit: read.continuation,
    };
    if (path !== undefined) entry.path = path;
    entries.push(entry);
    return true;
  };

  const counter = positionsOf(input);
  let initLine = 0;
  for (const read of readSysvinit(input.source, dialect)) {
    handle(input.source, read, counter, undefined);
    initLine = read.initLine;
  }
  // At the end of /etc/inittab (before inittab.d): no entry with S means a synthetic sulogin.
  const syntheticSulogin = !entries.some((e) => e.runlevels.includes("S"));

  if (dialect.inittabD) {
    for (const tab of options.tabs ?? []) {
      // Each file adds one to init's count; only its first line that is neither comment nor
      // blank is used, cut at the buffer size instead of being dropped.
      initLine++;
      const source = tab.doc.source;
      const tabCounter = positionsOf(tab.doc);
      for (const read of readSysvinit(source, dialect, { role: "tab", initLineBefore: initLine - 1 })) {
        if (handle(source, { ...read, initLine }, tabCounter, tab.path)) break;
      }
    }
  }

  const { defaultRunlevel, initdefaultMessage } = initDefault(entries);
  return {
    dialect,
    dropped,
    entries,
    merged: [],
    defaultRunlevel,
    prompts: defaultRunlevel === null,
    ...(initdefaultMessage ? { initdefaultMessage } : {}),
    syntheticSulogin,
  };
}

/**
 * get_init_default(): the first initdefault entry in list order (power entries are moved to the
 * front, initdefault is not one, so file order); the highest byte of its stored runlevels wins
 * (init compares signed chars, so bytes >= 0x80 never win), upper-cased, and must be 0-9 or S.
 */
function initDefault(entries: readonly SimulatedEntry[]): {
  defaultRunlevel: string | null;
  initdefaultMessage?: string;
} {
  const entry = entries.find((e) => e.action === "initdefault");
  if (!entry) return { defaultRunlevel: null };
  let best = 0;
  for (let i = 0; i < entry.runlevels.length; i++) {
    const c = entry.runlevels.charCodeAt(i);
    if (c < 0x80 && c > best) best = c;
  }
  if (best === 0) return { defaultRunlevel: null };
  const level = String.fromCharCode(best).toUpperCase();
  if (!"0123456789S".includes(level)) {
    return { defaultRunlevel: null, initdefaultMessage: `Initdefault level '${level}' is invalid` };
  }
  return { defaultRunlevel: level };
}

// ---------------------------------------------------------------------------------------------
// BusyBox

function simulateBusyBox(input: InitSource): InitPrediction {
  const dialect = input.dialect;
  const counter = positionsOf(input);
  const dropped: DroppedLine[] = [];
  // Keyed by (tty, command), in insertion order: re-inserting a key moves it to the end, as
  // new_init_action does.
  const kept = new Map<string, SimulatedEntry>();
  const merged: InitPrediction["merged"] = [];
  for (const read of readBusyBox(input.source)) {
    const line = read.text;
    if (line === "" || line.startsWith("#")) continue;
    const tokens = busyboxTokens(line);
    const { start, end } = read;
    const at = counter.index(start) + 1;
    const action = tokens.length === 4 && Object.hasOwn(dialect.actions, tokens[2]!) ? tokens[2]! : undefined;
    if (tokens.length < 4 || action === undefined || tokens[3] === "") {
      dropped.push({
        line: at,
        endLine: counter.index(Math.max(start, end - 1)) + 1,
        initLine: read.initLine,
        message: `Bad inittab entry at line ${read.initLine}`,
        cause: "bad-entry",
        start,
        end,
      });
      continue;
    }
    const tty = ttyPath(tokens[0]!);
    const command = tokens[3]!;
    // new_init_action: an identical (command, tty) pair is moved to the end, action replaced.
    const key = tty.length > BUSYBOX_TERMINAL_MAX ? `\0${start}` : `${tty}\0${command}`;
    const twin = kept.get(key);
    if (twin) {
      merged.push({ line: twin.line, intoLine: at, intoStart: start });
      kept.delete(key);
    }
    kept.set(key, {
      line: at,
      initLine: read.initLine,
      start,
      end,
      id: tokens[0]!,
      runlevels: tokens[1]!,
      action,
      process: command,
      info: dialect.actions[action]!,
      fromSplit: false,
    });
  }
  const entries = [...kept.values()].sort((x, y) => x.start - y.start);
  return { dialect, dropped, entries, merged, defaultRunlevel: null, prompts: false, syntheticSulogin: false };
}
