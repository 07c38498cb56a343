/** Reading one input file safely: a regular file or standard input, never a FIFO or a device. */
import { readFileSync, realpathSync, statSync } from "node:fs";
import { escapeText } from "../base/bytes.js";
import { InittabError } from "../base/errors.js";
import { errnoReason } from "../base/errno.js";

/** How an input is named in messages: `<stdin>` for `-`, other paths escaped for a terminal. */
export function displayPath(path: string): string {
  return path === "-" ? "<stdin>" : escapeText(path);
}

/** Read a file (or stdin for `-`) as bytes; unusable input is an InittabError naming the file. */
export function readInput(path: string): Uint8Array {
  const shown = displayPath(path);
  try {
    if (path === "-") return new Uint8Array(readFileSync(0));
    const st = statSync(path);
    if (st.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
    // A named FIFO (/run/initctl!), a device or a socket is no inittab: reading one blocks for
    // a writer, never ends (/dev/zero) or steals init's requests. An anonymous pipe, as bash's
    // `<(...)` gives (/dev/fd/N), is read like stdin.
    if (!st.isFile() && !(st.isFIFO() && isAnonymousPipe(path))) {
      const fifo = st.isFIFO() ? " (a FIFO; to read one, use - and redirect it)" : "";
      throw new InittabError("not-a-regular-file", `${shown}: is not a regular file${fifo}`, { path });
    }
    return new Uint8Array(readFileSync(path));
  } catch (err) {
    if (err instanceof InittabError) throw err;
    const errno = (err as NodeJS.ErrnoException).code;
    throw new InittabError("io-error", `${shown}: ${errnoReason(err)}`, { path, ...(errno ? { errno } : {}) });
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
