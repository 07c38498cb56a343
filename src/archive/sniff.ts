/**
 * What a file is, from its first bytes: an archive this library reads, a compressed stream
 * (which may hold one), encrypted data, some other binary file, or text. The CLI checks text as
 * an inittab, reads archives and compressed streams with readArchive, and refuses the rest
 * with one line, instead of reporting findings on the bytes of a picture or a program.
 *
 * A real inittab may hold a stray NUL or bytes that are not UTF-8 (init reads bytes): only a
 * known magic number, or a first KiB or more that is largely control bytes and invalid UTF-8,
 * makes a file binary.
 */
import { AR_MAGIC } from "./ar.js";
import { codecOf, startsWith, type Codec } from "./magic.js";
import { CPIO_CRC, CPIO_NEWC, CPIO_RPM_STRIPPED } from "./cpio.js";
import { RPM_LEAD_MAGIC } from "./rpm.js";

/** How many bytes classifyHead wants to see (fewer when the file is shorter). */
export const HEAD_BYTES = 4096;

export type ArchiveKind = "ar" | "rpm" | "tar" | "cpio" | "apk-v3";

export type HeadClass =
  | { kind: "archive"; format: ArchiveKind; what: string }
  | { kind: "compressed"; codec: Codec; what: string }
  | { kind: "encrypted"; what: string }
  | { kind: "binary"; what: string }
  | { kind: "text" };

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

/** Binary formats an inittab is sometimes confused with, by magic number. */
const BINARY_MAGIC: readonly { at: number; magic: number[]; what: string }[] = [
  { at: 0, magic: [0x7f, 0x45, 0x4c, 0x46], what: "an ELF executable or library" },
  { at: 0, magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], what: "a PNG image" },
  { at: 0, magic: [0xff, 0xd8, 0xff], what: "a JPEG image" },
  { at: 0, magic: ascii("GIF8"), what: "a GIF image" },
  { at: 0, magic: ascii("%PDF-"), what: "a PDF document" },
  { at: 0, magic: [0x50, 0x4b, 0x03, 0x04], what: "a zip archive (not read: packages and images are not zips)" },
  { at: 0, magic: [0x50, 0x4b, 0x05, 0x06], what: "an empty zip archive" },
  { at: 0, magic: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], what: "a 7-Zip archive (not read)" },
  { at: 0, magic: ascii("Rar!\x1a\x07"), what: "a RAR archive (not read)" },
  { at: 0, magic: [0x04, 0x22, 0x4d, 0x18], what: "lz4-compressed data (not read)" },
  { at: 0, magic: ascii("hsqs"), what: "a squashfs image (not read; unpack it and use --root)" },
  { at: 0, magic: ascii("sqsh"), what: "a squashfs image (not read; unpack it and use --root)" },
  { at: 0, magic: [0xca, 0xfe, 0xba, 0xbe], what: "a Java class or Mach-O universal binary" },
  { at: 0, magic: [0xcf, 0xfa, 0xed, 0xfe], what: "a Mach-O executable" },
  { at: 0, magic: [0xce, 0xfa, 0xed, 0xfe], what: "a Mach-O executable" },
  { at: 0, magic: [0x00, 0x61, 0x73, 0x6d], what: "a WebAssembly module" },
  { at: 0, magic: ascii("SQLite format 3\0"), what: "an SQLite database" },
  { at: 0, magic: [0xff, 0xfe], what: "UTF-16 text (init reads bytes: convert it to UTF-8 or ASCII)" },
  { at: 0, magic: [0xfe, 0xff], what: "UTF-16 text (init reads bytes: convert it to UTF-8 or ASCII)" },
];

const ENCRYPTED_MAGIC: readonly { magic: number[]; what: string }[] = [
  { magic: ascii("-----BEGIN PGP MESSAGE-----"), what: "an OpenPGP-encrypted message" },
  { magic: ascii("age-encryption.org/v1\n"), what: "an age-encrypted file" },
  { magic: ascii("-----BEGIN AGE ENCRYPTED FILE-----"), what: "an age-encrypted file" },
  { magic: ascii("Salted__"), what: "data encrypted with openssl enc" },
];

