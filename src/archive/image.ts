/**
 * An archive's file tree, kept in memory as an index of its members (no data), for the lookups
 * `check --root` makes in an unpacked image: a path resolves inside the archive only, following
 * the archive's own symlinks the way the kernel would on the running system. An absolute link
 * target starts again at the archive's root; `..` stops at the root; after 40 links the path is
 * a loop (the kernel's MAXSYMLINKS).
 */

import type { Image, ImageEntry, ImageLookup } from "../base/image.js";
import { MAX_SYMLINKS } from "../base/image.js";

export type { Image, ImageEntry, ImageLookup };
export { MAX_SYMLINKS };

/** One member as indexed: its type, mode, size, and where a link points. */
export interface IndexEntry {
  type: "file" | "dir" | "symlink" | "hardlink" | "other";
  mode: number;
  size: number;
  /** A symlink's target as stored; a hard link's target path in normal form. */
  linkTarget?: string;
  /** A directory no member names, implied by the members under it. */
  implicit?: boolean;
}

export class ArchiveImage implements Image {
  private readonly entries = new Map<string, IndexEntry>([
    ["/", { type: "dir", mode: 0o755, size: 0, implicit: true }],
  ]);
  private readonly children = new Map<string, Set<string>>();
  /** The bytes of the members kept while streaming (the inittabs and IMAGE_METADATA_PATHS). */
  private readonly kept = new Map<string, Uint8Array>();

  /** Keep a member's bytes, for `read`. */
  keep(path: string, bytes: Uint8Array): void {
    this.kept.set(path, bytes);
  }

  read(path: string, maxBytes: number): Uint8Array | undefined {
    const r = this.resolve(path);
    if (r.kind !== "found") return undefined;
    const bytes = this.kept.get(r.path);
    return bytes && bytes.length <= maxBytes ? bytes : undefined;
  }

  /** Add a member at `path` (normal form); a later member of the same path replaces it. */
  add(path: string, entry: IndexEntry): void {
    this.kept.delete(path);
    if (path === "/") {
      if (entry.type === "dir") this.entries.set("/", entry);
      return;
    }
    const slash = path.lastIndexOf("/");
    const parent = slash === 0 ? "/" : path.slice(0, slash);
    this.ensureDir(parent);
    let names = this.children.get(parent);
    if (!names) this.children.set(parent, (names = new Set()));
    names.add(path.slice(slash + 1));
    this.entries.set(path, entry);
  }

  private ensureDir(path: string): void {
    if (this.entries.has(path)) return;
    this.add(path, { type: "dir", mode: 0o755, size: 0, implicit: true });
  }

  /** The indexed member at `path` (normal form), not following links. */
  get(path: string): IndexEntry | undefined {
    return this.entries.get(path);
  }

  /** Every indexed path with its entry, directories implied by members included. */
  [Symbol.iterator](): IterableIterator<[string, IndexEntry]> {
    return this.entries.entries();
  }

  get size(): number {
    return this.entries.size;
  }

  lookup(path: string): ImageLookup {
    const resolved = this.resolve(path);
    if (resolved.kind !== "found") return resolved;
    return { kind: "found", path: resolved.path, entry: this.publicEntry(resolved.entry) };
  }

  list(path: string): string[] | undefined {
    const r = this.resolve(path);
    if (r.kind !== "found" || r.entry.type !== "dir") return undefined;
    return [...(this.children.get(r.path) ?? [])].sort();
  }

  /** A hard link is the file it links to. */
  private publicEntry(entry: IndexEntry): ImageEntry {
    if (entry.type === "hardlink") {
      const target = entry.linkTarget !== undefined ? this.entries.get(entry.linkTarget) : undefined;
      return { type: target && target.type !== "hardlink" ? publicType(target.type) : "file", mode: entry.mode };
    }
    return { type: publicType(entry.type), mode: entry.mode };
  }

  private resolve(
    path: string,
  ): { kind: "found"; path: string; entry: IndexEntry } | { kind: "missing" | "loop"; path: string } {
    let pending = path.split("/").filter((c) => c !== "");
    const current: string[] = [];
    let links = 0;
    while (pending.length > 0) {
      const name = pending.shift()!;
      if (name === ".") continue;
      if (name === "..") {
        current.pop();
        continue;
      }
      const here = "/" + [...current, name].join("/");
      const entry = this.entries.get(here);
      if (!entry) return { kind: "missing", path };
      if (entry.type === "symlink") {
        if (++links > MAX_SYMLINKS) return { kind: "loop", path };
        const target = entry.linkTarget ?? "";
        if (target === "") return { kind: "missing", path }; // the kernel: ENOENT
        if (target.startsWith("/")) current.length = 0;
        pending = [...target.split("/").filter((c) => c !== ""), ...pending];
        continue;
      }
      if (pending.length > 0 && entry.type !== "dir") return { kind: "missing", path };
      current.push(name);
    }
    const at = "/" + current.join("/");
    return { kind: "found", path: at, entry: this.entries.get(at)! };
  }
}

function publicType(type: IndexEntry["type"]): ImageEntry["type"] {
  return type === "hardlink" ? "file" : type;
}
