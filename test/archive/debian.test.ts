/**
 * A real Debian package: sysvinit-core as `apt-get download` fetches it. Its inittab template
 * has the bytes dpkg-deb and tar extract, its index lists what tar lists, and its metadata
 * names sysvinit. Skips with one line when apt-get or the mirror is not there.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { normalizeMemberPath, readArchive } from "../../src/archive/index.js";
import { dialectByName } from "../../src/dialects/index.js";
import { has, tempDir } from "./support.js";

let work: ReturnType<typeof tempDir>;
let deb: string | undefined;
let skip: string | undefined;

beforeAll(() => {
  work = tempDir();
  if (!has("apt-get") || !has("dpkg-deb") || !has("tar")) {
    skip = "apt-get, dpkg-deb or tar not installed";
  } else {
    const r = spawnSync("apt-get", ["download", "sysvinit-core"], {
      cwd: work.dir,
      encoding: "utf8",
      timeout: 120_000,
    });
    deb = readdirSync(work.dir).find((n) => n.endsWith(".deb"));
    if (r.status !== 0 || !deb) {
      const why = (r.stderr || r.error?.message || "").trim().split("\n").pop();
      skip = `apt-get download sysvinit-core failed (offline?): ${why}`;
    }
  }
  if (skip) process.stderr.write(`archive tests: skipped the real Debian package: ${skip}\n`);
});
afterAll(() => work.remove());

const shell = (script: string, ...args: string[]): Buffer => {
  const r = spawnSync("sh", ["-c", script, "sh", ...args], { maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`${script}: ${r.stderr}`);
  return r.stdout;
};

it("sysvinit-core's inittab template, byte for byte as dpkg-deb and tar extract it", async (ctx) => {
  if (skip) return ctx.skip();
  const path = join(work.dir, deb!);
  const r = await readArchive(path);
  const template = r.candidates.find((c) => c.path === "/usr/share/sysvinit/inittab");
  expect(template?.role).toBe("template");
  const extracted = shell('dpkg-deb --fsys-tarfile "$1" | tar xO ./usr/share/sysvinit/inittab', path);
  expect(Buffer.compare(Buffer.from(template!.bytes!), extracted)).toBe(0);

  const version = shell('dpkg-deb -f "$1" Version', path).toString().trim();
  expect(r.format).toBe("deb");
  expect(r.package).toMatchObject({ name: "sysvinit-core", version });
  const upstream = /^(?:\d+:)?(\d+\.\d+)/.exec(version)![1]!;
  // The package's own version picks the table at or below it (3.06 on bookworm, 3.14 on trixie).
  expect(r.dialectHint).toMatchObject({ family: "sysvinit", version: upstream });
  expect(dialectByName(r.dialectHint!.dialect)!.version <= upstream).toBe(true);
  expect(r.dialectHint?.reason).toContain(
    `package sysvinit-core ${version} (from its control) is for sysvinit ${upstream}`,
  );

  // The index holds every member tar lists, as the same kind of file.
  const listed = shell('dpkg-deb --fsys-tarfile "$1" | tar tv', path).toString().trim().split("\n");
  expect(listed.length).toBeGreaterThan(10);
  for (const line of listed) {
    const m = /^(.)\S+\s+\S+\s+\d+\s+\S+\s+\S+\s+(.+?)(?: -> (.+))?$/.exec(line)!;
    const entry = r.image.get(normalizeMemberPath(m[2]!));
    const type = { "-": "file", d: "dir", l: "symlink", h: "hardlink" }[m[1]!] ?? "other";
    expect(entry?.type, line).toBe(type);
    if (m[3] !== undefined) expect(entry?.linkTarget, line).toBe(m[3]);
  }
  expect(r.image.lookup("/sbin/init")).toMatchObject({ kind: "found", entry: { type: "file" } });
});
