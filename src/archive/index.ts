/**
 * Packages and rootfs archives (.deb, .ipk, .apk, .rpm, tar and cpio, plain or compressed with
 * gzip, xz, zstd or bzip2), read as streams: their inittabs, their metadata, and their file
 * tree as an Image for `check --root` lookups. See docs/packages.md.
 */
import { closeSync, openSync } from "node:fs";
import { readFull } from "./read-fd.js";
import { classifyHead, HEAD_BYTES, type HeadClass } from "./sniff.js";

export {
  readArchive,
  type ArchiveContents,
  type ArchiveFormat,
  type InittabCandidate,
  type ReadArchiveOptions,
} from "./read.js";
export { archiveErrorReason, type ArchiveErrorReason } from "./errors.js";
export { DEFAULT_LIMITS, type ArchiveLimits } from "./limits.js";
export { ArchiveImage, MAX_SYMLINKS, type Image, type ImageEntry, type ImageLookup, type IndexEntry } from "./image.js";
export { candidateRole, formatMemberPath, normalizeMemberPath, parseMemberPath, type CandidateRole } from "./paths.js";
export { hintFromPackage, upstreamMajorMinor, type DialectHint, type PackageInfo } from "./metadata.js";
export { classifyHead, HEAD_BYTES, type ArchiveKind, type HeadClass } from "./sniff.js";
export type { Codec } from "./codecs.js";

/** The first HEAD_BYTES of a file, classified (a file system error is thrown as is). */
export function classifyFile(path: string): HeadClass {
  const fd = openSync(path, "r");
  try {
    return classifyHead(readFull(fd, new Uint8Array(HEAD_BYTES)));
  } finally {
    closeSync(fd);
  }
}

/** True for what readArchive reads (or refuses with a reason of its own): not text, not unknown binary. */
export function isArchiveClass(cls: HeadClass): boolean {
  return cls.kind === "archive" || cls.kind === "compressed";
}
