/**
 * The edit lock: a sibling file `<file>.lock` that exists while one writer reads, edits and
 * replaces the file (visudo's "busy" convention, not proper-lockfile's directory).
 *
 * The lock is made atomically *with its content*: the owner's pid, process start time, PID
 * namespace and boot id are written to a uniquely named file first, which is then hard-linked
 * to the lock name; link() fails with EEXIST when the lock is held. So a lock is never seen
 * empty, and a lock whose owner is dead (SIGKILL, power loss of a container…) is recognised and
 * taken over instead of blocking every later edit. Every helper file carries its owner's pid in
 * its name, so what a killed writer leaves behind is found and removed by the next one.
 *
 * Waiting never spins: every turn of the loop checks the deadline and sleeps. A lock this tool
 * cannot judge (a symbolic link, a directory that is not empty or not old, an owner in another
 * PID namespace of the same boot) is never removed: it is reported as busy, with its path.
 */
import { constants, readSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { basename, dirname, join } from "node:path";
import { escapeText } from "../base/bytes.js";
import { writeError, writeErrorFrom } from "./errors.js";
import { tryUnlink, type WriteFs } from "./fs.js";

export interface LockOwner {
  pid: number;
  /** Start time of the process (Linux /proc, clock ticks since boot): tells a reused pid apart. */
  start: string | undefined;
  /** The inode of the owner's PID namespace: its pid means nothing in another namespace. */
  pidns?: string | undefined;
  /** The kernel's boot id: a lock from an earlier boot is stale whoever made it. */
  boot?: string | undefined;
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

/** Our PID namespace (`4026531836` of `pid:[4026531836]`), or undefined without /proc. */
function pidNamespace(fs: WriteFs): string | undefined {
  try {
    return /^pid:\[(\d+)\]$/.exec(fs.readlinkSync("/proc/self/ns/pid"))?.[1];
  } catch {
    return undefined;
  }
}

/** The kernel's boot id, or undefined without /proc. */
function bootId(fs: WriteFs): string | undefined {
  try {
    const id = fs.readFileSync("/proc/sys/kernel/random/boot_id").toString("latin1").trim();
    return /^[0-9a-f-]{36}$/.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

export function currentOwner(fs: WriteFs): LockOwner {
  return { pid: process.pid, start: startTime(fs, process.pid), pidns: pidNamespace(fs), boot: bootId(fs) };
}

/** `PID [START [PIDNS BOOT]]`: an older writer's record, with only the first or two, still reads. */
function formatOwner(o: LockOwner): string {
  const where = o.start && o.pidns && o.boot ? ` ${o.pidns} ${o.boot}` : "";
  return `${o.pid}${o.start ? ` ${o.start}${where}` : ""}\n`;
}

function parseOwner(text: string): LockOwner | undefined {
  const m = /^(\d+)(?: (\d+)(?: (\d+) ([0-9a-f-]{36}))?)?\n?$/.exec(text);
  if (!m) return undefined;
  return { pid: Number(m[1]), start: m[2], pidns: m[3], boot: m[4] };
}

/**
 * What can be said of a lock's owner from here: alive, dead, or unknown (a process of another
 * PID namespace on this boot, whose pid we cannot look up).
 */
export function ownerState(fs: WriteFs, owner: LockOwner, self: LockOwner): "alive" | "dead" | "unknown" {
  if (owner.boot !== undefined && self.boot !== undefined && owner.boot !== self.boot) return "dead";
  if (owner.pidns !== undefined && self.pidns !== undefined && owner.pidns !== self.pidns) return "unknown";
  return isAlive(fs, owner) ? "alive" : "dead";
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

/** What is at the lock's name: a lock file (its record), something else, or nothing. */
type LockShape =
  | { kind: "gone" }
  | ({ kind: "file" } & OwnerRecord)
  | { kind: "symlink" | "other"; ino: number; mtimeMs: number }
  | { kind: "dir"; ino: number; mtimeMs: number; empty: boolean };

function inspectLock(fs: WriteFs, path: string): LockShape {
  let st;
  try {
    st = fs.lstatSync(path);
  } catch {
    return { kind: "gone" };
  }
  if (st.isSymbolicLink()) return { kind: "symlink", ino: st.ino, mtimeMs: st.mtimeMs };
  if (st.isDirectory()) {
    let empty = false;
    try {
      empty = fs.readdirSync(path).length === 0;
    } catch {
      // Unreadable: not known to be empty.
    }
    return { kind: "dir", ino: st.ino, mtimeMs: st.mtimeMs, empty };
  }
  if (!st.isFile()) return { kind: "other", ino: st.ino, mtimeMs: st.mtimeMs };
  const record = readOwner(fs, path);
  return record ? { kind: "file", ...record } : { kind: "gone" };
}

function readOwner(fs: WriteFs, path: string): OwnerRecord | undefined {
  let fd: number;
  try {
    // O_NONBLOCK: a FIFO put at the lock's name must not block the open.
    fd = fs.openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return undefined;
    const buf = Buffer.alloc(128);
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

/** A lock whose record has no owner (or an empty directory) older than this is debris. */
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
      // Every turn ends at the deadline check and a sleep, whatever the lock looked like.
      for (;;) {
        try {
          createExclusive(fs, names.lock, pidFile, owner);
          return new FileLock(fs, names, fs.lstatSync(names.lock).ino);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== "EEXIST") {
            throw writeErrorFrom(shown, err, `creating the lock ${names.lock}`);
          }
        }
        const held = inspectLock(fs, names.lock);
        const verdict = judge(fs, held, owner);
        const broken = verdict.stale && breakLock(fs, names, held, pidFile);
        if (Date.now() >= deadline) {
          throw writeError(
            "lock-busy",
            shown,
            `inittab is busy (${verdict.why}; ${escapeText(names.lock)} exists). ` +
              "Try again; remove the lock only if no edit is running",
          );
        }
        // Right after removing a stale lock, try again at once; else wait for the holder.
        await sleep(broken ? 1 : 10 + Math.random() * 30);
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

/** Whether a lock can be removed, and how to describe it when it cannot. */
function judge(fs: WriteFs, held: LockShape, self: LockOwner): { stale: boolean; why: string } {
  const age = (mtimeMs: number): boolean => Date.now() - mtimeMs > UNREADABLE_STALE_MS;
  switch (held.kind) {
    case "gone":
      return { stale: false, why: "locked" };
    case "symlink":
      return { stale: false, why: "the lock is a symbolic link, which this tool never makes" };
    case "other":
      return { stale: false, why: "the lock is not a regular file" };
    case "dir":
      // proper-lockfile's kind of lock: an empty one that nobody has touched for a while is debris.
      return held.empty && age(held.mtimeMs)
        ? { stale: true, why: "a stale lock directory" }
        : { stale: false, why: "the lock is a directory" };
    case "file": {
      if (!held.owner) {
        // Not ours (some other tool's debris), or made without hard links a moment ago.
        return age(held.mtimeMs) ? { stale: true, why: "an unreadable stale lock" } : { stale: false, why: "locked" };
      }
      const state = ownerState(fs, held.owner, self);
      if (state === "dead") return { stale: true, why: `locked by process ${held.owner.pid}, which is gone` };
      if (state === "unknown") {
        return { stale: false, why: `locked by process ${held.owner.pid} of another PID namespace` };
      }
      return { stale: false, why: `locked by process ${held.owner.pid}` };
    }
  }
}

/**
 * Remove a stale lock. Two waiters may both find it stale; the breaker (made like the lock)
 * lets only one of them look again and remove it, so a fresh lock taken by the other in
 * between is never removed by mistake.
 */
function breakLock(fs: WriteFs, names: SiblingNames, seen: LockShape, pidFile: string): boolean {
  try {
    createExclusive(fs, names.breaker, pidFile, currentOwner(fs));
  } catch {
    const b = readOwner(fs, names.breaker);
    // A breaker is held for microseconds; one whose owner died is removed, and we retry.
    if (b && (b.owner ? !isAlive(fs, b.owner) : Date.now() - b.mtimeMs > UNREADABLE_STALE_MS)) {
      tryUnlink(fs, names.breaker);
    }
    return false;
  }
  try {
    const now = inspectLock(fs, names.lock);
    if (seen.kind === "file" && now.kind === "file" && now.ino === seen.ino && now.text === seen.text) {
      tryUnlink(fs, names.lock);
      return true;
    }
    if (seen.kind === "dir" && now.kind === "dir" && now.ino === seen.ino && now.empty) {
      fs.rmdirSync(names.lock);
      return true;
    }
    return false;
  } catch {
    // Filled or removed meanwhile: judged again on the next turn.
    return false;
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
