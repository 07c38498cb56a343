/**
 * The inittabs of one archive, grouped the way init reads them: the system's `/etc/inittab`
 * with `/etc/inittab.d/*.tab` (the directory's listing from the archive's index, for the names
 * init ignores); each template on its own, an `…/inittab` template with the `*.tab` files of the
 * `inittab.d` beside it; `*.tab` files with no inittab beside them, by directory.
 */
import type { ArchiveContents, InittabCandidate } from "../archive/read.js";

export interface MemberGroup {
  main?: InittabCandidate;
  tabs: InittabCandidate[];
  /** The inittab.d directory (member path) and every regular file name in it. */
  tabDir?: { member: string; names: string[] };
}

export interface ArchiveGroups {
  groups: MemberGroup[];
  /** Candidates that could not be read (a link to a member not kept), with why. */
  unread: InittabCandidate[];
}

const parentOf = (path: string): string => path.slice(0, path.lastIndexOf("/")) || "/";

export function groupCandidates(contents: ArchiveContents): ArchiveGroups {
  const unread = contents.candidates.filter((c) => c.bytes === undefined);
  const readable = contents.candidates.filter((c) => c.bytes !== undefined);
  const groups: MemberGroup[] = [];
  /** `*.tab` files by their inittab.d directory, waiting for an inittab beside it. */
  const tabsByDir = new Map<string, InittabCandidate[]>();
  for (const c of readable) {
    if (c.role !== "system-tab" && c.role !== "template-tab") continue;
    const dir = parentOf(c.path);
    const list = tabsByDir.get(dir);
    if (list) list.push(c);
    else tabsByDir.set(dir, [c]);
  }
  const claimed = new Set<string>();
  const tabDirOf = (dir: string): MemberGroup["tabDir"] => {
    const names = contents.image.list(dir);
    if (names === undefined) return undefined;
    return { member: dir, names: names.filter((n) => isFile(contents, `${dir}/${n}`)) };
  };
  const withTabs = (main: InittabCandidate | undefined, dir: string): MemberGroup => {
    claimed.add(dir);
    const tabs = tabsByDir.get(dir) ?? [];
    const tabDir = main === undefined || main.path.endsWith("/inittab") ? tabDirOf(dir) : undefined;
    return { ...(main ? { main } : {}), tabs, ...(tabDir ? { tabDir } : {}) };
  };
  // The system's set first: what init reads at boot.
  const system = readable.find((c) => c.role === "system");
  if (system || tabsByDir.has("/etc/inittab.d")) groups.push(withTabs(system, "/etc/inittab.d"));
  for (const c of readable) {
    if (c.role !== "template") continue;
    if (c.path.endsWith("/inittab")) groups.push(withTabs(c, `${parentOf(c.path)}/inittab.d`));
    else groups.push({ main: c, tabs: [] });
  }
  for (const dir of tabsByDir.keys()) if (!claimed.has(dir)) groups.push(withTabs(undefined, dir));
  return { groups, unread };
}

function isFile(contents: ArchiveContents, path: string): boolean {
  const r = contents.image.lookup(path);
  return r.kind === "found" && r.entry.type === "file";
}
