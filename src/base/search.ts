/**
 * The searches the document and the rules use instead of scanning a whole file per lookup:
 * bisection over arrays sorted by offset (lines, view lines, entries, drops, findings), and one
 * front-to-back pass for the NUL bytes of a source.
 */

/** Index of the first item whose key is >= `target` (items.length when none); `keyOf` must be non-decreasing. */
export function lowerBound<T>(items: readonly T[], target: number, keyOf: (item: T) => number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keyOf(items[mid]!) < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The first NUL byte in a range of a source, for ranges asked in increasing order: the source
 * is searched once, front to back, rather than sliced and searched line by line.
 */
export class NulFinder {
  private next: number;
  constructor(private readonly source: string) {
    this.next = source.indexOf("\0");
  }
  /** Offset of the first NUL in [start, end), or -1. */
  first(start: number, end: number): number {
    while (this.next !== -1 && this.next < start) this.next = this.source.indexOf("\0", this.next + 1);
    return this.next !== -1 && this.next < end ? this.next : -1;
  }
}
