/** How findings word what they quote: file bytes made safe, lists of lines, suggestions, lengths. */
import { escapeBinary, escapeText } from "../base/bytes.js";
import type { Line } from "../document/index.js";

/**
 * A field value or other file bytes, quoted and escaped for a message. A long value is cut on a
 * character boundary and ends in "…".
 */
export function quote(binary: string, max = 40): string {
  // A character is at most 4 bytes: a prefix of 4 (max + 2) bytes holds more than max of them,
  // and a field of megabytes is not escaped whole to show 40.
  let shown = escapeBinary(binary.length > 4 * (max + 2) ? binary.slice(0, 4 * (max + 2)) : binary);
  if ([...shown].length > max) shown = `${[...shown].slice(0, max).join("")}…`;
  return `"${shown.replace(/"/g, '\\"')}"`;
}

/** Text that is not from the file (a path, a name the user gave), quoted and escaped for a message. */
export function quoteText(text: string): string {
  return `"${escapeText(text).replace(/"/g, '\\"')}"`;
}

/** A list of line numbers for a message: at most `max`, then how many more. */
export function lineList(lines: readonly number[], max = 10): string {
  const shown = lines.slice(0, max).join(", ");
  return lines.length > max ? `${shown} and ${lines.length - max} more` : shown;
}

/** Edit distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

/** The closest name within distance 2, for a suggestion. */
export function closest(word: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const name of names) {
    const d = editDistance(word.toLowerCase(), name.toLowerCase());
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * The length init measures for a field. init splits with strsep on ":" and only the process
 * stops at the newline: when a line has fewer than three colons, its last field keeps the line
 * terminator (CR and LF), so `abcd` alone on a line is a 5-byte id to init.
 */
export function initLength(line: Line, name: "id" | "runlevels" | "action"): number {
  const field = line.fields[name];
  if (!field) return 0;
  const last = (["id", "runlevels", "action"] as const)[Math.min(line.colons, 3)] === name && line.colons < 3;
  const terminator = line.terminator === "CRLF" ? 2 : line.terminator === "LF" ? 1 : 0;
  return field.value.length + (last ? terminator : 0);
}

/** Said when initLength counted the line terminator. */
export const NEWLINE_KEPT = " (init keeps the line's newline in the last field of a line with fewer than three colons)";

/** One of init's log messages as printable ASCII, as a message quotes it ("?" for other bytes). */
export function printable(logged: string): string {
  return logged.replace(/[^\x20-\x7e]/g, "?");
}
