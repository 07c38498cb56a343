/**
 * Shared pieces of the reliability suite (docs/reliability.md): hostile bytes, a terminal for
 * in-process runs, and the check that no raw control byte reached it.
 */
import { vi } from "vitest";
import { cli, type Run } from "../cli/in-process.js";

/** Bytes that act on a terminal: ESC sequences, the 8-bit CSI (raw and as UTF-8), BEL, DEL, bidi overrides. */
export const HOSTILE = "\x1b[2J\x1b]0;owned\x07\x9b31m\xc2\x9b1m\x7f\u202e\x08\x0d";

/** The same as the UTF-8 a user could type in an argument (an argument cannot hold a raw 0x9b byte). */
export const HOSTILE_ARG = "\x1b[2J\x1b]0;owned\x07\u009b31m\x7f\u202e\x08\r";

/**
 * Control characters in output written to a terminal: C0 but newline, DEL, C1 (U+0080 to U+009F
 * as UTF-8, or a raw byte 80 to 9F that is no part of a UTF-8 character), the bidi overrides.
 */
export function rawControls(output: string): string[] {
  const bytes = Buffer.from(output, "latin1");
  const found: string[] = [];
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const len = b >= 0xf0 && b <= 0xf4 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 && b <= 0xdf ? 2 : 1;
    const seq = bytes.subarray(i, i + len);
    const valid = len > 1 && seq.length === len && [...seq.subarray(1)].every((c) => (c & 0xc0) === 0x80);
    if (valid) {
      const cp = seq.toString("utf8").codePointAt(0)!;
      if ((cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) {
        found.push(`U+${cp.toString(16).padStart(4, "0")} at ${i}`);
      }
      i += len;
      continue;
    }
    if ((b < 0x20 && b !== 0x0a) || b === 0x7f || (b >= 0x80 && b <= 0x9f))
      found.push(`\\x${b.toString(16).padStart(2, "0")} at ${i}`);
    i++;
  }
  return found;
}

/** Run the CLI in this process as if stdout and stderr were a terminal (colours off: NO_COLOR). */
export async function onTerminal(...args: string[]): Promise<Run> {
  const out = Object.getOwnPropertyDescriptor(process.stdout, "isTTY");
  const err = Object.getOwnPropertyDescriptor(process.stderr, "isTTY");
  Object.defineProperty(process.stdout, "isTTY", { value: true, configurable: true });
  Object.defineProperty(process.stderr, "isTTY", { value: true, configurable: true });
  vi.stubEnv("NO_COLOR", "1");
  try {
    return await cli(...args);
  } finally {
    vi.unstubAllEnvs();
    restore(process.stdout, out);
    restore(process.stderr, err);
  }
}

function restore(stream: NodeJS.WriteStream, d: PropertyDescriptor | undefined): void {
  if (d) Object.defineProperty(stream, "isTTY", d);
  else delete (stream as { isTTY?: boolean }).isTTY;
}
