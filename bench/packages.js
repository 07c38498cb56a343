// Bench inputs and helpers for archives (issue #16): a directory of generated .deb packages
// like sysvinit-core's (an inittab template among docs and binaries, data.tar.xz), and a child
// that reads every archive of a directory with src/archive (built into dist/), streams a large
// generated tar.gz through it and reports its peak RSS, or writes that tar.gz to stdout.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

/** ustar header for a regular file, directory or symlink. */
function header(name, size, type = "0", link = "") {
  const h = Buffer.alloc(512);
  h.write(name, 0);
  h.write(type === "5" ? "0000755\0" : "0000644\0", 100);
  h.write("0000000\0", 108);
  h.write("0000000\0", 116);
  h.write(size.toString(8).padStart(11, "0") + "\0", 124);
  h.write("00000000000\0", 136);
  h.write(type, 156);
  h.write(link, 157);
  h.write("ustar\0" + "00", 257);
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, "0") + "\0 ", 148);
  return h;
}

function tar(files) {
  const parts = [];
  for (const [name, data, type, link] of files) {
    parts.push(header(name, data.length, type, link), data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

function ar(members) {
  const parts = [Buffer.from("!<arch>\n")];
  for (const [name, data] of members) {
    parts.push(
      Buffer.from(
        `${name}/`.padEnd(16) +
          "0".padEnd(12) +
          "0".padEnd(6) +
          "0".padEnd(6) +
          "100644".padEnd(8) +
          String(data.length).padEnd(10) +
          "`\n",
        "latin1",
      ),
      data,
    );
    if (data.length % 2) parts.push(Buffer.from("\n"));
  }
  return Buffer.concat(parts);
}

/** `n` .deb packages in `dir`, each with its own inittab template (from `inittabs`), xz data. */
export function writePackages(dir, n, inittabs) {
  const binary = Buffer.alloc(48 * 1024);
  for (let i = 0; i < binary.length; i++) binary[i] = (i * 2654435761) >>> 24;
  for (let i = 0; i < n; i++) {
    const name = `sysvinit-bench${i}`;
    const data = tar([
      ["./", Buffer.alloc(0), "5"],
      ["./sbin/", Buffer.alloc(0), "5"],
      ["./sbin/init", binary],
      ["./sbin/telinit", Buffer.alloc(0), "2", "init"],
      ["./usr/share/doc/sysvinit-core/changelog", Buffer.from(`changelog ${i}\n`.repeat(400))],
      ["./usr/share/sysvinit/inittab", readFileSync(inittabs[i % inittabs.length])],
    ]);
    const control = Buffer.from(
      `Package: ${name}\nVersion: 3.06-${i}\nArchitecture: amd64\n` +
        "Maintainer: bench <bench@example.org>\nDescription: bench\n",
    );
    const xz = spawnSync("xz", ["-6", "-c"], { input: data, maxBuffer: 1 << 28 });
    if (xz.status !== 0) throw new Error("xz failed");
    const deb = ar([
      ["debian-binary", Buffer.from("2.0\n")],
      ["control.tar.gz", gzipSync(tar([["./control", control]]))],
      ["data.tar.xz", xz.stdout],
    ]);
    writeFileSync(join(dir, `${name}_3.06-${i}_amd64.deb`), deb);
  }
  return readdirSync(dir)
    .filter((f) => f.endsWith(".deb"))
    .map((f) => join(dir, f));
}

/** The child script: read every archive of a directory, or stream a large tar.gz. */
export const CHILD = `
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { createGzip } from "node:zlib";
const { readArchive } = await import(process.env.INITTAB_ARCHIVE_MODULE);
const [mode, arg] = process.argv.slice(2);
if (mode === "dir") {
  let inittabs = 0;
  for (const f of readdirSync(arg).sort()) {
    const r = await readArchive(join(arg, f));
    inittabs += r.candidates.length;
  }
  console.log(JSON.stringify({ inittabs }));
} else {
  const big = Number(arg);
  const h = ${header.toString()};
  const inittab = Buffer.from("id:2:initdefault:\\n");
  function* stream() {
    yield h("./var/lib/big.img", big, "0", "");
    const chunk = Buffer.alloc(1 << 20);
    for (let left = big; left > 0; left -= chunk.length) yield left >= chunk.length ? chunk : chunk.subarray(0, left);
    yield h("./etc/inittab", inittab.length, "0", "");
    yield Buffer.concat([inittab, Buffer.alloc(512 - inittab.length), Buffer.alloc(1024)]);
  }
  const gz = Readable.from(stream()).pipe(createGzip({ level: 1 }));
  if (mode === "stream") {
    // The tar.gz on stdout, for \`inittab check -\`.
    gz.pipe(process.stdout);
  } else {
    const r = await readArchive(gz, { name: "big.tar.gz" });
    console.log(JSON.stringify({ inittabs: r.candidates.length, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
  }
}
`;
