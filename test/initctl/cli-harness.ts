/**
 * Run the CLI in-process (src/cli/main.ts, no build needed) and capture what it writes.
 * Shared by the root-unmount CLI tests (initctl, tmpfs, exec-shutdown).
 */
import { main } from "../../src/cli/main.js";

export interface CliRun {
  code: number;
  stdout: Buffer;
  stderr: string;
}

export async function runCli(argv: string[], options: { stdoutIsTTY?: boolean } = {}): Promise<CliRun> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const capture =
    (sink: Buffer[]) =>
    (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      sink.push(typeof chunk === "string" ? Buffer.from(chunk, "utf8") : Buffer.from(chunk));
      const cb = rest.find((r) => typeof r === "function") as (() => void) | undefined;
      cb?.();
      return true;
    };
  const stdoutWrite = process.stdout.write;
  const stderrWrite = process.stderr.write;
  const tty = Object.getOwnPropertyDescriptor(process.stdout, "isTTY");
  process.stdout.write = capture(out);
  process.stderr.write = capture(err);
  Object.defineProperty(process.stdout, "isTTY", {
    value: options.stdoutIsTTY === true,
    configurable: true,
    writable: true,
  });
  try {
    const code = await main(argv);
    return { code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString("utf8") };
  } finally {
    process.stdout.write = stdoutWrite;
    process.stderr.write = stderrWrite;
    if (tty) Object.defineProperty(process.stdout, "isTTY", tty);
    else delete (process.stdout as { isTTY?: boolean }).isTTY;
  }
}
