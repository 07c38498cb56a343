/**
 * Replacing /etc/inittab without ever leaving it half-written (rename(2), fsync(2); the
 * visudo / Ansible atomic_move / write-file-atomic recipe):
 *
 *  1. resolve symlinks (the target is written, the link stays a link) — under a `root`, inside
 *     it as chroot would, never outside; refuse anything but a regular file, and a file with
 *     several hard links unless `inPlace`;
 *  2. take the lock (lock.ts) *before* reading, so two concurrent edits never lose one;
 *  3. read it (never more than `maxBytes`), compute the new bytes; identical bytes → no write
 *     at all (mtime untouched);
 *  4. write a temporary file in the same directory (same file system, so rename is atomic),
 *     owner and mode copied from the original, fsync;
 *  5. run the `validate` command on it, if any;
 *  6. keep the previous version as `<file><suffix>` if asked (atomically too);
 *  7. rename over the target, fsync the directory (else a crash can undo the rename);
 *  8. on any failure, or SIGINT/SIGTERM/SIGHUP, remove the temporary file and the lock: the
 *     original is byte-identical. What a SIGKILL leaves is removed by the next writer. The
 *     signals are looked at just before the rename, so one that came while the new content
 *     was computed or validated stops the write there.
 */
import { constants } from "node:fs";
import { basename, dirname, join } from "node:path";
import { DEFAULT_MAX_BYTES, tooBig, tooManyLines } from "../base/limits.js";
import { escapeText } from "../base/bytes.js";
import { imagePathOf, resolveInRoot } from "../base/root-path.js";
import { writeError, writeErrorFrom } from "./errors.js";
import { tryUnlink, withFs, type WriteFs } from "./fs.js";
import { FileLock, helperName, sweepStale } from "./lock.js";
import { runValidator } from "./validate.js";

export interface SafeWriteOptions {
  /** Keep the previous version as `<path><suffix>` (e.g. `.bak`). */
  backup?: string;
  /**
   * Allow writing into the existing file where a rename cannot be used: a file with several
   * hard links (a rename would split them), or a bind-mounted file (rename fails with EBUSY).
   * Such a write is NOT atomic: a crash or a full disk in the middle can leave it partial.
   */
  inPlace?: boolean;
  /** A command run on the new content before it is installed: `CMD %s`, no shell; non-zero refuses. */
  validate?: string;
  /** How long to wait for another writer's lock (default 5000 ms). */
  lockTimeoutMs?: number;
  /**
   * The image root the file must stay in (`--root`): `path` is a host path under it, resolved
   * as `chroot ROOT` would resolve it; a link is written through only when its target resolves
   * inside, and a path outside the root, or whose links loop, is refused (`outside-root`).
   */
  root?: string;
  /** Refuse a current file larger than this many bytes (`too-big`) before reading it (default 16 MiB). */
  maxBytes?: number;
  /** Replace some file-system calls (fault injection in tests). */
  fs?: Partial<WriteFs>;
}

export interface WriteResult {
  /** The path as given. */
  path: string;
  /** The file actually written (symlinks resolved). */
  target: string;
  /** False when the content was already as asked: nothing was written. */
  changed: boolean;
  /** The file did not exist before. */
  created: boolean;
  /** Where the previous version was kept, when a backup was made. */
  backup?: string;
  /** Written in place (not atomically), see `SafeWriteOptions.inPlace`. */
  inPlace: boolean;
}

/** Computes the new content from the current one (null: the file does not exist). Null result: no change. */
export type Transform = (current: Uint8Array | null) => Uint8Array | null | Promise<Uint8Array | null>;

const DEFAULT_LOCK_TIMEOUT_MS = 5000;
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/**
 * Replace the file at `path` with `data`, atomically and under a lock: a temporary file in the
 * same directory, fsync, rename, directory fsync; mode and owner kept; symlinks followed; any
 * failure leaves the original byte-identical and no temporary or lock file behind.
 *
 * @throws InittabError `lock-busy`, `not-a-regular-file`, `hard-links`, `cannot-rename`,
 *   `invalid-option`, `validation-failed` (options.validate refused it), `io-error` (`errno`).
 */
export function safeWriteFile(path: string, data: Uint8Array, options: SafeWriteOptions = {}): Promise<WriteResult> {
  return editFileSafely(path, () => data, options);
}

