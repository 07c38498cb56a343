/**
 * Which entries an edit is about. sysvinit keys entries on their id; BusyBox has no ids (the
 * first field names the controlling tty), so its entries are addressed by tty, action and a
 * piece of the command. All given conditions must hold.
 */
import type { Dialect } from "../dialects/index.js";
import { resolveAction } from "../dialects/index.js";
import { escapeBinary, escapeText, textToBinary } from "../base/bytes.js";
import type { Document, Entry, Line } from "../document/model.js";
import { isEntry } from "../document/model.js";
import { assertOneLine, entryValues, type EntryValues, parseEntryBinary, type NewEntry } from "./entry.js";
import { InittabError } from "../base/errors.js";

export interface Selector {
  /** The id field, exactly (for BusyBox, the tty: `ttyS0` and `/dev/ttyS0` are the same). */
  id?: string;
  /** BusyBox: the controlling tty (`/dev/` optional; empty = init's console). */
  tty?: string;
  /** The action (compared as the dialect's init compares it). */
  action?: string;
  /** Text that occurs in the command (for BusyBox, a trailing `# comment` counts too). */
  match?: string;
  /**
   * The 1-based line the entry (or commented-out entry) starts on, as `comment` reports it:
   * picks one line where other conditions would pick several.
   */
  line?: number;
}

/** A selector given as a bare string is an id. */
export type SelectorLike = Selector | string;

export function toSelector(s: SelectorLike): Selector {
  return typeof s === "string" ? { id: s } : s;
}

/** Refuse a selector that selects everything, or one the dialect cannot apply. */
export function assertSelector(sel: Selector, dialect: Dialect): void {
  if (
    sel.id === undefined &&
    sel.tty === undefined &&
    sel.action === undefined &&
    sel.match === undefined &&
    sel.line === undefined
  ) {
    throw new InittabError(
      "invalid-option",
      "no entry given: name an `id`, or select with `tty`, `action`, `match` or `line`",
      { details: { options: ["id", "tty", "action", "match", "line"] } },
    );
  }
  if (sel.line !== undefined && !(Number.isSafeInteger(sel.line) && sel.line > 0)) {
    throw new InittabError("invalid-option", "`line` is a line number, 1 or more", { details: { options: ["line"] } });
  }
  if (sel.tty !== undefined && !dialect.idIsTty) {
    throw new InittabError(
      "invalid-option",
      `\`tty\` addresses BusyBox entries; ${dialect.name} entries are addressed by their id`,
      { details: { options: ["tty"] } },
    );
  }
  for (const [k, v] of Object.entries(sel)) if (typeof v === "string") assertOneLine(v, `the selector's \`${k}\``);
  if (sel.match === "")
    throw new InittabError("invalid-option", "`match` needs some text", { details: { options: ["match"] } });
}

/** BusyBox strips a leading /dev/ from the tty and puts it back, so both spellings are one tty. */
export function ttyKey(id: string): string {
  return id.startsWith("/dev/") ? id.slice(5) : id;
}

/** The action as init compares it (sysvinit: case-insensitive). */
export function actionKey(dialect: Dialect, action: string): string {
  return resolveAction(dialect, action)?.name ?? (dialect.actionsCaseInsensitive ? action.toLowerCase() : action);
}

/** What `--match` looks at: the command and, for BusyBox, the end-of-line comment after it. */
function matchText(values: EntryValues, comment: string | undefined): string {
  return values.process + (comment ?? "");
}

/** Does an entry with these values (and trailing comment) satisfy the selector? */
export function matchesValues(dialect: Dialect, sel: Selector, values: EntryValues, comment?: string): boolean {
  if (sel.id !== undefined) {
    const want = textToBinary(sel.id);
    if (dialect.idIsTty ? ttyKey(values.id) !== ttyKey(want) : values.id !== want) return false;
  }
  if (sel.tty !== undefined && ttyKey(values.id) !== ttyKey(textToBinary(sel.tty))) return false;
  if (sel.action !== undefined && actionKey(dialect, values.action) !== actionKey(dialect, textToBinary(sel.action))) {
    return false;
  }
  if (sel.match !== undefined && !matchText(values, comment).includes(textToBinary(sel.match))) return false;
  return true;
}

