/** The hand-written readers: ar (GNU and BSD names, padding), cpio newc, rpm headers. */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { arMembers } from "../../src/archive/ar.js";
import { codecOf } from "../../src/archive/codecs.js";
import { cpioMembers } from "../../src/archive/cpio.js";
import { ArchiveFault } from "../../src/archive/errors.js";
import { ByteReader, collect } from "../../src/archive/reader.js";
import { readRpmHeaders, RPMTAG } from "../../src/archive/rpm.js";
import { arBytes, chunksOf, cpioBytes, missing, run, tempDir, writeTree } from "./support.js";

let work: ReturnType<typeof tempDir>;
beforeAll(() => {
  work = tempDir();
});
afterAll(() => work.remove());

const reader = (bytes: Uint8Array, chunk = 7): ByteReader => new ByteReader(chunksOf(bytes, chunk), "the file");

async function arList(bytes: Uint8Array): Promise<[string, string][]> {
  const out: [string, string][] = [];
  for await (const m of arMembers(reader(bytes))) {
    // Read some members, leave others: the reader must find the next header either way.
    out.push([
      m.name,
      m.name.includes("skip")
        ? ""
        : Buffer.from(await collect(m.body, 1 << 20, () => new ArchiveFault("too-big", ""))).toString(),
    ]);
  }
  return out;
}

describe("ar", () => {
  const members = [
    { name: "debian-binary", data: Buffer.from("2.0\n") },
    { name: "odd", data: Buffer.from("abc") },
    { name: "skip-me", data: Buffer.from("zzzzz") },
    { name: "a-name-longer-than-sixteen-bytes", data: Buffer.from("long") },
  ];
  const expected = members.map((m): [string, string] => [m.name, m.name.includes("skip") ? "" : m.data.toString()]);

  it("BSD names (#1/LEN) and odd sizes, read in 7-byte chunks", async () => {
    expect(await arList(arBytes(members, "bsd"))).toEqual(expected);
  });

  it.skipIf(missing("ar"))("GNU ar's archive with its long-name table", async () => {
    writeTree(
      work.dir,
      members.map((m) => ({ name: m.name, data: m.data })),
    );
    const path = join(work.dir, "x.a");
    run("ar", ["rcS", path, ...members.map((m) => m.name)], { cwd: work.dir });
    const bytes = run("cat", [path]);
    expect(bytes.includes(Buffer.from("//"))).toBe(true);
    expect(await arList(bytes)).toEqual(expected);
  });

  it("a bad size field is corrupt", async () => {
    const bytes = arBytes(members);
    bytes.write("12x4      ", 8 + 48, "latin1");
    await expect(arList(bytes)).rejects.toMatchObject({
      code: "corrupt",
      detail: 'ar member header at byte 8 has a bad size "12x4"',
    });
  });
});

describe("cpio newc", () => {
  it("files, directories and symlinks; bodies left unread are skipped", async () => {
    const bytes = cpioBytes([
      { name: "etc", type: "directory" },
      { name: "etc/inittab", data: Buffer.from("id:2:initdefault:\n") },
      { name: "etc/skip", data: Buffer.from("12345") },
      { name: "sbin/init", type: "symlink", linkname: "/bin/busybox" },
      { name: "etc/last", data: Buffer.from("x") },
    ]);
    const seen: unknown[] = [];
    for await (const m of cpioMembers(reader(bytes, 5))) {
      const body = m.name.endsWith("skip")
        ? ""
        : Buffer.from(await collect(m.body, 100, () => new ArchiveFault("too-big", ""))).toString();
      seen.push([m.name, m.type, m.mode.toString(8), m.linkTarget ?? "", body]);
    }
    expect(seen).toEqual([
      ["etc", "dir", "755", "", ""],
      ["etc/inittab", "file", "644", "", "id:2:initdefault:\n"],
      ["etc/skip", "file", "644", "", ""],
      ["sbin/init", "symlink", "777", "/bin/busybox", ""],
      ["etc/last", "file", "644", "", "x"],
    ]);
  });

  it("a damaged header is corrupt; odc is unsupported", async () => {
    const bad = cpioBytes([{ name: "a", data: Buffer.from("x") }]);
    bad.write("zz", 14, "latin1");
    await expect(collectAll(bad)).rejects.toMatchObject({ code: "corrupt" });
    await expect(collectAll(Buffer.from("070707" + "0".repeat(104)))).rejects.toMatchObject({ code: "unsupported" });
  });

  async function collectAll(bytes: Uint8Array): Promise<void> {
    for await (const _ of cpioMembers(reader(bytes))) {
      // nothing
    }
  }
});

describe("rpm headers", () => {
  it.skipIf(missing("rpmbuild", "rpm"))("the tags rpm itself reads, and the reader left at the payload", async () => {
    const spec = join(work.dir, "t.spec");
    writeTree(work.dir, [
      {
        name: "t.spec",
        data: Buffer.from(
          "Name: t\nVersion: 1.2\nRelease: 3\nEpoch: 4\nSummary: s\nLicense: MIT\n" +
            "BuildArch: noarch\n%description\nd\n%files\n",
        ),
      },
    ]);
    const top = join(work.dir, "top");
    run("rpmbuild", ["--quiet", "-bb", "--define", `_topdir ${top}`, spec]);
    const path = join(top, "RPMS", "noarch", "t-1.2-3.noarch.rpm");
    const bytes = run("cat", [path]);
    const r = reader(bytes, 100);
    const tags = await readRpmHeaders(r, 1 << 20);
    const q = run("rpm", [
      "-qp",
      "--qf",
      "%{NAME} %{VERSION} %{RELEASE} %{EPOCH} %{ARCH} %{PAYLOADCOMPRESSOR}",
      path,
    ]).toString();
    expect(
      [RPMTAG.NAME, RPMTAG.VERSION, RPMTAG.RELEASE, RPMTAG.EPOCH, RPMTAG.ARCH, RPMTAG.PAYLOADCOMPRESSOR]
        .map((t) => tags.get(t))
        .join(" "),
    ).toBe(q);
    // The reader is left where the payload starts: rpm2cpio's output is that payload decompressed.
    const payload = bytes.subarray(r.position);
    const codec = codecOf(payload);
    expect(codec).toBeDefined();
    const cpio = run("rpm2cpio", [path]);
    const tool = { gzip: "gzip", xz: "xz", zstd: "zstd", bzip2: "bzip2" }[codec!];
    expect(Buffer.compare(run(tool, ["-dc"], { input: payload }), cpio)).toBe(0);
  });

  it("a header that claims more than the limit is corrupt, before anything is read", async () => {
    const lead = Buffer.alloc(96);
    lead.set([0xed, 0xab, 0xee, 0xdb]);
    const header = Buffer.from([0x8e, 0xad, 0xe8, 0x01, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff]);
    await expect(readRpmHeaders(reader(Buffer.concat([lead, header])), 1 << 20)).rejects.toMatchObject({
      code: "corrupt",
      detail: "the rpm signature header claims 65535 tags and 2147483647 bytes of data",
    });
  });
});
