/**
 * The build-system recipes of docs/editing.md, run on the corpus' Buildroot and Yocto files:
 * the tool gives the same bytes as the `sed` it replaces where the sed works, stays unchanged
 * on a second run, and refuses where the sed would silently write a broken inittab.
 */
import { afterAll, describe, expect, it, vi } from "vitest";
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { main } from "../../src/cli/main.js";
import { tempDir, removeTempDirs } from "../write/support.js";
import { bundled } from "../support/corpus.js";

afterAll(removeTempDirs);

async function cli(...args: string[]): Promise<{ status: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const o = vi
    .spyOn(process.stdout, "write")
    .mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
  const e = vi
    .spyOn(process.stderr, "write")
    .mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
  try {
    return { status: await main(args), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

/** A system image with the corpus file as etc/inittab and the programs the recipes name. */
function image(corpusFile: string, programs: string[] = ["sbin/getty"]): { root: string; inittab: string } {
  const root = tempDir("inittab-image-");
  mkdirSync(join(root, "etc"));
  const inittab = join(root, "etc/inittab");
  copyFileSync(bundled(corpusFile), inittab);
  for (const p of programs) {
    mkdirSync(join(root, p, ".."), { recursive: true });
    writeFileSync(join(root, p), "#!/bin/sh\n");
    chmodSync(join(root, p), 0o755);
  }
  return { root, inittab };
}

/** What the sed of the build system makes of the same file. */
function sed(script: string, file: string): Buffer {
  const r = spawnSync("sed", [script, file]);
  expect(r.status).toBe(0);
  return r.stdout;
}

describe("Buildroot", () => {
  it("BusyBox getty: same bytes as the GENERIC_SERIAL sed, then unchanged", async () => {
    const { root, inittab } = image("busybox/buildroot-busybox.inittab");
    const expected = sed("/# GENERIC_SERIAL$/s~^.*#~ttyS0::respawn:/sbin/getty -L ttyS0 115200 vt100 #~", inittab);
    const args = [
      "--root",
      root,
      "-d",
      "busybox",
      "add",
      "ttyS0::respawn:/sbin/getty -L ttyS0 115200 vt100 # GENERIC_SERIAL",
      "--replace",
      "--match",
      "# GENERIC_SERIAL",
    ];
    const r = await cli(...args);
    expect(r.status, r.err).toBe(0);
    expect(r.out).toMatch(/replaced the commented-out line 32 with ttyS0::respawn/);
    expect(readFileSync(inittab)).toEqual(expected);
    // The next build runs it again with another port: the marker finds the line.
    const again = await cli(...args);
    expect(again.out).toMatch(/unchanged/);
    const other = await cli(
      "--root",
      root,
      "-d",
      "busybox",
      "add",
      "ttyAMA0::respawn:/sbin/getty -L ttyAMA0 115200 vt100 # GENERIC_SERIAL",
      "--replace",
      "--match",
      "# GENERIC_SERIAL",
    );
    expect(other.status).toBe(0);
    expect(readFileSync(inittab, "utf8")).toContain(
      "\nttyAMA0::respawn:/sbin/getty -L ttyAMA0 115200 vt100 # GENERIC_SERIAL\n\n",
    );
    expect(readFileSync(inittab, "utf8")).not.toContain("ttyS0::respawn");
  });

  it("sysvinit getty: the placeholder becomes the entry; an id of 5 bytes is refused", async () => {
    const { root, inittab } = image("sysvinit/buildroot-sysvinit.inittab");
    const before = readFileSync(inittab, "utf8");
    const args = [
      "--root",
      root,
      "-d",
      "sysvinit",
      "add",
      "S0:123:respawn:/sbin/getty -L ttyS0 115200 vt100",
      "--replace",
      "--match",
      "# GENERIC_SERIAL",
    ];
    expect((await cli(...args)).status).toBe(0);
    expect(readFileSync(inittab, "utf8")).toBe(
      before.replace(
        "# S0:1:respawn:/sbin/getty -L ttyS0 115200 vt100 # GENERIC_SERIAL",
        "S0:123:respawn:/sbin/getty -L ttyS0 115200 vt100",
      ),
    );
    expect((await cli(...args)).out).toMatch(/unchanged/);
    // Buildroot's `tail -c+4` of ttyAMA10: AMA10, which sysvinit ignores ("id field too long").
    const { root: r2, inittab: i2 } = image("sysvinit/buildroot-sysvinit.inittab");
    const long = await cli(
      "--root",
      r2,
      "-d",
      "sysvinit",
      "add",
      "AMA10:123:respawn:/sbin/getty -L ttyAMA10 115200 vt100",
      "--replace",
      "--match",
      "# GENERIC_SERIAL",
    );
    expect(long.status).toBe(1);
    expect(long.err).toMatch(/IT007/);
    expect(readFileSync(i2, "utf8")).toBe(before);
  });

  it.each(["busybox/buildroot-busybox.inittab", "sysvinit/buildroot-sysvinit.inittab"])(
    "remount toggle on %s: same bytes as the sed, both ways, repeatable",
    async (corpusFile) => {
      const { root, inittab } = image(corpusFile, ["bin/mount"]);
      const commented = sed("/^[^#].*-o remount,rw \\/$/s~^~#~", inittab);
      expect((await cli("--root", root, "comment", "--match", "-o remount,rw /", "--missing-ok")).status).toBe(0);
      expect(readFileSync(inittab)).toEqual(commented);
      expect((await cli("--root", root, "comment", "--match", "-o remount,rw /", "--missing-ok")).out).toMatch(
        /unchanged/,
      );
      const uncommented = sed("/^#.*-o remount,rw \\/$/s~^#\\+~~", inittab);
      expect((await cli("--root", root, "uncomment", "--match", "-o remount,rw /", "--missing-ok")).status).toBe(0);
      expect(readFileSync(inittab)).toEqual(uncommented);
      expect(uncommented).toEqual(readFileSync(bundled(corpusFile)));
    },
  );
});

describe("Yocto", () => {
  const consoles = ["115200;ttyS0", "115200;ttyAMA0", "38400;ttymxc1"];

  async function install(file: string): Promise<number[]> {
    const codes: number[] = [];
    for (const c of consoles) {
      const [speed, dev] = c.split(";") as [string, string];
      const label = dev.replace(/^tty/, "").slice(-4);
      const r = await cli(
        "-d",
        "sysvinit",
        "add",
        "-f",
        file,
        `${label}:12345:respawn:/bin/ttyrun ${dev} /bin/start_getty ${speed} ${dev} vt102`,
      );
      codes.push(r.status);
    }
    return codes;
  }

  it("per-console getty lines: added once, not again on a second run", async () => {
    const dir = tempDir();
    const file = join(dir, "inittab");
    copyFileSync(bundled("sysvinit/oe-classic-openmoko-gta01.inittab"), file);
    expect(await install(file)).toEqual([0, 0, 0]);
    const once = readFileSync(file, "utf8");
    expect(once).toContain("\nS0:12345:respawn:/bin/ttyrun ttyS0 /bin/start_getty 115200 ttyS0 vt102\n");
    expect(once).toContain("\nAMA0:12345:respawn:/bin/ttyrun ttyAMA0");
    expect(once).toContain("\nmxc1:12345:respawn:/bin/ttyrun ttymxc1");
    expect(await install(file)).toEqual([0, 0, 0]);
    expect(readFileSync(file, "utf8")).toBe(once);
  });

  it("a label already taken by another entry (YOCTO #4374) fails the build instead of a duplicate id", async () => {
    const dir = tempDir();
    const file = join(dir, "inittab");
    copyFileSync(bundled("sysvinit/oe-classic-openmoko-gta01.inittab"), file);
    // The OpenEmbedded file has `S:2:respawn:/sbin/getty 115200 ttySAC0`; a console on ttyS labels as S.
    const r = await cli(
      "-d",
      "sysvinit",
      "add",
      "-f",
      file,
      "S:12345:respawn:/bin/ttyrun ttyS /bin/start_getty 115200 ttyS vt102",
    );
    expect(r.status).toBe(1);
    expect(r.err).toMatch(/S \(line \d+\) already exists with other fields/);
  });
});
