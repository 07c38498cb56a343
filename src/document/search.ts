/**
 * Bisection over arrays sorted by offset (lines, view lines, entries, drops, findings): the one
 * search the document and the rules use instead of scanning a whole file per lookup.
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
