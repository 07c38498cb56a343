/**
 * Every kind of archive, built from the corpus, yields every corpus file as an inittab with the
 * same bytes, at its path inside the archive, with the archive's metadata and dialect hint.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readArchive, type ArchiveContents } from "../../src/archive/index.js";
import {
  arBytes,
  chunksOf,
  compressWith,
  control,
  corpusTree,
  cpioBytes,
  gzip,
  missing,
  rpmbuild,
  run,
  tarBytes,
  tempDir,
  writeTree,
} from "./support.js";

const { entries, expected } = corpusTree();
let work: ReturnType<typeof tempDir>;
let tree: string;
let tar: Buffer;

beforeAll(async () => {
  work = tempDir();
  tree = join(work.dir, "tree");
  writeTree(tree, entries);
  tar = await tarBytes(entries);
});
afterAll(() => work.remove());

/** All corpus files, byte for byte, in their roles. */
function expectCorpus(r: ArchiveContents): void {
  expect(r.candidates.map((c) => c.path)).toEqual([...expected.keys()].sort());
  for (const c of r.candidates) {
    expect(c.bytes, c.path).toBeDefined();
    expect(Buffer.compare(Buffer.from(c.bytes!), Buffer.from(expected.get(c.path)!)), c.path).toBe(0);
    expect(c.role).toBe(c.path === "/etc/inittab" ? "system" : "template");
  }
}

function save(name: string, bytes: Uint8Array): string {
  const path = join(work.dir, name);
  writeFileSync(path, bytes);
  return path;
}

describe("tarballs", () => {
  it("plain and gzip tar (tar-stream, node:zlib), read from a path and as a stream", async () => {
    for (const [bytes, label, chain] of [
      [tar, ".tar", ["tar"]],
      [gzip(tar), ".tar.gz", ["gzip", "tar"]],
    ] as const) {
      const fromPath = await readArchive(save(`rootfs${label}`, bytes));
      const fromStream = await readArchive(chunksOf(bytes, 1000), { name: "rootfs" });
      for (const r of [fromPath, fromStream]) {
        expectCorpus(r);
        expect(r.format).toBe("tar");
        expect(r.label).toBe(label);
        expect(r.chain).toEqual(chain);
        expect(r.kind).toBe("image");
        expect(r.looksLikeRootfs).toBe(true);
      }
    }
  });

  for (const [tool, label] of [
    ["xz", ".tar.xz"],
    ["zstd", ".tar.zst"],
    ["bzip2", ".tar.bz2"],
  ] as const) {
    it.skipIf(missing(tool))(`${label} (compressed with ${tool})`, async () => {
      const r = await readArchive(chunksOf(compressWith(tool, tar)), { name: `rootfs${label}` });
      expectCorpus(r);
      expect(r.label).toBe(label);
    });
  }

  it.skipIf(missing("tar", "xz", "zstd", "bzip2"))("GNU tar's archives, every codec", async () => {
    for (const [flag, label] of [
      ["", ".tar"],
      ["-z", ".tar.gz"],
      ["-J", ".tar.xz"],
      ["--zstd", ".tar.zst"],
      ["-j", ".tar.bz2"],
    ]) {
      const bytes = run("tar", ["-C", tree, ...(flag ? [flag] : []), "-cf", "-", "."]);
      const r = await readArchive(chunksOf(bytes), { name: `gnu${label}` });
      expectCorpus(r);
      expect(r.label).toBe(label);
    }
  });

  it.skipIf(missing("xz", "zstd", "bzip2"))("a tarball small enough to be decoded in one go, every codec", async () => {
    // bzip2 decodes a stream this small only when its input ends (unbzip2-stream's end()).
    const small = await tarBytes([{ name: "./etc/inittab", data: expected.get("/etc/inittab")! }]);
    for (const [bytes, label] of [
      [gzip(small), ".tar.gz"],
      [compressWith("xz", small), ".tar.xz"],
      [compressWith("zstd", small), ".tar.zst"],
      [compressWith("bzip2", small), ".tar.bz2"],
    ] as const) {
      expect(bytes.length, label).toBeLessThan(65536);
      const r = await readArchive(save(`small${label}`, bytes));
      expect(r.label).toBe(label);
      expect(r.candidates.map((c) => [c.path, Buffer.from(c.bytes!).equals(expected.get(c.path)!)])).toEqual([
        ["/etc/inittab", true],
      ]);
    }
  });

  it("a rootfs is an image: its /sbin/init link to BusyBox resolves inside it and hints the dialect", async () => {
    const r = await readArchive(chunksOf(gzip(tar)), { name: "rootfs.tar.gz" });
    const init = r.image.lookup("/sbin/init");
    expect(init).toEqual({ kind: "found", path: "/bin/busybox", entry: { type: "file", mode: 0o755 } });
    expect(r.dialectHint).toEqual({
      dialect: "busybox",
      family: "busybox",
      reason: "the image's /sbin/init is a link to /bin/busybox",
    });
    expect(r.image.list("/usr/share/corpus")).toEqual(["busybox", "other", "sysvinit"]);
  });

  it("a tarball without /bin, /sbin or /usr/bin is files, not a rootfs", async () => {
    const r = await readArchive(chunksOf(await tarBytes([{ name: "inittab", data: expected.get("/etc/inittab")! }])), {
      name: "t.tar",
    });
    expect(r.looksLikeRootfs).toBe(false);
    expect(r.candidates.map((c) => [c.path, c.role])).toEqual([["/inittab", "template"]]);
  });
});

