/** --root DIR: programs and ttys looked up inside a system image, never on the host. */
import { afterAll, describe, expect, it } from "vitest";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lookupProgram } from "../../src/rules/root.js";
import { DirectoryImage } from "../../src/inputs/index.js";
import { BASE, diagnostics } from "./support.js";

const images: string[] = [];
afterAll(() => {
  for (const dir of images) rmSync(dir, { recursive: true, force: true });
});

/** An image with the given files (mode 0755 unless given) and symlinks. */
function image(files: Record<string, number | { link: string } | "dir">): string {
  const root = mkdtempSync(join(tmpdir(), "inittab-root-"));
  images.push(root);
  for (const [path, what] of Object.entries(files)) {
    const host = join(root, path);
    mkdirSync(join(host, ".."), { recursive: true });
    if (what === "dir") mkdirSync(host, { recursive: true });
    else if (typeof what === "number") {
      writeFileSync(host, "#!/bin/sh\n");
      chmodSync(host, what);
    } else symlinkSync(what.link, host);
  }
  return root;
}

const inImage = (root: string) => ({ image: new DirectoryImage(root), imageName: root });
const sysv = (root: string, text: string) =>
  diagnostics(`${BASE}${text}`, { options: inImage(root) }).filter((d) => d.code.startsWith("RT"));

describe("resolving inside the image", () => {
  it("an absolute symlink resolves against the image root, not the host", () => {
    // /sbin/getty -> /bin/busybox: on the host /bin/busybox may not exist, in the image it does.
    const root = image({ "bin/busybox": 0o755, "sbin/getty": { link: "/bin/busybox" }, "sbin/sulogin": 0o755 });
    expect(new DirectoryImage(root).lookup("/sbin/getty")).toMatchObject({ kind: "found", path: "/bin/busybox" });
    expect(sysv(root, "1:2345:respawn:/sbin/getty 38400 tty1\n")).toEqual([]);
  });

  it("a link that escapes with .. stays inside the image", () => {
    const root = image({ "bin/sh": 0o755, "sbin/x": { link: "../../../../bin/sh" }, "sbin/sulogin": 0o755 });
    expect(new DirectoryImage(root).lookup("/sbin/x")).toMatchObject({ kind: "found", path: "/bin/sh" });
  });

  it("a link to a host path missing from the image is missing", () => {
    const root = image({ "sbin/sulogin": 0o755, "sbin/y": { link: "/usr/bin/env" } });
    expect(new DirectoryImage(root).lookup("/sbin/y").kind).toBe("missing");
  });

  it("link loops are reported, not followed for ever", () => {
    const root = image({ "sbin/a": { link: "/sbin/b" }, "sbin/b": { link: "/sbin/a" } });
    expect(new DirectoryImage(root).lookup("/sbin/a").kind).toBe("loop");
  });

  it("a bare name is searched in init's PATH: /sbin, /usr/sbin, /bin, /usr/bin", () => {
    const root = image({ "usr/bin/logger": 0o755 });
    expect(lookupProgram(new DirectoryImage(root), "logger")).toEqual({ ok: true, path: "/usr/bin/logger" });
    expect(lookupProgram(new DirectoryImage(root), "nothere")).toMatchObject({ ok: false, code: "RT001" });
  });
});

describe("RT001 / RT002", () => {
  const root = image({ "sbin/sulogin": 0o755, "bin/sh": 0o755, "etc/init.d/rc": 0o644, "sbin/getty": 0o755 });

  it("RT001: the program does not exist in the image", () => {
    const [d] = sysv(root, "a1:3:once:/usr/sbin/nothere -x\n");
    expect(d).toMatchObject({ code: "RT001", line: 3, column: 11, endColumn: 28 });
  });

  it("RT002: the program exists but is not executable", () => {
    const [d] = sysv(root, "l3:3:wait:/etc/init.d/rc 3\n");
    expect(d!.code).toBe("RT002");
    expect(d!.message).toContain("mode 0644");
  });

  it("prefixes are stripped as init strips them", () => {
    expect(sysv(root, "a1:3:once:+@/sbin/getty tty1\n")).toEqual([]);
  });

  it("a shell command is checked by its first word when that is plain, and needs /bin/sh", () => {
    expect(sysv(root, "a1:3:once:/sbin/getty tty1 > /dev/null\n")).toEqual([]);
    expect(sysv(root, "a1:3:once:exec /sbin/nothere 2>&1\n").map((d) => d.code)).toEqual(["RT001"]);
    // Not plain: a variable decides what runs.
    expect(sysv(root, "a1:3:once:$PROG --now\n")).toEqual([]);
    const noShell = image({ "sbin/sulogin": 0o755, "sbin/getty": 0o755 });
    expect(sysv(noShell, "a1:3:once:/sbin/getty tty1 > /dev/null\n").map((d) => d.message)).toEqual([
      expect.stringContaining("/bin/sh"),
    ]);
  });

  it("the synthetic sulogin needs /sbin/sulogin", () => {
    const bare = image({ "sbin/getty": 0o755 });
    const ds = diagnostics("id:3:initdefault:\n", { options: inImage(bare) }).filter((d) => d.code === "RT001");
    expect(ds.map((d) => d.message)).toEqual([expect.stringContaining("/sbin/sulogin")]);
  });

  it("exec programs are checked too (under --allow-exec)", () => {
    const ds = diagnostics(`${BASE}l0:0:wait:/sbin/getty\nl0u:0:exec:/lib/deinitramfs/deinit /sbin/halt -dhp\n`, {
      options: { ...inImage(root), allowExec: true },
    });
    expect(ds.filter((d) => d.code === "RT001").map((d) => d.line)).toEqual([4]);
  });
});

describe("RT003: BusyBox ttys under a populated /dev", () => {
  const bbRoot = (devs: string[]) =>
    image({ "sbin/getty": 0o755, ...Object.fromEntries(devs.map((d) => [`dev/${d}`, 0o600])) });
  const bb = (root: string, text: string) =>
    diagnostics(text, { dialect: "busybox", options: inImage(root) }).filter(
      (d) => d.code === "RT003" || d.code === "BB008",
    );

  it("reports a tty missing from a /dev that lists ttys", () => {
    const root = bbRoot(["tty1", "console"]);
    expect(bb(root, "ttyS0::respawn:/sbin/getty -L ttyS0 115200\n").map((d) => d.code)).toEqual(["RT003"]);
    expect(bb(root, "tty1::respawn:/sbin/getty 38400 tty1\n")).toEqual([]);
    expect(bb(root, "/dev/tty1::respawn:/sbin/getty 38400 tty1\n")).toEqual([]);
  });

  it("says nothing about ttys when /dev is empty (devtmpfs fills it at boot)", () => {
    const root = bbRoot(["console"]);
    expect(bb(root, "ttyS0::respawn:/sbin/getty -L ttyS0 115200\n")).toEqual([]);
  });
});
