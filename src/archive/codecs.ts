/**
 * Decompression as streams of chunks: gzip (node:zlib), xz (xz-decompress: xz-embedded in
 * WebAssembly), zstd (fzstd) and bzip2 (unbzip2-stream). Every decoder's output is counted
 * against the archive's Budget, and codec errors become ArchiveFaults that say what broke.
 *
 * xz-embedded does not verify SHA-256 integrity checks, which rpm writes into every xz payload;
 * such a stream goes to the `xz` program (xz-utils) when there is one, else it is `unsupported`.
 */
import { spawn } from "node:child_process";
import { Readable, pipeline, type Duplex } from "node:stream";
import { ReadableStream } from "node:stream/web";
import { createGunzip } from "node:zlib";
import { Decompress as ZstdDecompress } from "fzstd";
import unbzip2 from "unbzip2-stream";
import xzDecompress from "xz-decompress";
import { drained } from "../base/drain.js";
import { ArchiveFault } from "./errors.js";
import { formatBytes, type Budget } from "./limits.js";
import type { Chunks } from "./reader.js";
import type { Codec } from "./magic.js";

// The codecs' magic numbers live in magic.ts, which sniffing loads without these libraries.
export { codecOf, startsWith, type Codec } from "./magic.js";

export interface DecompressOptions {
  budget: Budget;
  /** The `xz` program for streams xz-embedded cannot check; false: never run one. */
  xzProgram: string | false;
  /** What the stream is, for messages: `data.tar.xz`, `the rpm payload`. */
  what: string;
}

/** The decompressed chunks of `source`, compressed with `codec`. */
export async function* decompress(
  codec: Codec,
  source: Chunks,
  options: DecompressOptions,
): AsyncGenerator<Uint8Array> {
  const chunks = decoderFor(codec, source, options);
  try {
    for await (const chunk of chunks) {
      options.budget.expanded(chunk.length, `${options.what} (${codec})`);
      yield chunk;
    }
  } catch (err) {
    throw codecFault(codec, options.what, err);
  }
}

function decoderFor(codec: Codec, source: Chunks, options: DecompressOptions): Chunks {
  switch (codec) {
    case "gzip":
      // node:zlib reads concatenated gzip members as one stream, as gzip(1) does: Alpine's
      // packages are three of them.
      return throughDuplex(source, createGunzip());
    case "bzip2":
      return bzip2(source);
    case "zstd":
      return zstd(source, options.budget.limits.maxZstdWindow);
    case "xz":
      return xz(source, options);
  }
}

/** Errors thrown by the decoders, as faults. */
function codecFault(codec: Codec, what: string, err: unknown): unknown {
  if (err instanceof ArchiveFault) return err;
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: unknown } | undefined)?.code;
  if (codec === "gzip") {
    if (code === "Z_BUF_ERROR" || /unexpected end/i.test(message))
      return new ArchiveFault("truncated", `${what} ends early (gzip: unexpected end of input)`);
    return new ArchiveFault("corrupt", `${what}: gzip: ${message}`);
  }
  if (codec === "zstd") {
    if (/unexpected EOF/i.test(message))
      return new ArchiveFault("truncated", `${what} ends early (zstd: unexpected end of input)`);
    return new ArchiveFault("corrupt", `${what}: zstd: ${message}`);
  }
  if (codec === "bzip2") {
    // unbzip2-stream throws TypeErrors from inside its bit reader when the data stops short.
    if (err instanceof TypeError)
      return new ArchiveFault("corrupt", `${what}: bzip2: the data is damaged or ends early`);
    if (/ended prematurely/.test(message))
      return new ArchiveFault("truncated", `${what} ends early (bzip2: unexpected end of input)`);
    return new ArchiveFault("corrupt", `${what}: bzip2: ${message}`);
  }
  return new ArchiveFault("corrupt", `${what}: ${codec}: ${message}`);
}

/**
 * A Node duplex (zlib) fed from `source`, its output read as it comes. The pipeline's own error
 * wins over the "premature close" the reading side sees.
 */
async function* throughDuplex(source: Chunks, decoder: Duplex): AsyncGenerator<Uint8Array> {
  let failure: unknown;
  const settled = new Promise<void>((resolve) => {
    pipeline(Readable.from(source, { objectMode: false }), decoder, (err) => {
      if (err) failure ??= err;
      resolve();
    });
  });
  let completed = false;
  try {
    for await (const chunk of decoder) yield chunk as Uint8Array;
    completed = true;
  } catch (err) {
    await Promise.race([settled, new Promise((r) => setImmediate(r))]);
    throw failure ?? err;
  } finally {
    // A consumer that stopped early: release the decoder and, through the pipeline, the source.
    if (!completed) decoder.destroy();
  }
  await settled;
  if (failure) throw failure;
}

