/** Paths resolved inside a root as chroot would (src/base/root-path.ts), on real trees of links. */
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { imagePathOf, resolveInRoot } from "../../src/base/root-path.js";
import { HOST_LINKS } from "../../src/inputs/index.js";
import { removeTempDirs, tempDir } from "../write/support.js";

afterAll(removeTempDirs);

/** An image with etc/inittab, and a file outside it that no resolution may reach. */
function image(): { root: string; outside: string } {
  const top = tempDir("inittab-rootpath-");
  const root = join(top, "root");
  mkdirSync(join(root, "etc"), { recursive: true });
  writeFileSync(join(root, "etc/inittab"), "id:3:initdefault:\n");
  const outside = join(top, "outside");
  mkdirSync(outside);
  writeFileSync(join(outside, "inittab"), "host\n");
  return { root, outside };
}

const resolve = (root: string, path: string) => resolveInRoot(root, path, HOST_LINKS);

describe("resolveInRoot", () => {
  it("an absolute link target starts again at the root", () => {
    const { root, outside } = image();
    mkdirSync(join(root, outside), { recursive: true });
    writeFileSync(join(root, outside, "inittab"), "inside\n");
    symlinkSync(join(outside, "inittab"), join(root, "etc/link"));
    expect(resolve(root, "/etc/link")).toEqual({
      kind: "found",
      path: `${outside}/inittab`,
      host: `${root}${outside}/inittab`,
    });
  });

  it("`..` stops at the root: relative links that climb out land inside", () => {
    const { root } = image();
    symlinkSync("../../../../../../../../etc/inittab", join(root, "etc/up"));
    expect(resolve(root, "/etc/up")).toMatchObject({
      kind: "found",
      path: "/etc/inittab",
      host: join(root, "etc/inittab"),
    });
    expect(resolve(root, "/../../etc/inittab")).toMatchObject({ kind: "found", path: "/etc/inittab" });
  });

  it("a link to a file the image does not have is missing and dangling, whatever the host has", () => {
    const { root, outside } = image();
    symlinkSync(join(outside, "inittab"), join(root, "etc/out"));
    expect(resolve(root, "/etc/out")).toEqual({
      kind: "missing",
      path: outside.split("/").slice(0, 2).join("/"),
      last: false,
      dangling: true,
      host: join(root, outside.split("/")[1]!),
    });
  });

  it("a missing last name is creatable; a missing directory is not", () => {
    const { root } = image();
    expect(resolve(root, "/etc/new")).toEqual({
      kind: "missing",
      path: "/etc/new",
      last: true,
      dangling: false,
      host: join(root, "etc/new"),
    });
    expect(resolve(root, "/nodir/new")).toMatchObject({ kind: "missing", last: false });
  });

  it("links that loop, and a link to itself through the root, are loops", () => {
    const { root } = image();
    symlinkSync("b", join(root, "etc/a"));
    symlinkSync("a", join(root, "etc/b"));
    expect(resolve(root, "/etc/a")).toEqual({ kind: "loop", path: "/etc/a" });
    symlinkSync("/dev", join(root, "dev"));
    expect(resolve(root, "/dev/console").kind).toBe("loop");
  });

  it("a file in the middle of a path is not a directory", () => {
    const { root } = image();
    expect(resolve(root, "/etc/inittab/x")).toEqual({ kind: "not-a-directory", path: "/etc/inittab" });
  });
});

describe("imagePathOf", () => {
  it("places a host path in the image, lexically, or says it is outside", () => {
    expect(imagePathOf("/img", "/img/etc/inittab")).toBe("/etc/inittab");
    expect(imagePathOf("/img/", "/img")).toBe("/");
    expect(imagePathOf("/img", "/img/../etc/inittab")).toBeUndefined();
    expect(imagePathOf("/img", "/imgx/etc")).toBeUndefined();
    expect(imagePathOf("/img", "/etc/inittab")).toBeUndefined();
  });
});
