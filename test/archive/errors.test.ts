/**
 * Unusable input is one InittabError with a reason and a one-line message that names the file:
 * corrupt, truncated, encrypted, bombs, unsafe paths, unknown binaries, oversize inittabs,
 * unsupported variants, unreadable paths.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InittabError, type ErrorCode } from "../../src/base/errors.js";
import { readArchive, type ArchiveErrorReason, type ReadArchiveOptions } from "../../src/archive/index.js";
import {
  arBytes,
  chunksOf,
  compressWith,
  control,
  corpusTree,
  cpioBytes,
  gzip,
  missing,
  tarBytes,
  tempDir,
} from "./support.js";

const { entries } = corpusTree();
let tar: Buffer;
let work: ReturnType<typeof tempDir>;

beforeAll(async () => {
  tar = await tarBytes(entries);
  work = tempDir();
});
afterAll(() => work.remove());

async function failure(
  input: Uint8Array | string,
  name: string,
  options: ReadArchiveOptions = {},
): Promise<InittabError & { reason: ArchiveErrorReason }> {
  try {
    await readArchive(typeof input === "string" ? input : chunksOf(input), { name, ...options });
  } catch (err) {
    expect(err).toBeInstanceOf(InittabError);
    const e = err as InittabError;
    const reason = e.details["reason"] as ArchiveErrorReason;
    expect(e.code).toBe(CODE_OF[reason]);
    expect(e.path).toBe(name);
    expect(e.message).not.toMatch(/[\n\r\x00-\x08\x0b-\x1f\x7f]/);
    expect(e.message.startsWith(`${name}: `)).toBe(true);
    return Object.assign(e, { reason });
  }
  throw new Error(`${name}: read without error`);
}

/** The InittabError code of each reason: the CLI's exit status (2 for each) comes from it. */
const CODE_OF: Record<ArchiveErrorReason, ErrorCode> = {
  corrupt: "bad-archive",
  truncated: "bad-archive",
  encrypted: "bad-archive",
  bomb: "bad-archive",
  "unsafe-path": "bad-archive",
  unsupported: "bad-archive",
  "unknown-format": "not-an-inittab",
  "too-big": "too-big",
  unreadable: "io-error",
};

async function expectCode(
  input: Uint8Array | string,
  name: string,
  code: ArchiveErrorReason,
  message?: RegExp,
  options?: ReadArchiveOptions,
): Promise<void> {
  const e = await failure(input, name, options);
  expect(e.reason, e.message).toBe(code);
  if (message) expect(e.message).toMatch(message);
}

const deb = async (data: Uint8Array, dataName = "data.tar.gz"): Promise<Buffer> =>
  arBytes([
    { name: "debian-binary", data: Buffer.from("2.0\n") },
    {
      name: "control.tar.gz",
      data: gzip(await tarBytes([{ name: "./control", data: control({ Package: "p", Version: "1" }) }])),
    },
    { name: dataName, data },
  ]);

/** The bytes with one byte in the middle changed. */
function flipped(bytes: Uint8Array, at = Math.floor(bytes.length / 2)): Buffer {
  const copy = Buffer.from(bytes);
  copy[at] = copy[at]! ^ 0x55;
  return copy;
}

describe("not an archive", () => {
  it("an ELF executable, random bytes and text are unknown-format, saying what they are", async () => {
    await expectCode(
      process.execPath,
      "node",
      "unknown-format",
      /^node: not an inittab or a known archive: it is an ELF executable or library$/,
    );
    const random = Buffer.alloc(8192);
    for (let i = 0; i < random.length; i++) random[i] = (i * 7919 + 13) % 251;
    await expectCode(
      random,
      "junk.bin",
      "unknown-format",
      /binary data \(\d+% of its first 4096 bytes are control bytes or not UTF-8\)/,
    );
    await expectCode(Buffer.from("id:2:initdefault:\n"), "inittab", "unknown-format", /it is text/);
  });

  it("a static library (an ar archive that is no package) and gzip data that is no tar", async () => {
    await expectCode(
      arBytes([
        { name: "/", data: Buffer.alloc(4) },
        { name: "a.o", data: Buffer.from("\x7fELF") },
      ]),
      "libx.a",
      "unknown-format",
      /not debian-binary/,
    );
    await expectCode(
      gzip(Buffer.from("id:2:initdefault:\n")),
      "inittab.gz",
      "unknown-format",
      /holds text, not a tar or cpio archive/,
    );
  });

  it("encrypted data", async () => {
    await expectCode(
      Buffer.from("-----BEGIN PGP MESSAGE-----\n\nhQEMA...\n"),
      "pkg.deb.asc",
      "encrypted",
      /OpenPGP-encrypted message; decrypt it first/,
    );
    await expectCode(Buffer.concat([Buffer.from("Salted__"), Buffer.alloc(64, 0xaa)]), "x.enc", "encrypted");
  });

  it("unreadable paths: missing, a directory", async () => {
    await expectCode(join(work.dir, "absent.deb"), "absent.deb", "unreadable", /no such file or directory/);
    await expectCode(work.dir, "dir", "unreadable", /illegal operation on a directory/);
  });
});

