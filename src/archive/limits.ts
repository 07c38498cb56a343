/**
 * What reading one archive may cost. Memory is bounded by construction (members are streamed;
 * only inittab candidates, package metadata and an image's metadata files are kept, each under
 * its own cap); these limits bound the rest: time spent expanding a decompression bomb, and the
 * member index's size.
 */
import { ArchiveFault } from "./errors.js";

export interface ArchiveLimits {
  /** Largest inittab candidate kept, in bytes. */
  maxCandidateBytes: number;
  /** Largest package metadata file read (a deb `control`, an apk `.PKGINFO`), in bytes. */
  maxMetadataBytes: number;
  /**
   * Largest file of IMAGE_METADATA_PATHS (package database, os-release, the init binary) kept
   * for Image.read, in bytes; a larger one is indexed but not kept.
   */
  maxImageFileBytes: number;
  /** Total bytes all decompressors may produce for one archive. */
  maxExpandedBytes: number;
  /** Largest expansion ratio (decompressed bytes over input bytes), once past `ratioFloor`. */
  maxRatio: number;
  /** Expanded bytes below which the ratio is not judged (small archives compress well). */
  ratioFloor: number;
  /** Most members the index keeps. */
  maxMembers: number;
  /** Largest zstd window (the memory a zstd decoder needs), in bytes. */
  maxZstdWindow: number;
  /** Largest rpm signature or main header, in bytes. */
  maxRpmHeaderBytes: number;
}

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

export const DEFAULT_LIMITS: Readonly<ArchiveLimits> = {
  maxCandidateBytes: 16 * MiB,
  maxMetadataBytes: 1 * MiB,
  // A static BusyBox is about 2 MiB; a large system's dpkg status a few MiB.
  maxImageFileBytes: 16 * MiB,
  // A large Yocto image unpacks to a few GiB.
  maxExpandedBytes: 16 * GiB,
  // gzip cannot pass about 1,032:1; xz, zstd and bzip2 go far beyond only on long runs of one
  // byte. An archive with real files in it stays under 1,000:1 overall even when it holds an
  // empty disk image; one that is nearly all zeros past its first GiB is a bomb.
  maxRatio: 10_000,
  ratioFloor: 1 * GiB,
  maxMembers: 2_000_000,
  // zstd's own decoder refuses windows over 128 MiB unless told otherwise (--memory, --long).
  maxZstdWindow: 128 * MiB,
  // rpm itself refuses headers over 256 MiB (hdrchkData); real ones are well under 64 MiB.
  maxRpmHeaderBytes: 64 * MiB,
};

/** The running totals of one archive's read, checked against the limits as bytes flow. */
export class Budget {
  private inputBytes = 0;
  private expandedBytes = 0;
  members = 0;

  constructor(readonly limits: ArchiveLimits) {}

  /** Bytes read from the archive file itself. */
  input(n: number): void {
    this.inputBytes += n;
  }

  /** Bytes a decompressor produced; `codec` names it in the message. */
  expanded(n: number, codec: string): void {
    this.expandedBytes += n;
    const { maxExpandedBytes, maxRatio, ratioFloor } = this.limits;
    if (this.expandedBytes > maxExpandedBytes) {
      throw new ArchiveFault(
        "bomb",
        `${codec} data expands past ${formatBytes(maxExpandedBytes)} (decompression bomb?)`,
      );
    }
    if (this.expandedBytes > ratioFloor && this.expandedBytes > this.inputBytes * maxRatio) {
      const ratio = Math.round(this.expandedBytes / Math.max(1, this.inputBytes));
      throw new ArchiveFault(
        "bomb",
        `${codec} data expands ${ratio.toLocaleString("en")} times ` +
          `(${formatBytes(this.expandedBytes)} from ${formatBytes(this.inputBytes)}; ` +
          `limit ${maxRatio.toLocaleString("en")}:1): a decompression bomb`,
      );
    }
  }

  /** One more member for the index. */
  member(): void {
    if (++this.members > this.limits.maxMembers) {
      throw new ArchiveFault("too-big", `more than ${this.limits.maxMembers.toLocaleString("en")} members`);
    }
  }
}

/** 16 MiB, 1.5 GiB, 700 bytes. */
export function formatBytes(n: number): string {
  if (n >= GiB) return `${trim(n / GiB)} GiB`;
  if (n >= MiB) return `${trim(n / MiB)} MiB`;
  if (n >= 1024) return `${trim(n / 1024)} KiB`;
  return `${n} bytes`;
}

function trim(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}
