/**
 * How large an input may be. A real inittab is a few kilobytes; the default limit is far above
 * any, and keeps a mistaken path (a disk image, a log) from being read whole into memory.
 */
import { InittabError } from "./errors.js";

/** The default largest input, in bytes: 16 MiB. */
export const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

const UNITS: Readonly<Record<string, number>> = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/**
 * A size as users write it: bytes, or with a binary suffix `K`, `M`, `G` (`KiB`, `MiB`, `GiB`
 * too). Undefined when it is not one.
 */
export function parseSize(text: string): number | undefined {
  const m = /^(\d+)\s*([kmg]?)(?:i?b)?$/i.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]) * UNITS[m[2]!.toLowerCase()]!;
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** A byte count for a message: `16 MiB`, `100.5 MiB`, `812 bytes`. */
export function formatSize(bytes: number): string {
  for (const [unit, size] of [["GiB", 1024 ** 3], ["MiB", 1024 ** 2], ["KiB", 1024]] as const) {
    if (bytes >= size) {
      const v = bytes / size;
      return `${Number.isInteger(v) ? v : v.toFixed(1)} ${unit}`;
    }
  }
  return `${bytes} byte${bytes === 1 ? "" : "s"}`;
}

/**
 * The error for an input over the limit, naming the file, its size (or "more than" when it is
 * a stream read up to the limit) and the limit.
 */
export function tooBig(shown: string, path: string, size: number | undefined, limit: number): InittabError {
  const what = size === undefined ? `more than ${formatSize(limit)}` : `${formatSize(size)} (${size} bytes)`;
  return new InittabError("too-big", `${shown}: is ${what}, over the limit of ${formatSize(limit)} (\`maxBytes\`)`, {
    path,
    details: { limit, ...(size !== undefined ? { size } : {}) },
  });
}
