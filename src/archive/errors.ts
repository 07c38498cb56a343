/**
 * Why an archive cannot be used: a reason (`details.reason` of the InittabError readArchive
 * throws) and a one-line message that names the file and says what is wrong with it. The CLI
 * prints the message and exits 2.
 */
import { escapeText } from "../base/bytes.js";
import { InittabError, type ErrorCode } from "../base/errors.js";

export type ArchiveErrorReason =
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
 * `readArchive` turns it into an InittabError (archiveError).
 */
export class ArchiveFault extends Error {
  constructor(
    readonly code: ArchiveErrorReason,
    readonly detail: string,
  ) {
    super(detail);
  }
}

/** Lead words of the one-line message, by code: `pkg.deb: corrupt .deb: …`. */
const LEAD: Record<ArchiveErrorReason, string> = {
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

/** The InittabError code of each reason (the CLI maps codes to exit statuses: all are 2). */
const CODE: Record<ArchiveErrorReason, ErrorCode> = {
  corrupt: "bad-archive",
  truncated: "bad-archive",
  encrypted: "bad-archive",
  bomb: "bad-archive",
  "unsafe-path": "bad-archive",
  unsupported: "bad-archive",
  "unknown-format": "not-an-inittab",
  "too-big": "too-big",
  unreadable: "io-error",
};

/**
 * The error for an archive that cannot be used: an InittabError whose message is one line
 * naming the file (`pkg.deb: corrupt .deb: …`), with `details.reason` saying what is wrong,
 * `details.format` the format as far as it was recognised (`.deb`, `.tar.xz`).
 */
export function archiveError(
  /** The archive as named to the user (a path, or `<stdin>`). */
  file: string,
  reason: ArchiveErrorReason,
  format: string | undefined,
  detail: string,
  errno?: string,
): InittabError {
  const message = oneLine(`${file}: ${LEAD[reason]}${format ? ` ${format}` : ""}: ${detail}`);
  return new InittabError(CODE[reason], message, {
    path: file,
    ...(errno !== undefined ? { errno } : {}),
    details: { reason, ...(format !== undefined ? { format } : {}) },
  });
}

/** The reason of an error readArchive threw, or undefined for another error. */
export function archiveErrorReason(err: unknown): ArchiveErrorReason | undefined {
  if (!(err instanceof InittabError)) return undefined;
  const reason = err.details["reason"];
  return typeof reason === "string" && Object.hasOwn(CODE, reason) ? (reason as ArchiveErrorReason) : undefined;
}

/** Messages quote member names and codec messages from the input: one line, no raw controls. */
function oneLine(message: string): string {
  return escapeText(message.replace(/\r?\n/g, " "));
}

/** A member name or other input-derived string for a message: quoted, control bytes escaped. */
export function quoteName(name: string): string {
  return JSON.stringify(name);
}
