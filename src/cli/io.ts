/** Reading inputs and writing outputs for the CLI. */
import { realpathSync } from "node:fs";
import { join } from "node:path";
import { DirectoryImage } from "../inputs/directory-image.js";
import type { ImageInit } from "../inputs/init-version.js";

export { displayPath, readInput } from "../inputs/index.js";

export interface GlobalOptions {
  dialect: string;
  root?: string;
  allowExec?: boolean;
  /** -d was given on the command line (a config file's dialect does not override it). */
  dialectGiven?: boolean;
  /** The init and version the --root image carries, when it says. */
  imageInit?: ImageInit;
}

/**
 * The dialect to read with: -d as given; else, under --root, the table of the init the image
 * carries; else `auto` (the file's content decides). `configured` is a config file's dialect.
 */
export function effectiveDialect(globals: GlobalOptions, configured?: string): string {
  if (globals.dialectGiven) return globals.dialect;
  if (configured !== undefined) return configured;
  return globals.imageInit?.dialect ?? globals.dialect;
}

/** The default inittab: /etc/inittab, or DIR/etc/inittab under --root. */
export function defaultInittab(globals: GlobalOptions): string {
  return globals.root ? join(globals.root, "etc/inittab") : "/etc/inittab";
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

/** The check options that name the system image under --root, when one is given. */
export function imageOptions(globals: GlobalOptions): { image?: DirectoryImage; imageName?: string } {
  return globals.root !== undefined ? { image: new DirectoryImage(globals.root), imageName: globals.root } : {};
}
