/** Line and column of byte offsets in a binary string. */
import { lowerBound } from "./search.js";

/** 1-based line and column of byte offsets, from where each line of a text starts. */
export class LineCounter {
  private readonly starts: number[] = [0];
  /** Index of the last line found: queries come mostly in increasing order. */
  private hint = 0;
  constructor(source: string) {
    for (let i = source.indexOf("\n"); i !== -1; i = source.indexOf("\n", i + 1)) this.starts.push(i + 1);
  }
  /** 1-based line and column of an offset. */
  position(offset: number): { line: number; column: number } {
    return { line: this.index(offset) + 1, column: this.column(offset) };
  }
  /** 1-based byte column of an offset. */
  column(offset: number): number {
    return offset - this.starts[this.index(offset)]! + 1;
  }
  /** 0-based index of the line holding an offset (no allocation: the document builder's hot path). */
  index(offset: number): number {
    const starts = this.starts;
    let k = this.hint;
    if (!(starts[k]! <= offset && (k + 1 >= starts.length || offset < starts[k + 1]!))) {
      // Not on the hinted line: try the next one, else search.
      if (k + 2 < starts.length && starts[k + 1]! <= offset && offset < starts[k + 2]!) k++;
      else k = lowerBound(this.starts, offset + 1, (start) => start) - 1;
      this.hint = k;
    }
    return k;
  }
}
