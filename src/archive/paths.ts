/**
 * Member paths: their normal form (`/etc/inittab` for `./etc/inittab`, `etc/inittab` and
 * `/etc/inittab` alike), which of them are inittabs and in what role, and the notation that
 * names a member inside its archive in reports: `sysvinit-core_3.06-4_amd64.deb!/usr/share/sysvinit/inittab`.
 */
import { ArchiveFault, quoteName } from "./errors.js";

/**
 * The absolute path a member stands for in the archive's tree. Nothing is ever written to disk,
 * so a leading `/` is no escape (tar strips it too); a `..` component is, and is refused.
 */
export function normalizeMemberPath(name: string): string {
  const parts: string[] = [];
  for (const part of name.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") throw new ArchiveFault("unsafe-path", `member ${quoteName(name)} has a ".." component`);
    parts.push(part);
  }
  return "/" + parts.join("/");
}

/**
 * - system: the file init reads, /etc/inittab;
 * - system-tab: /etc/inittab.d/*.tab, which sysvinit (3.0 and later) reads after it;
 * - template: an inittab a package ships to be copied or merged (/usr/share/sysvinit/inittab,
 *   any other `…/inittab`, any `*.inittab`);
 * - template-tab: a `*.tab` in an `inittab.d` beside a template.
 */
export type CandidateRole = "system" | "system-tab" | "template" | "template-tab";

/** The role of the file at `path` (normal form), or undefined when it is no inittab. */
export function candidateRole(path: string): CandidateRole | undefined {
  if (path === "/etc/inittab") return "system";
  const slash = path.lastIndexOf("/");
  const base = path.slice(slash + 1);
  const dir = path.slice(0, slash);
  if (isTabName(base) && dir.endsWith("/inittab.d")) return dir === "/etc/inittab.d" ? "system-tab" : "template-tab";
  if (base === "inittab") return "template";
  if (base.endsWith(".inittab") && base.length > ".inittab".length) return "template";
  return undefined;
}

/** sysvinit reads the names in inittab.d that end in ".tab" and have a name before it. */
function isTabName(base: string): boolean {
  return base.endsWith(".tab") && base.length > ".tab".length;
}

/** `ARCHIVE!/member/path`: how reports name a member of an archive. */
export function formatMemberPath(archive: string, member: string): string {
  return `${archive}!${member}`;
}

/**
 * The archive and member of `ARCHIVE!/member/path`, split at the first `!/`; undefined for a
 * plain path. (An archive whose own name holds `!/` cannot be named this way; none is read
 * from inside another, so the first `!/` is the only one.)
 */
export function parseMemberPath(text: string): { archive: string; member: string } | undefined {
  const at = text.indexOf("!/");
  if (at <= 0) return undefined;
  return { archive: text.slice(0, at), member: text.slice(at + 1) };
}
