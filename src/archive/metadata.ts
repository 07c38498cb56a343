/**
 * Package metadata (name, version, architecture) from a deb or ipk `control`, an apk
 * `.PKGINFO` or an rpm header, and what it says about the init that reads the package's
 * inittab: a dialect hint for `--dialect auto`, with its reason as a sentence (the table of
 * init packages and versions is src/dialects/packages.ts).
 */
import { hintFromPackage, upstreamMajorMinor, type DialectHint } from "../dialects/packages.js";
import type { ArchiveImage } from "./image.js";
import { RPMTAG, type RpmTags } from "./rpm.js";

// Which package is for which init, and which table reads which version, is the dialects'
// table: an image's package database (--root) gives the same hints.
export { hintFromPackage, upstreamMajorMinor, type DialectHint };

export interface PackageInfo {
  name: string;
  version?: string;
  architecture?: string;
  /** Where it was read: `control`, `.PKGINFO`, `rpm header`. */
  from: string;
}

/** The first paragraph of a deb822 control file: `Field: value`, continuation lines indented. */
export function parseControl(bytes: Uint8Array): Record<string, string> {
  const fields: Record<string, string> = {};
  let last: string | undefined;
  for (const line of Buffer.from(bytes).toString("utf8").split("\n")) {
    if (line.trim() === "") {
      if (last !== undefined) break;
      continue;
    }
    if (/^[ \t]/.test(line)) {
      if (last !== undefined) fields[last] += "\n" + line.trim();
      continue;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    last = line.slice(0, colon).trim().toLowerCase();
    fields[last] = line.slice(colon + 1).trim();
  }
  return fields;
}

/** apk's .PKGINFO: `key = value` lines, `#` comments. */
export function parsePkgInfo(bytes: Uint8Array): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of Buffer.from(bytes).toString("utf8").split("\n")) {
    const m = /^([A-Za-z_]+)\s*=\s*(.*)$/.exec(line);
    if (m && fields[m[1]!] === undefined) fields[m[1]!] = m[2]!.trim();
  }
  return fields;
}

export function packageFromControl(fields: Record<string, string>): PackageInfo | undefined {
  if (!fields["package"]) return undefined;
  return withOptional({ name: fields["package"], from: "control" }, fields["version"], fields["architecture"]);
}

export function packageFromPkgInfo(fields: Record<string, string>): PackageInfo | undefined {
  if (!fields["pkgname"]) return undefined;
  return withOptional({ name: fields["pkgname"], from: ".PKGINFO" }, fields["pkgver"], fields["arch"]);
}

export function packageFromRpm(tags: RpmTags): PackageInfo | undefined {
  const name = tags.get(RPMTAG.NAME);
  if (typeof name !== "string" || name === "") return undefined;
  const version = tags.get(RPMTAG.VERSION);
  const release = tags.get(RPMTAG.RELEASE);
  const epoch = tags.get(RPMTAG.EPOCH);
  const arch = tags.get(RPMTAG.ARCH);
  const full =
    typeof version === "string"
      ? `${typeof epoch === "number" ? `${epoch}:` : ""}${version}${typeof release === "string" ? `-${release}` : ""}`
      : undefined;
  return withOptional({ name, from: "rpm header" }, full, typeof arch === "string" ? arch : undefined);
}

function withOptional(info: PackageInfo, version: string | undefined, architecture: string | undefined): PackageInfo {
  if (version) info.version = version;
  if (architecture) info.architecture = architecture;
  return info;
}

/** The hint an image (a rootfs archive) gives: a /sbin/init that is a link to BusyBox. */
export function hintFromImage(image: ArchiveImage): DialectHint | undefined {
  if (image.get("/sbin/init")?.type !== "symlink") return undefined;
  const resolved = image.lookup("/sbin/init");
  if (resolved.kind === "found" && resolved.entry.type === "file" && /\/busybox$/.test(resolved.path)) {
    return { dialect: "busybox", family: "busybox", reason: `the image's /sbin/init is a link to ${resolved.path}` };
  }
  return undefined;
}
