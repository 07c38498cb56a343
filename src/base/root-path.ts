/**
 * Paths inside a root directory (`--root DIR`), resolved as `chroot DIR` would resolve them: an
 * absolute link target starts again at DIR, `..` stops at DIR, and after MAX_SYMLINKS links the
 * path is a loop. Every name is looked at with lstat, never followed by the host, so nothing
 * outside DIR is ever reached. The caller supplies lstat and readlink (the reader's or the
 * writer's file-system calls); this module does no I/O of its own.
 */
import { isAbsolute, relative, resolve } from "node:path";
import { MAX_SYMLINKS } from "./image.js";

export interface LinkReader {
  lstat(hostPath: string): { isSymbolicLink(): boolean; isDirectory(): boolean };
  readlink(hostPath: string): string;
}

export type RootResolution =
  /** `path` (the image's, no links left in it) exists at `host`. */
  | { kind: "found"; path: string; host: string }
  /**
   * A name on the way does not exist. When only the last one is missing, `host` is where it
   * would be created and `dangling` says whether a symbolic link led there (a link to nothing).
   */
  | { kind: "missing"; path: string; last: boolean; dangling: boolean; host: string }
  /** More than MAX_SYMLINKS links: a loop, as the kernel says ELOOP. */
  | { kind: "loop"; path: string }
  /** A name on the way is not a directory. */
  | { kind: "not-a-directory"; path: string };

/**
 * Where a host path lies in the image rooted at `root`: `/etc/inittab` for `ROOT/etc/inittab`,
 * or undefined when it is not under `root`. Lexical: the result is resolved inside the root
 * afterwards, so a link in the host part of the path decides nothing.
 */
export function imagePathOf(root: string, hostPath: string): string | undefined {
  const rel = relative(resolve(root), resolve(hostPath));
  if (rel === "") return "/";
  if (rel === ".." || rel.startsWith("../") || isAbsolute(rel)) return undefined;
  return `/${rel}`;
}

function components(path: string): string[] {
  return path.split("/").filter((c) => c !== "" && c !== ".");
}

/** Resolve an image path under `root` (see the module comment). */
export function resolveInRoot(root: string, path: string, fs: LinkReader): RootResolution {
  const base = root.endsWith("/") && root.length > 1 ? root.slice(0, -1) : root;
  // Names still to walk, the next one last (so that a link's target is pushed, not spliced in).
  const pending = components(path).reverse();
  const current: string[] = [];
  let host = base;
  let links = 0;
  let dangling = false;
  const at = (): string => `/${current.join("/")}`;
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (name === "..") {
      if (current.length > 0) {
        current.pop();
        host = current.length === 0 ? base : `${base}/${current.join("/")}`;
      }
      continue;
    }
    const next = `${host}/${name}`;
    let st: { isSymbolicLink(): boolean; isDirectory(): boolean };
    try {
      st = fs.lstat(next);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const named = current.length === 0 ? `/${name}` : `${at()}/${name}`;
      if (code === "ENOTDIR") return { kind: "not-a-directory", path: named };
      return { kind: "missing", path: named, last: pending.length === 0, dangling, host: next };
    }
    if (st.isSymbolicLink()) {
      if (++links > MAX_SYMLINKS) return { kind: "loop", path };
      const target = fs.readlink(next);
      // A link in the last place that leads nowhere is a link to nothing, not a file to create.
      if (pending.length === 0) dangling = true;
      if (target.startsWith("/")) {
        current.length = 0;
        host = base;
      }
      const more = components(target);
      for (let i = more.length - 1; i >= 0; i--) pending.push(more[i]!);
      continue;
    }
    if (pending.length > 0 && !st.isDirectory()) {
      // `..` after a file is ENOTDIR to the kernel too.
      return { kind: "not-a-directory", path: `${at() === "/" ? "" : at()}/${name}` };
    }
    current.push(name);
    host = next;
  }
  return { kind: "found", path: at(), host };
}
