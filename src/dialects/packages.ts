/**
 * Which init a package is for, and which dialect table reads a version of it: package metadata
 * (a .deb's control, an apk's .PKGINFO, an rpm header, an image's package database) names a
 * package and its version; these tables turn that into a `--dialect` name and a sentence that
 * says why. A version between two tables is read with the newest table at or below it.
 */
import { BUSYBOX } from "./busybox.js";
import { SYSVINIT_2_88, SYSVINIT_3_06, SYSVINIT_3_14 } from "./sysvinit.js";
import type { Dialect } from "./types.js";

/** A package as its metadata names it. */
export interface PackageRef {
  name: string;
  /** The full version as packaged: `3.06-4`, `1:1.36.1-6`, `1.36.1-r2`. */
  version?: string;
  /** Where the metadata was read (`control`, `.PKGINFO`, `rpm header`, `/var/lib/dpkg/status`). */
  from?: string;
}

export interface DialectHint {
  /** A dialect name as `--dialect` takes it: `busybox`, `sysvinit@3.06`. */
  dialect: string;
  family: Dialect["family"];
  /** The upstream major.minor version the package carries, when it says (`3.08`). */
  version?: string;
  /** One sentence: what says so. */
  reason: string;
}

/** The dialect tables of each family, oldest first. */
const TABLES: Readonly<Record<Dialect["family"], readonly Dialect[]>> = {
  sysvinit: [SYSVINIT_2_88, SYSVINIT_3_06, SYSVINIT_3_14],
  busybox: [BUSYBOX],
};

/**
 * The versions the BusyBox table models: its init reads inittab the same way in 1.35, 1.36 and
 * 1.37 (checked against the 1.35 and 1.37 binaries, docs/conformance.md).
 */
const BUSYBOX_RANGE = { from: "1.35", to: "1.37" } as const;

/**
 * Packages whose inittab a known init reads. `versioned`: the package's upstream version is the
 * init's. `needsInittab`: the name alone says nothing (Debian's base-files ships no inittab;
 * OpenWrt's ships the one procd reads in BusyBox's format).
 */
export const INIT_PACKAGES: readonly {
  names: readonly string[];
  family: Dialect["family"];
  versioned: boolean;
  needsInittab?: boolean;
  /** Completes "package P V is …". */
  isFor: string;
}[] = [
  { names: ["busybox", "busybox-static", "busybox-inittab"], family: "busybox", versioned: true, isFor: "BusyBox" },
  {
    names: ["alpine-baselayout", "alpine-baselayout-data"],
    family: "busybox",
    versioned: false,
    isFor: "Alpine Linux, which boots with BusyBox's init",
  },
  {
    names: ["base-files"],
    family: "busybox",
    versioned: false,
    needsInittab: true,
    isFor: "OpenWrt (a base-files that ships an inittab), whose procd reads it in BusyBox's format",
  },
  { names: ["sysvinit-core", "sysvinit"], family: "sysvinit", versioned: true, isFor: "sysvinit" },
  { names: ["sysvinit-inittab"], family: "sysvinit", versioned: false, isFor: "Yocto's sysvinit" },
];

/** `3.06` from `3.06-4`, `1:3.06-4`, `2.88dsf-59.9`, `1.36.1-r2`; undefined when there is none. */
export function upstreamMajorMinor(version: string): string | undefined {
  const noEpoch = version.replace(/^\d+:/, "");
  return /^(\d+\.\d+)/.exec(noEpoch)?.[1];
}

/** [major, minor] of `3.06` (minor read as a number: 3.06 < 3.10 < 3.14). */
function numeric(version: string): [number, number] {
  const [major, minor] = version.split(".").map(Number);
  return [major ?? 0, minor ?? 0];
}

function compare(a: string, b: string): number {
  const [x, y] = [numeric(a), numeric(b)];
  return x[0] - y[0] || x[1] - y[1];
}

/**
 * The table that reads an init of `family` at upstream `version` (major.minor): the newest
 * table at or below it, or the oldest when the version predates every table; the newest
 * without a version. `note` says when the table is not the version's own.
 */
export function dialectForVersion(
  family: Dialect["family"],
  version: string | undefined,
): { dialect: Dialect; note?: string } {
  const tables = TABLES[family];
  const newest = tables[tables.length - 1]!;
  if (version === undefined) return { dialect: newest, note: `no version given: read as ${newest.name}, the newest` };
  if (family === "busybox") {
    if (compare(version, BUSYBOX_RANGE.from) >= 0 && compare(version, BUSYBOX_RANGE.to) <= 0)
      return { dialect: BUSYBOX };
    return {
      dialect: BUSYBOX,
      note: `read as ${BUSYBOX.name}, which models BusyBox ${BUSYBOX_RANGE.from} to ${BUSYBOX_RANGE.to}`,
    };
  }
  const below = tables.filter((t) => compare(t.version, version) <= 0);
  const table = below[below.length - 1];
  if (!table) return { dialect: tables[0]!, note: `older than any table: read as ${tables[0]!.name}, the oldest` };
  if (compare(table.version, version) === 0) return { dialect: table };
  return { dialect: table, note: `read as ${table.name}, the newest table at or below it` };
}

/**
 * The hint a package gives, or undefined when it is not an init's. `hasInittab`: the package
 * ships an inittab (some names only tell with one).
 */
export function hintFromPackage(pkg: PackageRef | undefined, hasInittab: boolean): DialectHint | undefined {
  if (!pkg) return undefined;
  const rule = INIT_PACKAGES.find((r) => r.names.includes(pkg.name));
  if (!rule || (rule.needsInittab && !hasInittab)) return undefined;
  const what = `package ${pkg.name}${pkg.version ? ` ${pkg.version}` : ""}${pkg.from ? ` (from its ${pkg.from})` : ""}`;
  if (!rule.versioned) {
    const { dialect } = dialectForVersion(rule.family, rule.family === "busybox" ? BUSYBOX_RANGE.to : undefined);
    return { dialect: dialect.name, family: rule.family, reason: `${what} is for ${rule.isFor}` };
  }
  const version = pkg.version !== undefined ? upstreamMajorMinor(pkg.version) : undefined;
  const { dialect, note } = dialectForVersion(rule.family, version);
  const reason = `${what} is for ${rule.isFor}${version ? ` ${version}` : ""}${note ? `: ${note}` : ""}`;
  return { dialect: dialect.name, family: rule.family, ...(version ? { version } : {}), reason };
}
