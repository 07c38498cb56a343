import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InittabError } from "../../src/base/index.js";
import { execFileSync } from "node:child_process";
import {
  closeSync,
  constants,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
  symlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultFifo, defaultFifoCandidates, encodeRequest, sendRequest } from "../../src/initctl/index.js";

let dir: string;
const opened: number[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "inittab-send-"));
});
afterEach(() => {
  while (opened.length > 0) closeSync(opened.pop()!);
  rmSync(dir, { recursive: true, force: true });
});

function fifo(name = "initctl"): string {
  const p = join(dir, name);
  execFileSync("mkfifo", ["-m", "0600", p]);
  return p;
}

/** Open the read end the way init does: without blocking. */
function reader(path: string): number {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  opened.push(fd);
  return fd;
}

/** Everything queued in the FIFO now (the read end is non-blocking: EAGAIN ends it). */
function drain(fd: number): Buffer {
  const chunks: Buffer[] = [];
  const buf = Buffer.alloc(65536);
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, buf, 0, buf.length, null);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "EAGAIN") break;
      throw err;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  return Buffer.concat(chunks);
}

const REQUEST = encodeRequest({ command: "RUNLVL", runlevel: "U" });

describe("sendRequest", () => {
  it("writes exactly the 384 bytes to a FIFO with a reader", async () => {
    const p = fifo();
    const fd = reader(p);
    const result = await sendRequest(REQUEST, { fifo: p });
    expect(result).toEqual({ path: p, bytes: 384 });
    const got = drain(fd);
    expect(got.length).toBe(384);
    expect(got.equals(Buffer.from(REQUEST))).toBe(true);
  });

  it("follows a symlink to the FIFO (/dev/initctl -> /run/initctl)", async () => {
    const p = fifo();
    const link = join(dir, "dev-initctl");
    symlinkSync(p, link);
    const fd = reader(p);
    await sendRequest(REQUEST, { fifo: link });
    expect(drain(fd).length).toBe(384);
  });

  it("refuses a regular file and leaves it untouched", async () => {
    const p = join(dir, "initctl");
    writeFileSync(p, "precious\n");
    const before = statSync(p);
    await expect(sendRequest(REQUEST, { fifo: p })).rejects.toThrow(/regular file.*refusing/);
    expect(readFileSync(p, "utf8")).toBe("precious\n");
    expect(statSync(p).mtimeMs).toBe(before.mtimeMs);
  });

  it("never creates the path", async () => {
    const p = join(dir, "missing");
    await expect(sendRequest(REQUEST, { fifo: p })).rejects.toThrow(InittabError);
    expect(() => statSync(p)).toThrow();
  });

  it("refuses a directory and a character device", async () => {
    await expect(sendRequest(REQUEST, { fifo: dir })).rejects.toMatchObject({ code: "not-a-fifo" });
    await expect(sendRequest(REQUEST, { fifo: "/dev/null" })).rejects.toMatchObject({ code: "not-a-fifo" });
  });

  it("says nobody listens on a FIFO without a reader, at once", async () => {
    const p = fifo();
    const t0 = Date.now();
    const err = await sendRequest(REQUEST, { fifo: p }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InittabError);
    expect((err as InittabError).message).toBe(`no init is listening on ${p}`);
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it("gives up at the timeout when the reader never reads (a full FIFO)", async () => {
    const p = fifo();
    reader(p);
    // Fill the pipe buffer from another writer, as if init had stopped reading.
    const w = openSync(p, constants.O_WRONLY | constants.O_NONBLOCK);
    opened.push(w);
    const block = Buffer.alloc(4096);
    for (;;) {
      try {
        writeSync(w, block);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "EAGAIN") break;
        throw err;
      }
    }
    const t0 = Date.now();
    await expect(sendRequest(REQUEST, { fifo: p, timeoutMs: 300 })).rejects.toMatchObject({ code: "timeout" });
    const elapsed = Date.now() - t0;
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(2000);
  });

  it("refuses a request that is not 384 bytes", async () => {
    const p = fifo();
    reader(p);
    await expect(sendRequest(new Uint8Array(10), { fifo: p })).rejects.toMatchObject({ code: "invalid-request" });
  });
});

describe("the default FIFO", () => {
  it("comes from the dialect tables, newest first", () => {
    expect(defaultFifoCandidates()).toEqual(["/run/initctl", "/dev/initctl"]);
  });

  it("is the first candidate that exists, or a clear error", () => {
    const a = join(dir, "run-initctl");
    const b = fifo("dev-initctl");
    expect(defaultFifo([a, b])).toBe(b);
    writeFileSync(a, "");
    expect(defaultFifo([a, b])).toBe(a);
    expect(() => defaultFifo([join(dir, "x"), join(dir, "y")])).toThrow(/no initctl FIFO/);
  });
});