/**
 * unbzip2-stream is a classic (`through`) stream: it decodes synchronously inside write() and
 * end(), emitting each block as it completes, and never emits 'finish', so Node's pipeline takes
 * its close for a premature one (a stream small enough to be decoded at end() failed so). It is
 * fed by hand: what one write produces is at most the blocks its input completes.
 */
async function* bzip2(source: Chunks): AsyncGenerator<Uint8Array> {
  const decoder = unbzip2();
  let out: Uint8Array[] = [];
  let failure: unknown;
  decoder.on("data", (block: Uint8Array) => {
    out.push(block);
  });
  decoder.on("error", (err: unknown) => {
    failure ??= err;
  });
  const produced = (): Uint8Array[] => {
    if (failure !== undefined) throw failure;
    const blocks = out;
    out = [];
    return blocks;
  };
  for await (const chunk of source) {
    decoder.write(chunk);
    yield* produced();
  }
  decoder.end();
  yield* produced();
}

/**
 * fzstd decodes synchronously, handing out each block (at most 128 KiB) as it completes. Input
 * goes in small slices so that what one call produces stays small even for runs of RLE blocks.
 * fzstd allocates each frame's whole window up front, so every frame header is checked first.
 */
async function* zstd(source: Chunks, maxWindow: number): AsyncGenerator<Uint8Array> {
  const SLICE = 4096;
  let out: Uint8Array[] = [];
  const decoder = new ZstdDecompress((chunk) => {
    out.push(chunk);
  });
  const frames = new ZstdFrameScanner(maxWindow);
  const feed = function* (chunk: Uint8Array, final: boolean): Generator<Uint8Array> {
    frames.scan(chunk);
    for (let at = 0; at < chunk.length || (final && at === 0); at += SLICE) {
      decoder.push(chunk.subarray(at, at + SLICE), final && at + SLICE >= chunk.length);
      const produced = out;
      out = [];
      yield* produced;
    }
  };
  // One chunk is held back so that the last one can be pushed with `final`.
  let held: Uint8Array | undefined;
  for await (const chunk of source) {
    if (held) yield* feed(held, false);
    held = chunk;
  }
  yield* feed(held ?? new Uint8Array(0), true);
}

const ZSTD_FRAME_MAGIC = 0xfd2fb528;

/**
 * Walks the frames of a zstd stream without decoding them (RFC 8878, 3.1): a frame header
 * gives the window, a 3-byte block header its block's size, skippable frames their length.
 * Refuses a frame whose window (or single-segment content) is over the limit. Anything it does
 * not recognise is left to the decoder to reject.
 */
export class ZstdFrameScanner {
  private header: number[] = [];
  private skip = 0;
  private state: "frame" | "block" | "opaque" = "frame";
  private lastBlock = false;
  private checksum = false;

  constructor(private readonly maxWindow: number) {}

  scan(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length && this.state !== "opaque") {
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - i);
        this.skip -= n;
        i += n;
        continue;
      }
      this.header.push(chunk[i++]!);
      if (this.state === "frame") this.frameHeader();
      else this.blockHeader();
    }
  }

  private frameHeader(): void {
    const h = this.header;
    if (h.length < 4) return;
    const magic = (h[0]! | (h[1]! << 8) | (h[2]! << 16) | (h[3]! << 24)) >>> 0;
    if ((magic & 0xfffffff0) === 0x184d2a50) {
      if (h.length < 8) return;
      this.skip = (h[4]! | (h[5]! << 8) | (h[6]! << 16) | (h[7]! << 24)) >>> 0;
      this.header = [];
      return;
    }
    if (magic !== ZSTD_FRAME_MAGIC) {
      this.state = "opaque";
      return;
    }
    if (h.length < 5) return;
    const descriptor = h[4]!;
    const singleSegment = (descriptor >> 5) & 1;
    const sizeBytes = [singleSegment, 2, 4, 8][descriptor >> 6]!;
    const dictBytes = [0, 1, 2, 4][descriptor & 3]!;
    const length = 5 + (singleSegment ? 0 : 1) + dictBytes + sizeBytes;
    if (h.length < length) return;
    let window: number;
    if (singleSegment) {
      const at = 5 + dictBytes;
      window = 0;
      for (let k = sizeBytes - 1; k >= 0; k--) window = window * 256 + h[at + k]!;
      if (sizeBytes === 2) window += 256;
    } else {
      const log = 10 + (h[5]! >> 3);
      const base = 2 ** log;
      window = base + (base / 8) * (h[5]! & 7);
    }
    if (window > this.maxWindow) {
      throw new ArchiveFault(
        "bomb",
        `zstd: a frame needs a ${formatBytes(window)} window, over the ${formatBytes(this.maxWindow)} limit`,
      );
    }
    this.checksum = ((descriptor >> 2) & 1) === 1;
    this.header = [];
    this.state = "block";
  }

  private blockHeader(): void {
    const h = this.header;
    if (h.length < 3) return;
    const value = h[0]! | (h[1]! << 8) | (h[2]! << 16);
    this.header = [];
    this.lastBlock = (value & 1) === 1;
    const type = (value >> 1) & 3;
    if (type === 3) {
      this.state = "opaque";
      return;
    }
    // An RLE block holds one byte; its size field is what it expands to.
    this.skip = type === 1 ? 1 : value >>> 3;
    if (this.lastBlock) {
      this.skip += this.checksum ? 4 : 0;
      this.state = "frame";
    }
  }
}

