/** A member of a file-tree archive (tar, cpio), whatever container it came from. */
import type { Chunks } from "./reader.js";

export type MemberType = "file" | "dir" | "symlink" | "hardlink" | "other";

export interface Member {
  /** The name as stored (`./etc/inittab`, `etc/inittab`, …); see paths.ts for its normal form. */
  name: string;
  type: MemberType;
  /** Permission bits (0o7777). */
  mode: number;
  /** Data bytes that follow (0 for everything but regular files; a cpio symlink's target). */
  size: number;
  /** A symlink's target, or the archive path a hard link refers to. */
  linkTarget?: string;
  /** cpio's inode and link count: hard links share an inode, only the last carries the data. */
  inode?: number;
  links?: number;
  /** The data; consume it before asking for the next member (or leave it to be skipped). */
  body: Chunks;
}
