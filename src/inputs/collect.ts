/**
 * Which files `inittab check` reads, found the way a person would name them and grouped the way
 * init reads them: an `inittab` with the `inittab.d/*.tab` files beside it is one set (duplicate
 * ids across them are init's business); a `*.inittab` file stands alone; a `.tab` file without
 * an `inittab` next to its directory forms a set of its own. Packages and archives are found by
 * their first bytes, never by their names; what they hold is grouped in archive-sets.ts.
 *
 * Under a root (`--root`), every path is resolved inside it as chroot would (base/root-path.ts):
 * a link in inittab.d, or an inittab.d that is a link, never leads out of the image.
 */
import { closeSync, constants, existsSync, lstatSync, openSync, readdirSync, statSync, type Stats } from "node:fs";
import { basename, dirname, join } from "node:path";
import { InittabError } from "../base/errors.js";
import { imagePathOf, resolveInRoot } from "../base/root-path.js";
import { HOST_LINKS } from "./directory-image.js";
import { pathInRoot } from "./read.js";
import type { Codec } from "../archive/magic.js";
import { readFull } from "../archive/read-fd.js";
import { classifyHead, HEAD_BYTES, type HeadClass } from "../archive/sniff.js";
import { fsInputError } from "./errors.js";

export interface CheckGroup {
  /** The main file (a path, or `-` for stdin). */
  main?: string;
  /** inittab.d/*.tab files, sorted by name (init's readdir order is unspecified anyway). */
  tabs: string[];
  /** The inittab.d directory and every regular file name in it (for IT030c). */
  tabDir?: { path: string; names: string[] };
}

/** What a PATH given to `check` (or found under it) turned out to be. */
export type Found =
  /** Inittab files on disk, grouped as init reads them. */
  | { kind: "group"; group: CheckGroup }
  /**
   * A file that is no text: an archive to read. `found`: met in a directory search, where a
   * file that turns out to be no archive (a gzip'd man page, a static library) is passed over;
   * `codec`: it starts compressed, and what it holds is still to be told.
   */
  | { kind: "archive"; path: string; found: boolean; codec?: Codec }
  /** Standard input (`-`): text or an archive, told by its first bytes. */
  | { kind: "stdin" }
  /** A symbolic link named like an inittab, met in a directory search: not followed. */
  | { kind: "link"; path: string; dangling: boolean }
  | { kind: "error"; error: InittabError };

/** Bytes that tell every archive and codec this project reads (a tar header's magic ends at 263). */
const ARCHIVE_MAGIC_BYTES = 512;

/** Directories a recursive search never enters (they hold no system configuration). */
const SKIP_DIRS = new Set([".git", ".hg", ".svn", "node_modules"]);

/** What a path is (links followed; under a root, inside it), and where it lies on the host. */
function look(path: string, root: string | undefined): { host: string; stats: Stats } | undefined {
  try {
    if (root === undefined) return { host: path, stats: statSync(path) };
    const inImage = imagePathOf(root, path);
    if (inImage === undefined) return undefined;
    const r = resolveInRoot(root, inImage, HOST_LINKS);
    return r.kind === "found" ? { host: r.host, stats: lstatSync(r.host) } : undefined;
  } catch {
    return undefined;
  }
}

/** The inittab.d beside a main file, when it is a directory: its *.tab files and all names. */
export function tabsBeside(main: string, root?: string): Pick<CheckGroup, "tabs" | "tabDir"> {
  const dir = join(dirname(main), "inittab.d");
  const found = look(dir, root);
  if (!found?.stats.isDirectory()) return { tabs: [] };
  let names: string[];
  try {
    names = readdirSync(found.host).sort();
  } catch {
    return { tabs: [] };
  }
  const files = names.filter((n) => look(join(dir, n), root)?.stats.isFile() === true);
  return {
    tabs: files.filter((n) => n.endsWith(".tab") && n.length >= 5).map((n) => join(dir, n)),
    tabDir: { path: dir, names: files },
  };
}

/** The default set: /etc/inittab and /etc/inittab.d, or the same under --root DIR. */
export function defaultGroup(root: string | undefined): CheckGroup {
  const main = root !== undefined ? join(root, "etc/inittab") : "/etc/inittab";
  return { main, ...tabsBeside(main, root) };
}

/**
 * The inittabs of some paths, grouped the way init reads them (an `inittab` with the
 * `inittab.d/*.tab` files beside it is one set). A directory is searched recursively for
 * `inittab`, `*.inittab` and `inittab.d/*.tab`, without following symlinks; a file is taken as
 * given; `-` is standard input. Throws the file-system error of a path that cannot be read;
 * under `root`, an InittabError for a path outside it.
 */
export function collectGroups(
  paths: readonly string[],
  options: { root?: string; onSkip?: (path: string, why: string) => void } = {},
): CheckGroup[] {
  const { root, onSkip } = options;
  const groups: CheckGroup[] = [];
  for (const path of paths) {
    if (path === "-") {
      groups.push({ main: "-", tabs: [] });
      continue;
    }
    // Under a root, a directory is searched where it resolves inside the image; the search
    // itself follows no link.
    const host = root !== undefined ? pathInRoot(root, path) : path;
    const st = root !== undefined ? lstatSync(host) : statSync(host);
    if (st.isDirectory()) {
      // Archives the search finds are left to readInputs, which reads them too.
      for (const f of searchDirectory(host, root)) {
        if (f.kind === "group") groups.push(f.group);
        else if (f.kind === "link")
          onSkip?.(f.path, f.dangling ? "a symbolic link to nothing" : "a symbolic link, not followed");
      }
    } else if (isTabPath(path)) {
      groups.push({ tabs: [path] });
    } else {
      groups.push({ main: path, tabs: [] });
    }
  }
  return groups;
}

