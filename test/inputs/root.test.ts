/**
 * `--root DIR` is a jail: every path is resolved inside DIR as chroot would, by every command.
 * Each escape of issue #14 is here: an inittab that is a link to a host file (absolute or
 * climbing with ../..), an inittab.d/*.tab link, /dev -> /dev, a path given outside DIR, a loop.
 * The host file carries a marker entry: it must never show up in any output, and never change.
 */
import { chmodSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { cli } from "../cli/in-process.js";
import { removeTempDirs, tempDir } from "../write/support.js";

afterAll(removeTempDirs);
afterEach(() => vi.restoreAllMocks());

const HOST = "id:3:initdefault:\nzz:2:once:/host-marker\n";
const IMAGE = "id:3:initdefault:\nl0:0:wait:/etc/init.d/rc 0\n";

interface Jail {
  root: string;
  /** A file outside the root, which no command may read or write. */
  host: string;
}

function jail(): Jail {
  const top = tempDir("inittab-jail-");
  const root = join(top, "image");
  mkdirSync(join(root, "etc"), { recursive: true });
  mkdirSync(join(root, "sbin"));
  for (const p of ["sbin/getty", "etc/init.d"]) {
    if (p === "etc/init.d") mkdirSync(join(root, p));
    else writeFileSync(join(root, p), "#!/bin/sh\n");
  }
  writeFileSync(join(root, "etc/init.d/rc"), "#!/bin/sh\n");
  chmodSync(join(root, "etc/init.d/rc"), 0o755);
  chmodSync(join(root, "sbin/getty"), 0o755);
  const host = join(top, "host", "inittab");
  mkdirSync(join(top, "host"));
  writeFileSync(host, HOST);
  return { root, host };
}

/** Every command that reads the default file, and the ones that write it. */
const READERS: string[][] = [["check"], ["check", "-f", "json"], ["ls"], ["ls", "--json"], ["parse"], ["tmpfs"]];
const WRITERS: string[][] = [
  ["add", "x1:2:respawn:/bin/true", "--force"],
  ["rm", "l0"],
  ["comment", "l0"],
  ["set", "l0", "--runlevels", "06"],
  ["add", "x1:2:respawn:/bin/true", "--force", "--diff"],
  ["--allow-exec", "exec-shutdown", "--program", "/sbin/halt"],
  ["check", "--fix"],
];

async function expectUntouched(j: Jail, args: string[]): Promise<void> {
  const r = await cli("--root", j.root, ...args);
  expect(r.status, `${args.join(" ")}: ${r.stderr}`).toBe(2);
  expect(r.stdout + r.stderr).not.toContain("host-marker");
  expect(r.stderr.trimEnd().split("\n"), r.stderr).toHaveLength(1);
  expect(readFileSync(j.host, "utf8")).toBe(HOST);
}

describe("--root: an inittab that is a link out of the image", () => {
  it("an absolute link to a host file: every command refuses (exit 2, one line), the file is never read", async () => {
    const j = jail();
    symlinkSync(j.host, join(j.root, "etc/inittab"));
    for (const args of [...READERS, ...WRITERS]) await expectUntouched(j, args);
    const r = await cli("--root", j.root, "add", "x1:2:respawn:/bin/true", "--force");
    expect(r.stderr).toMatch(
      /is a symbolic link to nothing: .* does not exist in the image \(links resolve inside --root\)/,
    );
  });

  it("a relative link that climbs out with ../..: the same", async () => {
    const j = jail();
    symlinkSync(relative(join(j.root, "etc"), j.host), join(j.root, "etc/inittab"));
    expect(readFileSync(join(j.root, "etc/inittab"), "utf8")).toBe(HOST); // the host follows it out
    for (const args of [...READERS, ...WRITERS]) await expectUntouched(j, args);
  });

  it("a link whose target resolves inside the image is followed there, and written there", async () => {
    const j = jail();
    // The same absolute path, inside the image: chroot would open this one.
    const inImage = join(j.root, j.host);
    mkdirSync(join(inImage, ".."), { recursive: true });
    writeFileSync(inImage, IMAGE);
    symlinkSync(j.host, join(j.root, "etc/inittab"));
    const parsed = await cli("--root", j.root, "ls");
    expect(parsed.stdout).toContain("l0");
    const r = await cli("--root", j.root, "add", "x1:2:respawn:/sbin/getty");
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(inImage, "utf8")).toBe(`${IMAGE}x1:2:respawn:/sbin/getty\n`);
    expect(readFileSync(j.host, "utf8")).toBe(HOST);
    // The link stays a link; nothing else appeared next to it.
    expect(readdirSync(join(j.root, "etc")).sort()).toEqual(["init.d", "inittab"]);
  });

  it("links that loop are a clear error, not a hang", async () => {
    const j = jail();
    symlinkSync("b", join(j.root, "etc/a"));
    symlinkSync("a", join(j.root, "etc/b"));
    symlinkSync("a", join(j.root, "etc/inittab"));
    for (const args of [["check"], ["add", "x1:2:once:/sbin/getty"]]) {
      const r = await cli("--root", j.root, ...args);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/etc\/inittab: too many levels of symbolic links \(resolved inside --root\)\n$/);
    }
  });

  it("a path given outside the root is refused by readers and writers", async () => {
    const j = jail();
    writeFileSync(join(j.root, "etc/inittab"), IMAGE);
    for (const args of [
      ["check", j.host],
      ["ls", j.host],
      ["parse", j.host],
      ["add", "x1:2:once:/x", "-f", j.host],
      ["tmpfs", "--from", j.host],
    ]) {
      const r = await cli("--root", j.root, ...args);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr).toBe(`inittab: ${j.host}: is outside the image --root ${j.root}\n`);
    }
    const out = await cli("--root", j.root, "tmpfs", "-o", join(j.host, "..", "dummy"));
    expect(out.status).toBe(2);
    expect(readdirSync(join(j.host, ".."))).toEqual(["inittab"]);
    expect(readFileSync(j.host, "utf8")).toBe(HOST);
  });

  it("a path given inside the root is resolved inside it (R/etc -> /etc is a loop, not the host's /etc)", async () => {
    const j = jail();
    writeFileSync(join(j.root, "inittab.real"), IMAGE);
    symlinkSync("/inittab.real", join(j.root, "etc/inittab"));
    const r = await cli("--root", j.root, "ls", join(j.root, "etc/inittab"));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("l0");
    // An image whose etc is a link to /etc: inside the image that is itself, a loop.
    const top = join(j.root, "..", "image2");
    mkdirSync(top);
    symlinkSync("/etc", join(top, "etc"));
    const loop = await cli("--root", top, "check");
    expect(loop.status).toBe(2);
    expect(loop.stderr).toMatch(/too many levels of symbolic links/);
  });
});