export function classifyHead(head: Uint8Array): HeadClass {
  if (startsWith(head, ascii(AR_MAGIC)))
    return { kind: "archive", format: "ar", what: "an ar archive (.deb or .ipk package)" };
  if (startsWith(head, RPM_LEAD_MAGIC)) return { kind: "archive", format: "rpm", what: "an rpm package" };
  if (isTarHeader(head)) return { kind: "archive", format: "tar", what: "a tar archive" };
  if (isCpioHeader(head)) return { kind: "archive", format: "cpio", what: "a cpio archive" };
  if (startsWith(head, ascii("ADB.")) || startsWith(head, ascii("ADBd")) || startsWith(head, ascii("ADBc"))) {
    return { kind: "archive", format: "apk-v3", what: "an Alpine apk v3 (ADB) package" };
  }
  const codec = codecOf(head);
  if (codec) return { kind: "compressed", codec, what: `${codec}-compressed data` };
  for (const { magic, what } of ENCRYPTED_MAGIC) if (startsWith(head, magic)) return { kind: "encrypted", what };
  for (const { at, magic, what } of BINARY_MAGIC) if (startsWith(head, magic, at)) return { kind: "binary", what };
  const suspect = suspectBytes(head);
  if (suspect >= MIN_SUSPECT && suspect >= head.length * SUSPECT_SHARE) {
    // An OpenPGP binary message starts with a public-key or symmetric-key session key packet.
    if (OPENPGP_SESSION_PACKET.has(head[0]!)) return { kind: "encrypted", what: "OpenPGP-encrypted data" };
    const percent = Math.round((100 * suspect) / head.length);
    return {
      kind: "binary",
      what: `binary data (${percent}% of its first ${head.length} bytes are control bytes or not UTF-8)`,
    };
  }
  return { kind: "text" };
}

/** A binary file: at least this many suspect bytes, and this share of the sample. */
const MIN_SUSPECT = 32;
const SUSPECT_SHARE = 0.3;

/** Old-format packet tags 1 (public-key session key) and 3 (symmetric session key), and new-format ones. */
const OPENPGP_SESSION_PACKET = new Set([0x84, 0x85, 0x86, 0x87, 0x8c, 0x8d, 0x8e, 0x8f, 0xc1, 0xc3]);

/**
 * Bytes no text has: NUL and the other C0 controls but tab, newline, vertical tab, form feed,
 * carriage return and escape; DEL; and bytes of sequences that are not UTF-8. (Latin-1 text
 * has a few of the latter; binary data is mostly made of them.)
 */
function suspectBytes(bytes: Uint8Array): number {
  let count = 0;
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      if ((b < 0x20 && !(b >= 0x09 && b <= 0x0d) && b !== 0x1b) || b === 0x7f) count++;
      i++;
      continue;
    }
    const len = utf8Length(bytes, i);
    if (len === 0) {
      count++;
      i++;
    } else {
      i += len;
    }
  }
  return count;
}

/** The length of the UTF-8 sequence at i, 0 when invalid (a sequence cut by the sample's end counts as valid). */
function utf8Length(bytes: Uint8Array, i: number): number {
  const b = bytes[i]!;
  const len = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
  if (len === 0) return 0;
  for (let k = 1; k < len; k++) {
    if (i + k >= bytes.length) return bytes.length - i;
    if ((bytes[i + k]! & 0xc0) !== 0x80) return 0;
  }
  return len;
}

/**
 * A tar header block: "ustar" at 257 (POSIX and GNU), or for old v7 archives a header whose
 * checksum (the byte sum with the checksum field read as spaces) matches its octal field.
 */
export function isTarHeader(head: Uint8Array): boolean {
  if (head.length < 512) return false;
  if (startsWith(head, ascii("ustar"), 257)) return true;
  if (head[0] === 0) return false;
  const field = Buffer.from(head.subarray(148, 156))
    .toString("latin1")
    .replace(/[\0 ]+$/, "")
    .trim();
  if (!/^[0-7]{1,7}$/.test(field)) return false;
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : head[i]!;
  return sum === parseInt(field, 8);
}

/** A cpio newc header: its magic and 13 fields of 8 hex digits. */
export function isCpioHeader(head: Uint8Array): boolean {
  if (head.length < 110) return false;
  const text = Buffer.from(head.subarray(0, 110)).toString("latin1");
  const magic = text.slice(0, 6);
  if (magic !== CPIO_NEWC && magic !== CPIO_CRC && magic !== CPIO_RPM_STRIPPED) return false;
  return /^[0-9a-fA-F]{104}$/.test(text.slice(6));
}