function isTabPath(path: string): boolean {
  return path.endsWith(".tab") && basename(path).length >= 5 && basename(dirname(path)) === "inittab.d";
}

/**
 * The first bytes of a regular file, classified; undefined when it cannot be opened or read
 * (the read that follows reports why). O_NONBLOCK: a FIFO swapped in is not waited on.
 */
export function sniffFile(path: string): HeadClass | undefined {
  const head = readHead(path, HEAD_BYTES);
  return head && classifyHead(head);
}

/** The first `size` bytes of a file (fewer when it is shorter), or undefined when it cannot be read. */
export function readHead(path: string, size: number): Uint8Array | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    return readFull(fd, new Uint8Array(size));
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * What one PATH holds. A file is sniffed: text is an inittab, anything else goes to the archive
 * reader (which names what an unknown binary file is). A directory is searched recursively for
 * `inittab`, `*.inittab` and `inittab.d/*.tab`, and for archives among its other files.
 */
export function collectPath(path: string, root?: string): Found[] {
  if (path === "-") return [{ kind: "stdin" }];
  let st;
  let host = path;
  try {
    // Under a root, the path is resolved inside the image, as chroot would.
    if (root !== undefined) host = pathInRoot(root, path);
    st = statSync(host);
  } catch (err) {
    if (err instanceof InittabError) return [{ kind: "error", error: err }];
    return [{ kind: "error", error: fsInputError(path, err) }];
  }
  if (st.isDirectory()) return searchDirectory(host, root);
  // Not a regular file (a FIFO, a device): the read says so, with the reason. Any other file that
  // is no archive is read as text, within the size limit, and refused there if it is binary.
  const cls = st.isFile() ? sniffFile(host) : undefined;
  if (cls !== undefined && cls.kind !== "text" && cls.kind !== "binary") {
    return [{ kind: "archive", path: host, found: false }];
  }
  return [{ kind: "group", group: isTabPath(path) ? { tabs: [path] } : { main: path, tabs: [] } }];
}

function isInittabName(name: string): boolean {
  return name === "inittab" || (name.endsWith(".inittab") && name.length > ".inittab".length);
}

function searchDirectory(top: string, root?: string): Found[] {
  /** Main files and archives, in the order of the search. */
  const found: Found[] = [];
  const tabDirs: string[] = [];
  const walk = (dir: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return; // an unreadable subdirectory is skipped; the top one was read by statSync's caller
    }
    for (const name of names) {
      const path = join(dir, name);
      let st;
      try {
        // Symlinks are not followed: an image's links point into the image's own root, and
        // following them from the host could leave the tree or loop.
        st = lstatSync(path);
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        if (name === "inittab.d") tabDirs.push(path);
        if (!SKIP_DIRS.has(name)) walk(path);
        continue;
      }
      if (st.isSymbolicLink()) {
        if (isInittabName(name)) found.push({ kind: "link", path, dangling: !existsSync(path) });
        continue;
      }
      // An empty file is no archive (and the files of /proc, which claim to be empty, are not
      // read: some of them block).
      if (!st.isFile() || (st.size === 0 && !isInittabName(name))) continue;
      if (isInittabName(name)) {
        // Named like an inittab: an archive or a binary file by that name is reported.
        const cls = st.size === 0 ? undefined : sniffFile(path);
        if (cls !== undefined && cls.kind !== "text" && cls.kind !== "binary") {
          found.push({ kind: "archive", path, found: false });
        } else found.push({ kind: "group", group: { main: path, tabs: [] } });
        continue;
      }
      // Any other file matters only if it is an archive, which its first 512 bytes tell (a tar
      // header is the longest magic): a search of a whole tree reads little of each file.
      const head = readHead(path, ARCHIVE_MAGIC_BYTES);
      const cls = head && classifyHead(head);
      if (cls?.kind === "archive") {
        found.push({ kind: "archive", path, found: true });
      } else if (cls?.kind === "compressed") {
        found.push({ kind: "archive", path, found: true, codec: cls.codec });
      }
    }
  };
  walk(top);
  const claimed = new Set<string>();
  for (const f of found) {
    if (f.kind !== "group" || basename(f.group.main!) !== "inittab") continue;
    Object.assign(f.group, tabsBeside(f.group.main!, root));
    if (f.group.tabDir) claimed.add(f.group.tabDir.path);
  }
  for (const dir of tabDirs) {
    if (claimed.has(dir)) continue;
    const beside = tabsBeside(join(dirname(dir), "inittab"), root);
    if (beside.tabs.length > 0) {
      found.push({ kind: "group", group: { tabs: beside.tabs, ...(beside.tabDir ? { tabDir: beside.tabDir } : {}) } });
    }
  }
  return found;
}
