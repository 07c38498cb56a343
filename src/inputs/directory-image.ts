/**
 * An unpacked system image on disk (`--root DIR`), seen as the image's own file tree: every path
 * is resolved under DIR as `chroot DIR` would resolve it (base/root-path.ts). An absolute link
 * target starts again at DIR, `..` stops at DIR, and nothing outside DIR is looked at.
 */
import { closeSync, fstatSync, lstatSync, openSync, readdirSync, readlinkSync, type Stats } from "node:fs";
import { constants } from "node:fs";
import type { Image, ImageEntry, ImageLookup } from "../base/image.js";
import { readFull } from "../archive/read-fd.js";
import { resolveInRoot, type LinkReader, type RootResolution } from "../base/root-path.js";

/** The host's lstat and readlink, for resolving inside a root. */
export const HOST_LINKS: LinkReader = {
  lstat: (p) => lstatSync(p),
  readlink: (p) => readlinkSync(p),
};

/** An image path found on the host, with what lstat says of it. */
type Resolved = { kind: "found"; path: string; host: string; stats: Stats };

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
      return readdirSync(r.host).sort();
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
      fd = openSync(r.host, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    } catch {
      return undefined;
    }
    try {
      const st = fstatSync(fd);
      if (!st.isFile() || st.size > maxBytes) return undefined;
      return readFull(fd, new Uint8Array(st.size));
    } catch {
      return undefined;
    } finally {
      closeSync(fd);
    }
  }

  /** Where an image path lies on the host once resolved inside the image (see RootResolution). */
  locate(path: string): RootResolution {
    return resolveInRoot(this.root, path, HOST_LINKS);
  }

  /** Walk the path component by component, following links inside the image. */
  resolve(path: string): Resolved | { kind: "missing" | "loop"; path: string } {
    const r = this.locate(path);
    if (r.kind === "loop") return { kind: "loop", path };
    if (r.kind !== "found") return { kind: "missing", path };
    try {
      return { kind: "found", path: r.path, host: r.host, stats: lstatSync(r.host) };
    } catch {
      return { kind: "missing", path };
    }
  }
}

function entryOf(st: Stats): ImageEntry {
  const type = st.isFile() ? "file" : st.isDirectory() ? "dir" : st.isSymbolicLink() ? "symlink" : "other";
  return { type, mode: st.mode & 0o7777 };
}
