/**
 * The edit lock: a sibling file `<file>.lock` that exists while one writer reads, edits and
 * replaces the file (visudo's "busy" convention, not proper-lockfile's directory).
 *
 * The lock is made atomically *with its content*: the owner's pid (and process start time) is
 * written to a uniquely named file first, which is then hard-linked to the lock name; link()
 * fails with EEXIST when the lock is held. So a lock is never seen empty, and a lock whose
 * owner is dead (SIGKILL, power loss of a container…) is recognised and taken over instead of
 * blocking every later edit. Every helper file carries its owner's pid in its name, so what a
 * killed writer leaves behind is found and removed by the next one.
 */
import { constants, readSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { basename, dirname, join } from "node:path";
import { writeError, writeErrorFrom } from "./errors.js";
import { tryUnlink, type WriteFs } from "./fs.js";

export interface LockOwner {
  pid: number;
  /** Start time of the process (Linux /proc, clock ticks since boot): tells a reused pid apart. */
  start: string | undefined;
}

/** This process's start time as the kernel records it, or undefined without /proc. */
function startTime(fs: WriteFs, pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`).toString("latin1");
    // Field 2 (comm) is in parentheses and may contain anything; the rest follows the last ')'.
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return rest[19]; // field 22, starttime
  } catch {
    return undefined;
  }
}

export function currentOwner(fs: WriteFs): LockOwner {
  return { pid: process.pid, start: startTime(fs, process.pid) };
}

function formatOwner(o: LockOwner): string {
  return `${o.pid}${o.start ? ` ${o.start}` : ""}\n`;
}

function parseOwner(text: string): LockOwner | undefined {
  const m = /^(\d+)(?: (\d+))?\n?$/.exec(text);
  if (!m) return undefined;
  return { pid: Number(m[1]), start: m[2] };
}

/** Is the process that wrote this owner record still running (and still that process)? */
export function isAlive(fs: WriteFs, owner: LockOwner): boolean {
  if (!Number.isSafeInteger(owner.pid) || owner.pid <= 0) return false;
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    // EPERM: it exists, it just is not ours to signal.
    if ((err as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  if (owner.start === undefined) return true;
  const now = startTime(fs, owner.pid);
  return now === undefined || now === owner.start;
}

/** Names of the helper files next to `target`. */
export interface SiblingNames {
  dir: string;
  base: string;
  lock: string;
  /** Held for the instant of removing a dead writer's lock, so two waiters cannot both do it. */
  breaker: string;
}

export function siblingNames(target: string): SiblingNames {
  const dir = dirname(target);
  const base = basename(target);
  return { dir, base, lock: `${target}.lock`, breaker: `${target}.lock.break` };
}

/** A unique helper file name next to the target: `.<base>.<pid>.<random>.<kind>`. */
export function helperName(names: SiblingNames, kind: "tmp" | "lock" | "bak"): string {
  return join(names.dir, `.${names.base}.${process.pid}.${randomBytes(6).toString("hex")}.${kind}`);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Remove what dead writers of this target left: their temporaries, backup copies in progress,
 * pid files, and a breaker they held. Only names of our own pattern whose pid is not running
 * are touched. Called with the lock held.
 */
export function sweepStale(fs: WriteFs, names: SiblingNames): string[] {
  const removed: string[] = [];
  let entries: string[];
  try {
    entries = fs.readdirSync(names.dir);
  } catch {
    return removed;
  }
  const pattern = new RegExp(`^\\.${escapeRegExp(names.base)}\\.(\\d+)\\.[0-9a-f]+\\.(?:tmp|lock|bak)$`);
  for (const name of entries) {
    const m = pattern.exec(name);
    if (!m || Number(m[1]) === process.pid) continue;
    if (isAlive(fs, { pid: Number(m[1]), start: undefined })) continue;
    try {
      fs.unlinkSync(join(names.dir, name));
      removed.push(name);
    } catch {
      // Gone already, or not ours to remove: leave it.
    }
  }
  const breaker = readOwner(fs, names.breaker);
  if (breaker && breaker.owner && !isAlive(fs, breaker.owner)) tryUnlink(fs, names.breaker);
  return removed;
}

interface OwnerRecord {
  owner: LockOwner | undefined;
  ino: number;
  mtimeMs: number;
  text: string;
}

function readOwner(fs: WriteFs, path: string): OwnerRecord | undefined {
  let fd: number;
  try {
    fd = fs.openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return undefined;
  }
  try {
    const st = fs.fstatSync(fd);
    const buf = Buffer.alloc(64);
    let n = 0;
    try {
      // Not through WriteFs: reading a lock never needs to fail on purpose in tests.
      n = readSync(fd, buf, 0, buf.length, 0);
    } catch {
      n = 0;
    }
    const text = buf.subarray(0, n).toString("latin1");
    return { owner: parseOwner(text), ino: st.ino, mtimeMs: st.mtimeMs, text };
  } finally {
    fs.closeSync(fd);
  }
}


const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A lock whose record has no owner and is older than this is debris (see `acquire`). */
const UNREADABLE_STALE_MS = 10_000;

export class FileLock {
  private released = false;
  private constructor(
    private readonly fs: WriteFs,
    readonly names: SiblingNames,
    private readonly ino: number,
  ) {}

  /**
   * Take the lock on `target` (a real path), waiting up to `timeoutMs` while a live writer
   * holds it; a lock of a dead writer is removed. `shown` names the file in messages.
   * `onHelper` is told the name of the pid file while it exists, so a signal handler can
   * remove it.
   */
  static async acquire(
    fs: WriteFs,
    target: string,
    shown: string,
    timeoutMs: number,
    onHelper: (path: string | undefined) => void,
  ): Promise<FileLock> {
    const names = siblingNames(target);
    const owner = currentOwner(fs);
    const pidFile = helperName(names, "lock");
    onHelper(pidFile);
    try {
      // Not synced: a lock only has to outlive its writer, not a crash of the machine.
      writeWhole(fs, pidFile, Buffer.from(formatOwner(owner), "latin1"), 0o644, false);
    } catch (err) {
      tryUnlink(fs, pidFile);
      onHelper(undefined);
      throw writeErrorFrom(shown, err, `creating the lock ${names.lock}`);
    }
    const deadline = Date.now() + timeoutMs;
    try {
      for (;;) {
        try {
          createExclusive(fs, names.lock, pidFile, owner);
          return new FileLock(fs, names, fs.lstatSync(names.lock).ino);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== "EEXIST") {
            throw writeErrorFrom(shown, err, `creating the lock ${names.lock}`);
          }
        }
        const held = readOwner(fs, names.lock);
        if (held === undefined) continue; // released between our link and our look: try again
        const dead = held.owner
          ? !isAlive(fs, held.owner)
          : Date.now() - held.mtimeMs > UNREADABLE_STALE_MS; // not ours: some other tool's debris
        if (dead) {
          breakLock(fs, names, held, pidFile);
          continue;
        }
        if (Date.now() >= deadline) {
          const who = held.owner ? `locked by process ${held.owner.pid}` : "locked";
          throw writeError(
            "lock-busy",
            shown,
            `inittab is busy (${who}; ${names.lock} exists). Try again; remove the lock only if no edit is running`,
          );
        }
        await sleep(10 + Math.random() * 30);
      }
    } finally {
      tryUnlink(fs, pidFile);
      onHelper(undefined);
    }
  }

  /** Remove the lock if it is still ours. Safe to call twice. */
  release(): void {
    if (this.released) return;
    this.released = true;
    try {
      if (this.fs.lstatSync(this.names.lock).ino === this.ino) this.fs.unlinkSync(this.names.lock);
    } catch {
      // Already gone.
    }
  }
}

/**
 * Remove a dead writer's lock. Two waiters may both find it dead; the breaker (made like the
 * lock) lets only one of them look again and remove it, so a fresh lock taken by the other in
 * between is never removed by mistake.
 */
function breakLock(fs: WriteFs, names: SiblingNames, seen: OwnerRecord, pidFile: string): void {
  try {
    createExclusive(fs, names.breaker, pidFile, currentOwner(fs));
  } catch {
    const b = readOwner(fs, names.breaker);
    // A breaker is held for microseconds; one whose owner died is removed, and we retry.
    if (b && (b.owner ? !isAlive(fs, b.owner) : Date.now() - b.mtimeMs > UNREADABLE_STALE_MS)) {
      tryUnlink(fs, names.breaker);
    }
    return;
  }
  try {
    const now = readOwner(fs, names.lock);
    if (now && now.ino === seen.ino && now.text === seen.text) tryUnlink(fs, names.lock);
  } finally {
    tryUnlink(fs, names.breaker);
  }
}

/**
 * Create `path` holding the owner record, failing with EEXIST if it exists: a hard link of the
 * pid file (never seen empty). Where the file system has no hard links (vfat…), exclusive
 * creation and then the record; a reader may see it empty for an instant, so an empty lock
 * only counts as stale once it is old.
 */
function createExclusive(fs: WriteFs, path: string, pidFile: string, owner: LockOwner): void {
  try {
    fs.linkSync(pidFile, path);
    return;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP") throw err;
  }
  try {
    writeWhole(fs, path, Buffer.from(formatOwner(owner), "latin1"), 0o644, false);
  } catch (err) {
    // Created but not written (no space…): it is ours, and useless.
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") tryUnlink(fs, path);
    throw err;
  }
}

/** Create `path` exclusively (never through a symlink) and write all of `data`. */
export function writeWhole(fs: WriteFs, path: string, data: Uint8Array, mode: number, sync = true): void {
  const fd = fs.openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode);
  try {
    let off = 0;
    while (off < data.length) off += fs.writeSync(fd, data, off, data.length - off, null);
    if (sync) fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
