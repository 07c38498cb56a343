/** Run the CLI's main() in this process and capture what it writes (stdout, stderr). */
import { vi } from "vitest";
import { main } from "../../src/cli/main.js";

export interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

/** Output is captured as binary strings (latin1), so bytes written raw can be checked exactly. */
export async function cli(...args: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const capture =
    (into: string[]) =>
    (chunk: string | Uint8Array): boolean => {
      into.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("latin1"));
      return true;
    };
  const o = vi.spyOn(process.stdout, "write").mockImplementation(capture(out));
  const e = vi.spyOn(process.stderr, "write").mockImplementation(capture(err));
  try {
    const status = await main(args);
    return { status, stdout: out.join(""), stderr: err.join("") };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}
