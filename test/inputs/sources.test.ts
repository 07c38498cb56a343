/**
 * readInputs: the inittabs behind the PATHs a command is given — files, directories, packages
 * and rootfs archives found by their first bytes, standard input — grouped as init reads them,
 * named `ARCHIVE!/member`, parsed with a package's dialect hint; what cannot be used is one
 * error item naming it, and the rest is still read.
 */
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readInputs, type InputItem, type InputSet, type ReadInputsOptions } from "../../src/inputs/index.js";
import {
  arBytes,
  chunksOf,
  compressWith,
  control,
  gzip,
  has,
  tarBytes,
  tempDir,
  type TreeEntry,
} from "../archive/support.js";

let work: ReturnType<typeof tempDir>;
beforeAll(() => {
  work = tempDir();
});
afterAll(() => work.remove());

const text = (s: string): Buffer => Buffer.from(s);
const SYSV = "id:3:initdefault:\n~~:S:wait:/sbin/sulogin\nl3:3:wait:/etc/init.d/rc 3\n";
const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(600, 0)]);

async function items(paths: string[], options: Partial<ReadInputsOptions> = {}): Promise<InputItem[]> {
  const out: InputItem[] = [];
  for await (const item of readInputs(paths, { dialect: "auto", ...options })) out.push(item);
  return out;
}

/** Each item as [kind, what]: a set as its files' paths, an error as its code and message. */
function outline(list: InputItem[]): Array<[string, unknown]> {
  return list.map((i) =>
    i.kind === "set"
      ? ["set", filesOf(i.set).map((d) => d.path)]
      : i.kind === "note"
        ? ["note", i.message]
        : ["error", `${i.error.code}: ${i.error.message}`],
  );
}

const filesOf = (set: InputSet) => [...(set.main ? [set.main] : []), ...set.tabs];
const sets = (list: InputItem[]): InputSet[] => list.flatMap((i) => (i.kind === "set" ? [i.set] : []));

function save(name: string, bytes: Uint8Array): string {
  const path = join(work.dir, name);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, bytes);
  return path;
}

async function deb(name: string, version: string, data: TreeEntry[]): Promise<Buffer> {
  return arBytes([
    { name: "debian-binary", data: text("2.0\n") },
    {
      name: "control.tar.gz",
      data: gzip(await tarBytes([{ name: "./control", data: control({ Package: name, Version: version }) }])),
    },
    { name: "data.tar.gz", data: gzip(await tarBytes(data)) },
  ]);
}

describe("an archive's inittabs, grouped as init reads them", () => {
  it("the system's set with inittab.d, templates alone or with their inittab.d, orphan .tab files", async () => {
    const path = save(
      "groups.tar",
      await tarBytes([
        { name: "./etc/inittab", data: text(SYSV) },
        { name: "./etc/inittab.d/a.tab", data: text("l3:3:once:/bin/a\n") },
        { name: "./etc/inittab.d/notes.txt", data: text("x\n") },
        { name: "./usr/share/sysvinit/inittab", data: text(SYSV) },
        { name: "./usr/share/sysvinit/inittab.d/b.tab", data: text("b1:3:once:/bin/b\n") },
        { name: "./opt/board/serial.inittab", data: text("S0:2345:respawn:/sbin/getty -L ttyS0\n") },
        { name: "./srv/inittab.d/orphan.tab", data: text("o1:3:once:/bin/o\n") },
        { name: "./srv/README", data: text("not an inittab\n") },
      ]),
    );
    const list = await items([path]);
    const at = (m: string) => `${path}!${m}`;
    expect(outline(list)).toEqual([
      ["set", [at("/etc/inittab"), at("/etc/inittab.d/a.tab")]],
      ["set", [at("/opt/board/serial.inittab")]],
      ["set", [at("/usr/share/sysvinit/inittab"), at("/usr/share/sysvinit/inittab.d/b.tab")]],
      ["set", [at("/srv/inittab.d/orphan.tab")]],
    ]);
    const [system] = sets(list);
    // inittab.d as listed in the archive's index: init ignores notes.txt (IT030c).
    expect(system!.tabDir).toEqual({ path: at("/etc/inittab.d"), names: ["a.tab", "notes.txt"] });
    expect(system!.main).toMatchObject({ display: at("/etc/inittab"), member: "/etc/inittab" });
    expect(system!.main!.doc.source).toBe(SYSV);
    expect(system!.archive).toMatchObject({ path, display: path, format: "tar", label: ".tar" });
    // Files, not a root file system: no image to look programs up in.
    expect(system!.archive!.image).toBeUndefined();
    // The tab is read by the init that reads the main file.
    expect(system!.tabs[0]!.doc.detection.reasons).toEqual([
      `an inittab.d file is read by the init that reads ${at("/etc/inittab")}`,
    ]);
  });

  it("a rootfs archive comes with its tree, in which its links resolve", async () => {
    const path = save(
      "rootfs.tar.gz",
      gzip(
        await tarBytes([
          { name: "./bin/busybox", data: ELF, mode: 0o755 },
          { name: "./sbin/getty", type: "symlink", linkname: "../bin/busybox" },
          { name: "./etc/inittab", data: text("::sysinit:/etc/init.d/rcS\nttyS0::respawn:/sbin/getty -L ttyS0\n") },
        ]),
      ),
    );
    const [set] = sets(await items([path]));
    expect(set!.archive!.image?.lookup("/sbin/getty")).toMatchObject({ kind: "found", path: "/bin/busybox" });
    expect(set!.main!.doc.dialect.name).toBe("busybox");
  });

  it("a member named like an inittab that cannot be read is one error naming it; the others are read", async () => {
    const path = save(
      "links.tar",
      await tarBytes([
        { name: "./etc/inittab", type: "symlink", linkname: "/run/inittab" },
        { name: "./usr/share/x.inittab", data: text(SYSV) },
      ]),
    );
    expect(outline(await items([path]))).toEqual([
      [
        "error",
        `no-inittab: ${path}!/etc/inittab: not read: a symbolic link to "/run/inittab", which is not in the archive`,
      ],
      ["set", [`${path}!/usr/share/x.inittab`]],
    ]);
  });
});

