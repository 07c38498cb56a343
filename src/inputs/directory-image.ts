/**
 * An unpacked system image on disk (`--root DIR`), seen as the image's own file tree: every path
 * is resolved under DIR as `chroot DIR` would resolve it. An absolute link target starts again at
 * DIR, `..` stops at DIR, and nothing outside DIR is looked at.
 */
import { closeSync, fstatSync, lstatSync, openSync, readdirSync, readlinkSync, readSync, type Stats } from "node:fs";
import { constants } from "node:fs";
import { join } from "node:path";
import { MAX_SYMLINKS, type Image, type ImageEntry, type ImageLookup } from "../base/image.js";

export class DirectoryImage implements Image {
  constructor(
    /** The image's root directory on the host. */
    readonly root: string,
  ) {}

  lookup(path: string): ImageLookup {
    const r = this.resolve(path);
    return r.kind === "found" ? { kind: "found", path: r.path, entry: entryOf(r.stats) } : r;
  }

  list(path: string): string[] | undefined {
    const r = this.resolve(path);
    if (r.kind !== "found" || !r.stats.isDirectory()) return undefined;
    try {
      return readdirSync(this.hostPath(r.path)).sort();
    } catch {
      return undefined;
    }
  }

  read(path: string, maxBytes: number): Uint8Array | undefined {
    const r = this.resolve(path);
    if (r.kind !== "found" || !r.stats.isFile() || r.stats.size > maxBytes) return undefined;
    let fd: number;
    try {
      // O_NOFOLLOW: the path has no links left in it; one swapped in since is not followed.
      fd = openSync(this.hostPath(r.path), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    } catch {
      return undefined;
    }
    try {
      const st = fstatSync(fd);
      if (!st.isFile() || st.size > maxBytes) return undefined;
      const buf = new Uint8Array(st.size);
      let n = 0;
      while (n < buf.length) {
        const got = readSync(fd, buf, n, buf.length - n, n);
        if (got === 0) break;
        n += got;
      }
      return buf.subarray(0, n);
    } catch {
      return undefined;
    } finally {
      closeSync(fd);
    }
  }

  /** Where an image path that resolved (no symlinks left in it) lies on the host. */
  hostPath(resolved: string): string {
    return join(this.root, ...resolved.split("/").filter((c) => c !== ""));
  }

  /** Walk the path component by component, following links inside the image. */
  private resolve(path: string): { kind: "found"; path: string; stats: Stats } | { kind: "missing" | "loop"; path: string } {
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
      let st: Stats;
      try {
        st = lstatSync(join(this.root, ...current, name));
      } catch {
        return { kind: "missing", path };
      }
      if (st.isSymbolicLink()) {
        if (++links > MAX_SYMLINKS) return { kind: "loop", path };
        const target = readlinkSync(join(this.root, ...current, name));
        if (target.startsWith("/")) current.length = 0;
        pending = [...target.split("/").filter((c) => c !== ""), ...pending];
        continue;
      }
      if (pending.length > 0 && !st.isDirectory()) return { kind: "missing", path };
      current.push(name);
    }
    try {
      return { kind: "found", path: `/${current.join("/")}`, stats: lstatSync(join(this.root, ...current)) };
    } catch {
      return { kind: "missing", path };
    }
  }
}

function entryOf(st: Stats): ImageEntry {
  const type = st.isFile() ? "file" : st.isDirectory() ? "dir" : st.isSymbolicLink() ? "symlink" : "other";
  return { type, mode: st.mode & 0o7777 };
}
