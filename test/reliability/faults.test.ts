/**
 * Faults (docs/reliability.md): a full file system, a read-only one and a read-only bind mount,
 * a bind-mounted file, a read-only file and directory, an immutable file, and inputs that are a
 * FIFO, a device, a directory or missing. In every case the original is intact, the CLI exits 2
 * with one line naming the file, and no helper file is left. A case the machine cannot set up
 * (no mount, no chattr, not root) skips with one line saying why.
 */
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { InittabError } from "../../src/base/index.js";
import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { safeWriteFile } from "../../src/write/index.js";
import { buildTree, runCli, strays, tempDir, removeTempDirs } from "../write/support.js";

afterAll(removeTempDirs);

const mounted: string[] = [];

/** Mount a tmpfs; undefined (and the reason) when this machine does not allow it. */
function mountTmpfs(options: string): { dir?: string; why?: string } {
  const dir = tempDir("inittab-mnt-");
  const r = spawnSync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", dir]);
  if (r.status !== 0) return { why: `mount not permitted here: ${r.stderr.toString().trim()}` };
  mounted.push(dir);
  return { dir };
}

afterEach(() => {
  while (mounted.length > 0) spawnSync("umount", ["-l", mounted.pop()!]);
});

/** A file of about `size` bytes of plausible inittab lines. */
function inittabOfSize(size: number, tag: string): Buffer {
  const lines: string[] = ["id:3:initdefault:"];
  for (let i = 0; lines.join("\n").length < size - 60; i++)
    lines.push(`${tag}${i % 1000}:2345:respawn:/sbin/getty 38400 tty${i}`);
  return Buffer.from(`${lines.join("\n")}\n`);
}

