/**
 * Which init and version an image carries (src/inputs/init-version.ts), read through a
 * DirectoryImage from fixture trees: package databases as Debian, Alpine, OpenWrt and Yocto write
 * them, and init binaries with the version strings the real ones carry (Debian 12's sysvinit-core
 * 3.06-4 /sbin/init has "INIT_VERSION=sysvinit-3.06"; busybox 1:1.35.0-4 has "BusyBox v1.35.0 (").
 */
import { afterAll, describe, expect, it } from "vitest";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { DirectoryImage } from "../../src/inputs/directory-image.js";
import { detectImageInit, tableFor, upstreamVersion } from "../../src/inputs/init-version.js";
import { removeTempDirs, tempDir } from "../write/support.js";

afterAll(removeTempDirs);

function image(files: Record<string, string | { link: string }>): DirectoryImage {
  const root = tempDir("inittab-image-");
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    if (typeof content === "string") writeFileSync(full, content, { mode: 0o755 });
    else symlinkSync(content.link, full);
  }
  return new DirectoryImage(root);
}

const DPKG = (pkg: string, version: string, status = "install ok installed") =>
  "Package: libc6\nStatus: install ok installed\nVersion: 2.36-9\n\n" +
  `Package: ${pkg}\nStatus: ${status}\nPriority: required\nVersion: ${version}\nDescription: x\n continued\n\n`;

describe("detectImageInit", () => {
  it("Debian 12: dpkg's sysvinit-core 3.06-4 reads with the 3.06 table", () => {
    const found = detectImageInit(
      image({ "var/lib/dpkg/status": DPKG("sysvinit-core", "3.06-4"), "sbin/init": "\x7fELF" }),
    );
    expect(found).toMatchObject({ family: "sysvinit", version: "3.06", dialect: "sysvinit@3.06" });
    expect(found!.source).toBe("/var/lib/dpkg/status (sysvinit-core 3.06-4)");
  });

  it("a version between tables reads with the newest table at or below it; an older one with the oldest", () => {
    expect(detectImageInit(image({ "var/lib/dpkg/status": DPKG("sysvinit-core", "3.10-1") }))!.dialect).toBe(
      "sysvinit@3.06",
    );
    expect(detectImageInit(image({ "var/lib/dpkg/status": DPKG("sysvinit-core", "3.14-4") }))!.dialect).toBe(
      "sysvinit@3.14",
    );
    expect(detectImageInit(image({ "var/lib/dpkg/status": DPKG("sysvinit-core", "2.96-7") }))!.dialect).toBe(
      "sysvinit@2.88",
    );
    const old = tableFor("sysvinit", "2.86");
    expect(old).toEqual({
      dialect: "sysvinit@2.88",
      reason: "older than every table; read as the oldest, sysvinit@2.88",
    });
  });

  it("a package dpkg lists as removed does not count", () => {
    expect(
      detectImageInit(image({ "var/lib/dpkg/status": DPKG("sysvinit-core", "3.06-4", "deinstall ok config-files") })),
    ).toBeUndefined();
  });

  it("Alpine: /sbin/init is a link to busybox, and apk's database names its version", () => {
    const found = detectImageInit(
      image({
        "lib/apk/db/installed": "C:Q1abc=\nP:musl\nV:1.2.4-r2\n\nC:Q1def=\nP:busybox\nV:1.36.1-r29\nA:x86_64\n\n",
        "bin/busybox": "ELF",
        "sbin/init": { link: "/bin/busybox" },
      }),
    );
    expect(found).toMatchObject({
      family: "busybox",
      version: "1.36.1",
      dialect: "busybox",
      source: "/lib/apk/db/installed (busybox 1.36.1-r29)",
    });
  });

  it("OpenWrt and Yocto: opkg's status (either place)", () => {
    const bb = detectImageInit(
      image({
        "usr/lib/opkg/status":
          "Package: busybox\nVersion: 1.36.1-r1\nStatus: install user installed\nArchitecture: mips_24kc\n\n",
        "bin/busybox": "ELF",
        "sbin/init": { link: "../bin/busybox" },
      }),
    );
    expect(bb).toMatchObject({ family: "busybox", version: "1.36.1" });
    const sysv = detectImageInit(
      image({ "var/lib/opkg/status": "Package: sysvinit\nVersion: 3.04-r0\nStatus: install ok installed\n\n" }),
    );
    expect(sysv).toMatchObject({ family: "sysvinit", version: "3.04", dialect: "sysvinit@2.88" });
  });

  it("no package database: the init binary names its version", () => {
    const sysv = detectImageInit(
      image({ "sbin/init": "\x7fELF\0junk\0INIT_VERSION=sysvinit-3.14\0@(#) init 3.14 miquels\0" }),
    );
    expect(sysv).toMatchObject({ family: "sysvinit", version: "3.14", dialect: "sysvinit@3.14", source: "/sbin/init" });
    const bb = detectImageInit(
      image({
        "bin/busybox": "\x7fELF\0BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1)\0",
        "sbin/init": { link: "/bin/busybox" },
      }),
    );
    expect(bb).toMatchObject({ family: "busybox", version: "1.35.0", source: "/sbin/init (/bin/busybox)" });
  });

  it("a link out of the image is followed inside it, never on the host", () => {
    expect(detectImageInit(image({ "sbin/init": { link: "../../../../../../../sbin/init" } }))).toBeUndefined();
  });

  it("says nothing of an image without an init it knows", () => {
    expect(detectImageInit(image({ "etc/os-release": "ID=debian\n" }))).toBeUndefined();
  });
});

describe("upstreamVersion", () => {
  it.each([
    ["3.06-4", "3.06"],
    ["1:1.35.0-4+deb12u1+b1", "1.35.0"],
    ["1.36.1-r2", "1.36.1"],
    ["2.88dsf-59", "2.88"],
  ])("%s → %s", (raw, want) => {
    expect(upstreamVersion(raw)).toBe(want);
  });
});
