/**
 * Properties of the edit operations over the real corpus (test/corpus, and an external one) and random
 * operation sequences: bytes outside the edited lines never change; doing an operation twice
 * equals doing it once; the result parses and prints back byte for byte; comment + uncomment
 * restores the file.
 */
import { describe, expect, it } from "vitest";
import { InittabError } from "../../src/base/index.js";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { isEntry, parseBinary, printBinary, type Document, type Entry, type Line } from "../../src/document/index.js";
import { toBinary } from "../../src/base/index.js";
import {
  addEntry,
  commentedEntries,
  commentEntry,
  type EditResult,
  removeEntries,
  setFields,
  uncommentEntry,
  type Selector,
} from "../../src/edit/index.js";
import { corpus } from "../support/corpus.js";
import { applyEditsBinary } from "../../src/document/index.js";

interface CorpusFile {
  name: string;
  dialect: string;
  source: string;
}

const FILES: CorpusFile[] = corpus()
  .filter((f) => f.name.endsWith(".inittab"))
  .map((f) => ({
    name: f.name,
    dialect: f.family === "other" ? "auto" : f.family,
    source: toBinary(readFileSync(f.path)),
  }));

/** Variants that real files have too: CRLF line ends, no final newline. */
function variant(source: string, v: number): string {
  if (v === 1) return source.replace(/\r?\n/g, "\r\n");
  if (v === 2) return source.replace(/\r?\n$/, "");
  return source;
}

/** An operation, with its choices left as numbers resolved against the document at hand. */
type Op =
  | { kind: "add"; id: string; rl: number; action: number; proc: number; where: number; pick: number; replace: boolean }
  | { kind: "re-add"; pick: number }
  | { kind: "set"; pick: number; field: number; value: number; id: string }
  | { kind: "rm"; pick: number; ghost: boolean }
  | { kind: "comment"; pick: number }
  | { kind: "uncomment"; pick: number };