describe("dialects from package metadata", () => {
  it("with auto, the package decides and the detection says so; a dialect given wins", async () => {
    const path = save(
      "sysvinit-core_3.08-1_amd64.deb",
      await deb("sysvinit-core", "3.08-1", [
        { name: "./usr/share/sysvinit/inittab", data: text(SYSV) },
        { name: "./usr/share/sysvinit/inittab.d/x.tab", data: text("x1:3:once:/bin/x\n") },
        { name: "./usr/share/doc/other.d/inittab.d/y.tab", data: text("y1:3:once:/bin/y\n") },
      ]),
    );
    const reason =
      "package sysvinit-core 3.08-1 (from its control) is for sysvinit 3.08: " +
      "read as sysvinit@3.06, the newest table at or below it";
    const [template, orphan] = sets(await items([path]));
    expect(template!.archive!.dialectHint?.dialect).toBe("sysvinit@3.06");
    expect(template!.main!.doc.dialect.name).toBe("sysvinit@3.06");
    expect(template!.main!.doc.detection.reasons).toEqual([reason]);
    expect(template!.tabs[0]!.doc.dialect.name).toBe("sysvinit@3.06");
    // A .tab with no inittab beside it is read by the package's init too.
    expect(orphan!.tabs[0]!.doc).toMatchObject({
      dialect: { name: "sysvinit@3.06" },
      detection: { reasons: [reason] },
    });
    const [given] = sets(await items([path], { dialect: "busybox" }));
    expect(given!.main!.doc.dialect.name).toBe("busybox");
    expect(given!.main!.doc.detection.reasons).toEqual(["given"]);
  });

  it("without a hint, each file's content decides", async () => {
    const path = save(
      "hello_1.0_all.deb",
      await deb("hello", "1.0", [{ name: "./etc/inittab", data: text("::sysinit:/bin/true\n") }]),
    );
    const [set] = sets(await items([path]));
    expect(set!.archive!.dialectHint).toBeUndefined();
    expect(set!.main!.doc.dialect.name).toBe("busybox");
    expect(set!.main!.doc.detection.reasons[0]).toMatch(/empty id/);
  });
});

describe("standard input", () => {
  it("an archive is told by its first bytes, read again from its start, named <stdin> or its given name", async () => {
    const bytes = gzip(await tarBytes([{ name: "./etc/inittab", data: text(SYSV) }]));
    // Chunks smaller than the head: the sniffed head spans several of them.
    const plain = sets(await items(["-"], { stdin: chunksOf(bytes, 7) }));
    expect(plain.map((s) => [s.main!.path, s.main!.display, s.main!.doc.source])).toEqual([
      ["-!/etc/inittab", "<stdin>!/etc/inittab", SYSV],
    ]);
    expect(plain[0]!.archive).toMatchObject({ path: "-", display: "<stdin>", label: ".tar.gz" });
    const named = sets(await items(["-"], { stdin: chunksOf(bytes, 7), stdinName: "rootfs.tar.gz" }));
    expect(named[0]!.main!.display).toBe("rootfs.tar.gz!/etc/inittab");
  });

  it("text is an inittab, bytes kept exactly; an empty input is an empty one", async () => {
    const source = `${SYSV}\x00\xe9\r\n`;
    const [set] = sets(await items(["-"], { stdin: chunksOf(Buffer.from(source, "latin1"), 5) }));
    expect(set!.main).toMatchObject({ path: "-", display: "<stdin>" });
    expect(set!.main!.doc.source).toBe(source);
    const [empty] = sets(await items(["-"], { stdin: chunksOf(new Uint8Array(0)) }));
    expect(empty!.main!.doc.source).toBe("");
  });

  it("a binary stream is one error naming standard input", async () => {
    expect(outline(await items(["-"], { stdin: chunksOf(ELF) }))).toEqual([
      ["error", "not-an-inittab: <stdin>: not an inittab or a known archive: it is an ELF executable or library"],
    ]);
  });
});

