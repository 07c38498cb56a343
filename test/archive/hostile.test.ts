/**
 * Hostile bytes: damaged, cut and spliced archives of every kind either read or fail with one
 * InittabError. No other exception escapes, and no read hangs.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { archiveErrorReason, readArchive } from "../../src/archive/index.js";
import { InittabError } from "../../src/base/errors.js";
import { arBytes, chunksOf, compressWith, control, cpioBytes, gzip, has, tarBytes, type TreeEntry } from "./support.js";

const entries: TreeEntry[] = [
  { name: "./etc/", type: "directory" },
  { name: "./etc/inittab", data: Buffer.from("id:2:initdefault:\nsi::sysinit:/etc/init.d/rcS\n".repeat(20)) },
  { name: "./etc/inittab.d/a.tab", data: Buffer.from("x1:2:once:/bin/true\n") },
  { name: "./sbin/init", type: "symlink", linkname: "../bin/busybox" },
  { name: "./usr/share/sysvinit/inittab", data: Buffer.from("# template\n".repeat(50)) },
];

const samples: Record<string, Buffer> = {};

beforeAll(async () => {
  const tar = await tarBytes(entries);
  samples["tar"] = tar;
  samples["tar.gz"] = gzip(tar);
  samples["cpio"] = cpioBytes(entries);
  samples["deb"] = arBytes([
    { name: "debian-binary", data: Buffer.from("2.0\n") },
    {
      name: "control.tar.gz",
      data: gzip(await tarBytes([{ name: "./control", data: control({ Package: "busybox" }) }])),
    },
    { name: "data.tar.gz", data: gzip(tar) },
  ]);
  if (has("xz")) samples["tar.xz"] = compressWith("xz", tar);
  if (has("zstd")) samples["tar.zst"] = compressWith("zstd", tar);
  if (has("bzip2")) samples["tar.bz2"] = compressWith("bzip2", tar);
});

type Mutation =
  | { kind: "flip"; at: number; xor: number }
  | { kind: "cut"; at: number }
  | { kind: "splice"; at: number; bytes: number[] };

const mutation = fc.oneof(
  fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant("cut" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("splice" as const), at: fc.nat(), bytes: fc.array(fc.nat(255), { maxLength: 40 }) }),
);

function mutate(bytes: Buffer, mutations: Mutation[]): Buffer {
  let out = Buffer.from(bytes);
  for (const m of mutations) {
    const at = out.length === 0 ? 0 : m.at % out.length;
    if (m.kind === "flip" && out.length > 0) out[at] = out[at]! ^ m.xor;
    else if (m.kind === "cut") out = out.subarray(0, at);
    else if (m.kind === "splice") out = Buffer.concat([out.subarray(0, at), Buffer.from(m.bytes), out.subarray(at)]);
  }
  return out;
}

async function readOrFail(bytes: Buffer): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("read did not finish in 10 s")), 10_000);
  });
  try {
    await Promise.race([readArchive(chunksOf(bytes, 333), { name: "fuzz" }), hang]);
  } catch (err) {
    if (!(err instanceof InittabError) || archiveErrorReason(err) === undefined) throw err;
    expect(err.message).not.toMatch(/[\n\r]/);
  } finally {
    clearTimeout(timer);
  }
}

describe("damaged archives read or fail with an InittabError", () => {
  for (const format of ["tar", "tar.gz", "cpio", "deb", "tar.xz", "tar.zst", "tar.bz2"]) {
    it(format, async (ctx) => {
      const sample = samples[format];
      if (!sample) return ctx.skip();
      await fc.assert(
        fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
          await readOrFail(mutate(sample, mutations));
        }),
        { numRuns: 150 },
      );
    });
  }
});