describe("file-system faults", () => {
  it("a full file system (64 KiB tmpfs): ENOSPC, the original intact, nothing left over", async (ctx) => {
    const m = mountTmpfs("size=64k");
    if (!m.dir) return ctx.skip(m.why);
    const file = join(m.dir, "inittab");
    const old = inittabOfSize(40_000, "a");
    writeFileSync(file, old);
    const err = await safeWriteFile(file, inittabOfSize(40_000, "b")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InittabError);
    expect((err as InittabError).errno).toBe("ENOSPC");
    expect((err as Error).message).toMatch(/inittab: no space left on device/);
    expect(readFileSync(file)).toEqual(old);
    expect(strays(m.dir, ["inittab"])).toEqual([]);

    // The CLI says it in one line, exit 2.
    const r = runCli(["add", "zz:2:respawn:/bin/true", "-f", file]);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^inittab: .*inittab: no space left on device.*\n$/);
    expect(r.stderr.split("\n"), r.stderr).toHaveLength(2);
    expect(readFileSync(file)).toEqual(old);
    expect(strays(m.dir, ["inittab"])).toEqual([]);
  });

  it("a read-only file system: EROFS, the original intact", async (ctx) => {
    const m = mountTmpfs("size=1m");
    if (!m.dir) return ctx.skip(m.why);
    const file = join(m.dir, "inittab");
    const old = Buffer.from("id:3:initdefault:\n");
    writeFileSync(file, old);
    const ro = spawnSync("mount", ["-o", "remount,ro", m.dir]);
    if (ro.status !== 0) return ctx.skip(`remount not permitted: ${ro.stderr}`);
    const err = await safeWriteFile(file, Buffer.from("id:5:initdefault:\n")).catch((e: unknown) => e);
    expect((err as InittabError).errno).toBe("EROFS");
    expect((err as Error).message).toMatch(/inittab: read-only file system/);
    expect(readFileSync(file)).toEqual(old);
    const r = runCli(["add", "zz:2:respawn:/bin/true", "-f", file]);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/inittab: read-only file system/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("a read-only bind mount of the directory: refused the same way", async (ctx) => {
    const dir = tempDir();
    const rw = join(dir, "rw");
    const view = join(dir, "ro");
    mkdirSync(rw);
    mkdirSync(view);
    writeFileSync(join(rw, "inittab"), "id:3:initdefault:\n");
    if (spawnSync("mount", ["--bind", rw, view]).status !== 0) return ctx.skip("bind mount not permitted");
    mounted.push(view);
    if (spawnSync("mount", ["-o", "remount,ro,bind", view]).status !== 0) return ctx.skip("remount not permitted");
    const err = await safeWriteFile(join(view, "inittab"), Buffer.from("x:3:initdefault:\n")).catch((e: unknown) => e);
    expect((err as InittabError).errno).toBe("EROFS");
    expect(readFileSync(join(rw, "inittab"), "utf8")).toBe("id:3:initdefault:\n");
    expect(strays(rw, ["inittab"])).toEqual([]);
  });

  it("a bind-mounted file (rename gives EBUSY): refused, or written in place with inPlace", async (ctx) => {
    const dir = tempDir();
    const src = join(dir, "real-inittab");
    const file = join(dir, "inittab");
    writeFileSync(src, "id:3:initdefault:\n");
    writeFileSync(file, "");
    if (spawnSync("mount", ["--bind", src, file]).status !== 0) return ctx.skip("bind mount not permitted");
    mounted.push(file);
    const err = await safeWriteFile(file, Buffer.from("id:5:initdefault:\n")).catch((e: unknown) => e);
    expect((err as InittabError).code).toBe("cannot-rename");
    expect(readFileSync(src, "utf8")).toBe("id:3:initdefault:\n");
    expect(strays(dir, ["inittab", "real-inittab"])).toEqual([]);
    const r = await safeWriteFile(file, Buffer.from("id:5:initdefault:\n"), { inPlace: true });
    expect(r.inPlace).toBe(true);
    expect(readFileSync(src, "utf8")).toBe("id:5:initdefault:\n");
    expect(strays(dir, ["inittab", "real-inittab"])).toEqual([]);
  });
});

let readableTree: string | undefined;

/** Run the CLI as an unprivileged user (nobody), for the faults root does not see. */
function asNobody(args: string[]): { status: number | null; stderr: string } | undefined {
  if (!readableTree) {
    // The test tree is private to its owner: nobody runs a copy anyone may read.
    const dir = tempDir("inittab-tree-");
    chmodSync(dir, 0o755);
    readableTree = join(dir, "tree");
    spawnSync("cp", ["-a", buildTree(), readableTree]);
    spawnSync("chmod", ["-R", "a+rX", readableTree]);
  }
  const cliJs = join(readableTree, "cli.js");
  const nobody = ["--reuid=65534", "--regid=65534", "--clear-groups"];
  const r = spawnSync("setpriv", [...nobody, process.execPath, cliJs, ...args], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  if (r.error || (r.status !== 0 && /setpriv:/.test(r.stderr))) return undefined;
  return { status: r.status, stderr: r.stderr };
}

describe("files this user may not write, and files nobody may", () => {
  it("a read-only file and a read-only directory: exit 2, one line, the original intact", (ctx) => {
    if (process.getuid?.() !== 0) return ctx.skip("needs root to run the CLI as another user (setpriv)");
    const dir = tempDir("inittab-perm-");
    chmodSync(dir, 0o755);
    const work = join(dir, "w");
    mkdirSync(work);
    chownSync(work, 65534, 65534);
    const file = join(work, "inittab");
    writeFileSync(file, "id:3:initdefault:\n");
    chownSync(file, 65534, 65534);
    chmodSync(file, 0o444);
    const ro = asNobody(["add", "ab:2:once:/bin/true", "-f", file]);
    if (!ro) return ctx.skip("setpriv cannot switch users here");
    expect(ro.status, ro.stderr).toBe(2);
    expect(ro.stderr).toBe(`inittab: ${file}: permission denied (the file cannot be written)\n`);
    expect(readFileSync(file, "utf8")).toBe("id:3:initdefault:\n");
    chmodSync(file, 0o644);
    chmodSync(work, 0o555);
    const rodir = asNobody(["add", "ab:2:once:/bin/true", "-f", file]);
    expect(rodir!.status, rodir!.stderr).toBe(2);
    expect(rodir!.stderr).toMatch(new RegExp(`^inittab: ${file}: permission denied \\(creating the lock .*\\)\\n$`));
    expect(readFileSync(file, "utf8")).toBe("id:3:initdefault:\n");
    chmodSync(work, 0o755);
    expect(strays(work, ["inittab"])).toEqual([]);
  });

  it("an immutable file (chattr +i): exit 2, one line, the original intact, nothing left", (ctx) => {
    const dir = tempDir("inittab-immutable-");
    let file = join(dir, "inittab");
    writeFileSync(file, "id:3:initdefault:\n");
    let at = dir;
    if (spawnSync("chattr", ["+i", file]).status !== 0) {
      // tmpfs may not take the flag: an ext2 image on a loop device does.
      const img = join(dir, "fs.img");
      const mnt = join(dir, "mnt");
      mkdirSync(mnt);
      const script = `truncate -s 4M "${img}" && mkfs.ext2 -q -F "${img}" && mount -o loop "${img}" "${mnt}"`;
      const made = spawnSync("sh", ["-c", script]);
      const why = made.stderr.toString().trim().split("\n")[0];
      if (made.status !== 0) return ctx.skip(`no file system here takes chattr +i: ${why}`);
      mounted.push(mnt);
      at = mnt;
      file = join(mnt, "inittab");
      writeFileSync(file, "id:3:initdefault:\n");
      if (spawnSync("chattr", ["+i", file]).status !== 0) return ctx.skip("chattr +i failed on ext2 too");
    }
    try {
      const r = runCli(["add", "ab:2:once:/bin/true", "-f", file]);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toBe(`inittab: ${file}: operation not permitted (the file cannot be written)\n`);
      expect(readFileSync(file, "utf8")).toBe("id:3:initdefault:\n");
      expect(strays(at, ["inittab", "fs.img", "mnt", "lost+found"])).toEqual([]);
    } finally {
      spawnSync("chattr", ["-i", file]);
    }
  });
});

describe("inputs that are no regular file", () => {
  it("a FIFO, a device, a directory, a missing file: readers and writers exit 2 with one line, nothing changes", () => {
    const dir = tempDir("inittab-kinds-");
    const fifo = join(dir, "fifo");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    const cases: Array<[string, RegExp]> = [
      [fifo, /: is not a regular file/],
      ["/dev/null", /: is not a regular file/],
      [dir, /: is a directory|: no inittab files found|: is not a regular file/],
      [join(dir, "missing"), /: no such file or directory/],
    ];
    for (const [path, why] of cases) {
      const commands = [
        ["check", path],
        ["ls", path],
        ["parse", path],
        ["add", "ab:2:once:/x", "-f", path],
        ["rm", "ab", "-f", path],
        ["tmpfs", "--from", path],
      ];
      for (const args of commands) {
        // A FIFO without a writer must not block the reader: the run has a deadline.
        const r = runCli(args);
        expect(r.status, `${args.join(" ")}: ${r.stderr}`).toBe(2);
        expect(r.stderr, args.join(" ")).toMatch(why);
        expect(r.stderr.trimEnd().split("\n"), args.join(" ")).toHaveLength(1);
      }
    }
    expect(strays(dir, ["fifo"])).toEqual([]);
  });
});
