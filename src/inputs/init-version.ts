/**
 * Which init, and which version of it, a system image carries: read from the image's package
 * database (Debian/Devuan dpkg status, Alpine's apk installed database, opkg status for OpenWrt
 * and Yocto), or from the init binary itself; then the dialect table that reads the image's
 * inittab: the newest table at or below the version found.
 *
 * What `/sbin/init` is decides the family: a link to busybox is BusyBox init, whatever other
 * packages are installed; otherwise an installed sysvinit package (sysvinit-core, sysvinit) is
 * sysvinit. The files are read through the Image (IMAGE_METADATA_PATHS), never from the host.
 */
import type { Image } from "../base/image.js";
import { DIALECTS } from "../dialects/index.js";

export interface ImageInit {
  family: "sysvinit" | "busybox";
  /** The upstream version, e.g. `3.06` (a Debian `3.06-4` without its revision). */
  version: string;
  /** Where it was read: `/var/lib/dpkg/status (sysvinit-core 3.06-4)`, `/sbin/init`. */
  source: string;
  /** The dialect table to read with, e.g. `sysvinit@3.06`. */
  dialect: string;
  /** Why that table (and not another): always one sentence. */
  reason: string;
}

/** The biggest package database and init binary read (a static BusyBox is about 2 MB). */
const MAX_DATABASE_BYTES = 64 << 20;
const MAX_BINARY_BYTES = 16 << 20;

interface Installed {
  name: string;
  version: string;
  source: string;
}

/** Debian-style control paragraphs (dpkg status, opkg status): installed packages only. */
export function parseControlStatus(text: string, source: string): Installed[] {
  const out: Installed[] = [];
  for (const paragraph of text.split(/\n[ \t]*\n/)) {
    const field = (name: string): string | undefined =>
      new RegExp(`^${name}:[ \\t]*(.*)$`, "mi").exec(paragraph)?.[1]?.trim();
    const name = field("Package");
    const version = field("Version");
    const status = field("Status");
    // dpkg: "install ok installed"; opkg: "install user installed". Removed or half-installed
    // packages leave a paragraph too.
    if (name === undefined || version === undefined) continue;
    if (status !== undefined && !/\binstalled$/.test(status)) continue;
    out.push({ name, version, source });
  }
  return out;
}

/** Alpine's /lib/apk/db/installed: `P:name` and `V:version` lines per package. */
export function parseApkInstalled(text: string, source: string): Installed[] {
  const out: Installed[] = [];
  for (const block of text.split(/\n[ \t]*\n/)) {
    const name = /^P:(.*)$/m.exec(block)?.[1]?.trim();
    const version = /^V:(.*)$/m.exec(block)?.[1]?.trim();
    if (name !== undefined && version !== undefined) out.push({ name, version, source });
  }
  return out;
}

/** `3.06-4` → `3.06`; `1:1.35.0-4+deb12u1` → `1.35.0`; `1.36.1-r2` → `1.36.1`. */
export function upstreamVersion(version: string): string {
  const noEpoch = version.replace(/^\d+:/, "");
  return /^[0-9]+(?:\.[0-9]+)*/.exec(noEpoch)?.[0] ?? noEpoch;
}

/** The version an init binary names: sysvinit's `INIT_VERSION=sysvinit-3.06`, `BusyBox v1.35.0 (`. */
export function binaryVersion(bytes: Uint8Array): { family: ImageInit["family"]; version: string } | undefined {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
  const sysv = /INIT_VERSION=sysvinit-([0-9][0-9.]*[0-9])/.exec(text) ?? /@\(#\) ?init ([0-9][0-9.]*[0-9])/.exec(text);
  if (sysv) return { family: "sysvinit", version: sysv[1]! };
  const bb = /BusyBox v([0-9][0-9.]*[0-9])/.exec(text);
  if (bb) return { family: "busybox", version: bb[1]! };
  return undefined;
}

function compareVersions(a: string, b: string): number {
  const x = a.split(".").map(Number);
  const y = b.split(".").map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The sysvinit tables, oldest first, read off the dialect list. */
function sysvinitTables(): Array<{ name: string; version: string }> {
  return Object.keys(DIALECTS)
    .filter((n) => n.startsWith("sysvinit@"))
    .map((name) => ({ name, version: name.slice("sysvinit@".length) }))
    .sort((a, b) => compareVersions(a.version, b.version));
}

/** The table for a version: the newest at or below it (the oldest, said so, for anything older). */
export function tableFor(family: ImageInit["family"], version: string): { dialect: string; reason: string } {
  if (family === "busybox") return { dialect: "busybox", reason: "BusyBox has one table (measured on 1.35 and 1.37)" };
  const tables = sysvinitTables();
  const below = tables.filter((t) => compareVersions(t.version, version) <= 0);
  const chosen = below[below.length - 1];
  if (!chosen) {
    return { dialect: tables[0]!.name, reason: `older than every table; read as the oldest, ${tables[0]!.name}` };
  }
  return chosen.version === version
    ? { dialect: chosen.name, reason: `the table of ${version}` }
    : { dialect: chosen.name, reason: `the newest table at or below ${version}` };
}

const SYSVINIT_PACKAGES = ["sysvinit-core", "sysvinit"];
const BUSYBOX_PACKAGES = ["busybox", "busybox-static"];

function read(image: Image, path: string, max: number): string | undefined {
  const bytes = image.read(path, max);
  return bytes === undefined
    ? undefined
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
}

/** Every installed package the image's databases list. */
function installedPackages(image: Image): Installed[] {
  const out: Installed[] = [];
  for (const path of ["/var/lib/dpkg/status", "/usr/lib/opkg/status", "/var/lib/opkg/status"]) {
    const text = read(image, path, MAX_DATABASE_BYTES);
    if (text !== undefined) out.push(...parseControlStatus(text, path));
  }
  const apk = read(image, "/lib/apk/db/installed", MAX_DATABASE_BYTES);
  if (apk !== undefined) out.push(...parseApkInstalled(apk, "/lib/apk/db/installed"));
  return out;
}

function finish(family: ImageInit["family"], rawVersion: string, source: string): ImageInit {
  const version = upstreamVersion(rawVersion);
  const { dialect, reason } = tableFor(family, version);
  return { family, version, source, dialect, reason };
}

/** The init an image carries, or undefined when it says nothing this tool can read. */
export function detectImageInit(image: Image): ImageInit | undefined {
  const init = image.lookup("/sbin/init");
  const initIsBusybox = init.kind === "found" && /(^|\/)busybox(\.[a-z-]+)?$/.test(init.path);
  const packages = installedPackages(image);
  const find = (names: readonly string[]) => packages.find((p) => names.includes(p.name));
  const sysvinit = find(SYSVINIT_PACKAGES);
  const busybox = find(BUSYBOX_PACKAGES);
  if (initIsBusybox && busybox)
    return finish("busybox", busybox.version, `${busybox.source} (${busybox.name} ${busybox.version})`);
  if (!initIsBusybox && sysvinit)
    return finish("sysvinit", sysvinit.version, `${sysvinit.source} (${sysvinit.name} ${sysvinit.version})`);
  // No package says it: the binary /sbin/init leads to names its version.
  const binary = init.kind === "found" ? image.read(init.path, MAX_BINARY_BYTES) : undefined;
  const named = binary ? binaryVersion(binary) : undefined;
  if (named)
    return finish(
      named.family,
      named.version,
      init.kind === "found" && init.path !== "/sbin/init" ? `/sbin/init (${init.path})` : "/sbin/init",
    );
  return undefined;
}