/**
 * Read-modify-write under the lock: `transform` sees the bytes as they are once the lock is
 * held, so a concurrent writer's change is never overwritten, and returns the new bytes (null:
 * no change). Errors thrown by `transform` propagate unchanged (after the lock is released);
 * file-system failures become InittabErrors, as for `safeWriteFile`.
 *
 * @example
 * await editFileSafely("/etc/inittab", (current) => {
 *   const doc = parse(current!, { dialect: "auto" });
 *   const r = addEntry(doc, "T0:23:respawn:/sbin/getty -L ttyS0 115200 vt100");
 *   return r.changed ? applyEdits(current!, r.edits) : null;
 * }, { backup: ".bak" });
 */
export async function editFileSafely(
  path: string,
  transform: Transform,
  options: SafeWriteOptions = {},
): Promise<WriteResult> {
  const fs = withFs(options.fs);
  if (options.backup !== undefined && (options.backup === "" || /[/\0]/.test(options.backup))) {
    throw writeError("invalid-option", path, `\`backup\`: "${options.backup}" is not a file name suffix`);
  }
  const target = resolveTarget(fs, path, options.root);
  // Hard links are counted only under the lock, after the sweep: a writer killed while making
  // a backup leaves a second link to the file, which is debris, not a user's hard link.
  checkKind(fs, path, target, false, options);

  // Everything that must not outlive this call, for the failure paths and signal handlers.
  const pending = {
    helper: undefined as string | undefined,
    temp: undefined as string | undefined,
    bak: undefined as string | undefined,
  };
  let lock: FileLock | undefined;
  let signalled = false;
  const cleanup = (): void => {
    for (const p of [pending.temp, pending.bak, pending.helper]) if (p) tryUnlink(fs, p);
    pending.temp = pending.bak = pending.helper = undefined;
    lock?.release();
  };
  const abort = (): void => {
    signalled = true;
    cleanup();
  };
  guardSignals();
  inProgress.add(abort);
  try {
    lock = await FileLock.acquire(fs, target, path, options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS, (h) => {
      pending.helper = h;
    });
    sweepStale(fs, lock.names);
    // Look again under the lock: the file may have been replaced while we waited, and under a
    // root, a link on the way swapped for one that leads elsewhere.
    if (options.root !== undefined && resolveTarget(fs, path, options.root) !== target) {
      throw writeError("outside-root", path, "its symbolic links changed during the edit; nothing was written");
    }
    checkKind(fs, path, target, true, options);
    const st = step(path, "reading it", () => lstatOrNull(fs, target));
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    if (st && st.size > maxBytes) throw tooBig(escapeText(path), path, st.size, maxBytes);
    const current = st ? step(path, "reading it", () => readRegular(fs, target, maxBytes, path)) : null;
    const next = await transform(current);
    if (next === null || (current !== null && Buffer.compare(current, next) === 0)) {
      return { path, target, changed: false, created: false, inPlace: false };
    }
    // A file this process may not write is not replaced behind its back by a rename, which
    // only needs the directory (root may write any file but an immutable one).
    if (st) step(path, "the file cannot be written", () => fs.accessSync(target, constants.W_OK));
    const inPlace = st !== null && st.nlink > 1;
    const names = lock.names;

    // The new content, complete and synced, next to the target.
    pending.temp = helperName(names, "tmp");
    const temp = pending.temp;
    step(path, "writing a temporary file", () => writeCopy(fs, temp, next, st));
    // `!== undefined`: an empty command (an unset variable in a script) is an error, not a skip.
    if (options.validate !== undefined) runValidator(options.validate, temp, path);

    // The backup. Where the old file is about to be replaced by a rename, a hard link to it is
    // enough (owner, mode and mtime for free), but it is put in place only *after* the rename:
    // until then it is a second link to the live file, and if this process died right there, the
    // file would look hard-linked to the next writer. A helper left by a kill is swept instead.
    // Written in place, or without hard links, the backup is a copy, installed first.
    const backup =
      options.backup !== undefined && st !== null && current !== null ? `${target}${options.backup}` : undefined;
    const backupDoing = `keeping the previous version as ${backup}`;
    let linkedBackup: string | undefined;
    const copyBackup = (): void => {
      const bak = helperName(names, "bak");
      pending.bak = bak;
      step(path, backupDoing, () => {
        writeCopy(fs, bak, current!, st);
        fs.renameSync(bak, backup!);
      });
      pending.bak = undefined;
    };
    if (backup !== undefined) {
      if (!inPlace) {
        const bak = helperName(names, "bak");
        pending.bak = bak;
        linkedBackup = step(path, backupDoing, () => (tryLink(fs, target, bak) ? bak : undefined));
        if (!linkedBackup) pending.bak = undefined;
      }
      if (!linkedBackup) copyBackup();
    }

    // The point of no return: a signal that came while the content was computed or validated
    // (its handler runs only now, between two turns of the event loop) stops the write here.
    await new Promise<void>((r) => setImmediate(r));
    if (signalled) throw writeError("io-error", path, "interrupted by a signal; nothing was written");

    let wroteInPlace = inPlace;
    if (!inPlace) {
      try {
        fs.renameSync(temp, target);
        pending.temp = undefined;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if ((code === "EBUSY" || code === "EXDEV") && options.inPlace) {
          wroteInPlace = true;
          if (linkedBackup) {
            // The link would see the in-place write: make it a copy.
            tryUnlink(fs, linkedBackup);
            pending.bak = linkedBackup = undefined;
            copyBackup();
          }
        } else if (code === "EBUSY" || code === "EXDEV") {
          throw writeError(
            "cannot-rename",
            path,
            `cannot be replaced by a rename (${code === "EBUSY" ? "a bind-mounted file?" : "cross-device"}); \`inPlace\` writes into it`,
            code,
          );
        } else {
          throw writeErrorFrom(path, err, "replacing it");
        }
      }
    }
    if (wroteInPlace) {
      step(path, "writing it in place", () => writeInPlace(fs, target, next));
      tryUnlink(fs, temp);
      pending.temp = undefined;
    }
    if (linkedBackup) {
      const bak = linkedBackup;
      step(path, `written, but ${backupDoing} failed`, () => fs.renameSync(bak, backup!));
      pending.bak = undefined;
    }
    syncDir(fs, path, names.dir);
    return { path, target, changed: true, created: st === null, inPlace: wroteInPlace, ...(backup ? { backup } : {}) };
  } finally {
    inProgress.delete(abort);
    cleanup();
  }
}

