/**
 * Fault tests of the safe writer on real file systems: a full tmpfs, a read-only one, a
 * bind-mounted file, and writers killed with SIGKILL at random points. In every case the file
 * is exactly the old or the new version and no helper file survives the next writer.
 */
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { InittabError } from "../../src/base/index.js";
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { safeWriteFile } from "../../src/write/index.js";
import { buildTree, runCli, strays, tempDir, removeTempDirs } from "./support.js";

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
  for (let i = 0; lines.join("\n").length < size - 60; i++) lines.push(`${tag}${i % 1000}:2345:respawn:/sbin/getty 38400 tty${i}`);
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

describe("writers killed at random points", () => {
  /**
   * Each trial starts a writer that rewrites the file in a loop (alternating two versions, with
   * a backup), kills it with SIGKILL after a random delay, and checks that the file and its
   * backup are whole versions, and that whatever is left over belongs to the dead writer (the
   * next writer removes it). Trials run in four independent directories at once.
   */
  it("100+ SIGKILLs: always the old or the new version, and the next writer cleans up", async () => {
    const tree = buildTree();
    const v0 = inittabOfSize(30_000, "o");
    const va = inittabOfSize(50_000, "a");
    const vb = inittabOfSize(20_000, "b");
    const versions = [v0, va, vb];
    const script = `
      import { readFileSync } from "node:fs";
      import { safeWriteFile } from ${JSON.stringify(join(tree, "src/write/index.js"))};
      const [file, a, b] = process.argv.slice(1);
      const data = [readFileSync(a), readFileSync(b)];
      process.stdout.write("ready\\n");
      for (let i = 0; ; i++) await safeWriteFile(file, data[i % 2], { backup: ".bak", lockTimeoutMs: 10000 });`;
    const shared = tempDir("inittab-kill-data-");
    writeFileSync(join(shared, "a"), va);
    writeFileSync(join(shared, "b"), vb);

    let trials = 0;
    let leftovers = 0;
    const worker = async (): Promise<void> => {
      const dir = tempDir("inittab-kill-");
      const file = join(dir, "inittab");
      writeFileSync(file, v0);
      const killed: number[] = [];
      for (let t = 0; t < 26; t++) {
        const child = spawn(process.execPath, ["--input-type=module", "-e", script, file, join(shared, "a"), join(shared, "b")], {
          stdio: ["ignore", "pipe", "pipe"],
        });
        let stderr = "";
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        const exited = new Promise<NodeJS.Signals | null>((r) => child.once("exit", (_code, signal) => r(signal)));
        await Promise.race([new Promise<void>((resolve) => child.stdout.once("data", () => resolve())), exited]);
        await new Promise((r) => setTimeout(r, Math.random() * 25));
        child.kill("SIGKILL");
        // Only our SIGKILL may end it: a writer that stopped by itself failed.
        expect(await exited, `writer failed: ${stderr}`).toBe("SIGKILL");
        killed.push(child.pid!);
        trials++;

        const now = readFileSync(file);
        expect(versions.some((v) => v.equals(now)), `trial ${t}: inittab is not a whole version`).toBe(true);
        const names = readdirSync(dir);
        if (names.includes("inittab.bak")) {
          const bak = readFileSync(join(dir, "inittab.bak"));
          expect(versions.some((v) => v.equals(bak)), `trial ${t}: the backup is not a whole version`).toBe(true);
        }
        // Anything else must be a dead writer's: its pid in the name, or the lock it held. (A
        // writer killed before it got the lock has not cleaned up yet: debris can pile up over
        // a few trials, until one writer gets the lock and sweeps.)
        const extra = strays(dir, ["inittab", "inittab.bak"]);
        if (extra.length > 0) leftovers++;
        for (const n of extra) {
          const owner = /^\.inittab\.(\d+)\./.exec(n);
          expect(n === "inittab.lock" || n === "inittab.lock.break" || (owner !== null && killed.includes(Number(owner[1]))), n).toBe(true);
        }
      }
      // The next writer takes over the dead writer's lock and removes its debris.
      await safeWriteFile(file, Buffer.from("id:3:initdefault:\n"), { lockTimeoutMs: 2000 });
      expect(strays(dir, ["inittab", "inittab.bak"])).toEqual([]);
      expect(readFileSync(file, "utf8")).toBe("id:3:initdefault:\n");
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    expect(trials).toBeGreaterThanOrEqual(100);
    // The kills did land inside writes (a lock or temporary was left behind) in many trials.
    expect(leftovers).toBeGreaterThan(10);
  }, 60_000);
});