const idArb = fc.string({ unit: fc.constantFrom(..."abcdeSTxyz0189~"), minLength: 1, maxLength: 4 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant("add" as const),
    id: idArb,
    rl: fc.nat(),
    action: fc.nat(),
    proc: fc.nat(),
    where: fc.nat(),
    pick: fc.nat(),
    replace: fc.boolean(),
  }),
  fc.record({ kind: fc.constant("re-add" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("set" as const), pick: fc.nat(), field: fc.nat(), value: fc.nat(), id: idArb }),
  fc.record({ kind: fc.constant("rm" as const), pick: fc.nat(), ghost: fc.boolean() }),
  fc.record({ kind: fc.constant("comment" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("uncomment" as const), pick: fc.nat() }),
);

const RUNLEVELS = ["", "2", "2345", "S", "06"];
const PROCESSES = [
  "/bin/true",
  "/sbin/getty 38400 tty9",
  "/bin/sh -c 'echo a:b'",
  "-/bin/sh",
  "/sbin/getty -L ttyS0 115200 vt100",
];
const TTYS = ["", "tty1", "ttyS0", "/dev/tty9", "console"];

function at<T>(list: readonly T[], n: number): T {
  return list[n % list.length]!;
}

/** How the test names an entry: by id (sysvinit), by tty and action (BusyBox). */
function selectorOf(doc: Document, e: { fields: { id: { text: string }; action: { text: string } } }): Selector {
  return doc.dialect.idIsTty ? { tty: e.fields.id.text, action: e.fields.action.text } : { id: e.fields.id.text };
}

/** Lines the selector picks, computed here independently of the library's selection code. */
function picked(doc: Document, sel: Selector): Entry[] {
  const tty = (s: string): string => s.replace(/^\/dev\//, "");
  return doc.lines.filter(isEntry).filter((e) => {
    if (sel.id !== undefined && e.fields.id.text !== sel.id) return false;
    if (sel.tty !== undefined && tty(e.fields.id.text) !== tty(sel.tty)) return false;
    if (sel.action !== undefined) {
      const a = doc.dialect.actionsCaseInsensitive ? (x: string) => x.toLowerCase() : (x: string) => x;
      if (a(e.fields.action.text) !== a(sel.action)) return false;
    }
    return true;
  });
}

interface Applied {
  run: (doc: Document) => EditResult;
  /** Lines of the original the edits may touch (undefined: insertion only, at a line boundary). */
  allowed: (doc: Document) => Line[];
  /** What must hold afterwards (on the new document). */
  post?: (after: Document) => void;
}

function resolve(doc: Document, op: Op): Applied | undefined {
  const entries = doc.lines
    .filter(isEntry)
    .filter((e) => !/[\x00-\x1f\x7f]/.test(e.fields.id.text + e.fields.action.text));
  const bb = doc.dialect.idIsTty;
  switch (op.kind) {
    case "add": {
      const actions = bb ? ["respawn", "once", "sysinit", "askfirst"] : ["respawn", "once", "wait", "off"];
      const id = bb ? at(TTYS, op.rl) : op.id;
      const text = `${id}:${at(RUNLEVELS, op.rl)}:${at(actions, op.action)}:${at(PROCESSES, op.proc)}`;
      const anchor = entries.length > 0 ? at(entries, op.pick) : undefined;
      const where = op.where % 4;
      const options = {
        ...(where === 1 ? { first: true } : {}),
        ...(where === 2 && anchor ? { after: selectorOf(doc, anchor) } : {}),
        ...(where === 3 && anchor ? { before: selectorOf(doc, anchor) } : {}),
        ...(op.replace ? { replace: true } : {}),
      };
      return {
        run: (d) => addEntry(d, text, options),
        // A replace rewrites the line in the entry's slot; sysvinit: the first with that id.
        allowed: (d) => (op.replace ? d.lines.filter(isEntry) : []),
        post: (after) => {
          const lines = after.lines.filter(isEntry).map((e) => e.raw.slice(0, e.contentEnd - e.start));
          expect(lines).toContain(toBinary(text));
        },
      };
    }
    case "re-add": {
      if (entries.length === 0) return undefined;
      const e = at(entries, op.pick);
      const text = e.raw.slice(0, e.contentEnd - e.start);
      if (/[\r\n\0]/.test(text) || e.comment) return undefined;
      return {
        run: (d) => addEntry(d, Buffer.from(text, "latin1").toString("utf8")),
        allowed: (d) => d.lines.filter(isEntry),
      };
    }
    case "set": {
      if (entries.length === 0) return undefined;
      const e = at(entries, op.pick);
      const sel = selectorOf(doc, e);
      const field = at(["runlevels", "action", "process", "id"] as const, op.field);
      const values: Record<string, string[]> = {
        runlevels: RUNLEVELS,
        action: bb ? ["respawn", "once", "askfirst"] : ["respawn", "once", "wait"],
        process: PROCESSES,
        id: bb ? TTYS.filter((t) => t !== "") : [op.id],
      };
      const value = at(values[field]!, op.value);
      return {
        run: (d) => setFields(d, sel, { [field]: value }),
        allowed: (d) => picked(d, sel),
        post: (after) => {
          const now = field === "id" || (field === "action" && bb) ? undefined : picked(after, sel);
          if (now && now.length === 1) expect(now[0]!.fields[field].value.replace(/[ \t]+$/, "")).toBe(toBinary(value));
        },
      };
    }
    case "rm": {
      const sel: Selector = op.ghost || entries.length === 0 ? { id: "Q?Q" } : selectorOf(doc, at(entries, op.pick));
      if (bb && sel.id) return undefined;
      return {
        run: (d) => removeEntries(d, sel),
        allowed: (d) => picked(d, sel),
        post: (after) => expect(picked(after, sel)).toEqual([]),
      };
    }
    case "comment": {
      if (entries.length === 0) return undefined;
      const sel = selectorOf(doc, at(entries, op.pick));
      return {
        run: (d) => commentEntry(d, sel),
        allowed: (d) => picked(d, sel),
        post: (after) => expect(picked(after, sel)).toEqual([]),
      };
    }
    case "uncomment": {
      const commented = commentedEntries(doc);
      if (commented.length === 0) return undefined;
      const c = at(commented, op.pick);
      const f = c.entry.line.fields;
      if (/[\x00-\x1f\x7f]/.test(f.id.text + f.action.text)) return undefined;
      const sel = selectorOf(doc, c.entry.line);
      return {
        run: (d) => uncommentEntry(d, sel),
        allowed: (d) =>
          commentedEntries(d)
            .filter((x) => {
              const xf = x.entry.line.fields;
              return bb
                ? xf.id.value.replace(/^\/dev\//, "") === f.id.value.replace(/^\/dev\//, "") &&
                    xf.action.text === f.action.text
                : xf.id.value === f.id.value;
            })
            .map((x) => x.line),
      };
    }
  }
}

/** Every edit lies inside an allowed line, or is an insertion between lines / at the end. */
function checkEditsConfined(doc: Document, r: EditResult, allowed: Line[]): void {
  const boundaries = new Set(doc.lines.map((l) => l.start));
  boundaries.add(doc.source.length);
  const last = doc.lines[doc.lines.length - 1];
  for (const e of r.edits) {
    const inside = allowed.some((l) => e.start >= l.start && e.end <= l.end);
    const insertion =
      e.start === e.end &&
      (boundaries.has(e.start) || (last !== undefined && last.terminator === "none" && e.start === last.end));
    expect(inside || insertion, `edit [${e.start},${e.end}) touches a line it should not`).toBe(true);
  }
}

/** The lines no edit touches are in the result, in order, byte for byte. */
function checkUntouchedKept(doc: Document, r: EditResult, after: Document): void {
  // An insertion at a line's start is a new line before it when it ends with a newline, else
  // it is part of that line (a `#`).
  const touched = (l: Line): boolean =>
    r.edits.some(
      (e) =>
        (e.start < l.end && e.end > l.start) ||
        (e.start === e.end && e.start > l.start && e.start < l.end) ||
        (e.start === e.end && e.start === l.start && !e.text.endsWith("\n")) ||
        (e.start === e.end && e.start === l.end && l.terminator === "none"),
    );
  const keep = doc.lines.filter((l) => !touched(l)).map((l) => l.raw);
  let i = 0;
  for (const l of after.lines) if (i < keep.length && l.raw === keep[i]) i++;
  expect(i, "an untouched line changed or went missing").toBe(keep.length);
}

describe("edit operations over the corpus", () => {
  it("has the corpus", () => {
    expect(FILES.length).toBeGreaterThan(90);
  });

  it("random sequences: confined edits, twice = once, lossless result", () => {
    const done: Record<string, number> = {};
    fc.assert(
      fc.property(fc.nat(), fc.nat(2), fc.array(opArb, { minLength: 1, maxLength: 6 }), (fileIndex, v, ops) => {
        const file = at(FILES, fileIndex);
        let doc = parseBinary(variant(file.source, v), { dialect: file.dialect });
        for (const op of ops) {
          const applied = resolve(doc, op);
          if (!applied) continue;
          let r: EditResult;
          try {
            r = applied.run(doc);
          } catch (err) {
            // A refusal is a fine outcome; anything else is a bug.
            if (err instanceof InittabError) continue;
            throw err;
          }
          if (!r.changed) {
            expect(r.edits).toEqual([]);
            continue;
          }
          checkEditsConfined(doc, r, applied.allowed(doc));
          const bytes = applyEditsBinary(doc.source, r.edits);
          const after = parseBinary(bytes, { dialect: doc.dialect });
          expect(printBinary(after)).toBe(bytes);
          checkUntouchedKept(doc, r, after);
          applied.post?.(after);
          // The same operation again finds the file as asked.
          const again = applied.run(after);
          expect(again.changed, `${op.kind} twice: ${again.message}`).toBe(false);
          done[op.kind] = (done[op.kind] ?? 0) + 1;
          doc = after;
        }
      }),
      { numRuns: 250 },
    );
    // Not vacuous: every kind of operation really changed files many times.
    for (const kind of ["add", "re-add", "set", "rm", "comment", "uncomment"]) {
      if (kind !== "re-add") expect(done[kind] ?? 0, kind).toBeGreaterThan(20);
    }
  });

  it("comment then uncomment restores the file byte for byte", () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(2), fc.nat(), (fileIndex, v, pick) => {
        const file = at(FILES, fileIndex);
        const doc = parseBinary(variant(file.source, v), { dialect: file.dialect });
        const entries = doc.lines.filter(isEntry);
        if (entries.length === 0) return;
        const sel = selectorOf(doc, at(entries, pick));
        // Only where the selection is one entry and no commented twin is around to confuse it.
        if (picked(doc, sel).length !== 1) return;
        let r: EditResult;
        try {
          r = commentEntry(doc, sel);
        } catch (err) {
          if (err instanceof InittabError) return;
          throw err;
        }
        const off = parseBinary(applyEditsBinary(doc.source, r.edits), { dialect: doc.dialect });
        const twins = commentedEntries(off).filter(
          (c) => picked(parseBinary(c.entry.raw, { dialect: doc.dialect }), sel).length > 0,
        );
        if (twins.length !== 1) return;
        const on = uncommentEntry(off, sel);
        expect(applyEditsBinary(off.source, on.edits)).toBe(doc.source);
      }),
      { numRuns: 200 },
    );
  });
});
