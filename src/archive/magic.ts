/**
 * The magic numbers of the codecs, apart from their decoders: telling what a file is (sniff.ts)
 * must not load the decompression libraries.
 */

export type Codec = "gzip" | "xz" | "zstd" | "bzip2";

/** The codec whose magic bytes start `head`, if any. */
export function codecOf(head: Uint8Array): Codec | undefined {
  if (head[0] === 0x1f && head[1] === 0x8b) return "gzip";
  if (startsWith(head, XZ_MAGIC)) return "xz";
  if (startsWith(head, ZSTD_MAGIC)) return "zstd";
  // "BZh" + block size, then the first block's magic (π) or the end-of-stream magic (√π):
  // "BZh" alone could start a line of text.
  if (head[0] === 0x42 && head[1] === 0x5a && head[2] === 0x68 && head[3]! >= 0x31 && head[3]! <= 0x39) {
    if (startsWith(head.subarray(4), BZIP2_BLOCK) || startsWith(head.subarray(4), BZIP2_END)) return "bzip2";
  }
  return undefined;
}

const XZ_MAGIC = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];
const BZIP2_BLOCK = [0x31, 0x41, 0x59, 0x26, 0x53, 0x59];
const BZIP2_END = [0x17, 0x72, 0x45, 0x38, 0x50, 0x90];

export function startsWith(bytes: Uint8Array, magic: readonly number[], at = 0): boolean {
  if (bytes.length < at + magic.length) return false;
  return magic.every((b, i) => bytes[at + i] === b);
}