/** xz: in-process, or through the `xz` program for what xz-embedded cannot check. */
async function* xz(source: Chunks, options: DecompressOptions): AsyncGenerator<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  const first = await iterator.next();
  const head = first.done ? new Uint8Array(0) : first.value;
  const rest: Chunks = {
    async *[Symbol.asyncIterator]() {
      if (!first.done) yield head;
      while (true) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    },
  };
  // Stream flags: the low nibble of byte 7 is the check type; 0x0a is SHA-256.
  if (head.length >= 8 && (head[7]! & 0x0f) === 0x0a) {
    if (options.xzProgram === false) {
      throw new ArchiveFault(
        "unsupported",
        `${options.what}: its xz stream uses a SHA-256 check, which needs the xz program (xz-utils)`,
      );
    }
    yield* xzProgram(rest, options.xzProgram, options.what);
    return;
  }
  const input = ReadableStream.from(rest) as unknown as globalThis.ReadableStream<Uint8Array>;
  const decoded = new xzDecompress.XzReadableStream(input) as unknown as AsyncIterable<Uint8Array>;
  try {
    yield* decoded;
  } catch (err) {
    throw xzFault(err, options.what);
  }
}

/** xz-embedded's return codes (xz.h, enum xz_ret), as xz-decompress reports them. */
function xzFault(err: unknown, what: string): ArchiveFault {
  if (err instanceof ArchiveFault) return err;
  const message = err instanceof Error ? err.message : String(err);
  const code = Number(/error code (\d+)/.exec(message)?.[1]);
  switch (code) {
    case 3:
    case 4:
      return new ArchiveFault("bomb", `${what}: xz: the stream needs a larger dictionary than the decoder allows`);
    case 5:
      return new ArchiveFault("corrupt", `${what}: xz: not xz data`);
    case 6:
      return new ArchiveFault(
        "unsupported",
        `${what}: xz: an unsupported filter or integrity check (only LZMA2 with CRC32 or CRC64 is read in-process)`,
      );
    case 7:
      return new ArchiveFault("corrupt", `${what}: xz: the compressed data is damaged`);
    case 8:
      return new ArchiveFault("truncated", `${what} ends early (xz: unexpected end of input)`);
    default:
      return new ArchiveFault("corrupt", `${what}: xz: ${message}`);
  }
}

/** Decompress through the `xz` program, with its memory limit; its stderr names the error. */
async function* xzProgram(source: Chunks, program: string, what: string): AsyncGenerator<Uint8Array> {
  const child = spawn(program, ["--decompress", "--stdout", "--memlimit-decompress=256MiB", "--quiet", "--no-warn"], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (s: string) => {
    if (stderr.length < 1000) stderr += s;
  });
  const exited = new Promise<{ code: number | null; error?: Error }>((resolve) => {
    child.on("error", (error) => resolve({ code: null, error }));
    child.on("close", (code) => resolve({ code }));
  });
  // The writer stops quietly when xz exits early (EPIPE): xz's exit status says why.
  child.stdin.on("error", () => {});
  const writing = (async () => {
    for await (const chunk of source) {
      if (child.stdin.destroyed) return;
      if (!child.stdin.write(chunk)) await drained(child.stdin);
    }
    child.stdin.end();
  })();
  let completed = false;
  try {
    for await (const chunk of child.stdout) yield chunk as Uint8Array;
    await writing;
    const { code, error } = await exited;
    if (error)
      throw new ArchiveFault(
        "unsupported",
        `${what}: its xz stream uses a SHA-256 check, which needs the xz program (${error.message})`,
      );
    if (code !== 0) {
      const reason =
        stderr
          .replace(/^xz: \(stdin\): /m, "")
          .trim()
          .split("\n")[0] ?? "";
      if (/unexpected end/i.test(reason)) throw new ArchiveFault("truncated", `${what} ends early (xz: ${reason})`);
      if (/memory usage limit/i.test(reason)) throw new ArchiveFault("bomb", `${what}: xz: ${reason}`);
      throw new ArchiveFault("corrupt", `${what}: xz: ${reason || `exit status ${code}`}`);
    }
    completed = true;
  } finally {
    if (!completed) child.kill();
  }
}
