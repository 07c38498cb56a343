/**
 * What a compressed file holds, from its first bytes alone: a directory search meets thousands
 * of compressed files that are no archives (gzip'd man pages and changelogs, compressed kernel
 * modules) and must tell a tarball from them without reading each one through. gzip is decoded
 * in place (node:zlib, synchronously: no thread pool round trip per file); the other codecs
 * through their stream decoders, stopped as soon as the first bytes are out.
 */
import { constants, gunzipSync } from "node:zlib";
import type { Codec } from "./magic.js";
import { Budget, DEFAULT_LIMITS } from "./limits.js";
import { classifyHead, HEAD_BYTES, isTarHeader, type HeadClass } from "./sniff.js";

/**
 * Compressed bytes to read at most: a zstd block (up to 128 KiB) must be whole before it
 * decodes, and an archive of compressed files barely compresses. Most files tell with the
 * first PEEK_FIRST_BYTES.
 */
export const PEEK_INPUT_BYTES = 256 * 1024;
export const PEEK_FIRST_BYTES = 16 * 1024;

/** Decoded bytes a gzip peek may produce before it gives up (64 KiB of zeros make 64 MiB). */
const GZIP_PEEK_OUTPUT = 8 * 1024 * 1024;

/**
 * Whether `head`, the first bytes of a file compressed with `codec`, decodes to the start of a
 * tar or cpio archive; undefined when it decodes to less than a tar header (more input may
 * tell). Damaged data says no: nothing tells an archive.
 */
export async function holdsArchive(head: Uint8Array, codec: Codec): Promise<boolean | undefined> {
  // bzip2 decodes nothing before a whole block of up to 900 kB is in: rare enough in a search
  // to be read through.
  if (codec === "bzip2") return true;
  const inner = codec === "gzip" ? gunzipHead(head) : await decodeHead(head, codec);
  if (inner === undefined || inner.length < 512) return undefined;
  if (isTarHeader(inner)) return true;
  const cls: HeadClass = classifyHead(inner);
  return cls.kind === "archive" && cls.format === "cpio";
}

function gunzipHead(head: Uint8Array): Uint8Array | undefined {
  // A little input first: 4 KiB decode to at most 4 MiB, and usually to more than a header.
  for (const size of [4096, head.length]) {
    try {
      // Z_SYNC_FLUSH: the input is cut short; decode what is there instead of failing on its end.
      const options = { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: GZIP_PEEK_OUTPUT };
      const out = gunzipSync(head.subarray(0, size), options);
      if (out.length >= HEAD_BYTES || size >= head.length) return out.subarray(0, HEAD_BYTES);
    } catch {
      if (size >= head.length) return undefined;
    }
  }
  return undefined;
}

async function decodeHead(head: Uint8Array, codec: Exclude<Codec, "gzip">): Promise<Uint8Array | undefined> {
  // The decoders load with the archive reader, only when a search meets such a file.
  const { decompress } = await import("./codecs.js");
  const parts: Uint8Array[] = [];
  let length = 0;
  const source = (async function* () {
    yield head;
  })();
  try {
    const options = { budget: new Budget(DEFAULT_LIMITS), xzProgram: "xz" as const, what: "the file" };
    for await (const chunk of decompress(codec, source, options)) {
      parts.push(chunk);
      length += chunk.length;
      if (length >= HEAD_BYTES) break;
    }
  } catch {
    // The input was cut short on purpose: what came out before is the answer.
  }
  return length === 0 ? undefined : Buffer.concat(parts).subarray(0, HEAD_BYTES);
}
