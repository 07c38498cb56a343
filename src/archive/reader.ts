/**
 * A pull reader over a stream of chunks, for the hand-written container parsers (ar, rpm, cpio):
 * they ask for exactly the bytes of a header, skip padding, and hand a member's body on as a
 * stream of its own without ever holding more than one chunk of it.
 */
import { ArchiveFault } from "./errors.js";

export type Chunks = AsyncIterable<Uint8Array>;

export interface Section {
  chunks: Chunks;
  finish(): Promise<void>;
}

export class ByteReader {
  private readonly iterator: AsyncIterator<Uint8Array>;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private ended = false;
  /** Bytes handed out (read, skipped or streamed) so far. */
  position = 0;

  /** `what` names the stream in truncation messages (`data.tar.xz`, `the rpm header`). */
  constructor(
    source: Chunks,
    private readonly what: string,
  ) {
    this.iterator = source[Symbol.asyncIterator]();
  }

  private async fill(n: number): Promise<void> {
    while (this.pendingBytes < n && !this.ended) {
      const next = await this.iterator.next();
      if (next.done) {
        this.ended = true;
        break;
      }
      if (next.value.length === 0) continue;
      this.pending.push(next.value);
      this.pendingBytes += next.value.length;
    }
  }

  /** Up to n bytes without consuming them (fewer only at the end of the stream). */
  async peek(n: number): Promise<Uint8Array> {
    await this.fill(n);
    return this.copyOut(Math.min(n, this.pendingBytes), false);
  }

  /** True when no byte is left. */
  async atEnd(): Promise<boolean> {
    await this.fill(1);
    return this.pendingBytes === 0;
  }

  /** Exactly n bytes; ending sooner is a `truncated` fault naming `context`. */
  async read(n: number, context: string): Promise<Uint8Array> {
    await this.fill(n);
    if (this.pendingBytes < n) throw this.endsEarly(context);
    return this.copyOut(n, true);
  }

  /** Skip exactly n bytes. */
  async skip(n: number, context: string): Promise<void> {
    for await (const _ of this.take(n, context)) {
      // discarded
    }
  }

  /**
   * The next n bytes as a stream of chunks. The caller must consume it (or call `skip` for
   * what it left) before reading on; ending sooner is a `truncated` fault naming `context`.
   */
  async *take(n: number, context: string): AsyncGenerator<Uint8Array> {
    let left = n;
    while (left > 0) {
      if (this.pendingBytes === 0) await this.fill(1);
      if (this.pendingBytes === 0) throw this.endsEarly(context);
      const head = this.pending[0]!;
      const part = head.length <= left ? head : head.subarray(0, left);
      if (part === head) this.pending.shift();
      else this.pending[0] = head.subarray(left);
      this.pendingBytes -= part.length;
      this.position += part.length;
      left -= part.length;
      yield part;
    }
  }

  /**
   * The next n bytes as a section: `chunks` to hand a consumer (stopping early does not lose
   * the reader's place) and `finish` to skip whatever the consumer left of it.
   */
  section(n: number, context: string): Section {
    const body = this.take(n, context);
    return {
      chunks: {
        [Symbol.asyncIterator]: () => ({
          next: () => body.next(),
          return: async () => ({ done: true, value: undefined }),
        }),
      },
      finish: async () => {
        while (!(await body.next()).done) {
          // discarded
        }
      },
    };
  }

  /** Everything that is left, as a stream. */
  async *rest(): AsyncGenerator<Uint8Array> {
    while (true) {
      await this.fill(1);
      if (this.pendingBytes === 0) return;
      const head = this.pending.shift()!;
      this.pendingBytes -= head.length;
      this.position += head.length;
      yield head;
    }
  }

  /**
   * Stop reading the source (a consumer that found what it needs, or gave up). Not awaited: a
   * source that is a pipe may be waiting for its writer, and the reader's caller must not.
   */
  close(): void {
    this.pending = [];
    this.pendingBytes = 0;
    this.ended = true;
    this.iterator.return?.()?.catch(() => {});
  }

  private endsEarly(context: string): ArchiveFault {
    return new ArchiveFault("truncated", `${this.what} ends early (in ${context})`);
  }

  private copyOut(n: number, consume: boolean): Uint8Array {
    const out = new Uint8Array(n);
    let at = 0;
    let i = 0;
    while (at < n) {
      const chunk = this.pending[i]!;
      const part = chunk.subarray(0, Math.min(chunk.length, n - at));
      out.set(part, at);
      at += part.length;
      if (consume) {
        if (part.length === chunk.length) {
          this.pending.shift();
        } else {
          this.pending[0] = chunk.subarray(part.length);
        }
      } else {
        i++;
      }
    }
    if (consume) {
      this.pendingBytes -= n;
      this.position += n;
    }
    return out;
  }
}

/** A whole (small) stream as one buffer, refusing more than `max` bytes. */
export async function collect(source: Chunks, max: number, tooBig: () => ArchiveFault): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of source) {
    size += chunk.length;
    if (size > max) throw tooBig();
    parts.push(chunk);
  }
  return Buffer.concat(parts, size);
}

/** Consume a stream to its end, keeping nothing. */
export async function drain(source: Chunks): Promise<void> {
  for await (const _ of source) {
    // discarded
  }
}
