/**
 * Memory stays bounded by the inittab, not the archive: a child process streams a 512 MiB
 * tar.gz made on the fly (one large member, then a small /etc/inittab) through readArchive and
 * reports its peak RSS. Buffering the archive, the decompressed tar or the large member would
 * cost more than the bound. (`npm run bench` runs the same at 1 GiB and more.)
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, expect, it } from "vitest";
import { tempDir } from "./support.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
let work: ReturnType<typeof tempDir>;
let script: string;

/** The child: builds the stream, reads it, prints JSON with the inittab it found and its peak RSS. */
const CHILD = `
import { createGzip } from "node:zlib";
import { Readable } from "node:stream";
import { readArchive } from "./archive.mjs";
import { bigTar } from "./big-tar.mjs";

const [bigBytes] = process.argv.slice(2).map(Number);
const inittab = "id:2:initdefault:\\nsi::sysinit:/etc/init.d/rcS\\n";
const gz = Readable.from(bigTar(bigBytes, inittab)).pipe(createGzip({ level: 1 }));
const r = await readArchive(gz, { name: "big.tar.gz" });
console.log(JSON.stringify({
  candidates: r.candidates.map((c) => [c.path, Buffer.from(c.bytes).toString()]),
  bigSize: r.image.get("/var/lib/big.img").size,
  maxRssMiB: process.resourceUsage().maxRSS / 1024,
}));
`;

beforeAll(async () => {
  work = tempDir();
  await build({
    entryPoints: [join(ROOT, "src", "archive", "index.ts")],
    outfile: join(work.dir, "archive.mjs"),
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "error",
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  });
  await build({
    entryPoints: [join(ROOT, "test", "support", "big-tar.ts")],
    outfile: join(work.dir, "big-tar.mjs"),
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "error",
  });
  script = join(work.dir, "child.mjs");
  writeFileSync(script, CHILD);
});
afterAll(() => work.remove());

it("a 512 MiB tar.gz with a small inittab at its end is read in well under 512 MiB of memory", () => {
  const big = 512 * 1024 * 1024;
  const r = spawnSync(process.execPath, [script, String(big)], { encoding: "utf8", timeout: 120_000 });
  expect(r.status, r.stderr).toBe(0);
  const out = JSON.parse(r.stdout) as { candidates: [string, string][]; bigSize: number; maxRssMiB: number };
  expect(out.candidates).toEqual([["/etc/inittab", "id:2:initdefault:\nsi::sysinit:/etc/init.d/rcS\n"]]);
  expect(out.bigSize).toBe(big);
  process.stderr.write(`archive memory: peak RSS ${out.maxRssMiB.toFixed(0)} MiB reading a 512 MiB tar.gz\n`);
  expect(out.maxRssMiB).toBeLessThan(160);
});
