/**
 * The edit operations: add, set, rm, comment, uncomment. Each reads a Document and returns the
 * minimal edits against its bytes, never a re-printed file: bytes outside the lines it edits are
 * left alone (other lines' terminators, comments, invalid UTF-8). Before returning, every
 * operation applies its edits, re-reads the result with the same dialect and checks that init
 * reads the edited lines as intended and every other line exactly as before; if not, it refuses.
 *
 * All operations are idempotent: asking for a state the file is already in gives no edits and
 * `changed: false`.
 */
import { escapeBinary, textToBinary } from "../base/bytes.js";
import type { Document, Entry, FieldName, Line } from "../document/model.js";
import { FIELD_NAMES, isEntry } from "../document/model.js";
import { parseBinary } from "../document/parse.js";
import { applyEditsBinary, type Edit } from "../document/edits.js";
import { assertOneLine, entryValues, type EntryValues, parseEntryText, type NewEntry, sameValues } from "./entry.js";
import { InittabError } from "../base/errors.js";
import {
  assertSelector,
  describeEntry,
  describeSelector,
  entryLabel,
  sameIdentity,
  sameSlot,
  selectCommented,
  selectEntries,
  type Selector,
  type SelectorLike,
  toSelector,
  type CommentedEntry,
} from "./select.js";

export interface EditResult {
  /** False when the file already is as asked: `edits` is then empty. */
  changed: boolean;
  /** Minimal edits against the document's bytes. */
  edits: Edit[];
  /** What was done, for people: "added ab after l0", "unchanged: ab is already present". Escaped. */
  message: string;
}

export interface AddOptions {
  /** Insert before this entry. */
  before?: SelectorLike;
  /** Insert after this entry. */
  after?: SelectorLike;
  /** Insert before the first entry (comments above it stay on top). */
  first?: boolean;
  /** An existing entry in the same slot with other fields is changed in place instead of refused. */
  replace?: boolean;
  /** The existing entry the new one stands for, instead of the one in the same slot. */
  target?: Selector;
}

/** New field values for `setFields`, as text. */
export type FieldChanges = Partial<Record<FieldName, string>>;

/** An edit and the line it rewrites (undefined: a whole new line inserted between lines). */
interface OwnedEdit extends Edit {
  owner: number | undefined;
}

/** What a line of the result must be, found by its offset in the result. */
interface Expectation {
  start: number;
  check: (line: Line) => string | undefined;
}

const unchanged = (message: string): EditResult => ({ changed: false, edits: [], message: `unchanged: ${message}` });

// ---------------------------------------------------------------------------------------------
// add

/**
 * Add an entry (mkitab). Default place: after the last entry. If the same entry is already
 * there, nothing changes; if its slot (sysvinit: the id) holds another entry, the add is
 * refused unless `replace`, which rewrites that line where it is. Returns edits against the
 * document's bytes (apply them with `applyEdits`); every other line stays byte for byte.
 *
 * @throws InittabError `invalid-entry` (the text is not one entry init would read as given),
 *   `entry-exists` (its slot holds another entry), `no-such-entry` (`before`/`after` names none),
 *   `ambiguous-selector`, `invalid-option`, `unsafe-edit`.
 * @example
 * const r = addEntry(doc, "T0:23:respawn:/sbin/getty -L ttyS0 115200 vt100");
 * if (r.changed) writeFileSync(path, applyEdits(bytes, r.edits));
 */
