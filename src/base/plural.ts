/** Counts in messages: "1 warning", "2 warnings", "0 files" — never "1 warnings" or "file(s)". */

/** `count(1, "error")` is "1 error"; `count(2, "entry", "entries")` is "2 entries". */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