describe("corrupt and truncated", () => {
  it("a damaged ar header, a damaged tar header, flipped gzip bytes", async () => {
    const good = await deb(gzip(tar));
    const badAr = Buffer.from(good);
    badAr.write("X", 8 + 58, "latin1");
    await expectCode(badAr, "p.deb", "corrupt", /^p\.deb: corrupt \.deb: ar member header at byte 8 is damaged$/);
    const badTar = Buffer.from(tar);
    badTar.write("garbage!", 148, "latin1"); // the first header's checksum field
    await expectCode(
      Buffer.concat([Buffer.alloc(0), gzip(badTar)]),
      "r.tar.gz",
      "corrupt",
      /tar: a member header is damaged/,
    );
    await expectCode(
      await deb(flipped(gzip(tar))),
      "p.deb",
      "corrupt",
      /^p\.deb: corrupt \.deb: data\.tar\.gz: (gzip|tar): /,
    );
  });

  it.skipIf(missing("xz", "zstd"))("flipped xz and zstd bytes", async () => {
    await expectCode(
      flipped(compressWith("xz", tar)),
      "r.tar.xz",
      "corrupt",
      /xz: the compressed data is damaged|xz: /,
    );
    await expectCode(flipped(compressWith("zstd", tar, ["--check"])), "r.tar.zst", "corrupt", /(zstd|tar): /);
  });

  it.skipIf(missing("xz", "zstd", "bzip2"))("every container and codec cut in half", async () => {
    const half = (b: Uint8Array): Uint8Array => b.subarray(0, Math.floor(b.length / 2));
    await expectCode(half(tar), "r.tar", "truncated", /^r\.tar: truncated \.tar: the tar archive ends early/);
    await expectCode(half(gzip(tar)), "r.tar.gz", "truncated", /gzip: unexpected end of input/);
    await expectCode(half(compressWith("xz", tar)), "r.tar.xz", "truncated", /xz: unexpected end of input/);
    await expectCode(half(compressWith("zstd", tar)), "r.tar.zst", "truncated", /zstd: unexpected end of input/);
    // bzip2's decoder cannot tell a cut stream from a damaged one.
    await expectCode(
      half(compressWith("bzip2", tar)),
      "r.tar.bz2",
      "corrupt",
      /bzip2: the data is damaged or ends early/,
    );
    await expectCode(half(cpioBytes(entries)), "r.cpio", "truncated", /ends early/);
    await expectCode(half(await deb(gzip(tar))), "p.deb", "truncated", /^p\.deb: truncated \.deb: /);
    await expectCode(
      Buffer.from("!<arch>\ndebian-binary/   0"),
      "p.deb",
      "truncated",
      /the file ends early \(in an ar member header\)/,
    );
  });
});

describe("limits", () => {
  const zeros = async (): Promise<Buffer> =>
    tarBytes([
      { name: "./bin/", type: "directory" },
      { name: "./big.img", data: new Uint8Array(8 << 20) },
    ]);

  it("a decompression bomb: total size, and ratio past the floor", async () => {
    const bomb = gzip(await zeros());
    await expectCode(
      bomb,
      "b.tar.gz",
      "bomb",
      /^b\.tar\.gz: refused \.tar\.gz: the gzip stream \(gzip\) data expands past 1 MiB/,
      {
        limits: { maxExpandedBytes: 1 << 20 },
      },
    );
    await expectCode(bomb, "b.tar.gz", "bomb", /expands [\d,]+ times .* a decompression bomb/, {
      limits: { ratioFloor: 1 << 20, maxRatio: 100 },
    });
    // The same archive passes with the default limits: 8 MiB of zeros is no bomb.
    await expect(readArchive(chunksOf(bomb), { name: "b.tar.gz" })).resolves.toMatchObject({ format: "tar" });
  });

  it.skipIf(missing("zstd", "xz"))(
    "codecs that would need too much memory: a 2 GiB zstd window, a 1.5 GiB xz dictionary",
    async () => {
      // zstd keeps the window it is given when it cannot know the content size (a pipe).
      const zst = compressWith("zstd", tar, ["--long=31"]);
      const windowLog = zst[5]! >> 3;
      expect(windowLog + 10).toBe(31);
      await expectCode(zst, "r.tar.zst", "bomb", /zstd: a frame needs a 2 GiB window, over the 128 MiB limit/);
      await expectCode(compressWith("xz", tar, ["--lzma2=dict=1536MiB"]), "r.tar.xz", "bomb", /larger dictionary/);
    },
  );

  it.skipIf(missing("zstd"))(
    "every zstd frame's window is checked: frames with checksums, a skippable frame, a large window later",
    async () => {
      const half = tar.length >> 1;
      const first = compressWith("zstd", tar.subarray(0, half), ["--check", "-19"]);
      const second = compressWith("zstd", tar.subarray(half), ["--check"]);
      const skippable = Buffer.concat([Buffer.from([0x52, 0x2a, 0x4d, 0x18, 5, 0, 0, 0]), Buffer.from("hello")]);
      const ok = await readArchive(chunksOf(Buffer.concat([first, skippable, second]), 1000), { name: "r.tar.zst" });
      expect(ok.candidates.length).toBe(corpusTree().expected.size);
      const late = compressWith("zstd", tar.subarray(half), ["--long=30"]);
      await expectCode(Buffer.concat([first, skippable, late]), "r.tar.zst", "bomb", /a frame needs a 1 GiB window/);
    },
  );

  it("an inittab over the size limit names the member", async () => {
    const big = await tarBytes([{ name: "./etc/inittab", data: new Uint8Array(17 << 20).fill(0x23) }]);
    await expectCode(
      big,
      "r.tar",
      "too-big",
      /^r\.tar: too big \.tar: member "\/etc\/inittab" is 17 MiB, over the 16 MiB limit for an inittab$/,
    );
    await expectCode(tar, "r.tar", "too-big", /over the 100 bytes limit/, { limits: { maxCandidateBytes: 100 } });
  });

  it("too many members", async () => {
    await expectCode(tar, "r.tar", "too-big", /more than 10 members/, { limits: { maxMembers: 10 } });
  });
});

