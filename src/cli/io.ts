/** Reading inputs and writing outputs for the CLI. */
import { readFileSync, realpathSync, statSync } from "node:fs";
import { join } from "node:path";
import { InittabError } from "../base/errors.js";
import { fsError, usageError } from "./errors.js";
import { escapeText } from "../base/bytes.js";

export interface GlobalOptions {
  dialect: string;
  root?: string;
  allowExec?: boolean;
}

/** The default inittab: /etc/inittab, or DIR/etc/inittab under --root. */
export function defaultInittab(globals: GlobalOptions): string {
  return globals.root ? join(globals.root, "etc/inittab") : "/etc/inittab";
}

/** Read a file (or stdin for `-`) as bytes; unusable input is an InittabError naming the file. */
export function readInput(path: string): Uint8Array {
  try {
    if (path === "-") return new Uint8Array(readFileSync(0));
    const st = statSync(path);
    if (st.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
    // A named FIFO (/run/initctl!), a device or a socket is no inittab: reading one blocks for
    // a writer, never ends (/dev/zero) or steals init's requests. An anonymous pipe, as bash's
    // `<(...)` gives (/dev/fd/N), is read like stdin.
    if (!st.isFile() && !(st.isFIFO() && isAnonymousPipe(path))) {
      throw usageError(`${displayPath(path)}: is not a regular file${st.isFIFO() ? " (a FIFO; to read one, use - and redirect it)" : ""}`, "not-a-regular-file");
    }
    return new Uint8Array(readFileSync(path));
  } catch (err) {
    if (err instanceof InittabError) throw err;
    throw fsError(displayPath(path), err);
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

/** How a path is named in messages (stdin is `<stdin>`); escaped for the terminal. */
export function displayPath(path: string): string {
  return path === "-" ? "<stdin>" : escapeText(path);
}

/** Colour only on a TTY, never with NO_COLOR; FORCE_COLOR forces it. */
export function useColor(stream: NodeJS.WriteStream): boolean {
  if (process.env["NO_COLOR"] !== undefined && process.env["NO_COLOR"] !== "") return false;
  if (process.env["FORCE_COLOR"] !== undefined && process.env["FORCE_COLOR"] !== "0") return true;
  return stream.isTTY === true;
}

/** Is this the inittab the running init reads? Only then does a reload hint make sense. */
export function isLiveInittab(file: string): boolean {
  try {
    return realpathSync(file) === realpathSync("/etc/inittab");
  } catch {
    return false;
  }
}