export function addEntry(doc: Document, entry: string | NewEntry, options: AddOptions = {}): EditResult {
  const e = typeof entry === "string" ? parseEntryText(entry, doc.dialect) : entry;
  const positions = [options.before, options.after, options.first ? true : undefined].filter((x) => x !== undefined);
  if (positions.length > 1)
    throw new InittabError("invalid-option", "give at most one of `before`, `after` and `first`", {
      details: { options: ["before", "after", "first"] },
    });
  const label = entryLabel(doc.dialect, e.values);

  const existing = existingFor(doc, e, options.target);
  if (existing) {
    const have = entryValues(existing);
    if (sameValues(have, e.values)) return unchanged(`${describeEntry(doc, existing, have)} is already present`);
    if (!options.replace) {
      throw new InittabError(
        "entry-exists",
        `${describeEntry(doc, existing, have)} already exists with other fields ` +
          `("${escapeBinary(existing.raw.slice(0, existing.contentEnd - existing.start))}"); ` +
          "`replace` changes it in place",
      );
    }
    assertNoDuplicateId(doc, e.values.id, existing);
    const edits: OwnedEdit[] = [
      { start: existing.start, end: existing.contentEnd, text: e.raw, owner: existing.index },
    ];
    const start = newStartOf(existing, edits);
    return finish(
      doc,
      edits,
      [entryAt(start, e.values, "the new entry")],
      doc.lines.length,
      `replaced ${label} on line ${existing.line}`,
    );
  }

  assertNoDuplicateId(doc, e.values.id, undefined);
  if (options.target && options.replace) {
    // A commented-out placeholder the target names (Buildroot's `#ttyS0::… # GENERIC_SERIAL`)
    // becomes the new entry where it is, as the build systems' sed does.
    const placeholders = selectCommented(doc, options.target);
    if (placeholders.length > 1) {
      throw new InittabError(
        "ambiguous-selector",
        `${describeSelector(options.target)} matches ${placeholders.length} commented-out entries ` +
          `(lines ${placeholders.map((c) => c.line.line).join(", ")})`,
      );
    }
    const p = placeholders[0];
    if (p) {
      const edits: OwnedEdit[] = [{ start: p.line.start, end: p.line.contentEnd, text: e.raw, owner: p.line.index }];
      const start = newStartOf(p.line, edits);
      return finish(
        doc,
        edits,
        [entryAt(start, e.values, "the new entry")],
        doc.lines.length,
        `replaced the commented-out line ${p.line.line} with ${label}`,
      );
    }
  }
  const nl = doc.newline;
  const entries = doc.lines.filter(isEntry);
  let anchor: Line | undefined;
  let where: "before" | "after";
  let what: string;
  if (options.before !== undefined) {
    anchor = oneEntry(doc, toSelector(options.before), "--before");
    where = "before";
    what = `before ${entryLabel(doc.dialect, entryValues(anchor as Entry))}`;
  } else if (options.after !== undefined) {
    anchor = oneEntry(doc, toSelector(options.after), "--after");
    where = "after";
    what = `after ${entryLabel(doc.dialect, entryValues(anchor as Entry))}`;
  } else if (options.first && entries.length > 0) {
    anchor = entries[0]!;
    where = "before";
    what = "before the first entry";
  } else if (entries.length > 0) {
    anchor = entries[entries.length - 1]!;
    where = "after";
    what = `after ${entryLabel(doc.dialect, entryValues(anchor as Entry))}`;
  } else {
    anchor = doc.lines[doc.lines.length - 1];
    where = "after";
    what = "at the end";
  }

  let edits: OwnedEdit[];
  let start: number;
  const expected: Expectation[] = [];
  if (!anchor) {
    edits = [{ start: 0, end: 0, text: e.raw + nl, owner: undefined }];
    start = 0;
  } else if (where === "before") {
    edits = [{ start: anchor.start, end: anchor.start, text: e.raw + nl, owner: undefined }];
    start = anchor.start;
  } else if (anchor.terminator === "none") {
    // The last line has no terminator: give it one first (3.14 drops such a line anyway), so
    // the new entry starts a line of its own; the new line gets one too.
    edits = [{ start: anchor.end, end: anchor.end, text: nl + e.raw + nl, owner: anchor.index }];
    start = anchor.end + nl.length;
    const old = anchor;
    expected.push({
      start: old.start,
      check: (l) =>
        l.raw === old.raw + nl && l.kind === old.kind ? undefined : `line ${old.line} would read differently`,
    });
  } else {
    edits = [{ start: anchor.end, end: anchor.end, text: e.raw + nl, owner: undefined }];
    start = anchor.end;
  }
  expected.push(entryAt(start, e.values, "the new entry"));
  return finish(doc, edits, expected, doc.lines.length + 1, `added ${label} ${what}`);
}