describe("unsafe member paths", () => {
  it("a `..` component, in a tarball or a package's data, escaped for the terminal", async () => {
    await expectCode(
      await tarBytes([{ name: "../etc/inittab", data: Buffer.from("x") }]),
      "r.tar",
      "unsafe-path",
      /^r\.tar: unsafe \.tar: member "\.\.\/etc\/inittab" has a "\.\." component$/,
    );
    await expectCode(
      await deb(gzip(await tarBytes([{ name: "./usr/../../x", data: Buffer.from("x") }]))),
      "p.deb",
      "unsafe-path",
      /"\.\/usr\/\.\.\/\.\.\/x"/,
    );
    const e = await failure(await tarBytes([{ name: "a/\x1b[2J/../../b", data: Buffer.from("x") }]), "r.tar");
    expect(e.reason).toBe("unsafe-path");
    expect(e.message).toContain("\\u001b[2J");
  });

  it("a leading / is no escape: it names the archive's root, as tar reads it", async () => {
    const r = await readArchive(
      chunksOf(await tarBytes([{ name: "/etc/inittab", data: Buffer.from("id:2:initdefault:\n") }])),
      { name: "abs.tar" },
    );
    expect(r.candidates.map((c) => c.path)).toEqual(["/etc/inittab"]);
  });
});

describe("unsupported variants", () => {
  it("apk v3, odc cpio, a deb with data.tar.lzma, a deb of format 3.0", async () => {
    await expectCode(Buffer.concat([Buffer.from("ADB.pckg"), Buffer.alloc(100)]), "x.apk", "unsupported", /apk v3/);
    await expectCode(Buffer.from("070707" + "0".repeat(200)), "x.cpio", "unknown-format");
    await expectCode(
      await deb(Buffer.from([0x5d, 0x00, 0x00, 0x80, 0x00, 1, 2, 3, 4, 5]), "data.tar.lzma"),
      "p.deb",
      "unsupported",
      /lzma/,
    );
    const v3 = arBytes([{ name: "debian-binary", data: Buffer.from("3.0\n") }]);
    await expectCode(v3, "p.deb", "unsupported", /package format version "3\.0"/);
  });

  it.skipIf(missing("xz"))("an xz stream with a SHA-256 check and no xz program to verify it", async () => {
    const sha = compressWith("xz", tar, ["--check=sha256"]);
    await expectCode(sha, "r.tar.xz", "unsupported", /SHA-256 check, which needs the xz program/, { xzProgram: false });
    const r = await readArchive(chunksOf(sha), { name: "r.tar.xz" });
    expect(r.candidates.length).toBe(corpusTree().expected.size);
    await expectCode(flipped(sha), "r.tar.xz", "corrupt", /xz: /);
    await expectCode(sha.subarray(0, sha.length >> 1), "r.tar.xz", "truncated", /xz: /);
  });
});

it("a file written to disk reads the same as the stream", async () => {
  const path = join(work.dir, "r.tar.gz");
  writeFileSync(path, gzip(tar));
  const r = await readArchive(path);
  expect(r.name).toBe(path);
  expect(r.candidates.length).toBe(corpusTree().expected.size);
});
