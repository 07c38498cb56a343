/**
 * What the real init does when it reads the file: which lines it logs as bad and skips (with
 * its exact message and its own line number), which entries it keeps, and which runlevel it
 * boots into (or that it stops at "Enter runlevel:").
 *
 * This works on the raw bytes, not on the grammar's lines, because init does not read physical
 * lines: sysvinit reads 255-byte chunks with fgets and C strings end at a NUL; BusyBox joins
 * backslash-continued lines. Every chunk is mapped back to the file's own line numbers.
 * Sources: spec/sysvinit.md §1–§4 (read_inittab, get_init_default), spec/dialects.md §2
 * (BusyBox parse_inittab / config_read); checked against the binaries by test/conformance.
 */
import { EXEC_ACTION, resolveAction, type ActionInfo, type Dialect } from "../dialects/index.js";
import { Interned, lineCounterOf, NulFinder, type LineCounter, type Document } from "../document/index.js";

export type DropCause =
  | "too-long"
  | "missing-id"
  | "missing-runlevel"
  | "missing-process"
  | "missing-action"
  | "id-too-long"
  | "rlevel-too-long"
  | "process-too-long"
  | "action-too-long"
  | "unknown-action"
  | "duplicate-id"
  | "bad-entry";

export interface DroppedLine {
  /** The file's 1-based physical line where the rejected piece starts, and where it ends. */
  line: number;
  endLine: number;
  /** The line number init prints (it counts fgets chunks, or BusyBox's physical lines). */
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
  tabs?: Array<{ path: string; doc: Document }>;
  /** Accept the proposed `exec` action (an init carrying the patch). */
  allowExec?: boolean;
}

export function simulateInit(doc: Document, options: SimulateOptions = {}): InitPrediction {
  return doc.dialect.family === "busybox" ? simulateBusyBox(doc) : simulateSysvinit(doc, options);
}

// ---------------------------------------------------------------------------------------------
// sysvinit

interface Chunk {
  start: number;
  end: number;
  /** The bytes as init's C string sees them: cut at the first NUL. */
  text: string;
  initLine: number;
  /** 3.14 marked it for skipping: no newline inside the buffer. */
  overlong: boolean;
  /** Not the first chunk of its physical line (<= 3.13 splitting). */
  continuation: boolean;
}

/**
 * fgets over the file, as read_inittab does it for this version. A generator: a chunk is handled
 * and dropped before the next is read, as init does, rather than a file's worth held at once.
 */
function* sysvinitChunks(source: string, dialect: Dialect): Generator<Chunk> {
  const size = (dialect.lineBufferBytes ?? 256) - 1;
  let pos = 0;
  let initLine = 0;
  let atLineStart = true;
  const nuls = new NulFinder(source);
  while (pos < source.length) {
    const nl = source.indexOf("\n", pos);
    const end = Math.min(pos + size, nl === -1 ? source.length : nl + 1);
    // C strings end at a NUL: init sees the chunk only up to it.
    const nul = nuls.first(pos, end);
    const textEnd = nul === -1 ? end : nul;
    initLine++;
    const chunk: Chunk = { start: pos, end, text: source.slice(pos, textEnd), initLine, overlong: false, continuation: !atLineStart };
    pos = end;
    atLineStart = source.charCodeAt(end - 1) === NEWLINE;
    if (dialect.longLines === "drop" && !(textEnd === end && atLineStart)) {
      // 3.14: strchr finds no newline (too long, last line without one, or a NUL before it);
      // get_void then throws away everything up to the next newline.
      chunk.overlong = true;
      const next = source.indexOf("\n", pos);
      pos = next === -1 ? source.length : next + 1;
      chunk.end = pos;
      atLineStart = true;
    }
    yield chunk;
  }
}

const NEWLINE = 0x0a;
const HASH = 0x23;
const SPACE = 0x20;
const TAB = 0x09;

interface ParsedFields {
  id: string | undefined;
  runlevels: string | undefined;
  action: string | undefined;
  process: string | undefined;
}

/**
 * strsep(&p, ":") three times, then strsep(&p, "\n"), from `from` (after the spaces and tabs
 * init skips). Fills `out`, one object reused for every line.
 */
function splitFields(text: string, from: number, out: ParsedFields): void {
  let p = from; // -1: strsep has set p to NULL
  const sep = (delim: string): string | undefined => {
    if (p === -1) return undefined;
    const i = text.indexOf(delim, p);
    const token = text.slice(p, i === -1 ? text.length : i);
    p = i === -1 ? -1 : i + 1;
    return token;
  };
  out.id = sep(":");
  out.runlevels = sep(":");
  out.action = sep(":");
  out.process = sep("\n");
}

