/**
 * Lookups inside an archive's tree: symlinks resolve inside it, `..` stops at its root; reads
 * return the files kept while streaming.
 */
import { describe, expect, it } from "vitest";
import { ArchiveImage, MAX_SYMLINKS, readArchive, type IndexEntry } from "../../src/archive/index.js";
import { chunksOf, tarBytes } from "./support.js";

const file = (mode = 0o755): IndexEntry => ({ type: "file", mode, size: 1 });
const link = (target: string): IndexEntry => ({ type: "symlink", mode: 0o777, size: 0, linkTarget: target });

function image(members: Record<string, IndexEntry>): ArchiveImage {
  const img = new ArchiveImage();
  for (const [path, entry] of Object.entries(members)) img.add(path, entry);
  return img;
}

describe("ArchiveImage.lookup", () => {
  const img = image({
    "/bin/busybox": file(),
    "/sbin/init": link("../bin/busybox"),
    "/sbin/getty": link("/bin/busybox"),
    "/usr/sbin": link("../sbin"),
    "/etc/motd": file(0o644),
    "/lib": link("usr/lib"),
    "/usr/lib/x": file(),
    "/escape": link("../../../../bin/busybox"),
    "/loop/a": link("b"),
    "/loop/b": link("a"),
    "/dangling": link("/nowhere"),
    "/empty": link(""),
    "/dev/ttyS0": { type: "other", mode: 0o620, size: 0 },
    "/bin/sh-hard": { type: "hardlink", mode: 0o755, size: 0, linkTarget: "/bin/busybox" },
  });

  it("follows relative and absolute links, through directory links", () => {
    expect(img.lookup("/sbin/init")).toEqual({
      kind: "found",
      path: "/bin/busybox",
      entry: { type: "file", mode: 0o755 },
    });
    expect(img.lookup("/sbin/getty")).toMatchObject({ kind: "found", path: "/bin/busybox" });
    expect(img.lookup("/usr/sbin/init")).toMatchObject({ kind: "found", path: "/bin/busybox" });
    expect(img.lookup("/lib/x")).toMatchObject({ kind: "found", path: "/usr/lib/x" });
  });

  it("`..` stops at the root, in paths and in link targets", () => {
    expect(img.lookup("/../../bin/busybox")).toMatchObject({ kind: "found", path: "/bin/busybox" });
    expect(img.lookup("/escape")).toMatchObject({ kind: "found", path: "/bin/busybox" });
  });

  it("directories implied by members exist; a file is no directory", () => {
    expect(img.lookup("/usr")).toEqual({ kind: "found", path: "/usr", entry: { type: "dir", mode: 0o755 } });
    expect(img.lookup("/etc/motd/x")).toEqual({ kind: "missing", path: "/etc/motd/x" });
    expect(img.lookup("/")).toMatchObject({ kind: "found", path: "/", entry: { type: "dir" } });
  });

  it("missing, dangling and empty links; loops", () => {
    expect(img.lookup("/sbin/nope")).toEqual({ kind: "missing", path: "/sbin/nope" });
    expect(img.lookup("/dangling")).toEqual({ kind: "missing", path: "/dangling" });
    expect(img.lookup("/empty")).toEqual({ kind: "missing", path: "/empty" });
    expect(img.lookup("/loop/a")).toEqual({ kind: "loop", path: "/loop/a" });
  });

  it("a chain of exactly MAX_SYMLINKS links resolves; one more is a loop", () => {
    const members: Record<string, IndexEntry> = { "/target": file() };
    for (let i = 0; i < MAX_SYMLINKS + 1; i++) members[`/l${i}`] = link(i === 0 ? "/target" : `/l${i - 1}`);
    const chain = image(members);
    expect(chain.lookup(`/l${MAX_SYMLINKS - 1}`)).toMatchObject({ kind: "found", path: "/target" });
    expect(chain.lookup(`/l${MAX_SYMLINKS}`)).toEqual({ kind: "loop", path: `/l${MAX_SYMLINKS}` });
  });

  it("device nodes are found as other; a hard link is its file", () => {
    expect(img.lookup("/dev/ttyS0")).toMatchObject({ kind: "found", entry: { type: "other" } });
    expect(img.lookup("/bin/sh-hard")).toEqual({
      kind: "found",
      path: "/bin/sh-hard",
      entry: { type: "file", mode: 0o755 },
    });
  });

  it("list: the names in a directory, through links; undefined for a file or nothing", () => {
    expect(img.list("/sbin")).toEqual(["getty", "init"]);
    expect(img.list("/usr/sbin")).toEqual(["getty", "init"]);
    expect(img.list("/dev")).toEqual(["ttyS0"]);
    expect(img.list("/etc/motd")).toBeUndefined();
    expect(img.list("/nope")).toBeUndefined();
  });

  it("a later member of the same path replaces the earlier one", () => {
    const twice = image({ "/a": file() });
    twice.add("/a", link("/b"));
    expect(twice.get("/a")?.type).toBe("symlink");
  });
});

describe("ArchiveImage.read: what a rootfs archive keeps while streaming", () => {
  it("the inittabs and IMAGE_METADATA_PATHS (through a merged /usr), nothing else, none over the limit", async () => {
    const text = (s: string) => Buffer.from(s);
    const tar = await tarBytes([
      { name: "./bin", type: "symlink", linkname: "usr/bin" },
      { name: "./sbin", type: "symlink", linkname: "usr/sbin" },
      { name: "./usr/sbin/init", data: text("\x7fELF sysvinit 3.06"), mode: 0o755 },
      { name: "./usr/bin/busybox", data: new Uint8Array(4096).fill(0x41), mode: 0o755 },
      { name: "./etc/os-release", data: text('ID=debian\nVERSION_ID="12"\n') },
      { name: "./etc/inittab", data: text("id:2:initdefault:\n") },
      { name: "./var/lib/dpkg/status", data: text("Package: sysvinit-core\nVersion: 3.06-4\n") },
      { name: "./etc/passwd", data: text("root:x:0:0::/root:/bin/sh\n") },
      // A later member of the same path replaces the earlier one, as on extraction.
      { name: "./etc/os-release", data: text("ID=devuan\n") },
    ]);
    const r = await readArchive(chunksOf(tar), { name: "rootfs.tar", limits: { maxImageFileBytes: 1024 } });
    const read = (path: string, max = 1 << 20) => {
      const bytes = r.image.read(path, max);
      return bytes && Buffer.from(bytes).toString("latin1");
    };
    expect(read("/sbin/init")).toBe("\x7fELF sysvinit 3.06");
    expect(read("/etc/os-release")).toBe("ID=devuan\n");
    expect(read("/etc/inittab")).toBe("id:2:initdefault:\n");
    expect(read("/var/lib/dpkg/status")).toContain("Version: 3.06-4");
    expect(read("/var/lib/dpkg/status", 10)).toBeUndefined(); // over the caller's maxBytes
    expect(read("/bin/busybox")).toBeUndefined(); // over maxImageFileBytes: indexed, not kept
    expect(r.image.lookup("/bin/busybox")).toMatchObject({ kind: "found", entry: { type: "file" } });
    expect(read("/etc/passwd")).toBeUndefined(); // not a file that says which init
    expect(read("/nowhere")).toBeUndefined();
  });
});
