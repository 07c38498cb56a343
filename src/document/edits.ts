/**
 * Edits as data (the jsonc-parser model): `{ start, end, text }` against the original bytes.
 * `text` is a binary string (one char per byte; see document/bytes.ts) so that an edit can
 * carry any bytes; build it from user text with `textToBinary`.
 */
import { fromBinary, toBinary } from "../base/bytes.js";
import { InittabError } from "../base/errors.js";

export interface Edit {
  /** Byte offset where the replaced range starts. */
  start: number;
  /** Byte offset where it ends (exclusive); start == end inserts. */
  end: number;
  /** The replacement, as a binary string. */
  text: string;
}

/**
 * Apply edits to a binary string. Edits are sorted by offset (stable, so inserts at one offset
 * keep their order); two edits whose ranges overlap are an error.
 */
export function applyEditsBinary(source: string, edits: readonly Edit[]): string {
  const sorted = edits
    .map((e, i) => ({ e, i }))
    .sort((x, y) => x.e.start - y.e.start || x.e.end - y.e.end || x.i - y.i)
    .map((x) => x.e);
  let out = "";
  let pos = 0;
  for (const e of sorted) {
    if (e.start < pos || e.end < e.start || e.end > source.length) {
      throw new InittabError(
        "overlapping-edits",
        `edit [${e.start}, ${e.end}) overlaps another edit or lies outside the text`,
      );
    }
    out += source.slice(pos, e.start) + e.text;
    pos = e.end;
  }
  return out + source.slice(pos);
}

/** Apply edits to bytes; returns new bytes. */
export function applyEdits(bytes: Uint8Array, edits: readonly Edit[]): Uint8Array {
  return fromBinary(applyEditsBinary(toBinary(bytes), edits));
}
