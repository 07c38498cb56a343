/**
 * Entries and field values supplied by a user, as text. They are read with the same grammar as
 * the file (so `#` ends a BusyBox entry, and the process keeps its colons), and refused when
 * init would read them differently from what was typed.
 */
import type { Dialect } from "../dialects/index.js";
import { escapeText, textToBinary } from "../base/bytes.js";
import type { Entry, FieldName } from "../document/model.js";
import { parseBinary } from "../document/parse.js";
import { InittabError } from "../base/errors.js";

/** The four field values as init reads them (binary strings). */
export type EntryValues = Record<FieldName, string>;

/** An entry ready to be written: its line (binary, no terminator) and what init reads in it. */
export interface NewEntry {
  /** The bytes of the line, without a terminator. */
  raw: string;
  values: EntryValues;
  /** The parsed line (offsets relative to `raw`). */
  line: Entry;
}

// LF and CR would end or split the line; NUL makes sysvinit 3.14 lose the line end.
const LINE_BREAKERS = /[\n\r\0]/;

/** Refuse text that cannot live on one line of an inittab. `what` names it in the message. */
export function assertOneLine(text: string, what: string): void {
  const m = LINE_BREAKERS.exec(text);
  if (m) {
    const name = m[0] === "\n" ? "a line feed" : m[0] === "\r" ? "a carriage return" : "a NUL byte";
    throw new InittabError("invalid-entry", `${what} contains ${name}: it must be a single line`);
  }
}

/**
 * Read `ID:RUNLEVELS:ACTION:PROCESS` as the dialect's init would. Throws InittabError
 * ("invalid-entry") when it is not exactly one entry line.
 */
export function parseEntryText(text: string, dialect: Dialect): NewEntry {
  assertOneLine(text, "the entry");
  return parseEntryBinary(textToBinary(text), dialect, `entry "${escapeText(text)}"`);
}

/** `parseEntryText` for a binary string (e.g. a commented-out line of the file). */
export function parseEntryBinary(raw: string, dialect: Dialect, what: string): NewEntry {
  // A terminator is added so that the line is read as it will be in the file: a BusyBox line
  // ending in a backslash would swallow the next line, and that must show here.
  const doc = parseBinary(`${raw}\n`, { dialect });
  const line = doc.lines[0];
  if (!line || doc.lines.length !== 1 || line.terminator === "none") {
    throw new InittabError("invalid-entry", `${what} would not stay one line (a trailing backslash continues it)`);
  }
  if (line.kind === "comment" || line.kind === "blank") {
    throw new InittabError("invalid-entry", `${what} is not an entry: init reads it as a ${line.kind} line`);
  }
  if (line.kind !== "entry") {
    throw new InittabError("invalid-entry", `${what} is not an entry: ${line.reason ?? "init cannot read it"}`);
  }
  const entry = line as Entry;
  return {
    raw,
    values: {
      id: entry.fields.id.value,
      runlevels: entry.fields.runlevels.value,
      action: entry.fields.action.value,
      process: entry.fields.process.value,
    },
    line: entry,
  };
}

/** The values of an entry of a document. */
export function entryValues(entry: Entry): EntryValues {
  return {
    id: entry.fields.id.value,
    runlevels: entry.fields.runlevels.value,
    action: entry.fields.action.value,
    process: entry.fields.process.value,
  };
}

/** Same four values, byte for byte: init reads both the same way. */
export function sameValues(a: EntryValues, b: EntryValues): boolean {
  return a.id === b.id && a.runlevels === b.runlevels && a.action === b.action && a.process === b.process;
}
