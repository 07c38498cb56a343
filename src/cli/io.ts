/** Reading inputs and writing outputs for the CLI. */
import { lstatSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { Option } from "commander";
import { escapeBinary, escapeText, toBinary } from "../base/bytes.js";
import { usageError } from "./errors.js";
import { DirectoryImage } from "../inputs/directory-image.js";
import type { ImageInit } from "../inputs/init-version.js";
import { readInput as readInputWith, type ReadOptions } from "../inputs/read.js";

export { displayPath } from "../inputs/read.js";

export interface GlobalOptions {
  dialect: string;
  root?: string;
  allowExec?: boolean;
  /** --max-size: the largest input, in bytes (the library's default when absent). */
  maxBytes?: number;
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

/** How every file is read and written under the global options: inside --root, within --max-size. */
export function fileOptions(globals: GlobalOptions): ReadOptions {
  return {
    ...(globals.root !== undefined ? { root: globals.root } : {}),
    ...(globals.maxBytes !== undefined ? { maxBytes: globals.maxBytes } : {}),
  };
}

/** Read an input (a path, or - for stdin) as the global options say. */
export function readInput(path: string, globals: GlobalOptions): Uint8Array {
  // Standard input (-) is no path of the image: readInput does not confine it.
  const bytes = readInputWith(path, fileOptions(globals));
  if (bytes.length >= LARGE_INPUT_BYTES) growHeapSlowly();
  return bytes;
}

/**
 * Before reading PATHs through the input readers (which read them whole): when one is a large
 * regular file, set the heap policy first. lstat only, and only outside --root: it decides a
 * collector setting, nothing a user sees.
 */
export function prepareForInputs(paths: readonly string[], globals: GlobalOptions): void {
  if (globals.root !== undefined) return;
  for (const path of paths) {
    try {
      const st = lstatSync(path);
      if (st.isFile() && st.size >= LARGE_INPUT_BYTES) return growHeapSlowly();
    } catch {
      // The read that follows reports it.
    }
  }
}

/** From this size on an input is large: its document and check take memory in proportion. */
const LARGE_INPUT_BYTES = 1 << 20;
let heapPolicySet = false;

/**
 * For a large input, let V8's heap grow by half of what was live after a full collection
 * instead of up to four times as much: a check of 220,000 lines peaks near 220 MB instead of
 * 255 MB, for a few percent more time in the collector (npm run bench measures both). V8 reads
 * this flag each time it sets the next limit, so setting it while running takes effect.
 */
function growHeapSlowly(): void {
  if (heapPolicySet) return;
  heapPolicySet = true;
  setFlagsFromString("--heap-growing-percent=50");
}

/** The default inittab: /etc/inittab, or DIR/etc/inittab under --root. */
export function defaultInittab(globals: GlobalOptions): string {
  return globals.root ? join(globals.root, "etc/inittab") : "/etc/inittab";
}

/**
 * A file's bytes as output (the result of `-f -`, a generated dummy): exact in a pipe, so that
 * it can be redirected to a file; on a terminal its control bytes are escaped, line by line.
 */
export function writeFileBytes(bytes: Uint8Array): void {
  if (process.stdout.isTTY) process.stdout.write(toBinary(bytes).split("\n").map(escapeBinary).join("\n"));
  else process.stdout.write(bytes);
}

/** Colour only on a TTY, never with NO_COLOR; FORCE_COLOR forces it. */
export function useColor(stream: NodeJS.WriteStream): boolean {
  if (process.env["NO_COLOR"] !== undefined && process.env["NO_COLOR"] !== "") return false;
  if (process.env["FORCE_COLOR"] !== undefined && process.env["FORCE_COLOR"] !== "0") return true;
  return stream.isTTY === true;
}

/** Is this the inittab the running init reads? Only then does a reload hint make sense. */
export function isLiveInittab(file: string, globals: GlobalOptions): boolean {
  // An image's file is read by no running init, and its links are not to be followed out.
  if (globals.root !== undefined) return false;
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

/** `--lock-timeout SECONDS`: how long a write waits for another writer's lock (default 5). */
export function lockTimeoutOption(): Option {
  return new Option("--lock-timeout <seconds>", "wait at most SECONDS for another edit's lock (default 5)").argParser(
    (value: string) => {
      const seconds = /^\d+(?:\.\d+)?$/.test(value) ? Number(value) : NaN;
      if (!(seconds <= 24 * 3600)) {
        throw usageError(`--lock-timeout: "${escapeText(value)}" is not a number of seconds (0 to 86400)`);
      }
      return seconds;
    },
  );
}

/** The writer's lock option from a parsed --lock-timeout. */
export function lockOptions(o: { lockTimeout?: number }): { lockTimeoutMs?: number } {
  return o.lockTimeout !== undefined ? { lockTimeoutMs: Math.round(o.lockTimeout * 1000) } : {};
}