/** The entry that `e` would duplicate or replace, if any. */
function existingFor(doc: Document, e: NewEntry, target: Selector | undefined): Entry | undefined {
  if (target) {
    assertSelector(target, doc.dialect);
    const found = selectEntries(doc, target);
    if (found.length > 1) throw ambiguous(doc, found, describeSelector(target));
    if (found[0]) return found[0];
    // No active entry answers to the target: the entry's own slot still decides.
  }
  const same = doc.lines.filter(isEntry).filter((l) => sameSlot(doc.dialect, entryValues(l), e.values));
  const identical = same.find((l) => sameValues(entryValues(l), e.values));
  // sysvinit uses the first of entries with one id (later ones are ignored): that one counts.
  if (!doc.dialect.idIsTty) return same[0];
  if (identical) return identical;
  if (same.length > 1) throw ambiguous(doc, same, `the slot of ${entryLabel(doc.dialect, e.values)}`);
  return same[0];
}

/** sysvinit keys entries on their id: refuse to create a second entry with one. */
function assertNoDuplicateId(doc: Document, id: string, except: Line | undefined): void {
  if (doc.dialect.idIsTty) return;
  const other = doc.lines.filter(isEntry).find((l) => l !== except && l.fields.id.value === id);
  if (other) {
    throw new InittabError(
      "entry-exists",
      `id "${escapeBinary(id)}" is already used on line ${other.line}: init would ignore the second entry`,
    );
  }
}

/**
 * BusyBox: `set` may not move an entry into another entry's slot, which `add` refuses too (the
 * same tty and command, which BusyBox merges; or two respawning programs on one tty). Only a
 * clash the change creates counts. Besides the clash itself, such a rename could not be
 * repeated: the second run would find the old tty gone and the new one taken twice.
 */
function assertFreeSlot(
  doc: Document,
  target: Entry,
  was: EntryValues,
  want: EntryValues,
  changed: readonly FieldName[],
): void {
  if (!doc.dialect.idIsTty || !changed.some((f) => f === "id" || f === "action" || f === "process")) return;
  const other = doc.lines
    .filter(isEntry)
    .find(
      (l) => l !== target && sameSlot(doc.dialect, entryValues(l), want) && !sameSlot(doc.dialect, entryValues(l), was),
    );
  if (other) {
    const have = entryValues(other);
    throw new InittabError(
      "entry-exists",
      `${entryLabel(doc.dialect, want)} would take the slot of ${describeEntry(doc, other, have)} ` +
        `("${escapeBinary(other.raw.slice(0, other.contentEnd - other.start))}"): the same tty and command, or two respawning programs on one tty; ` +
        "change or remove that entry first",
    );
  }
}

// ---------------------------------------------------------------------------------------------
// set

/**
 * Change fields of one entry (chitab). Only the bytes of the named fields change; a field that
 * already has the value is left alone. For a BusyBox entry with a `# comment` after the
 * command, the blanks before the `#` are kept.
 *
 * @throws InittabError `no-such-entry`, `ambiguous-selector` (the selector picks more than one),
 *   `entry-exists` (a new id is taken), `invalid-option` (nothing to set), `invalid-entry`.
 */