/** The active entries the selector picks, in file order. */
export function selectEntries(doc: Document, sel: Selector): Entry[] {
  return doc.lines
    .filter(isEntry)
    .filter((e) => onLine(sel, e) && matchesValues(doc.dialect, sel, entryValues(e), e.comment?.raw));
}

function onLine(sel: Selector, line: Line): boolean {
  return sel.line === undefined || line.line === sel.line;
}

/** A commented-out entry: a comment line that reads as an entry once its `#` is removed. */
export interface CommentedEntry {
  line: Line;
  /** The entry the line holds. */
  entry: NewEntry;
  /** The byte range to delete to uncomment it: the `#` and the blanks after it. */
  cut: { start: number; end: number };
}

/**
 * Every comment line of the document that holds an entry. The `#` and any blanks after it are
 * what makes it a comment (`#T0:...` and `# T0:...` are both common); a sysvinit indent before
 * the `#` stays, since init skips it anyway.
 */
export function commentedEntries(doc: Document): CommentedEntry[] {
  const out: CommentedEntry[] = [];
  for (const line of doc.lines) {
    if (line.kind !== "comment" || !line.comment) continue;
    const hash = line.comment.start;
    let end = hash + 1;
    while (end < line.contentEnd && (doc.source[end] === " " || doc.source[end] === "\t")) end++;
    const text = doc.source.slice(line.start, hash) + doc.source.slice(end, line.contentEnd);
    if (text.trim() === "") continue;
    try {
      const entry = parseEntryBinary(text, doc.dialect, "the commented line");
      out.push({ line, entry, cut: { start: hash, end } });
    } catch {
      // Prose, or a broken example: not an entry init could run.
    }
  }
  return out;
}

/** Commented-out entries the selector picks. */
export function selectCommented(doc: Document, sel: Selector): CommentedEntry[] {
  return commentedEntries(doc).filter(
    (c) => onLine(sel, c.line) && matchesValues(doc.dialect, sel, c.entry.values, c.entry.line.comment?.raw),
  );
}

/**
 * Are `a` and `b` one entry to init? sysvinit keys entries on the id (later duplicates are
 * ignored); BusyBox merges entries with the same tty and command (docs/internals/busybox.md).
 */
export function sameIdentity(dialect: Dialect, a: EntryValues, b: EntryValues): boolean {
  if (!dialect.idIsTty) return a.id === b.id;
  return ttyKey(a.id) === ttyKey(b.id) && a.process === b.process;
}

/**
 * Would adding `b` next to `a` make a second copy of one thing rather than a new entry? The
 * same identity, or, for BusyBox, two respawning programs on one tty (they fight over it).
 */
export function sameSlot(dialect: Dialect, a: EntryValues, b: EntryValues): boolean {
  if (sameIdentity(dialect, a, b)) return true;
  if (!dialect.idIsTty || ttyKey(a.id) !== ttyKey(b.id)) return false;
  const ra = resolveAction(dialect, a.action)?.info.respawns ?? false;
  const rb = resolveAction(dialect, b.action)?.info.respawns ?? false;
  return ra && rb;
}

/** How an entry is named in messages: its id, or for BusyBox `tty::action` (escaped). */
export function entryLabel(dialect: Dialect, values: EntryValues): string {
  if (!dialect.idIsTty) return escapeBinary(values.id);
  return escapeBinary(`${values.id}::${values.action}`);
}

/** An entry's label with its line number: `ab (line 5)`. */
export function describeEntry(doc: Document, line: Line, values: EntryValues): string {
  return `${entryLabel(doc.dialect, values)} (line ${line.line})`;
}

/** How a selector is named in messages. */
export function describeSelector(sel: Selector): string {
  const parts: string[] = [];
  if (sel.id !== undefined) parts.push(`"${escapeText(sel.id)}"`);
  if (sel.tty !== undefined) parts.push(`tty "${escapeText(sel.tty)}"`);
  if (sel.action !== undefined) parts.push(`action "${escapeText(sel.action)}"`);
  if (sel.match !== undefined) parts.push(`matching "${escapeText(sel.match)}"`);
  if (sel.line !== undefined) parts.push(`on line ${sel.line}`);
  return parts.join(", ");
}
