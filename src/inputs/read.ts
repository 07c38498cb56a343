/**
 * Reading one input file safely: a regular file or standard input, never a FIFO or a device,
 * never more than a size limit (checked before the file is read), and under a root (`--root`)
 * never a file outside it.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, realpathSync, statSync } from "node:fs";
import { escapeText } from "../base/bytes.js";
import { InittabError } from "../base/errors.js";
import { errnoReason } from "../base/errno.js";
import { DEFAULT_MAX_BYTES, tooBig, tooManyLines } from "../base/limits.js";
import { imagePathOf, resolveInRoot } from "../base/root-path.js";
import { HOST_LINKS } from "./directory-image.js";

export interface ReadOptions {
  /**
   * The image root the path must stay in: the path (a host path under the root) is resolved as
   * `chroot ROOT` would resolve it, and a path outside the root is refused.
   */
  root?: string;
  /** The largest input accepted, in bytes (default DEFAULT_MAX_BYTES, 16 MiB). */
  maxBytes?: number;
}

/** How an input is named in messages: `<stdin>` for `-`, other paths escaped for a terminal. */
export function displayPath(path: string): string {
  return path === "-" ? "<stdin>" : escapeText(path);
}

/**
 * The host path of `path` resolved inside `root`, with no symbolic link left in it. A path that
 * is not under the root, or whose links loop, is refused (`outside-root`); a missing one is the
 * usual "no such file or directory" (`io-error`).
 */
export function pathInRoot(root: string, path: string): string {
  const shown = displayPath(path);
  const inImage = imagePathOf(root, path);
  if (inImage === undefined) {
    throw new InittabError("outside-root", `${shown}: is outside the image \`root\` ${escapeText(root)}`, { path });
  }
  const r = resolveInRoot(root, inImage, HOST_LINKS);
  switch (r.kind) {
    case "found":
      return r.host;
    case "loop":
      throw new InittabError("outside-root", `${shown}: too many levels of symbolic links (resolved inside \`root\`)`, {
        path,
        errno: "ELOOP",
      });
    case "not-a-directory":
      throw new InittabError("io-error", `${shown}: not a directory (${escapeText(r.path)} in the image)`, {
        path,
        errno: "ENOTDIR",
      });
    case "missing": {
      const reason = r.dangling
        ? `is a symbolic link to nothing: ${escapeText(r.path)} does not exist in the image ` +
          "(links resolve inside `root`)"
        : "no such file or directory";
      throw new InittabError("io-error", `${shown}: ${reason}`, { path, errno: "ENOENT" });
    }
  }
}

/** Read a file (or stdin for `-`) as bytes; unusable input is an InittabError naming the file. */
export function readInput(path: string, options: ReadOptions = {}): Uint8Array {
  const shown = displayPath(path);
  const limit = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const bytes = readBytes(path, shown, limit, options);
  const lines = tooManyLines(shown, path, bytes, limit);
  if (lines) throw lines;
  return bytes;
}

function readBytes(path: string, shown: string, limit: number, options: ReadOptions): Uint8Array {
  try {
    if (path === "-") return readStream(0, shown, path, limit);
    const jailed = options.root !== undefined;
    const host = jailed ? pathInRoot(options.root!, path) : path;
    // Looked at before it is opened: opening a device can have effects (a tape rewinds).
    const st = jailed ? lstatSync(host) : statSync(host);
    if (st.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
    if (!st.isFile()) {
      // A named FIFO (/run/initctl!), a device or a socket is no inittab: reading one blocks for
      // a writer, never ends (/dev/zero) or steals init's requests. An anonymous pipe, as bash's
      // `<(...)` gives (/dev/fd/N), is read like stdin.
      if (!jailed && st.isFIFO() && isAnonymousPipe(host)) return readPipe(host, shown, limit);
      const fifo = st.isFIFO() ? " (a FIFO; to read one, use - and redirect it)" : "";
      throw new InittabError("not-a-regular-file", `${shown}: is not a regular file${fifo}`, { path });
    }
    if (st.size > limit) throw tooBig(shown, path, st.size, limit);
    // O_NOFOLLOW under a root: the resolved path has no links left; one swapped in since is not
    // followed. O_NONBLOCK: a FIFO swapped in does not block the open.
    const fd = openSync(host, constants.O_RDONLY | constants.O_NONBLOCK | (jailed ? constants.O_NOFOLLOW : 0));
    try {
      const now = fstatSync(fd);
      if (!now.isFile()) throw new InittabError("not-a-regular-file", `${shown}: is not a regular file`, { path });
      if (now.size > limit) throw tooBig(shown, path, now.size, limit);
      return readBounded(fd, shown, path, limit, now.size);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    if (err instanceof InittabError) throw err;
    const errno = (err as NodeJS.ErrnoException).code;
    throw new InittabError("io-error", `${shown}: ${errnoReason(err)}`, { path, ...(errno ? { errno } : {}) });
  }
}

const CHUNK = 1 << 16;

/** Read to the end, but never more than `limit` bytes: a file that grows past it is too big. */
function readBounded(fd: number, shown: string, path: string, limit: number, sizeHint: number): Uint8Array {
  const buf = new Uint8Array(Math.min(sizeHint, limit) + 1);
  let n = 0;
  for (;;) {
    const got = readSync(fd, buf, n, buf.length - n, null);
    if (got === 0) return buf.slice(0, n);
    n += got;
    if (n === buf.length) {
      if (n > limit) throw tooBig(shown, path, undefined, limit);
      // It grew since fstat: read on, chunk by chunk, as from a stream.
      const rest = readStream(fd, shown, path, limit - n);
      const out = new Uint8Array(n + rest.length);
      out.set(buf.subarray(0, n));
      out.set(rest, n);
      return out;
    }
  }
}

/** Read a pipe or stdin in chunks, refusing it once it passes `limit` bytes. */
function readStream(fd: number, shown: string, path: string, limit: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const chunk = new Uint8Array(CHUNK);
    let got: number;
    try {
      got = readSync(fd, chunk, 0, CHUNK, null);
    } catch (err) {
      // A non-blocking stdin with nothing yet: wait for the writer, as a blocking read would.
      if ((err as NodeJS.ErrnoException).code === "EAGAIN") {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
        continue;
      }
      if ((err as NodeJS.ErrnoException).code === "EOF") break;
      throw err;
    }
    if (got === 0) break;
    total += got;
    if (total > limit) throw tooBig(shown, path, undefined, limit);
    chunks.push(chunk.subarray(0, got));
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function readPipe(path: string, shown: string, limit: number): Uint8Array {
  const fd = openSync(path, constants.O_RDONLY);
  try {
    return readStream(fd, shown, path, limit);
  } finally {
    closeSync(fd);
  }
}

/** /dev/fd/N of a pipe: it resolves to `pipe:[inode]`, which is no path (a named FIFO is one). */
function isAnonymousPipe(path: string): boolean {
  try {
    realpathSync.native(path);
    return false;
  } catch {
    return true;
  }
}