describe("cpio (initramfs images, rpm payloads)", () => {
  it("newc, plain and gzip", async () => {
    const cpio = cpioBytes(entries);
    for (const [bytes, label] of [
      [cpio, ".cpio"],
      [gzip(cpio), ".cpio.gz"],
    ] as const) {
      const r = await readArchive(chunksOf(bytes), { name: `initrd${label}` });
      expectCorpus(r);
      expect(r.format).toBe("cpio");
      expect(r.label).toBe(label);
      expect(r.image.lookup("/sbin/init")).toMatchObject({ kind: "found", path: "/bin/busybox" });
    }
  });
});

const debControl = control({
  Package: "sysvinit-core",
  Version: "3.06-4",
  Architecture: "amd64",
  Maintainer: "t <t@example.org>",
  Description: "test",
});

describe(".deb", () => {
  it.skipIf(missing("dpkg-deb"))("dpkg-deb's packages, every compression it writes", async () => {
    writeTree(tree, [{ name: "DEBIAN/control", data: debControl }]);
    try {
      for (const z of ["xz", "gzip", "zstd", "none"]) {
        const deb = join(work.dir, `sysvinit-core_3.06-4_amd64.${z}.deb`);
        run("dpkg-deb", ["--root-owner-group", `-Z${z}`, "-b", tree, deb]);
        const r = await readArchive(deb);
        expectCorpus(r);
        expect(r.format).toBe("deb");
        expect(r.label).toBe(".deb");
        const suffix = { xz: ".xz", gzip: ".gz", zstd: ".zst", none: "" }[z];
        const codec = { xz: ["xz"], gzip: ["gzip"], zstd: ["zstd"], none: [] }[z]!;
        expect(r.chain).toEqual(["ar", `data.tar${suffix}`, ...codec, "tar"]);
        expect(r.kind).toBe("package");
        expect(r.package).toEqual({ name: "sysvinit-core", version: "3.06-4", architecture: "amd64", from: "control" });
        expect(r.dialectHint).toEqual({
          dialect: "sysvinit@3.06",
          family: "sysvinit",
          version: "3.06",
          reason: "package sysvinit-core 3.06-4 (from its control) is for sysvinit 3.06",
        });
        // The index is the package's data: no control files in it.
        expect(r.image.get("/control")).toBeUndefined();
        expect(r.image.get("/DEBIAN")).toBeUndefined();
      }
    } finally {
      run("rm", ["-r", join(tree, "DEBIAN")]);
    }
  });

  it.skipIf(missing("bzip2"))("data.tar.bz2 and a control.tar without compression, ar written here", async () => {
    const deb = arBytes([
      { name: "debian-binary", data: Buffer.from("2.0\n") },
      { name: "control.tar", data: await tarBytes([{ name: "./control", data: debControl }]) },
      { name: "data.tar.bz2", data: compressWith("bzip2", tar) },
    ]);
    const r = await readArchive(chunksOf(deb, 777), { name: "p.deb" });
    expectCorpus(r);
    expect(r.chain).toEqual(["ar", "data.tar.bz2", "bzip2", "tar"]);
    expect(r.package?.name).toBe("sysvinit-core");
  });
});