/** The error init logs for a line's fields, or undefined. Later checks overwrite earlier ones. */
function fieldError(f: ParsedFields, dialect: Dialect): { message: string; cause: DropCause } | undefined {
  let err: { message: string; cause: DropCause } | undefined;
  if (!f.id) err = { message: "missing id field", cause: "missing-id" };
  if (f.runlevels === undefined) err = { message: "missing runlevel field", cause: "missing-runlevel" };
  if (f.process === undefined) err = { message: "missing process field", cause: "missing-process" };
  if (!f.action) err = { message: "missing action field", cause: "missing-action" };
  if (f.id !== undefined && dialect.maxIdLength !== null && f.id.length > dialect.maxIdLength) {
    err = { message: `id field too long (max ${dialect.maxIdLength} characters)`, cause: "id-too-long" };
  }
  if (f.runlevels !== undefined && dialect.maxRunlevelsLength !== null && f.runlevels.length > dialect.maxRunlevelsLength) {
    err = { message: `rlevel field too long (max ${dialect.maxRunlevelsLength} characters)`, cause: "rlevel-too-long" };
  }
  if (f.process !== undefined && dialect.maxProcessLength !== null && f.process.length > dialect.maxProcessLength) {
    err = { message: dialect.processTooLongMessage ?? "process field too long", cause: "process-too-long" };
  }
  if (f.action !== undefined && dialect.maxActionLength !== null && f.action.length > dialect.maxActionLength) {
    err = { message: "action field too long", cause: "action-too-long" };
  }
  return err;
}

/** The dialect's action table, plus the proposed `exec` when the init carries the patch. */
function lookupAction(dialect: Dialect, action: string, allowExec: boolean): { name: string; info: ActionInfo } | undefined {
  const known = resolveAction(dialect, action);
  if (known || !allowExec) return known;
  const name = dialect.actionsCaseInsensitive ? action.toLowerCase() : action;
  return name === "exec" ? { name, info: EXEC_ACTION } : undefined;
}

/** The runlevels init stores for an entry (spec §3). */
function storedRunlevels(runlevels: string, info: ActionInfo): string {
  if (info.bootPhase) return info.bootPhase;
  if (runlevels === "") return info.power ? "S0123456789" : "0123456789";
  return runlevels;
}

