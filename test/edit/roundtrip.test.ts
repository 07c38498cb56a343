/**
 * `comment X` then `uncomment X` gives the file back byte for byte (README, "Editing"), on every
 * entry of every corpus file, with exactly the exception the README states: when the file
 * already held another commented-out line that X selects, `uncomment X` refuses (two
 * commented-out lines of one entry) or re-enables that line too; `uncomment --line N`, N the
 * line `comment` reported, gives the file back then.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { applyEditsBinary, isEntry, parseBinary, type Document } from "../../src/document/index.js";
import {
  commentEntry,
  commentedEntries,
  selectCommented,
  uncommentEntry,
  type Selector,
} from "../../src/edit/index.js";
import { isInittabError, toBinary } from "../../src/base/index.js";
import { corpus } from "../support/corpus.js";

/** The selector a user would type for an entry: its id (BusyBox: its tty and action). */
function selectorOf(doc: Document, values: { id: string; action: string }): Selector {
  const text = (b: string) => Buffer.from(b, "latin1").toString("utf8");
  return doc.dialect.idIsTty ? { tty: text(values.id), action: text(values.action) } : { id: text(values.id) };
}

/** Lines a message like "commented out ab (line 5), cd (line 9)" names. */
const linesOf = (message: string): number[] => [...message.matchAll(/\(line (\d+)\)/g)].map((m) => Number(m[1]));

describe("comment + uncomment round trip over the corpus", () => {
  it("restores every file byte for byte, or the file had another commented-out line the selector picks", () => {
    let trips = 0;
    let exact = 0;
    const excepted: string[] = [];
    for (const file of corpus()) {
      const doc = parseBinary(toBinary(readFileSync(file.path)));
      for (const entry of doc.lines.filter(isEntry)) {
        const values = { id: entry.fields.id.value, action: entry.fields.action.value };
        // An id no one could type (control bytes, invalid UTF-8) is not a user's selector.
        if (/[\x00-\x1f\x7f-\xff]/.test(values.id + values.action)) continue;
        const sel = selectorOf(doc, values);
        let off: Document;
        let commented: number[];
        try {
          const r = commentEntry(doc, sel);
          if (!r.changed) continue;
          off = parseBinary(applyEditsBinary(doc.source, r.edits), { dialect: doc.dialect });
          commented = linesOf(r.message);
        } catch (err) {
          if (isInittabError(err)) continue; // refused: nothing changed, nothing to give back
          throw err;
        }
        trips++;
        let back: string | undefined;
        try {
          back = applyEditsBinary(off.source, uncommentEntry(off, sel).edits);
        } catch (err) {
          if (!isInittabError(err, "ambiguous-selector")) throw err;
        }
        if (back === doc.source) {
          exact++;
          continue;
        }
        // The stated exception, and the way out of it.
        const before = selectCommented(doc, sel);
        expect(before.length, `${file.name}: ${JSON.stringify(sel)}`).toBeGreaterThan(0);
        let restored = off;
        for (const line of commented) {
          const r = uncommentEntry(restored, { ...sel, line });
          restored = parseBinary(applyEditsBinary(restored.source, r.edits), { dialect: doc.dialect });
        }
        expect(restored.source, `${file.name}: uncomment --line ${commented.join(",")}`).toBe(doc.source);
        excepted.push(`${file.name} ${JSON.stringify(sel)}`);
      }
    }
    process.stderr.write(
      `round trip: ${trips} comment+uncomment pairs, ${exact} exact, ${excepted.length} by --line\n`,
    );
    expect(trips).toBeGreaterThan(500);
    expect(exact).toBeGreaterThan(trips * 0.9);
  });

  it("the issue's case: another commented-out copy of the entry; uncomment refuses, --line restores", () => {
    const src = toBinary(
      "id:3:initdefault:\n#T0:23:respawn:/sbin/getty -L ttyS0 9600 vt100\n" +
        "T0:23:respawn:/sbin/getty -L ttyS1 115200 vt100\n",
    );
    const doc = parseBinary(src, { dialect: "sysvinit" });
    const r = commentEntry(doc, "T0");
    expect(r.message).toBe("commented out T0 (line 3)");
    const off = parseBinary(applyEditsBinary(src, r.edits), { dialect: doc.dialect });
    expect(commentedEntries(off)).toHaveLength(2);
    let err: unknown;
    try {
      uncommentEntry(off, "T0");
    } catch (e) {
      err = e;
    }
    expect(isInittabError(err, "ambiguous-selector")).toBe(true);
    expect((err as Error).message).toBe(
      "lines 2 and 3 are both commented-out T0 entries; pick one with `line` (the line `comment` reported) or `match`",
    );
    expect(applyEditsBinary(off.source, uncommentEntry(off, { id: "T0", line: 3 }).edits)).toBe(src);
  });

  it("two alike commented-out copies are refused too: uncommenting the first would move the entry", () => {
    const src = toBinary("#ab:2:once:/x\nid:3:initdefault:\nab:2:once:/x\n");
    const doc = parseBinary(src, { dialect: "sysvinit" });
    const off = parseBinary(applyEditsBinary(src, commentEntry(doc, "ab").edits), { dialect: doc.dialect });
    expect(() => uncommentEntry(off, "ab")).toThrow(/lines 1 and 3 are both commented-out ab entries/);
    expect(applyEditsBinary(off.source, uncommentEntry(off, { id: "ab", line: 3 }).edits)).toBe(src);
  });
});