/** The cleanups of the writes in progress, run when SIGINT, SIGTERM or SIGHUP comes. */
const inProgress = new Set<() => void>();
let guarded = false;

/**
 * Listen for the signals from the first write on, and keep listening: a signal that comes while
 * JavaScript runs is handed to a listener only on the next turn of the event loop, and one
 * removed in between would drop it, leaving the process running as if never asked to stop.
 */
function guardSignals(): void {
  if (guarded) return;
  guarded = true;
  for (const s of SIGNALS) process.on(s, onSignal);
}

function onSignal(signal: NodeJS.Signals): void {
  for (const cleanup of inProgress) cleanup();
  inProgress.clear();
  // A program with its own listener decides what the signal means; otherwise die of it as if
  // it had not been caught (exit status 128+n for the caller).
  if (process.listeners(signal).some((l) => l !== onSignal)) return;
  for (const s of SIGNALS) process.removeListener(s, onSignal);
  guarded = false;
  process.kill(process.pid, signal);
}

/** Run a file-system step; its failure becomes an InittabError naming the file. */
function step<T>(path: string, doing: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw writeErrorFrom(path, err, doing);
  }
}

function lstatOrNull(fs: WriteFs, p: string) {
  try {
    return fs.lstatSync(p);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
}

/** The current content, read without following a link swapped in, never more than `maxBytes`. */
function readRegular(fs: WriteFs, target: string, maxBytes: number, path: string): Uint8Array {
  const fd = fs.openSync(target, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw writeError("not-a-regular-file", path, "is not a regular file");
    if (st.size > maxBytes) throw tooBig(escapeText(path), path, st.size, maxBytes);
    const buf = new Uint8Array(st.size);
    let n = 0;
    while (n < buf.length) {
      const got = fs.readSync(fd, buf, n, buf.length - n, n);
      if (got === 0) break;
      n += got;
    }
    const lines = tooManyLines(escapeText(path), path, buf.subarray(0, n), maxBytes);
    if (lines) throw lines;
    return buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The file to write: symlinks resolved; a missing file is created in its (resolved) directory.
 * Under a root, resolved inside it (base/root-path.ts).
 */
function resolveTarget(fs: WriteFs, path: string, root: string | undefined): string {
  if (root !== undefined) return resolveInsideRoot(fs, path, root);
  try {
    return fs.realpathSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw writeErrorFrom(path, err);
  }
  let link = false;
  try {
    link = fs.lstatSync(path).isSymbolicLink();
  } catch {
    // Really missing.
  }
  if (link) throw writeError("not-a-regular-file", path, "is a symbolic link to a file that does not exist");
  try {
    return join(fs.realpathSync(dirname(path)), basename(path));
  } catch (err) {
    throw writeErrorFrom(path, err, "its directory");
  }
}

function resolveInsideRoot(fs: WriteFs, path: string, root: string): string {
  const inImage = imagePathOf(root, path);
  if (inImage === undefined) {
    throw writeError("outside-root", path, `is outside the image \`root\` ${escapeText(root)}`);
  }
  let r;
  try {
    r = resolveInRoot(root, inImage, { lstat: (p) => fs.lstatSync(p), readlink: (p) => fs.readlinkSync(p) });
  } catch (err) {
    throw writeErrorFrom(path, err);
  }
  switch (r.kind) {
    case "found":
      return r.host;
    case "loop":
      throw writeError("outside-root", path, "too many levels of symbolic links (resolved inside `root`)", "ELOOP");
    case "not-a-directory":
      throw writeError("io-error", path, `not a directory (${escapeText(r.path)} in the image)`, "ENOTDIR");
    case "missing":
      if (r.dangling) {
        const missing = escapeText(r.path);
        const why =
          `is a symbolic link to nothing: ${missing} does not exist in the image ` + "(links resolve inside `root`)";
        throw writeError("not-a-regular-file", path, why);
      }
      if (!r.last) throw writeError("io-error", path, "no such file or directory (its directory is missing)", "ENOENT");
      return r.host;
  }
}

function checkKind(fs: WriteFs, path: string, target: string, countLinks: boolean, options: SafeWriteOptions): void {
  let st;
  try {
    st = lstatOrNull(fs, target);
  } catch (err) {
    throw writeErrorFrom(path, err);
  }
  if (!st) return;
  if (!st.isFile()) throw writeError("not-a-regular-file", path, "is not a regular file");
  if (countLinks && st.nlink > 1 && !options.inPlace) {
    throw writeError(
      "hard-links",
      path,
      `has ${st.nlink} hard links; replacing it would split them; \`inPlace\` writes into it (not atomic)`,
    );
  }
}

/** The temporary copy: all the bytes, the original's owner and mode, synced. */
function writeCopy(
  fs: WriteFs,
  temp: string,
  data: Uint8Array,
  like: { mode: number; uid: number; gid: number } | null,
): void {
  // 0600 until the mode is copied, so the content is never readable by more people than before.
  const fd = fs.openSync(
    temp,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
    like ? 0o600 : 0o666,
  );
  try {
    let off = 0;
    while (off < data.length) off += fs.writeSync(fd, data, off, data.length - off, null);
    if (like) {
      try {
        fs.fchownSync(fd, like.uid, like.gid);
      } catch (err) {
        // Not root (a build in a user account, fakeroot…): the file stays ours, as Ansible does.
        if ((err as NodeJS.ErrnoException).code !== "EPERM") throw err;
      }
      // After chown, which may clear set-id bits.
      fs.fchmodSync(fd, like.mode & 0o7777);
    }
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Hard-link `from` to `to`; false where the file system has no hard links. */
function tryLink(fs: WriteFs, from: string, to: string): boolean {
  try {
    fs.linkSync(from, to);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EPERM" || code === "ENOTSUP" || code === "EOPNOTSUPP" || code === "EMLINK") return false;
    throw err;
  }
}

/** Write into the existing inode (hard links, bind mounts): not atomic, see `inPlace`. */
function writeInPlace(fs: WriteFs, target: string, data: Uint8Array): void {
  const fd = fs.openSync(target, constants.O_WRONLY | constants.O_NOFOLLOW);
  try {
    let off = 0;
    while (off < data.length) off += fs.writeSync(fd, data, off, data.length - off, off);
    fs.ftruncateSync(fd, data.length);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Make the rename durable. File systems that cannot sync a directory are tolerated. */
function syncDir(fs: WriteFs, path: string, dir: string): void {
  let fd: number;
  try {
    fd = fs.openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  } catch {
    return;
  }
  try {
    fs.fsyncSync(fd);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== "EINVAL" && code !== "ENOTSUP" && code !== "EOPNOTSUPP" && code !== "EBADF") {
      throw writeErrorFrom(path, err, "the new file is in place, but syncing its directory failed");
    }
  } finally {
    fs.closeSync(fd);
  }
}