const openwrtControl = control({ Package: "base-files", Version: "1555-r24106", Architecture: "mips_24kc" });

describe(".ipk", () => {
  it("ar form", async () => {
    const ipk = arBytes([
      { name: "debian-binary", data: Buffer.from("2.0\n") },
      { name: "control.tar.gz", data: gzip(await tarBytes([{ name: "./control", data: openwrtControl }])) },
      { name: "data.tar.gz", data: gzip(tar) },
    ]);
    const r = await readArchive(save("base-files_1555-r24106_mips_24kc.ipk", ipk));
    expectCorpus(r);
    expect(r.format).toBe("ipk");
    expect(r.dialectHint?.dialect).toBe("busybox");
    expect(r.dialectHint?.reason).toBe(
      "package base-files 1555-r24106 (from its control) is for OpenWrt (a base-files that ships an inittab), " +
        "whose procd reads it in BusyBox's format",
    );
  });

  it("gzip tar form (opkg-build: debian-binary, data.tar.gz, control.tar.gz), known without a name", async () => {
    const outer = await tarBytes([
      { name: "./debian-binary", data: Buffer.from("2.0\n") },
      { name: "./data.tar.gz", data: gzip(tar) },
      { name: "./control.tar.gz", data: gzip(await tarBytes([{ name: "./control", data: openwrtControl }])) },
    ]);
    const r = await readArchive(chunksOf(gzip(outer)), { name: "<stdin>" });
    expectCorpus(r);
    expect(r.format).toBe("ipk");
    expect(r.chain).toEqual(["gzip", "tar", "data.tar.gz", "gzip", "tar"]);
    expect(r.package?.name).toBe("base-files");
    expect(r.dialectHint?.dialect).toBe("busybox");
  });
});

describe(".apk (Alpine v2)", () => {
  it("three gzip streams: signature, control and data tar segments", async () => {
    const signature = gzip(
      await tarBytes(
        [{ name: ".SIGN.RSA.alpine-devel@lists.alpinelinux.org-6165ee59.rsa.pub", data: new Uint8Array(256).fill(7) }],
        { segment: true },
      ),
    );
    const pkginfo = Buffer.from(
      "# Generated by abuild 3.12.0-r0\npkgname = alpine-baselayout\npkgver = 3.4.3-r1\narch = x86_64\nsize = 1\n",
    );
    const controlSegment = gzip(
      await tarBytes(
        [
          { name: ".PKGINFO", data: pkginfo },
          { name: ".pre-install", data: Buffer.from("#!/bin/sh\n"), mode: 0o755 },
        ],
        { segment: true },
      ),
    );
    const data = gzip(tar);
    const r = await readArchive(chunksOf(Buffer.concat([signature, controlSegment, data])), {
      name: "alpine-baselayout-3.4.3-r1.apk",
    });
    expectCorpus(r);
    expect(r.format).toBe("apk");
    expect(r.package).toEqual({
      name: "alpine-baselayout",
      version: "3.4.3-r1",
      architecture: "x86_64",
      from: ".PKGINFO",
    });
    expect(r.dialectHint?.reason).toBe(
      "package alpine-baselayout 3.4.3-r1 (from its .PKGINFO) is for Alpine Linux, which boots with BusyBox's init",
    );
    expect(r.image.get("/.PKGINFO")).toBeUndefined();
    expect(r.image.get("/.pre-install")).toBeUndefined();
  });
});

