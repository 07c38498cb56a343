/**
 * Which files `inittab check` reads, grouped the way init reads them: an `inittab` with the
 * `inittab.d/*.tab` files beside it is one set (duplicate ids across them are init's business);
 * a `*.inittab` file stands alone; a `.tab` file without an `inittab` next to its directory
 * forms a set of its own.
 */
import { lstatSync, readdirSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";

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

/** The inittab.d beside a main file, when it is a directory: its *.tab files and all names. */
export function tabsBeside(main: string): Pick<CheckGroup, "tabs" | "tabDir"> {
  const dir = join(dirname(main), "inittab.d");
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) return { tabs: [] };
    names = readdirSync(dir).sort();
  } catch {
    return { tabs: [] };
  }
  const files = names.filter((n) => {
    try {
      return statSync(join(dir, n)).isFile();
    } catch {
      return false;
    }
  });
  return {
    tabs: files.filter((n) => n.endsWith(".tab") && n.length >= 5).map((n) => join(dir, n)),
    tabDir: { path: dir, names: files },
  };
}

/** The default set: /etc/inittab and /etc/inittab.d, or the same under --root DIR. */
export function defaultGroup(root: string | undefined): CheckGroup {
  const main = root !== undefined ? join(root, "etc/inittab") : "/etc/inittab";
  return { main, ...tabsBeside(main) };
}

/**
 * The inittabs of some paths, grouped the way init reads them (an `inittab` with the
 * `inittab.d/*.tab` files beside it is one set). A directory is searched recursively for
 * `inittab`, `*.inittab` and `inittab.d/*.tab`, without following symlinks; a file is taken as
 * given; `-` is standard input. Throws the file-system error of a path that cannot be read.
 */
export function collectGroups(paths: readonly string[], onSkip?: (path: string, why: string) => void): CheckGroup[] {
  const groups: CheckGroup[] = [];
  for (const path of paths) {
    if (path === "-") {
      groups.push({ main: "-", tabs: [] });
      continue;
    }
    const st = statSync(path);
    if (st.isDirectory()) {
      groups.push(...searchDirectory(path, onSkip));
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

function searchDirectory(top: string, onSkip?: (path: string, why: string) => void): CheckGroup[] {
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
      const inittabName = name === "inittab" || (name.endsWith(".inittab") && name.length > ".inittab".length);
      if (st.isDirectory()) {
        if (name === "inittab.d") tabDirs.push(path);
        if (!SKIP_DIRS.has(name)) walk(path);
      } else if (st.isFile() && inittabName) {
        mains.push(path);
      } else if (st.isSymbolicLink() && inittabName && onSkip) {
        let dangling = false;
        try {
          statSync(path);
        } catch {
          dangling = true;
        }
        onSkip(path, dangling
          ? "a symbolic link to nothing (its target does not exist)"
          : "a symbolic link, not followed inside a searched directory (name it to check its target)");
      }
    }
  };
  walk(top);
  const groups: CheckGroup[] = [];
  const claimed = new Set<string>();
  for (const main of mains) {
    const group: CheckGroup = { main, tabs: [] };
    if (basename(main) === "inittab") {
      Object.assign(group, tabsBeside(main));
      if (group.tabDir) claimed.add(group.tabDir.path);
    }
    groups.push(group);
  }
  for (const dir of tabDirs) {
    if (claimed.has(dir)) continue;
    const beside = tabsBeside(join(dirname(dir), "inittab"));
    if (beside.tabs.length > 0) groups.push({ tabs: beside.tabs, ...(beside.tabDir ? { tabDir: beside.tabDir } : {}) });
  }
  return groups;
}
