/** Reading inputs and writing outputs for the CLI. */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describeFsError, UsageError } from "./errors.js";
import { escapeText } from "../document/bytes.js";

export interface GlobalOptions {
  dialect: string;
  root?: string;
  allowExec?: boolean;
}

/** The default inittab: /etc/inittab, or DIR/etc/inittab under --root. */
export function defaultInittab(globals: GlobalOptions): string {
  return globals.root ? join(globals.root, "etc/inittab") : "/etc/inittab";
}

/** Read a file (or stdin for `-`) as bytes; unusable input is a UsageError naming the file. */
export function readInput(path: string): Uint8Array {
  try {
    if (path === "-") return new Uint8Array(readFileSync(0));
    const st = statSync(path);
    if (st.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
    return new Uint8Array(readFileSync(path));
  } catch (err) {
    throw new UsageError(describeFsError(displayPath(path), err));
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
