/**
 * One error for an archive that cannot be used: a machine-readable code and a one-line message
 * that names the file and says what is wrong with it. The CLI prints the message and exits 2.
 */
import { escapeText } from "../base/bytes.js";

export type ArchiveErrorCode =
  /** The bytes break the container or codec format. */
  | "corrupt"
  /** The input ends inside a header, a member or a compressed stream. */
  | "truncated"
  /** Encrypted data (OpenPGP, age, `openssl enc`): nothing can be read without a key. */
  | "encrypted"
  /** Decompression past a limit: total size, expansion ratio, or a codec's memory needs. */
  | "bomb"
  /** A member path with `..` components. */
  | "unsafe-path"
  /** Not an archive this library reads (and not text either). */
  | "unknown-format"
  /** An inittab candidate or the member count over its limit. */
  | "too-big"
  /** A real format variant this library does not read (apk v3, rpm's stripped cpio, …). */
  | "unsupported"
  /** The input could not be read (a file system error). */
  | "unreadable";

/**
 * What went wrong, without the file's name: thrown inside the readers, which do not know it.
 * `readArchive` turns it into an ArchiveError.
 */
export class ArchiveFault extends Error {
  constructor(
    readonly code: ArchiveErrorCode,
    readonly detail: string,
  ) {
    super(detail);
  }
}

/** Lead words of the one-line message, by code: `pkg.deb: corrupt .deb: …`. */
const LEAD: Record<ArchiveErrorCode, string> = {
  corrupt: "corrupt",
  truncated: "truncated",
  encrypted: "encrypted",
  bomb: "refused",
  "unsafe-path": "unsafe",
  "unknown-format": "not an inittab or a known archive",
  "too-big": "too big",
  unsupported: "unsupported",
  unreadable: "cannot read",
};

export class ArchiveError extends Error {
  constructor(
    /** The archive as named to the user (a path, or `<stdin>`). */
    readonly file: string,
    readonly code: ArchiveErrorCode,
    /** The format as far as it was recognised (`.deb`, `.tar.xz`), or undefined. */
    readonly format: string | undefined,
    readonly detail: string,
  ) {
    super(oneLine(`${file}: ${LEAD[code]}${format ? ` ${format}` : ""}: ${detail}`));
  }
}

/** Messages quote member names and codec messages from the input: one line, no raw controls. */
function oneLine(message: string): string {
  return escapeText(message.replace(/\r?\n/g, " "));
}

/** A member name or other input-derived string for a message: quoted, control bytes escaped. */
export function quoteName(name: string): string {
  return JSON.stringify(name);
}
