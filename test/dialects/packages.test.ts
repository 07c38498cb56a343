/**
 * Which dialect table reads an init package's inittab: by name, and by version at or below,
 * as package metadata (a .deb, .ipk, .apk, .rpm, or an image's package database) gives them.
 */
import { describe, expect, it } from "vitest";
import {
  dialectByName,
  dialectForVersion,
  hintFromPackage,
  INIT_PACKAGES,
  upstreamMajorMinor,
} from "../../src/dialects/index.js";

const pkg = (name: string, version?: string) => ({ name, ...(version ? { version } : {}), from: "control" });

describe("upstream versions", () => {
  it("major.minor from Debian, Alpine, rpm and epoch-prefixed versions", () => {
    expect(upstreamMajorMinor("3.06-4")).toBe("3.06");
    expect(upstreamMajorMinor("1:3.14-1")).toBe("3.14");
    expect(upstreamMajorMinor("2.88dsf-59.9")).toBe("2.88");
    expect(upstreamMajorMinor("1:1.36.1-6")).toBe("1.36");
    expect(upstreamMajorMinor("1.36.1-r2")).toBe("1.36");
    expect(upstreamMajorMinor("git20200101")).toBeUndefined();
  });
});

describe("the table at or below a version", () => {
  it("sysvinit: each table for its own version and the ones up to the next", () => {
    const table = (v: string | undefined) => dialectForVersion("sysvinit", v);
    expect(table("2.88")).toEqual({ dialect: dialectByName("sysvinit@2.88") });
    expect(table("2.96").dialect.name).toBe("sysvinit@2.88");
    expect(table("3.05").dialect.name).toBe("sysvinit@2.88");
    expect(table("3.06")).toEqual({ dialect: dialectByName("sysvinit@3.06") });
    expect(table("3.08")).toEqual({
      dialect: dialectByName("sysvinit@3.06"),
      note: "read as sysvinit@3.06, the newest table at or below it",
    });
    // 3.10 is after 3.06, not before it: minor versions compare as numbers.
    expect(table("3.10").dialect.name).toBe("sysvinit@3.06");
    expect(table("3.14").dialect.name).toBe("sysvinit@3.14");
    expect(table("3.15").dialect.name).toBe("sysvinit@3.14");
    expect(table("2.86")).toEqual({
      dialect: dialectByName("sysvinit@2.88"),
      note: "older than any table: read as sysvinit@2.88, the oldest",
    });
    expect(table(undefined)).toEqual({
      dialect: dialectByName("sysvinit@3.14"),
      note: "no version given: read as sysvinit@3.14, the newest",
    });
  });

  it("busybox: one table for 1.35 to 1.37, and it says so for other versions", () => {
    for (const v of ["1.35", "1.36", "1.37"])
      expect(dialectForVersion("busybox", v)).toEqual({ dialect: dialectByName("busybox") });
    expect(dialectForVersion("busybox", "1.30").note).toBe("read as busybox, which models BusyBox 1.35 to 1.37");
    expect(dialectForVersion("busybox", "1.38").dialect.name).toBe("busybox");
  });
});

describe("hints from packages", () => {
  it("by name, with a sentence that says which package and version decided", () => {
    expect(hintFromPackage(pkg("sysvinit-core", "3.06-4"), true)).toEqual({
      dialect: "sysvinit@3.06",
      family: "sysvinit",
      version: "3.06",
      reason: "package sysvinit-core 3.06-4 (from its control) is for sysvinit 3.06",
    });
    expect(hintFromPackage(pkg("sysvinit", "2.88dsf-59"), true)?.dialect).toBe("sysvinit@2.88");
    expect(hintFromPackage(pkg("sysvinit-core", "3.14-4"), true)?.dialect).toBe("sysvinit@3.14");
    expect(hintFromPackage(pkg("sysvinit-core"), true)).toEqual({
      dialect: "sysvinit@3.14",
      family: "sysvinit",
      reason:
        "package sysvinit-core (from its control) is for sysvinit: no version given: read as sysvinit@3.14, the newest",
    });
    expect(hintFromPackage(pkg("busybox-static", "1:1.35.0-4"), false)).toEqual({
      dialect: "busybox",
      family: "busybox",
      version: "1.35",
      reason: "package busybox-static 1:1.35.0-4 (from its control) is for BusyBox 1.35",
    });
    expect(hintFromPackage({ name: "busybox", version: "1.36.1-r2", from: ".PKGINFO" }, true)?.reason).toBe(
      "package busybox 1.36.1-r2 (from its .PKGINFO) is for BusyBox 1.36",
    );
    expect(hintFromPackage(pkg("alpine-baselayout", "3.4.3-r1"), true)).toEqual({
      dialect: "busybox",
      family: "busybox",
      reason:
        "package alpine-baselayout 3.4.3-r1 (from its control) is for Alpine Linux, which boots with BusyBox's init",
    });
    expect(hintFromPackage(pkg("sysvinit-inittab", "2.88dsf"), true)?.dialect).toBe("sysvinit@3.14");
  });

  it("base-files only with an inittab (OpenWrt's; Debian's ships none); other packages and none give nothing", () => {
    expect(hintFromPackage(pkg("base-files", "12.4"), false)).toBeUndefined();
    expect(hintFromPackage(pkg("base-files", "1555-r24106"), true)?.dialect).toBe("busybox");
    expect(hintFromPackage(pkg("openssh-server", "1:9.2p1-2"), true)).toBeUndefined();
    expect(hintFromPackage(undefined, true)).toBeUndefined();
  });

  it("every hint names a dialect --dialect accepts", () => {
    for (const rule of INIT_PACKAGES) {
      for (const version of [undefined, "1.30", "1.36.1-1", "2.88dsf-59", "3.06-4", "3.08-1", "3.14-1", "9.9"]) {
        const hint = hintFromPackage(pkg(rule.names[0]!, version), true);
        expect(hint && dialectByName(hint.dialect)?.family, `${rule.names[0]} ${version}`).toBe(rule.family);
      }
    }
  });
});
