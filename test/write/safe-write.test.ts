import { afterAll, describe, expect, it } from "vitest";
import { InittabError } from "../../src/base/index.js";
import { spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  chownSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readlinkSync,
  renameSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { editFileSafely, safeWriteFile, type WriteFs } from "../../src/write/index.js";
import { deadPid, strays, tempDir, removeTempDirs } from "./support.js";

afterAll(removeTempDirs);

const OLD = Buffer.from("id:3:initdefault:\nl0:0:wait:/etc/init.d/rc 0\n");
const NEW = Buffer.from("id:3:initdefault:\nl0:0:wait:/etc/init.d/rc 0\nab:2:respawn:/bin/x\n");

function setup(content: Uint8Array = OLD, mode = 0o644): { dir: string; file: string } {
  const dir = tempDir();
  const file = join(dir, "inittab");
  writeFileSync(file, content);
  chmodSync(file, mode);
  return { dir, file };
}

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected`), { code });
}

describe("safeWriteFile", () => {
  it("replaces the content and leaves no helper file behind", async () => {
    const { dir, file } = setup();
    const r = await safeWriteFile(file, NEW);
    expect(r.changed).toBe(true);
    expect(readFileSync(file)).toEqual(NEW);
    expect(strays(dir, ["inittab"])).toEqual([]);
  });

  it("does not write at all when the bytes are unchanged (mtime untouched, same inode)", async () => {
    const { dir, file } = setup();
    utimesSync(file, new Date(2001, 0, 1), new Date(2001, 0, 1));
    const before = statSync(file);
    const r = await safeWriteFile(file, Buffer.from(OLD));
    const after = statSync(file);
    expect(r.changed).toBe(false);
    expect(after.mtimeMs).toBe(before.mtimeMs);
    expect(after.ino).toBe(before.ino);
    expect(strays(dir, ["inittab"])).toEqual([]);
  });

  it.each([0o600, 0o640, 0o644, 0o755])("keeps mode %o", async (mode) => {
    const { file } = setup(OLD, mode);
    await safeWriteFile(file, NEW);
    expect(statSync(file).mode & 0o7777).toBe(mode);
  });

  it("keeps the owner and group (chown to another user as root)", async () => {
    const { file } = setup(OLD, 0o640);
    if (process.getuid?.() !== 0) return expect.unreachable("these tests run as root");
    chownSync(file, 4242, 4343);
    const ino = statSync(file).ino;
    await safeWriteFile(file, NEW);
    const st = statSync(file);
    expect(st.ino).not.toBe(ino); // replaced by a rename, not rewritten
    expect([st.uid, st.gid, st.mode & 0o7777]).toEqual([4242, 4343, 0o640]);
  });

  it("tolerates EPERM from chown (not root): the write still happens", async () => {
    const { file } = setup();
    const fs: Partial<WriteFs> = {
      fchownSync: () => {
        throw errno("EPERM");
      },
    };
    await safeWriteFile(file, NEW, { fs });
    expect(readFileSync(file)).toEqual(NEW);
  });

  it("writes through a symlink; the link stays a link and the lock goes next to the target", async () => {
    const { dir, file } = setup();
    mkdirSync(join(dir, "etc"));
    const link = join(dir, "etc", "inittab");
    symlinkSync("../inittab", link);
    const r = await safeWriteFile(link, NEW);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe("../inittab");
    expect(readFileSync(file)).toEqual(NEW);
    expect(r.target).toBe(file);
    expect(strays(dir, ["inittab", "etc"])).toEqual([]);
    expect(strays(join(dir, "etc"), ["inittab"])).toEqual([]);
  });

  it("refuses a file with several hard links unless inPlace, then writes into the same inode", async () => {
    const { dir, file } = setup();
    const other = join(dir, "inittab.hard");
    linkSync(file, other);
    const err = await safeWriteFile(file, NEW).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InittabError);
    expect((err as InittabError).code).toBe("hard-links");
    expect((err as Error).message).toMatch(/inittab: has 2 hard links.*`inPlace`/);
    expect(readFileSync(file)).toEqual(OLD);

    const ino = statSync(file).ino;
    const r = await safeWriteFile(file, NEW, { inPlace: true });
    expect(r.inPlace).toBe(true);
    expect(statSync(file).ino).toBe(ino);
    expect(readFileSync(other)).toEqual(NEW);
    expect(strays(dir, ["inittab", "inittab.hard"])).toEqual([]);
  });

  it("in place, a shorter content truncates the file", async () => {
    const { dir, file } = setup(NEW);
    linkSync(file, join(dir, "b"));
    await safeWriteFile(file, OLD, { inPlace: true });
    expect(readFileSync(file)).toEqual(OLD);
  });

  it("keeps the previous version with --backup (default suffix in the CLI, any suffix here)", async () => {
    const { dir, file } = setup(OLD, 0o600);
    const r = await safeWriteFile(file, NEW, { backup: ".bak" });
    expect(r.backup).toBe(`${file}.bak`);
    expect(readFileSync(`${file}.bak`)).toEqual(OLD);
    expect(statSync(`${file}.bak`).mode & 0o777).toBe(0o600);
    expect(readFileSync(file)).toEqual(NEW);
    // A second edit replaces the backup with the then-previous version.
    await safeWriteFile(file, Buffer.from("x:3:initdefault:\n"), { backup: ".bak" });
    expect(readFileSync(`${file}.bak`)).toEqual(NEW);
    await safeWriteFile(file, OLD, { backup: "~" });
    expect(readFileSync(`${file}~`)).toEqual(Buffer.from("x:3:initdefault:\n"));
    expect(strays(dir, ["inittab", "inittab.bak", "inittab~"])).toEqual([]);
  });

  it("an empty validate command is an error, not a skipped validation", async () => {
    const { dir, file } = setup();
    await expect(safeWriteFile(file, NEW, { validate: "" })).rejects.toThrow(/`validate`: the command is empty/);
    expect(readFileSync(file)).toEqual(OLD);
    expect(strays(dir, ["inittab"])).toEqual([]);
  });

  it("makes no backup when nothing changes", async () => {
    const { dir, file } = setup();
    await safeWriteFile(file, Buffer.from(OLD), { backup: ".bak" });
    expect(strays(dir, ["inittab"])).toEqual([]);
  });

  it("backs up by copying when the file is written in place", async () => {
    const { dir, file } = setup();
    linkSync(file, join(dir, "hard"));
    await safeWriteFile(file, NEW, { backup: ".orig", inPlace: true });
    expect(readFileSync(`${file}.orig`)).toEqual(OLD);
    expect(readFileSync(file)).toEqual(NEW);
  });

  it("refuses a backup suffix that is a path", async () => {
    const { file } = setup();
    await expect(safeWriteFile(file, NEW, { backup: "/../x" })).rejects.toThrow(/not a file name suffix/);
    expect(readFileSync(file)).toEqual(OLD);
  });

  it("creates a missing file (generators), but not through a dangling symlink", async () => {
    const dir = tempDir();
    const r = await safeWriteFile(join(dir, "new"), NEW);
    expect(r.created).toBe(true);
    expect(readFileSync(join(dir, "new"))).toEqual(NEW);
    symlinkSync("nowhere", join(dir, "dangling"));
    await expect(safeWriteFile(join(dir, "dangling"), NEW)).rejects.toThrow(/dangling|does not exist/);
  });

  it("refuses what is not a regular file", async () => {
    const dir = tempDir();
    mkfifoSync(join(dir, "fifo"));
    mkdirSync(join(dir, "d"));
    for (const p of ["fifo", "d"]) {
      const err = await safeWriteFile(join(dir, p), NEW).catch((e: unknown) => e);
      expect((err as InittabError).code).toBe("not-a-regular-file");
      expect((err as Error).message).toContain(`${p}: is not a regular file`);
    }
  });
});

function mkfifoSync(path: string): void {
  const r = spawnSync("mkfifo", [path]);
  if (r.status !== 0) throw new Error("mkfifo failed");
}

describe("failures leave the original byte-identical and no stray file", () => {
  const cases: Array<[string, Partial<WriteFs>, RegExp]> = [
    [
      "ENOSPC while writing",
      {
        writeSync: () => {
          throw errno("ENOSPC");
        },
      },
      /inittab: no space left on device/,
    ],
    [
      "EIO on fsync",
      {
        fsyncSync: () => {
          throw errno("EIO");
        },
      },
      /inittab: input\/output error/,
    ],
    [
      "EROFS on rename",
      {
        renameSync: () => {
          throw errno("EROFS");
        },
      },
      /inittab: read-only file system/,
    ],
    [
      "EACCES creating the temporary",
      {
        openSync: (...a: Parameters<typeof openSync>) => {
          if (String(a[0]).endsWith(".tmp")) throw errno("EACCES");
          return openSync(...a);
        },
      },
      /inittab: permission denied/,
    ],
    [
      "EDQUOT on the second write call",
      (() => {
        let n = 0;
        return {
          writeSync: (fd: number, b: Uint8Array, off: number, len: number, pos: number | null) => {
            // First call writes half: the writer must loop, then fail cleanly.
            if (n++ === 0) return writeSync(fd, b, off, Math.max(1, len >> 1), pos);
            throw errno("EDQUOT");
          },
        };
      })(),
      /inittab: disk quota exceeded/,
    ],
  ];
  it.each(cases)("%s", async (_name, fs, message) => {
    const { dir, file } = setup();
    const err = await safeWriteFile(file, NEW, { fs, backup: ".bak" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InittabError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message.split("\n")).toHaveLength(1);
    expect(readFileSync(file)).toEqual(OLD);
    // The backup may exist (it equals the original); no temporary or lock may.
    expect(strays(dir, ["inittab", "inittab.bak"])).toEqual([]);
  });

  it("an error thrown by the transform propagates, with the lock released", async () => {
    const { dir, file } = setup();
    const boom = new Error("refused by the caller");
    await expect(
      editFileSafely(file, () => {
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(strays(dir, ["inittab"])).toEqual([]);
    await safeWriteFile(file, NEW, { lockTimeoutMs: 100 });
    expect(readFileSync(file)).toEqual(NEW);
  });

  it("a rename refused with EBUSY (bind-mounted file) is refused, or written in place with inPlace", async () => {
    const { dir, file } = setup();
    const fs: Partial<WriteFs> = {
      renameSync: () => {
        throw errno("EBUSY");
      },
    };
    const err = await safeWriteFile(file, NEW, { fs }).catch((e: unknown) => e);
    expect((err as InittabError).code).toBe("cannot-rename");
    expect((err as Error).message).toContain("`inPlace`");
    expect(readFileSync(file)).toEqual(OLD);
    expect(strays(dir, ["inittab"])).toEqual([]);
    const r = await safeWriteFile(file, NEW, {
      fs: {
        renameSync: (a, b) => {
          if (String(b).endsWith("inittab")) throw errno("EBUSY");
          return renameSync(a, b);
        },
      },
      inPlace: true,
    });
    expect(r.inPlace).toBe(true);
    expect(readFileSync(file)).toEqual(NEW);
    expect(strays(dir, ["inittab"])).toEqual([]);
  });
});

describe("the lock", () => {
  it("a second writer waits, then fails with 'inittab is busy' while a live writer holds it", async () => {
    const { dir, file } = setup();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const first = editFileSafely(file, async (cur) => {
      entered();
      await held;
      return Buffer.concat([cur!, Buffer.from("first:2:once:/bin/a\n")]);
    });
    await inside;
    const err = await safeWriteFile(file, NEW, { lockTimeoutMs: 150 }).catch((e: unknown) => e);
    expect((err as InittabError).code).toBe("lock-busy");
    expect((err as Error).message).toMatch(/inittab: inittab is busy \(locked by process \d+/);
    expect(readFileSync(file)).toEqual(OLD);
    release();
    await first;
    expect(readFileSync(file).toString()).toContain("first:2:once");
    expect(strays(dir, ["inittab"])).toEqual([]);
  });

  it("read-modify-write under the lock: concurrent edits in one process never lose an update", async () => {
    const { file } = setup();
    const ids = Array.from({ length: 12 }, (_, i) => `c${i}`);
    await Promise.all(
      ids.map((id) =>
        editFileSafely(file, async (cur) => {
          await new Promise((r) => setTimeout(r, Math.random() * 5));
          return Buffer.concat([cur!, Buffer.from(`${id}:2:once:/bin/true\n`)]);
        }),
      ),
    );
    const text = readFileSync(file, "utf8");
    for (const id of ids) expect(text).toContain(`\n${id}:2:once:/bin/true\n`);
  });

  it("a lock left by a dead writer is taken over at once, and its temporaries are removed", async () => {
    const { dir, file } = setup();
    const pid = deadPid();
    writeFileSync(`${file}.lock`, `${pid}\n`);
    writeFileSync(join(dir, `.inittab.${pid}.0123abcd.tmp`), "partial");
    writeFileSync(join(dir, `.inittab.${pid}.0123abce.lock`), `${pid}\n`);
    const t0 = Date.now();
    await safeWriteFile(file, NEW, { lockTimeoutMs: 3000 });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(readFileSync(file)).toEqual(NEW);
    expect(strays(dir, ["inittab"])).toEqual([]);
  });

  it("a lock whose pid now belongs to another process (pid reuse) is stale too", async () => {
    const { dir, file } = setup();
    // Our own pid with a start time that is not ours: the recorded writer is gone.
    writeFileSync(`${file}.lock`, `${process.pid} 1\n`);
    await safeWriteFile(file, NEW, { lockTimeoutMs: 1000 });
    expect(strays(dir, ["inittab"])).toEqual([]);
  });

  it("without hard links (vfat): the lock is made by exclusive creation, and a dead one still breaks", async () => {
    const { dir, file } = setup();
    const fs: Partial<WriteFs> = {
      linkSync: () => {
        throw errno("EPERM");
      },
    };
    await safeWriteFile(file, NEW, { fs, backup: ".bak" });
    expect(readFileSync(file)).toEqual(NEW);
    expect(readFileSync(`${file}.bak`)).toEqual(OLD); // a copy, since no link could be made
    writeFileSync(`${file}.lock`, `${deadPid()}\n`);
    await safeWriteFile(file, OLD, { fs, lockTimeoutMs: 1000 });
    expect(readFileSync(file)).toEqual(OLD);
    expect(strays(dir, ["inittab", "inittab.bak"])).toEqual([]);
  });

  it("helper files of a live process are left alone", async () => {
    const { dir, file } = setup();
    const child = spawn("sleep", ["5"]);
    try {
      const mine = `.inittab.${child.pid}.0123abcd.tmp`;
      writeFileSync(join(dir, mine), "someone else's");
      await safeWriteFile(file, NEW);
      expect(strays(dir, ["inittab"])).toEqual([mine]);
    } finally {
      child.kill("SIGKILL");
    }
  });
});

describe("validate", () => {
  it("runs the command on the temporary file (no shell) and installs on exit 0", async () => {
    const { dir, file } = setup();
    const seen = join(dir, "seen");
    const r = await safeWriteFile(file, NEW, { validate: `cp %s '${seen}'` });
    expect(r.changed).toBe(true);
    expect(readFileSync(seen)).toEqual(NEW);
    expect(readFileSync(file)).toEqual(NEW);
  });

  it("a failing command refuses the write and carries its stderr", async () => {
    const { dir, file } = setup();
    const err = await safeWriteFile(file, NEW, { validate: `sh -c 'echo "bad entry in $1" >&2; exit 3' sh %s` }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InittabError);
    expect((err as InittabError).details.status).toBe(3);
    expect((err as InittabError).details.stderr).toMatch(/bad entry in .*\.inittab\.\d+\.[0-9a-f]+\.tmp/);
    expect(readFileSync(file)).toEqual(OLD);
    expect(strays(dir, ["inittab"])).toEqual([]);
  });

  it("the file name is never read by a shell", async () => {
    const dir = tempDir();
    const file = join(dir, "in;touch pwned;ittab");
    writeFileSync(file, OLD);
    await safeWriteFile(file, NEW, { validate: "test -s %s" });
    expect(strays(dir, [file.slice(dir.length + 1)])).toEqual([]);
  });

  it("requires %s, and reports a command that cannot run", async () => {
    const { file } = setup();
    await expect(safeWriteFile(file, NEW, { validate: "true" })).rejects.toThrow(/must contain %s/);
    await expect(safeWriteFile(file, NEW, { validate: "/nonexistent/validator %s" })).rejects.toThrow(
      /cannot run .*command not found/,
    );
    expect(readFileSync(file)).toEqual(OLD);
  });
});

describe("signals", () => {
  it("SIGTERM while the lock is held removes the lock and temporaries; the original stays", async () => {
    const { dir, file } = setup();
    const { buildTree } = await import("./support.js");
    const tree = buildTree();
    const script = `
      import { editFileSafely } from ${JSON.stringify(join(tree, "src/write/index.js"))};
      await editFileSafely(process.argv[1], async () => {
        process.stdout.write("locked\\n");
        await new Promise(() => setTimeout(() => {}, 1e9));
        return null;
      });`;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script, file], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.once("data", () => resolve());
      child.once("exit", (code) => reject(new Error(`the writer exited early (${code})`)));
    });
    expect(strays(dir, ["inittab"])).toEqual(["inittab.lock"]);
    const exit = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_c, s) => resolve(s)));
    child.kill("SIGTERM");
    expect(await exit).toBe("SIGTERM");
    expect(strays(dir, ["inittab"])).toEqual([]);
    expect(readFileSync(file)).toEqual(OLD);
  });
});
