/**
 * Which files `inittab check` reads, grouped the way init reads them: an `inittab` with the
 * `inittab.d/*.tab` files beside it is one set (duplicate ids across them are init's business);
 * a `*.inittab` file stands alone; a `.tab` file without an `inittab` next to its directory
 * forms a set of its own.
 *
 * Under a root (`--root`), every path is resolved inside it as chroot would (base/root-path.ts):
 * a link in inittab.d, or an inittab.d that is a link, never leads out of the image.
 */
import { lstatSync, readdirSync, statSync, type Stats } from "node:fs";
import { basename, dirname, join } from "node:path";
import { imagePathOf, resolveInRoot } from "../base/root-path.js";
import { HOST_LINKS } from "./directory-image.js";
import { pathInRoot } from "./read.js";

export interface CheckGroup {
  /** The main file (a path, or `-` for stdin). */
  main?: string;
  /** inittab.d/*.tab files, sorted by name (init's readdir order is unspecified anyway). */
  tabs: string[];
  /** The inittab.d directory and every regular file name in it (for IT030c). */
  tabDir?: { path: string; names: string[] };
}

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
 * The groups for the PATHs given on the command line. A directory is searched recursively for
 * `inittab`, `*.inittab` and `inittab.d/*.tab`; a file is checked as given. Throws the fs error
 * of a PATH that cannot be read (the caller names it); under a root, an InittabError for a
 * PATH outside it.
 */
export function collectGroups(paths: readonly string[], root?: string): CheckGroup[] {
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
      for (const g of searchDirectory(host, root)) groups.push(g);
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

function searchDirectory(top: string, root: string | undefined): CheckGroup[] {
  const mains: string[] = [];
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
      } else if (st.isFile() && (name === "inittab" || (name.endsWith(".inittab") && name.length > ".inittab".length))) {
        mains.push(path);
      }
    }
  };
  walk(top);
  const groups: CheckGroup[] = [];
  const claimed = new Set<string>();
  for (const main of mains) {
    const group: CheckGroup = { main, tabs: [] };
    if (basename(main) === "inittab") {
      Object.assign(group, tabsBeside(main, root));
      if (group.tabDir) claimed.add(group.tabDir.path);
    }
    groups.push(group);
  }
  for (const dir of tabDirs) {
    if (claimed.has(dir)) continue;
    const beside = tabsBeside(join(dirname(dir), "inittab"), root);
    if (beside.tabs.length > 0) groups.push({ tabs: beside.tabs, ...(beside.tabDir ? { tabDir: beside.tabDir } : {}) });
  }
  return groups;
}