export function setFields(doc: Document, selector: SelectorLike, changes: FieldChanges): EditResult {
  const sel = toSelector(selector);
  assertSelector(sel, doc.dialect);
  const named = FIELD_NAMES.filter((f) => changes[f] !== undefined);
  if (named.length === 0)
    throw new InittabError("invalid-option", "nothing to set: give `id`, `runlevels`, `action` or `process`", {
      details: { options: ["id", "runlevels", "action", "process"] },
    });
  for (const f of named) assertOneLine(changes[f]!, `the new ${f}`);
  const done = alreadyRenamed(doc, sel, changes);
  if (done)
    return unchanged(
      `${describeEntry(doc, done, entryValues(done))} already has ${named.map((f) => `that ${f}`).join(", ")}`,
    );
  const target = oneEntry(doc, sel, "the entry");
  const values = entryValues(target);
  const want: EntryValues = { ...values };
  const edits: OwnedEdit[] = [];
  const changedFields: FieldName[] = [];
  for (const f of named) {
    const field = target.fields[f];
    const value = textToBinary(changes[f]!);
    let end = field.end;
    let keep = "";
    if (f === "process" && target.comment) {
      keep = /[ \t]*$/.exec(field.raw)![0];
      end = field.end - keep.length;
    }
    want[f] = value + keep;
    if (want[f] === values[f]) continue;
    changedFields.push(f);
    edits.push({ start: field.start, end, text: value, owner: target.index });
  }
  const label = describeEntry(doc, target, values);
  if (edits.length === 0) return unchanged(`${label} already has ${named.map((f) => `that ${f}`).join(", ")}`);
  if (changedFields.includes("id")) assertNoDuplicateId(doc, want.id, target);
  assertFreeSlot(doc, target, values, want, changedFields);
  const start = newStartOf(target, edits);
  const check: Expectation = {
    start,
    check: (l) => {
      if (!isEntry(l)) return `the line would no longer be an entry (${l.reason ?? l.kind})`;
      for (const f of changedFields) {
        if (l.fields[f].value !== want[f]) {
          return (
            `--${f} "${escapeBinary(changes[f] ? textToBinary(changes[f]) : "")}" would not read back as given: ` +
            `init would read the ${f} as "${escapeBinary(l.fields[f].value)}"`
          );
        }
      }
      for (const f of FIELD_NAMES) {
        if (!changedFields.includes(f) && l.fields[f].value !== values[f]) return `the ${f} would change too`;
      }
      return undefined;
    },
  };
  return finish(doc, edits, [check], doc.lines.length, `set ${changedFields.join(", ")} of ${label}`, "invalid-entry");
}

/**
 * `set OLD --id NEW …` (or `--with-action A --action B`) run a second time finds no entry: if
 * exactly one entry answers to the selector with the new values put in, and already has every
 * value asked for, the edit is done.
 */
function alreadyRenamed(doc: Document, sel: Selector, changes: FieldChanges): Entry | undefined {
  if (selectEntries(doc, sel).length > 0) return undefined;
  const renamed: Selector = { ...sel };
  let moved = false;
  if (changes.id !== undefined && sel.id !== undefined) [renamed.id, moved] = [changes.id, true];
  if (changes.id !== undefined && sel.tty !== undefined) [renamed.tty, moved] = [changes.id, true];
  if (changes.action !== undefined && sel.action !== undefined) [renamed.action, moved] = [changes.action, true];
  if (!moved) return undefined;
  const found = selectEntries(doc, renamed);
  const asAsked = (e: Entry): boolean =>
    FIELD_NAMES.every((f) => {
      const want = changes[f];
      if (want === undefined) return true;
      // A BusyBox command followed by a comment keeps its blanks before the `#`.
      const have = f === "process" && e.comment ? e.fields[f].value.replace(/[ \t]+$/, "") : e.fields[f].value;
      return have === textToBinary(want);
    });
  return found.length > 0 && found.every(asAsked) ? found[0] : undefined;
}

// ---------------------------------------------------------------------------------------------
// rm

/**
 * Remove every entry the selectors pick, whole lines with their terminators (rmitab). None left
 * to remove is no change.
 *
 * @throws InittabError `invalid-option` (a selector that selects everything).
 */
export function removeEntries(doc: Document, selectors: SelectorLike | readonly SelectorLike[]): EditResult {
  const list = (Array.isArray(selectors) ? selectors : [selectors]) as SelectorLike[];
  if (list.length === 0) throw new InittabError("invalid-option", "no entry given");
  const picked = new Map<number, Entry>();
  for (const s of list) {
    const sel = toSelector(s);
    assertSelector(sel, doc.dialect);
    for (const e of selectEntries(doc, sel)) picked.set(e.index, e);
  }
  const lines = [...picked.values()].sort((a, b) => a.index - b.index);
  if (lines.length === 0) return unchanged(`no entry ${list.map((s) => describeSelector(toSelector(s))).join(" or ")}`);
  const edits: OwnedEdit[] = lines.map((l) => ({ start: l.start, end: l.end, text: "", owner: l.index }));
  const names = lines.map((l) => describeEntry(doc, l, entryValues(l)));
  return finish(doc, edits, [], doc.lines.length - lines.length, `removed ${names.join(", ")}`);
}

