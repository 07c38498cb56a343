/**
 * Random-byte fuzzing of parse, check and the edit operations (docs/reliability.md): 10,000
 * inputs a run, from a seed printed on failure (RELIABILITY_SEED=N repeats a run). Inputs are
 * random bytes drawn toward what matters to the grammar (colons, `#`, CR, LF, backslashes, NUL,
 * blanks, action names, invalid UTF-8). For every input and every dialect:
 *
 *  - the lines tile the input exactly (each starts where the previous ended, their bytes are the
 *    input's), and every field lies inside its line;
 *  - the checker answers without throwing, with spans inside the input;
 *  - an edit either is refused with an InittabError or changes only the lines it edits: every
 *    other line is still there, byte for byte and read the same way, in the same order.
 */
import { describe, expect, it } from "vitest";
import { InittabError, toBinary } from "../../src/base/index.js";
import { applyEditsBinary, FIELD_NAMES, isEntry, parseBinary, type Document } from "../../src/document/index.js";
import { checkDocument } from "../../src/rules/index.js";
import { rng } from "../support/random.js";
import {
  addEntry,
  commentEntry,
  removeEntries,
  setFields,
  uncommentEntry,
  type EditResult,
} from "../../src/edit/index.js";

const INPUTS = 10_000;
const SEED = Number(process.env["RELIABILITY_SEED"] ?? Math.floor(Math.random() * 2 ** 31));

const SIGNIFICANT = [":", ":", ":", "#", "\n", "\n", "\r", "\r\n", "\\", "\\\n", "\0", " ", "\t"];
const WORDS = [
  "respawn",
  "once",
  "wait",
  "initdefault",
  "sysinit",
  "askfirst",
  "ctrlaltdel",
  "tty1",
  "/bin/sh",
  "~~",
  "S",
  "2345",
  "id",
  "-",
];

function input(rand: () => number): string {
  const n = Math.floor(rand() * rand() * 400);
  let s = "";
  while (s.length < n) {
    const r = rand();
    if (r < 0.4) s += SIGNIFICANT[Math.floor(rand() * SIGNIFICANT.length)];
    else if (r < 0.7) s += String.fromCharCode(0x61 + Math.floor(rand() * 26));
    else if (r < 0.85) s += WORDS[Math.floor(rand() * WORDS.length)];
    else s += String.fromCharCode(Math.floor(rand() * 256));
  }
  return s;
}

function assertTiles(doc: Document, source: string, what: string): void {
  let at = 0;
  for (const l of doc.lines) {
    expect(l.start, what).toBe(at);
    expect(l.end, what).toBeGreaterThanOrEqual(l.start);
    expect(l.raw, what).toBe(source.slice(l.start, l.end));
    for (const name of FIELD_NAMES) {
      const f = l.fields[name];
      if (f) expect(f.start >= l.start && f.end <= l.end && f.start <= f.end, `${what}: ${name}`).toBe(true);
    }
    at = l.end;
  }
  expect(at, what).toBe(source.length);
}

/** One random edit of the document; `op` says which, for the failure message. */
function edit(doc: Document, rand: () => number, op: { name: string }): EditResult {
  const entries = doc.lines.filter(isEntry);
  const pick = entries[Math.floor(rand() * entries.length)];
  const sel = pick ? (doc.dialect.idIsTty ? { tty: pick.fields.id.text } : pick.fields.id.text) : "zz";
  const k = Math.floor(rand() * 5);
  op.name = `${["add", "rm", "set", "comment", "uncomment"][k]} ${JSON.stringify(sel)}`;
  switch (k) {
    case 0:
      return addEntry(
        doc,
        doc.dialect.idIsTty ? "tty9::respawn:/sbin/getty 38400 tty9" : "f9:2345:respawn:/sbin/getty 38400 tty9",
      );
    case 1:
      return removeEntries(doc, sel);
    case 2:
      return setFields(doc, sel, { runlevels: "35" });
    case 3:
      return commentEntry(doc, sel);
    default:
      return uncommentEntry(doc, doc.dialect.idIsTty ? { match: "/" } : sel);
  }
}

/** Every line the edits do not touch is in the result unchanged, read the same way, in order. */
function assertConfined(doc: Document, r: EditResult, what: string): void {
  const after = parseBinary(applyEditsBinary(doc.source, r.edits), { dialect: doc.dialect });
  assertTiles(after, after.source, `${what} (after)`);
  // An insertion at a line's start may be that line's (comment's `#`) or a new line before it,
  // and one after a last line without a newline gives that line its newline (documented):
  // either way that line is not held to be unchanged.
  const touched = (l: { start: number; end: number; terminator: string }): boolean =>
    r.edits.some(
      (e) =>
        (e.start < l.end && e.end > l.start) ||
        (e.start === e.end &&
          e.start >= l.start &&
          (e.start < l.end || (e.start === l.end && l.terminator === "none"))),
    );
  const shift = (offset: number): number => {
    let d = 0;
    for (const e of r.edits) if (e.end <= offset) d += e.text.length - (e.end - e.start);
    return d;
  };
  const byStart = new Map(after.lines.map((l) => [l.start, l]));
  let last = -1;
  for (const l of doc.lines) {
    if (touched(l)) continue;
    const n = byStart.get(l.start + shift(l.start));
    expect(n, `${what}: line ${l.line} is gone`).toBeDefined();
    expect(n!.raw, `${what}: line ${l.line}`).toBe(l.raw);
    expect(n!.kind, `${what}: line ${l.line}`).toBe(l.kind);
    expect(n!.index, `${what}: order`).toBeGreaterThan(last);
    last = n!.index;
  }
}

describe(`random-byte fuzzing (${INPUTS.toLocaleString("en")} inputs, RELIABILITY_SEED=${SEED})`, () => {
  it("parse tiles, check answers, edits are refused or confined to their lines", () => {
    const rand = rng(SEED);
    const dialects = ["sysvinit@3.06", "sysvinit@3.14", "busybox", "auto"];
    let edits = 0;
    let refusals = 0;
    for (let i = 0; i < INPUTS; i++) {
      const source = toBinary(Buffer.from(input(rand), "latin1"));
      const dialect = dialects[i % dialects.length]!;
      const what = `input ${i} (${dialect}, seed ${SEED}): ${JSON.stringify(source)}`;
      const doc = parseBinary(source, { dialect });
      assertTiles(doc, source, what);
      for (const d of checkDocument(doc)) {
        expect(d.start >= 0 && d.start <= d.end && d.end <= source.length && d.line >= 1 && d.column >= 1, what).toBe(
          true,
        );
      }
      let r: EditResult;
      const op = { name: "" };
      try {
        r = edit(doc, rand, op);
      } catch (err) {
        if (!(err instanceof InittabError)) throw new Error(`${what}: ${(err as Error).stack}`);
        refusals++;
        continue;
      }
      if (!r.changed) continue;
      edits++;
      assertConfined(doc, r, `${what}, ${op.name} ${JSON.stringify(r.edits)}`);
    }
    process.stderr.write(
      `fuzz: ${INPUTS} inputs (seed ${SEED}): ${edits} edits made and checked, ${refusals} refused\n`,
    );
    // Not vacuous: many inputs had lines to edit, and many edits were made.
    expect(edits).toBeGreaterThan(INPUTS / 10);
  });
});