describe("--root: inittab.d and /dev", () => {
  it("an inittab.d/*.tab link to a host file is not read", async () => {
    const j = jail();
    writeFileSync(join(j.root, "etc/inittab"), IMAGE);
    mkdirSync(join(j.root, "etc/inittab.d"));
    writeFileSync(join(j.root, "etc/inittab.d/a.tab"), "a1:2:once:/sbin/getty\n");
    symlinkSync(j.host, join(j.root, "etc/inittab.d/host.tab"));
    symlinkSync(relative(join(j.root, "etc/inittab.d"), j.host), join(j.root, "etc/inittab.d/up.tab"));
    const r = await cli("--root", j.root, "check", "-f", "json");
    const files = JSON.parse(r.stdout).files.map((f: { path: string }) => f.path);
    expect(files).toEqual([join(j.root, "etc/inittab"), join(j.root, "etc/inittab.d/a.tab")]);
    expect(r.stdout).not.toContain("host-marker");
    const tmpfs = await cli("--root", j.root, "tmpfs");
    expect(tmpfs.stdout + tmpfs.stderr).not.toContain("host-marker");
  });

  it("an inittab.d that is a link to the host's directory is resolved inside the image", async () => {
    const j = jail();
    writeFileSync(join(j.root, "etc/inittab"), IMAGE);
    symlinkSync(join(j.host, ".."), join(j.root, "etc/inittab.d"));
    writeFileSync(join(j.host, "..", "evil.tab"), "e1:2:once:/host-marker\n");
    const r = await cli("--root", j.root, "check", "-f", "json");
    expect(JSON.parse(r.stdout).files.map((f: { path: string }) => f.path)).toEqual([join(j.root, "etc/inittab")]);
    expect(r.stdout).not.toContain("host-marker");
  });

  it("R/dev -> /dev lists nothing of the host's /dev: no false RT003", async () => {
    const j = jail();
    writeFileSync(join(j.root, "etc/inittab"), "ttyNOPE9::respawn:/sbin/getty 38400 ttyNOPE9\n");
    for (const target of ["/dev", "../../../../../../../dev"]) {
      const r1 = join(j.root, "dev");
      rmSync(r1, { recursive: true, force: true });
      symlinkSync(target, r1);
      const r = await cli("--root", j.root, "-d", "busybox", "check", "-f", "json");
      const codes = JSON.parse(r.stdout).files[0].diagnostics.map((d: { code: string }) => d.code);
      expect(codes, target).not.toContain("RT003");
    }
    // With a /dev of its own that lists ttys, the missing one is reported (the rule still works).
    rmSync(join(j.root, "dev"), { force: true });
    mkdirSync(join(j.root, "dev"));
    writeFileSync(join(j.root, "dev/tty1"), "");
    const own = await cli("--root", j.root, "-d", "busybox", "check", "-f", "json");
    expect(JSON.parse(own.stdout).files[0].diagnostics.map((d: { code: string }) => d.code)).toContain("RT003");
  });
});
