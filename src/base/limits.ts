/**
 * How large an input may be. A real inittab is a few kilobytes; the default limit is far above
 * any, and keeps a mistaken path (a disk image, a log) from being read whole into memory.
 *
 * Memory grows with lines more than with bytes (an object per line, a finding per broken line),
 * so the limit also bounds the number of lines: one per BYTES_PER_LINE bytes of it. 16 MiB of
 * `a:` lines (5.6 million broken lines) took over 4 GB and ended in V8's out-of-memory abort;
 * at most 524,288 lines (16 MiB / 32) a check of the worst such file stays near 1.5 GB.
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

/** The limit allows one line per this many bytes of it. */
export const BYTES_PER_LINE = 32;

/** How many lines (newlines, and a last line without one) the bytes hold. */
export function countLines(bytes: Uint8Array): number {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let n = 0;
  for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) n++;
  return n + (bytes.length > 0 && bytes[bytes.length - 1] !== 10 ? 1 : 0);
}

/** The too-big error for an input of more lines than the limit allows, or undefined. */
export function tooManyLines(shown: string, path: string, bytes: Uint8Array, limit: number): InittabError | undefined {
  const maxLines = Math.max(1, Math.floor(limit / BYTES_PER_LINE));
  // Cheap first: fewer bytes than the line limit cannot hold more lines.
  if (bytes.length <= maxLines) return undefined;
  const lines = countLines(bytes);
  if (lines <= maxLines) return undefined;
  const n = (x: number): string => x.toLocaleString("en");
  return new InittabError(
    "too-big",
    `${shown}: has ${n(lines)} lines, over the limit of ${n(maxLines)} ` +
      `(one per ${BYTES_PER_LINE} bytes of \`maxBytes\`, ${formatSize(limit)})`,
    { path, details: { limit, lines, maxLines } },
  );
}

/** A byte count for a message: `16 MiB`, `100.5 MiB`, `812 bytes`. */
export function formatSize(bytes: number): string {
  for (const [unit, size] of [
    ["GiB", 1024 ** 3],
    ["MiB", 1024 ** 2],
    ["KiB", 1024],
  ] as const) {
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
