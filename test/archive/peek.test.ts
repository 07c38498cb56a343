/**
 * What a compressed file holds, from its first bytes: a directory search passes over the
 * compressed files that are no archives (gzip'd text, compressed kernel modules) without
 * reading them through, and must not pass over a real tarball.
 */
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { holdsArchive, PEEK_FIRST_BYTES, PEEK_INPUT_BYTES } from "../../src/archive/peek.js";
import { compressWith, corpusTree, cpioBytes, missing, tarBytes } from "./support.js";

const head = (bytes: Uint8Array, n = PEEK_INPUT_BYTES): Uint8Array => bytes.subarray(0, n);
const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(300_000, 0x41)]);

describe("holdsArchive", () => {
  it("gzip: a tarball and a cpio archive say yes, from their first 16 KiB; text and a program say no", async () => {
    const { entries } = corpusTree();
    const tar = await tarBytes(entries);
    expect(await holdsArchive(head(gzipSync(tar), PEEK_FIRST_BYTES), "gzip")).toBe(true);
    expect(await holdsArchive(head(gzipSync(cpioBytes(entries)), PEEK_FIRST_BYTES), "gzip")).toBe(true);
    expect(await holdsArchive(head(gzipSync(Buffer.from(".TH INITTAB 5\n".repeat(500)))), "gzip")).toBe(false);
    expect(await holdsArchive(head(gzipSync(ELF)), "gzip")).toBe(false);
  });

  it("gzip: a tarball whose first member is 64 MiB of zeros (the first 4 KiB of input are enough)", async () => {
    const zeros = await tarBytes([{ name: "./disk.img", data: new Uint8Array(64 << 20) }]);
    const gz = gzipSync(zeros, { level: 1 });
    expect(gz.length).toBeGreaterThan(PEEK_FIRST_BYTES);
    expect(await holdsArchive(head(gz), "gzip")).toBe(true);
  });

  it("damaged data says no; too little decoded says undefined (more input may tell)", async () => {
    const gz = gzipSync(await tarBytes([{ name: "./etc/inittab", data: Buffer.from("id:3:initdefault:\n") }]));
    const damaged = Buffer.from(gz);
    damaged.fill(0xff, 10, 30);
    expect(await holdsArchive(damaged, "gzip")).toBeFalsy();
    expect(await holdsArchive(gz.subarray(0, 12), "gzip")).toBeUndefined();
  });

  for (const [tool, codec] of [
    ["xz", "xz"],
    ["zstd", "zstd"],
  ] as const) {
    it.skipIf(missing(tool))(`${codec}: a tarball yes, a compressed kernel module no`, async () => {
      const tar = await tarBytes(corpusTree().entries);
      expect(await holdsArchive(head(compressWith(tool, tar)), codec)).toBe(true);
      expect(await holdsArchive(head(compressWith(tool, ELF)), codec)).toBe(false);
    });
  }

  it("bzip2 needs a whole block first: always read through", async () => {
    expect(await holdsArchive(new Uint8Array([0x42, 0x5a, 0x68, 0x39]), "bzip2")).toBe(true);
  });
});
