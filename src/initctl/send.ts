/**
 * Write a request to init's FIFO the way telinit does (telinit in init.c; docs/internals/initctl.md), but
 * without its two ways of doing harm: telinit opens the path blocking (a FIFO nobody reads
 * hangs it until alarm(3)), and it would write into whatever file has that name. Here the path
 * must be a FIFO, it is opened without blocking and without O_CREAT/O_TRUNC, and the whole
 * request goes out in one write (≤ PIPE_BUF, so the kernel writes it whole or not at all).
 */
import { closeSync, constants, existsSync, fstatSync, openSync, statSync, writeSync } from "node:fs";
import { InittabError } from "../base/errors.js";
import { DIALECTS } from "../dialects/index.js";
import { REQUEST_SIZE, TELINIT_TIMEOUT_MS } from "./protocol.js";

export interface SendOptions {
  /** The FIFO; default the first of the dialects' FIFO paths that exists (/run/initctl, then /dev/initctl). */
  fifo?: string;
  /** Give up after this long overall (telinit: alarm(3)). */
  timeoutMs?: number;
}

export interface SendResult {
  path: string;
  bytes: number;
}

/** A failed send, as an InittabError with the FIFO's path. */
function sendError(
  code: "no-fifo" | "not-a-fifo" | "no-reader" | "timeout" | "io-error" | "invalid-request",
  message: string,
  path?: string,
  errno?: string,
): InittabError {
  return new InittabError(code, message, {
    ...(path !== undefined ? { path } : {}),
    ...(errno !== undefined ? { errno } : {}),
  });
}

/**
 * The FIFO paths the sysvinit dialects use, newest first: /run/initctl (2.89+, and Debian's
 * 2.88dsf) before /dev/initctl (upstream 2.88). Taken from the dialect tables, not restated.
 */
export function defaultFifoCandidates(): string[] {
  const paths: string[] = [];
  const byNewest = Object.values(DIALECTS)
    .filter((d) => d.fifoPath !== null)
    .sort((a, b) => compareVersions(b.version, a.version));
  for (const d of byNewest) if (d.fifoPath && !paths.includes(d.fifoPath)) paths.push(d.fifoPath);
  return paths;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The FIFO to use when none was given: the first candidate that exists. */
export function defaultFifo(candidates: readonly string[] = defaultFifoCandidates()): string {
  for (const p of candidates) if (existsSync(p)) return p;
  throw sendError("no-fifo", `no initctl FIFO: none of ${candidates.join(", ")} exists (is sysvinit running?)`);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Send one request to init's FIFO (default: /run/initctl, or /dev/initctl when only that
 * exists); resolves when the FIFO has all of it. Writes to a FIFO only, never to a regular file,
 * and gives up after telinit's 3 seconds.
 *
 * @throws InittabError `no-fifo`, `not-a-fifo`, `no-reader`, `timeout`, `invalid-request`, `io-error`.
 */
export async function sendRequest(bytes: Uint8Array, options: SendOptions = {}): Promise<SendResult> {
  if (bytes.length !== REQUEST_SIZE) {
    throw sendError("invalid-request", `a request is exactly ${REQUEST_SIZE} bytes, this one is ${bytes.length}`);
  }
  const timeoutMs = options.timeoutMs ?? TELINIT_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  const path = options.fifo ?? defaultFifo();

  // stat, not lstat: /dev/initctl is often a symlink to /run/initctl.
  let st;
  try {
    st = statSync(path);
  } catch (err) {
    throw ioError(path, err);
  }
  if (!st.isFIFO()) throw notAFifo(path, st);

  let fd: number;
  try {
    // O_NONBLOCK: with nobody reading, open fails with ENXIO at once instead of hanging.
    // No O_CREAT, no O_TRUNC: a path that turned into a regular file is neither made nor emptied.
    fd = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENXIO") {
      throw sendError("no-reader", `no init is listening on ${path}`, path);
    }
    throw ioError(path, err);
  }
  try {
    // The path may have been swapped between stat and open: check what was actually opened.
    const opened = fstatSync(fd);
    if (!opened.isFIFO()) throw notAFifo(path, opened);
    for (;;) {
      try {
        const n = writeSync(fd, bytes, 0, bytes.length);
        // 384 < PIPE_BUF: a FIFO write of it is atomic, so a short write cannot happen; if a
        // platform ever did one, init would read a short request and reject it as bogus.
        if (n !== bytes.length)
          throw sendError("io-error", `${path}: short write (${n} of ${bytes.length} bytes)`, path);
        return { path, bytes: n };
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== "EAGAIN" && code !== "EWOULDBLOCK") {
          if (err instanceof InittabError) throw err;
          if (code === "EPIPE") throw sendError("no-reader", `no init is listening on ${path}`, path);
          throw ioError(path, err);
        }
        // The FIFO is full: init is not reading. Wait a little, never past the deadline.
        const left = deadline - Date.now();
        if (left <= 0) {
          throw sendError(
            "timeout",
            `timeout writing to ${path}: init did not read its FIFO within ${timeoutMs / 1000} s`,
            path,
          );
        }
        await sleep(Math.min(20, left));
      }
    }
  } finally {
    closeSync(fd);
  }
}

function notAFifo(
  path: string,
  st: { isFile(): boolean; isDirectory(): boolean; isCharacterDevice(): boolean; isSocket(): boolean },
): InittabError {
  const what = st.isFile()
    ? "a regular file"
    : st.isDirectory()
      ? "a directory"
      : st.isCharacterDevice()
        ? "a character device"
        : st.isSocket()
          ? "a socket"
          : "not a FIFO";
  return sendError("not-a-fifo", `${path} is ${what}, not init's FIFO: refusing to write to it`, path);
}

function ioError(path: string, err: unknown): InittabError {
  const e = err as NodeJS.ErrnoException;
  const reasons: Record<string, string> = {
    ENOENT: "no such file or directory (is sysvinit running?)",
    EACCES: "permission denied (init's FIFO is mode 0600: run as root)",
    EPERM: "operation not permitted",
    ENOTDIR: "not a directory",
    ELOOP: "too many levels of symbolic links",
  };
  const reason = (e?.code && reasons[e.code]) || e?.message || String(err);
  return sendError("io-error", `${path}: ${reason}`, path, e?.code);
}