// ---------------------------------------------------------------------------------------------
// comment / uncomment

/**
 * Comment out every entry the selector picks: a `#` before the line's first non-blank byte, so
 * the text is kept and `uncommentEntry` restores it byte for byte. Already commented: unchanged.
 *
 * @throws InittabError `no-such-entry` when nothing, active or commented, matches.
 */
export function commentEntry(doc: Document, selector: SelectorLike): EditResult {
  const sel = toSelector(selector);
  assertSelector(sel, doc.dialect);
  const lines = selectEntries(doc, sel);
  if (lines.length === 0) {
    const commented = selectCommented(doc, sel);
    if (commented.length > 0) {
      return unchanged(
        `${commented.map((c) => describeEntry(doc, c.line, c.entry.values)).join(", ")} already commented out`,
      );
    }
    throw notFound(sel);
  }
  const edits: OwnedEdit[] = lines.map((l) => {
    const at = l.start + l.indent.length;
    return { start: at, end: at, text: "#", owner: l.index };
  });
  const expected: Expectation[] = lines.map((l) => {
    const raw = `${l.raw.slice(0, l.indent.length)}#${l.raw.slice(l.indent.length)}`;
    return {
      start: newStartOf(l, edits),
      check: (n) => (n.kind === "comment" && n.raw === raw ? undefined : `line ${l.line} would not become a comment`),
    };
  });
  const names = lines.map((l) => describeEntry(doc, l, entryValues(l)));
  return finish(doc, edits, expected, doc.lines.length, `commented out ${names.join(", ")}`);
}

/**
 * Uncomment the commented-out entries the selector picks: the `#` (and blanks after it) goes,
 * the rest of the line stays. An entry that is already active is left as it is; one whose slot
 * is taken by a different active entry is refused, and so is a selector that picks two
 * commented-out lines of one entry: which of them `commentEntry` made cannot be told, and
 * uncommenting the other would not give the file back. `line` picks one.
 *
 * @throws InittabError `no-such-entry`, `entry-exists` (its slot is taken), `ambiguous-selector`.
 */
export function uncommentEntry(doc: Document, selector: SelectorLike): EditResult {
  const sel = toSelector(selector);
  assertSelector(sel, doc.dialect);
  const active = doc.lines.filter(isEntry);
  const candidates = selectCommented(doc, sel);
  const chosen: CommentedEntry[] = [];
  const already: string[] = [];
  for (const c of candidates) {
    // Init's own identity, not add's wider slot: restoring two askfirst shells on one tty that
    // were both there before is the user's call (check reports it). A second sysvinit entry
    // with an id would be ignored, so that is refused; BusyBox merges same-tty-and-command
    // entries (the later action wins), which is what the file said before it was commented.
    const clash = active.find((a) => sameIdentity(doc.dialect, entryValues(a), c.entry.values));
    if (clash && sameValues(entryValues(clash), c.entry.values)) {
      already.push(describeEntry(doc, clash, entryValues(clash)));
      continue;
    }
    if (clash && !doc.dialect.idIsTty) {
      throw new InittabError(
        "entry-exists",
        `uncommenting line ${c.line.line} would clash with ${describeEntry(doc, clash, entryValues(clash))}`,
      );
    }
    const twin = chosen.find((o) => sameIdentity(doc.dialect, o.entry.values, c.entry.values));
    if (twin) {
      // Two commented lines of one entry, alike or not: uncommenting the wrong one would move
      // the entry, or bring back another version of it.
      throw new InittabError(
        "ambiguous-selector",
        `lines ${twin.line.line} and ${c.line.line} are both commented-out ${entryLabel(doc.dialect, c.entry.values)} ` +
          "entries; pick one with `line` (the line `comment` reported) or `match`",
      );
    }
    chosen.push(c);
  }
  if (chosen.length === 0) {
    if (already.length > 0) return unchanged(`${[...new Set(already)].join(", ")} already active`);
    if (selectEntries(doc, sel).length > 0) return unchanged(`${describeSelector(sel)} is already active`);
    throw new InittabError("no-such-entry", `no commented-out entry ${describeSelector(sel)}`);
  }
  const edits: OwnedEdit[] = chosen.map((c) => ({ start: c.cut.start, end: c.cut.end, text: "", owner: c.line.index }));
  const expected = chosen.map((c) => entryAt(newStartOf(c.line, edits), c.entry.values, `line ${c.line.line}`));
  const names = chosen.map((c) => describeEntry(doc, c.line, c.entry.values));
  return finish(doc, edits, expected, doc.lines.length, `uncommented ${names.join(", ")}`);
}