describe("files and directories", () => {
  it("a directory: inittabs by name, archives by first bytes; other files passed over, no link followed", async () => {
    const dir = join(work.dir, "tree");
    const pkg = await deb("busybox", "1:1.36.1-6", [{ name: "./etc/inittab", data: text("::sysinit:/bin/true\n") }]);
    const lines = Array.from({ length: 2000 }, (_, i) => `x${i}:3:once:/usr/bin/prog-${(i * 7919) % 10007}\n`);
    const tgz = gzip(await tarBytes([{ name: "./etc/inittab", data: text(lines.join("")) }]));
    const cutTarGz = tgz.subarray(0, tgz.length >> 1);
    const files: Record<string, Uint8Array> = {
      "a.inittab": text(SYSV),
      "pool/b/busybox_1.36.1-6_amd64.deb": pkg,
      // No archive after all: a gzip'd text and a static library are passed over in a search.
      "share/man/inittab.5.gz": gzipSync(text(".TH INITTAB 5\n")),
      "lib/libx.a": arBytes([{ name: "x.o", data: ELF }]),
      "bin/tool": ELF,
      // A compressed kernel module, told from its first bytes.
      ...(has("xz") ? { "lib/modules/x.ko.xz": compressWith("xz", ELF) } : {}),
      empty: new Uint8Array(0),
      // Named like an inittab, but no text: reported.
      "bad.inittab": ELF,
      // A tarball that breaks off: reported.
      "cut.tar.gz": cutTarGz,
    };
    for (const [name, bytes] of Object.entries(files)) save(join("tree", name), bytes);
    symlinkSync(join(dir, "pool/b/busybox_1.36.1-6_amd64.deb"), join(dir, "link.deb"));
    const list = await items([dir]);
    const deb1 = join(dir, "pool/b/busybox_1.36.1-6_amd64.deb");
    if (!has("xz")) process.stderr.write("inputs tests: xz not installed; no compressed kernel module in the search\n");
    expect(outline(list)).toEqual([
      ["set", [join(dir, "a.inittab")]],
      [
        "error",
        `not-an-inittab: ${join(dir, "bad.inittab")}: ` +
          "not an inittab or a known archive: it is an ELF executable or library",
      ],
      ["error", expect.stringMatching(new RegExp(`^bad-archive: ${join(dir, "cut.tar.gz")}: truncated \\.`))],
      ["set", [`${deb1}!/etc/inittab`]],
    ]);
    expect(sets(list)[1]!.main!.doc.detection.reasons).toEqual([
      "package busybox 1:1.36.1-6 (from its control) is for BusyBox 1.36",
    ]);
  });

  it("an inittab.d file that is no text is one error; the rest of its set is checked", async () => {
    const root = join(work.dir, "rootfs-dir");
    save("rootfs-dir/etc/inittab", text(SYSV));
    save("rootfs-dir/etc/inittab.d/ok.tab", text("o1:3:once:/bin/o\n"));
    save("rootfs-dir/etc/inittab.d/bin.tab", ELF);
    expect(outline(await items([root]))).toEqual([
      [
        "error",
        `not-an-inittab: ${join(root, "etc/inittab.d/bin.tab")}: not an inittab or a known archive: it is an ELF executable or library`,
      ],
      ["set", [join(root, "etc/inittab"), join(root, "etc/inittab.d/ok.tab")]],
    ]);
  });

  it("named explicitly: a binary file, a missing one, an archive without inittabs are each one error", async () => {
    const bin = save("prog", ELF);
    const empty = save("empty.tar.gz", gzip(await tarBytes([{ name: "./usr/bin/x", data: ELF }])));
    const nothing = join(work.dir, "only-archives");
    save("only-archives/x.tar.gz", gzip(await tarBytes([{ name: "./usr/bin/x", data: ELF }])));
    expect(outline(await items([bin, join(work.dir, "nothere"), empty, nothing]))).toEqual([
      ["error", `not-an-inittab: ${bin}: not an inittab or a known archive: it is an ELF executable or library`],
      ["error", `io-error: ${join(work.dir, "nothere")}: no such file or directory`],
      [
        "error",
        `no-inittab: ${empty}: no inittab in this .tar.gz ` +
          "(looked for /etc/inittab, /etc/inittab.d/*.tab, any other …/inittab and *.inittab)",
      ],
      [
        "error",
        `no-inittab: ${nothing}: no inittab files found (looked for inittab, *.inittab and inittab.d/*.tab, ` +
          "and for packages and archives holding them)",
      ],
    ]);
    expect(readdirSync(work.dir)).not.toContain("etc"); // nothing unpacked
  });
});
