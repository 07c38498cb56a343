/**
 * rpm packages: a 96-byte lead (magic ED AB EE DB), the signature header padded to 8 bytes, the
 * main header, then the payload (a compressed cpio archive). A header is a magic 8E AD E8 01,
 * 4 reserved bytes, the index count and data size (32-bit big-endian), 16-byte index entries
 * (tag, type, offset, count) and the data they point into. Only the tags this library needs are
 * decoded. (rpm's lib/header.c and doc/manual/format.md; tag numbers from rpmtag.h.)
 */
import { ArchiveFault } from "./errors.js";
import type { ByteReader } from "./reader.js";

export const RPM_LEAD_MAGIC = [0xed, 0xab, 0xee, 0xdb];
const HEADER_MAGIC = [0x8e, 0xad, 0xe8, 0x01];
const LEAD = 96;
/** rpm refuses more index entries than this (hdrchkTags). */
const MAX_TAGS = 0xffff;

export const RPMTAG = {
  NAME: 1000,
  VERSION: 1001,
  RELEASE: 1002,
  EPOCH: 1003,
  ARCH: 1022,
  PAYLOADFORMAT: 1124,
  PAYLOADCOMPRESSOR: 1125,
} as const;

const TYPE_INT32 = 4;
const TYPE_STRING = 6;
const TYPE_STRING_ARRAY = 8;
const TYPE_I18NSTRING = 9;

/** The decoded tags of one header: strings (the first of an array) and 32-bit integers. */
export type RpmTags = Map<number, string | number>;

/** Read the lead and both headers; the reader is left at the payload. */
export async function readRpmHeaders(reader: ByteReader, maxHeaderBytes: number): Promise<RpmTags> {
  const lead = await reader.read(LEAD, "the rpm lead");
  if (!RPM_LEAD_MAGIC.every((b, i) => lead[i] === b)) throw new ArchiveFault("corrupt", "not an rpm lead");
  // The signature header, then padding to a multiple of 8 bytes.
  const signatureSize = await readHeader(reader, "the rpm signature header", maxHeaderBytes, false);
  await reader.skip((8 - (signatureSize % 8)) % 8, "the rpm signature header's padding");
  const tags = new Map<number, string | number>();
  await readHeader(reader, "the rpm header", maxHeaderBytes, true, tags);
  return tags;
}

/** One header: its size in bytes; the wanted tags go into `tags` when decoding. */
async function readHeader(
  reader: ByteReader,
  what: string,
  maxBytes: number,
  decode: boolean,
  tags?: RpmTags,
): Promise<number> {
  const intro = await reader.read(16, what);
  if (!HEADER_MAGIC.every((b, i) => intro[i] === b))
    throw new ArchiveFault("corrupt", `${what} is damaged (bad magic)`);
  const view = new DataView(intro.buffer, intro.byteOffset, 16);
  const count = view.getUint32(8);
  const dataSize = view.getUint32(12);
  if (count > MAX_TAGS || 16 * count + dataSize > maxBytes) {
    throw new ArchiveFault("corrupt", `${what} claims ${count} tags and ${dataSize} bytes of data`);
  }
  const size = 16 + 16 * count + dataSize;
  if (!decode) {
    await reader.skip(16 * count + dataSize, what);
    return size;
  }
  const index = await reader.read(16 * count, what);
  const data = await reader.read(dataSize, what);
  const ix = new DataView(index.buffer, index.byteOffset, index.byteLength);
  const wanted = new Set<number>(Object.values(RPMTAG));
  for (let i = 0; i < count; i++) {
    const tag = ix.getUint32(i * 16);
    if (!wanted.has(tag)) continue;
    const type = ix.getUint32(i * 16 + 4);
    const offset = ix.getUint32(i * 16 + 8);
    if (offset >= dataSize) throw new ArchiveFault("corrupt", `${what}: tag ${tag} points past the data`);
    if (type === TYPE_STRING || type === TYPE_STRING_ARRAY || type === TYPE_I18NSTRING) {
      const end = data.indexOf(0, offset);
      if (end < 0) throw new ArchiveFault("corrupt", `${what}: tag ${tag} is not terminated`);
      tags?.set(tag, Buffer.from(data.subarray(offset, end)).toString("utf8"));
    } else if (type === TYPE_INT32) {
      if (offset + 4 > dataSize) throw new ArchiveFault("corrupt", `${what}: tag ${tag} points past the data`);
      tags?.set(tag, new DataView(data.buffer, data.byteOffset + offset, 4).getUint32(0));
    }
  }
  return size;
}
