/**
 * classifyHead tells archives, compressed streams, encrypted and binary files from text, and
 * never takes a real inittab (stray NULs, Latin-1 bytes and all) for anything but text.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { classifyFile, classifyHead, HEAD_BYTES } from "../../src/archive/index.js";
import { corpus, SAMPLES } from "../support/corpus.js";
import { arBytes, compressWith, cpioBytes, gzip, missing, tarBytes } from "./support.js";

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe("real inittabs are text", () => {
  it("every corpus file (bundled and external)", () => {
    const files = corpus();
    expect(files.length).toBeGreaterThanOrEqual(96);
    for (const f of files) expect(classifyFile(f.path), f.name).toEqual({ kind: "text" });
  });

  it("every sample, broken ones included; the initctl request in samples is binary", () => {
    for (const path of filesUnder(SAMPLES)) {
      const expected = path.endsWith(".bin") ? "binary" : "text";
      expect(classifyFile(path).kind, path).toBe(expected);
    }
    expect(readFileSync(join(SAMPLES, "broken", "binary-junk.inittab")).includes(0)).toBe(true);
  });

  it("text with a few NULs, Latin-1 comments, escapes, and a line that starts like bzip2's magic", () => {
    const line = "l2:2:wait:/etc/init.d/rc 2\n";
    expect(classifyHead(Buffer.from(`# caf\xe9\n${line}\0\0\0\n${line.repeat(20)}`, "latin1")).kind).toBe("text");
    expect(classifyHead(Buffer.from(`\x1b[31m# red\x1b[0m\n${line}`, "latin1")).kind).toBe("text");
    expect(classifyHead(Buffer.from(`BZh91 is not bzip2\n${line}`)).kind).toBe("text");
    expect(classifyHead(new Uint8Array(0)).kind).toBe("text");
    // Short junk stays text: too little to call binary, and init would read it as lines.
    expect(classifyHead(Buffer.from("\x01\x02\x03\x04id:2:initdefault:\n", "latin1")).kind).toBe("text");
  });
});

describe("binary files", () => {
  it("executables, images and other known formats by magic", () => {
    expect(classifyFile(process.execPath)).toEqual({ kind: "binary", what: "an ELF executable or library" });
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    expect(classifyHead(png)).toEqual({ kind: "binary", what: "a PNG image" });
    expect(classifyHead(Buffer.from("PK\x03\x04rest", "latin1")).kind).toBe("binary");
    expect(classifyHead(Buffer.from("\xff\xfei\0d\0:\0", "latin1"))).toMatchObject({
      kind: "binary",
      what: expect.stringMatching(/UTF-16/),
    });
  });

  it("NUL-heavy and random data; a UTF-16 inittab without BOM", () => {
    expect(classifyHead(new Uint8Array(HEAD_BYTES)).kind).toBe("binary");
    const random = Buffer.alloc(HEAD_BYTES);
    for (let i = 0; i < random.length; i++) random[i] = (i * 2654435761) >>> 24;
    expect(classifyHead(random).kind).toBe("binary");
    expect(classifyHead(Buffer.from("id:2:initdefault:\n".repeat(10), "utf16le")).kind).toBe("binary");
  });

  it("encrypted data", () => {
    expect(classifyHead(Buffer.from("-----BEGIN PGP MESSAGE-----\n"))).toEqual({
      kind: "encrypted",
      what: "an OpenPGP-encrypted message",
    });
    expect(classifyHead(Buffer.from("age-encryption.org/v1\n-> X25519 x\n")).kind).toBe("encrypted");
    const pgp = Buffer.alloc(512);
    for (let i = 0; i < pgp.length; i++) pgp[i] = (i * 2654435761) >>> 24;
    pgp[0] = 0x85;
    expect(classifyHead(pgp)).toEqual({ kind: "encrypted", what: "OpenPGP-encrypted data" });
  });
});

describe("archives and compressed streams", () => {
  it("tar (ustar and v7), cpio, ar, rpm lead, apk v3", async () => {
    const tar = await tarBytes([{ name: "./etc/inittab", data: Buffer.from("id:2:initdefault:\n") }]);
    expect(classifyHead(tar)).toMatchObject({ kind: "archive", format: "tar" });
    const v7 = Buffer.from(tar.subarray(0, 512));
    v7.fill(0, 257, 265); // no "ustar" magic: only the checksum can tell
    let sum = 0;
    v7.fill(0x20, 148, 156);
    for (const b of v7) sum += b;
    v7.write(sum.toString(8).padStart(6, "0") + "\0 ", 148, "latin1");
    expect(classifyHead(v7)).toMatchObject({ kind: "archive", format: "tar" });
    v7[0] = v7[0]! + 1; // the checksum no longer matches
    expect(classifyHead(v7).kind).not.toBe("archive");
    expect(classifyHead(cpioBytes([{ name: "etc/inittab", data: Buffer.from("x") }]))).toMatchObject({
      kind: "archive",
      format: "cpio",
    });
    expect(classifyHead(arBytes([{ name: "debian-binary", data: Buffer.from("2.0\n") }]))).toMatchObject({
      kind: "archive",
      format: "ar",
    });
    expect(classifyHead(Buffer.from([0xed, 0xab, 0xee, 0xdb, 3, 0]))).toMatchObject({ kind: "archive", format: "rpm" });
    expect(classifyHead(Buffer.from("ADB.pckg"))).toMatchObject({ kind: "archive", format: "apk-v3" });
  });

  it.skipIf(missing("xz", "zstd", "bzip2"))("gzip, xz, zstd and bzip2 streams", () => {
    const data = Buffer.from("id:2:initdefault:\n".repeat(100));
    expect(classifyHead(gzip(data))).toMatchObject({ kind: "compressed", codec: "gzip" });
    expect(classifyHead(compressWith("xz", data))).toMatchObject({ kind: "compressed", codec: "xz" });
    expect(classifyHead(compressWith("zstd", data))).toMatchObject({ kind: "compressed", codec: "zstd" });
    expect(classifyHead(compressWith("bzip2", data))).toMatchObject({ kind: "compressed", codec: "bzip2" });
    expect(classifyHead(compressWith("bzip2", new Uint8Array(0)))).toMatchObject({
      kind: "compressed",
      codec: "bzip2",
    });
  });
});