// ---------------------------------------------------------------------------------------------
// shared

/** Exactly one active entry, or a refusal saying why not. */
function oneEntry(doc: Document, sel: Selector, what: string): Entry {
  assertSelector(sel, doc.dialect);
  const found = selectEntries(doc, sel);
  if (found.length === 0) throw notFound(sel, what === "the entry" ? undefined : what);
  if (found.length > 1) throw ambiguous(doc, found, describeSelector(sel));
  return found[0]!;
}

function notFound(sel: Selector, what?: string): InittabError {
  return new InittabError("no-such-entry", `${what ? `${what}: ` : ""}no entry ${describeSelector(sel)}`);
}

function ambiguous(doc: Document, found: Entry[], what: string): InittabError {
  const lines = found.map((l) => l.line).join(", ");
  const hint = doc.dialect.idIsTty ? "narrow it with `tty`, `action` or `match`" : "narrow it with `match`";
  return new InittabError("ambiguous-selector", `${what} matches ${found.length} entries (lines ${lines}); ${hint}`);
}

function entryAt(start: number, values: EntryValues, what: string): Expectation {
  return {
    start,
    check: (l) => {
      if (!isEntry(l)) return `${what} would not be read as an entry (${l.reason ?? l.kind})`;
      return sameValues(entryValues(l), values) ? undefined : `${what} would be read with other fields`;
    },
  };
}

/** Where a line starts once the edits of other lines are applied. */
function newStartOf(line: Line, edits: readonly OwnedEdit[]): number {
  let start = line.start;
  for (const e of edits) if (e.owner !== line.index && e.end <= line.start) start += e.text.length - (e.end - e.start);
  return start;
}

/**
 * Apply the edits, re-read the result and check it: every line no edit belongs to is still
 * there byte for byte (a BusyBox continuation could otherwise swallow a neighbour), the edited
 * lines read as intended, and the line count is what the operation means.
 */
function finish(
  doc: Document,
  edits: OwnedEdit[],
  expected: readonly Expectation[],
  lineCount: number,
  message: string,
  failure: "unsafe-edit" | "invalid-entry" = "unsafe-edit",
): EditResult {
  const after = parseBinary(applyEditsBinary(doc.source, edits), { dialect: doc.dialect });
  const byStart = new Map(after.lines.map((l) => [l.start, l]));
  const owners = new Set(edits.map((e) => e.owner));
  for (const l of doc.lines) {
    if (owners.has(l.index)) continue;
    const n = byStart.get(newStartOf(l, edits));
    if (!n || n.raw !== l.raw || n.kind !== l.kind) {
      throw new InittabError("unsafe-edit", `the edit would change how init reads line ${l.line}; nothing was changed`);
    }
  }
  for (const x of expected) {
    const n = byStart.get(x.start);
    const problem = n ? x.check(n) : "the edited line would not start a line of its own";
    if (problem) throw new InittabError(failure, `${problem}; nothing was changed`);
  }
  if (after.lines.length !== lineCount) {
    throw new InittabError("unsafe-edit", "the edit would change how the file splits into lines; nothing was changed");
  }
  return { changed: true, edits: edits.map(({ start, end, text }) => ({ start, end, text })), message };
}