function simulateSysvinit(doc: Document, options: SimulateOptions): InitPrediction {
  const dialect = doc.dialect;
  const allowExec = options.allowExec === true;
  const dropped: DroppedLine[] = [];
  const entries: SimulatedEntry[] = [];
  const seenIds = new Set<string>();
  const fields: ParsedFields = { id: undefined, runlevels: undefined, action: undefined, process: undefined };
  const runlevelValues = new Interned();

  const drop = (chunk: Chunk, counter: LineCounter, path: string | undefined, message: string, cause: DropCause): void => {
    const d: DroppedLine = {
      line: counter.index(chunk.start) + 1,
      endLine: counter.index(Math.max(chunk.start, chunk.end - 1)) + 1,
      initLine: chunk.initLine,
      message: cause === "too-long" ? message : `/etc/inittab[${chunk.initLine}]: ${message}`,
      cause,
      start: chunk.start,
      end: chunk.end,
    };
    if (path) d.path = path;
    dropped.push(d);
  };

  const handle = (chunk: Chunk, counter: LineCounter, path: string | undefined, checkOverlong: boolean): boolean => {
    const text = chunk.text;
    let from = 0;
    while (text.charCodeAt(from) === SPACE || text.charCodeAt(from) === TAB) from++;
    const first = text.charCodeAt(from);
    if (first === HASH || first === NEWLINE) return false;
    if (checkOverlong && chunk.overlong) {
      drop(chunk, counter, path, `Error detected in /etc/inittab at line ${chunk.initLine}. Possibly too long.`, "too-long");
      return true;
    }
    splitFields(text, from, fields);
    const err = fieldError(fields, dialect);
    if (err) {
      drop(chunk, counter, path, err.message, err.cause);
      return true;
    }
    const action = lookupAction(dialect, fields.action!, allowExec);
    if (!action) {
      drop(chunk, counter, path, `${fields.action}: unknown action field`, "unknown-action");
      return true;
    }
    const id = fields.id!;
    if (id !== "~~" && seenIds.has(id)) {
      drop(chunk, counter, path, `duplicate ID field "${id}"`, "duplicate-id");
      return true;
    }
    seenIds.add(id);
    const entry: SimulatedEntry = {
      line: counter.index(chunk.start) + 1,
      initLine: chunk.initLine,
      start: chunk.start,
      end: chunk.end,
      id,
      runlevels: runlevelValues.intern(storedRunlevels(fields.runlevels!, action.info)),
      action: action.name,
      process: fields.process!,
      info: action.info,
      fromSplit: chunk.continuation,
    };
    if (path) entry.path = path;
    entries.push(entry);
    return true;
  };

  const counter = lineCounterOf(doc);
  let initLine = 0;
  for (const chunk of sysvinitChunks(doc.source, dialect)) {
    handle(chunk, counter, undefined, true);
    initLine = chunk.initLine;
  }
  // At EOF of /etc/inittab (before inittab.d): no entry with S means a synthetic sulogin.
  const syntheticSulogin = !entries.some((e) => e.runlevels.includes("S"));

  if (dialect.inittabD) {
    for (const tab of options.tabs ?? []) {
      initLine++;
      // Only the first line that is neither comment nor blank is used; it is truncated at the
      // buffer size instead of being skipped.
      const tabCounter = lineCounterOf(tab.doc);
      for (const c of sysvinitChunks(tab.doc.source, { ...dialect, longLines: "split" })) {
        const chunk = { ...c, initLine, overlong: false };
        if (handle(chunk, tabCounter, tab.path, false)) break;
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
function initDefault(entries: readonly SimulatedEntry[]): { defaultRunlevel: string | null; initdefaultMessage?: string } {
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

function simulateBusyBox(doc: Document): InitPrediction {
  const dialect = doc.dialect;
  const source = doc.source;
  const counter = lineCounterOf(doc);
  const dropped: DroppedLine[] = [];
  // Keyed by (tty, command), in insertion order: re-inserting a key moves it to the end, as
  // new_init_action does.
  const kept = new Map<string, SimulatedEntry>();
  const merged: InitPrediction["merged"] = [];
  let pos = 0;
  let lineno = 0;
  while (pos < source.length) {
    // get_line_with_continuation: a physical line, and while it ends in a backslash, the next.
    const start = pos;
    let logical = "";
    for (;;) {
      const nl = source.indexOf("\n", pos);
      const end = nl === -1 ? source.length : nl + 1;
      let piece = source.slice(pos, nl === -1 ? source.length : nl);
      pos = end;
      lineno++;
      if (piece.length > 0 && piece.endsWith("\\")) {
        logical += piece.slice(0, -1);
        if (pos >= source.length) break;
        continue;
      }
      logical += piece;
      piece = "";
      break;
    }
    const end = pos;
    // C strings: everything after a NUL is invisible.
    const nul = logical.indexOf("\0");
    const line = nul === -1 ? logical : logical.slice(0, nul);
    if (line === "" || line.startsWith("#")) continue;
    const tokens = busyboxTokens(line);
    const at = counter.position(start);
    const endLine = counter.position(Math.max(start, end - 1)).line;
    const action = tokens.length === 4 && Object.hasOwn(dialect.actions, tokens[2]!) ? tokens[2]! : undefined;
    if (tokens.length < 4 || action === undefined || tokens[3] === "") {
      dropped.push({
        line: at.line,
        endLine,
        initLine: lineno,
        message: `Bad inittab entry at line ${lineno}`,
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
      merged.push({ line: twin.line, intoLine: at.line, intoStart: start });
      kept.delete(key);
    }
    kept.set(key, {
      line: at.line,
      initLine: lineno,
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

/**
 * config_read with delimiters "#:", greedy 4th token, end-of-line comments, no trimming and no
 * collapsing: a token ends at `:` or `#`; a `#` ends the whole line; the 4th token is the rest
 * of the line up to a `#`.
 */
export function busyboxTokens(line: string): string[] {
  const tokens: string[] = [];
  let rest = line;
  do {
    if (tokens.length === 3) {
      const hash = rest.indexOf("#");
      tokens.push(hash === -1 ? rest : rest.slice(0, hash));
      break;
    }
    let i = 0;
    while (i < rest.length && rest[i] !== ":" && rest[i] !== "#") i++;
    tokens.push(rest.slice(0, i));
    if (i >= rest.length || rest[i] === "#") break;
    rest = rest.slice(i + 1);
  } while (rest.length > 0 && rest[0] !== "#");
  return tokens;
}

/** BusyBox opens `/dev/` + the id without a leading `/dev/`; an empty id is init's console. */
export function ttyPath(id: string): string {
  if (id === "") return "";
  // skip_dev_pfx, then concat_path_file("/dev/", …), which also drops leading slashes.
  return "/dev/" + (id.startsWith("/dev/") ? id.slice(5) : id).replace(/^\/+/, "");
}

/**
 * BusyBox keeps an entry's terminal in a 32-byte buffer but compares it with the full path of
 * a new line's terminal, so entries whose path is longer than 31 bytes never merge.
 */
const BUSYBOX_TERMINAL_MAX = 31;