describe(".rpm", () => {
  it.skipIf(missing("rpmbuild", "xz"))(
    "rpmbuild's packages: gzip, xz (SHA-256 check, through xz), zstd and bzip2 payloads",
    async () => {
      const top = join(work.dir, "rpmbuild");
      const files = ["/etc/inittab", "/usr/share/corpus", "/bin/busybox", "/sbin/init"];
      for (const [payload, codec] of [
        ["w9.gzdio", "gzip"],
        ["w6.xzdio", "xz"],
        ["w19.zstdio", "zstd"],
        ["w9.bzdio", "bzip2"],
      ]) {
        const rpm = rpmbuild(top, tree, files, payload!);
        const r = await readArchive(rpm);
        expectCorpus(r);
        expect(r.format).toBe("rpm");
        expect(r.chain).toEqual(["rpm", codec, "cpio"]);
        expect(r.package).toEqual({
          name: "sysvinit",
          version: "2.88dsf-1",
          architecture: "noarch",
          from: "rpm header",
        });
        expect(r.dialectHint?.dialect).toBe("sysvinit@2.88");
        expect(r.image.lookup("/sbin/init")).toMatchObject({ kind: "found", path: "/bin/busybox" });
      }
    },
  );
});

describe("links to inittabs", () => {
  const text = Buffer.from("id:2:initdefault:\n");

  it("a symlinked /etc/inittab reads as its target; a link to a member not read says so", async () => {
    const r = await readArchive(
      chunksOf(
        await tarBytes([
          { name: "./usr/share/sysvinit/inittab", data: text },
          { name: "./etc/inittab", type: "symlink", linkname: "../usr/share/sysvinit/inittab" },
          { name: "./etc/inittab.d/a.tab", type: "symlink", linkname: "/run/a" },
          { name: "./run/a", data: Buffer.from("x") },
          { name: "./opt/x.inittab", type: "symlink", linkname: "/nowhere" },
        ]),
      ),
      { name: "t.tar" },
    );
    expect(r.candidates).toEqual([
      { path: "/etc/inittab", role: "system", bytes: expect.anything(), linkTo: "/usr/share/sysvinit/inittab" },
      {
        path: "/etc/inittab.d/a.tab",
        role: "system-tab",
        linkTo: "/run/a",
        note: 'a link to "/run/a", which was not read (only members named like inittabs are)',
      },
      { path: "/opt/x.inittab", role: "template", note: 'a symbolic link to "/nowhere", which is not in the archive' },
      { path: "/usr/share/sysvinit/inittab", role: "template", bytes: expect.anything() },
    ]);
    expect(Buffer.from(r.candidates[0]!.bytes!).toString()).toBe(text.toString());
  });

  it("a tar hard link, and cpio hard links whose data comes with the last link (as rpm writes them)", async () => {
    const tarred = await readArchive(
      chunksOf(
        await tarBytes([
          { name: "./usr/share/sysvinit/inittab", data: text },
          { name: "./etc/inittab", type: "link", linkname: "./usr/share/sysvinit/inittab" },
        ]),
      ),
      { name: "t.tar" },
    );
    expect(tarred.candidates.map((c) => [c.path, c.linkTo, Buffer.from(c.bytes!).toString()])).toEqual([
      ["/etc/inittab", "/usr/share/sysvinit/inittab", text.toString()],
      ["/usr/share/sysvinit/inittab", undefined, text.toString()],
    ]);
    const cpio = cpioBytes([
      { name: "etc/inittab", data: new Uint8Array(0), inode: 7, links: 2 },
      { name: "usr/share/doc/inittab.example", data: text, inode: 7, links: 2 },
    ]);
    const r = await readArchive(chunksOf(cpio), { name: "x.cpio" });
    expect(r.candidates.map((c) => [c.path, c.linkTo, Buffer.from(c.bytes!).toString()])).toEqual([
      ["/etc/inittab", "/usr/share/doc/inittab.example", text.toString()],
    ]);
  });
});
