/**
 * The runlevel sysvinit is in, read from the running system the way `runlevel(8)` and `ps`
 * see it: the last RUN_LVL record of utmp (read_level and boot_transitions write one at every
 * change), else the process title init gives itself (setproctitle "init [2]" in /proc/1/cmdline),
 * else /var/run/runlevel (Write_Runlevel_Log, 2.91+). Read only.
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseUtmp, runlevelFromUtmp } from "./utmp.js";

export interface RunlevelReading {
  runlevel: string;
  /** Where it was read: `utmp` (with the file), `proc` (init's title) or `runlevel-file`. */
  source: "utmp" | "proc" | "runlevel-file";
  path: string;
}

export interface RunlevelOptions {
  /** The system's root as this process sees it (default /): for a run inside another root. */
  root?: string;
  /** Where proc is mounted, and init's pid there (default /proc and 1). */
  proc?: string;
  initPid?: number;
  /** The utmp file to read instead of /run/utmp and /var/run/utmp under `root`. */
  utmp?: string;
}

/** The utmp files sysvinit and glibc use, newest first. */
export const UTMP_PATHS = ["/run/utmp", "/var/run/utmp"] as const;
const RUNLEVEL_FILE = "/var/run/runlevel";

const LEVEL = /^[0-9S]$/;

/** utmp holds a record per terminal and process: a larger file is no utmp of a running system. */
export const UTMP_MAX_BYTES = 16 << 20;

/** A small file's bytes, or undefined when it is missing, unreadable, not a regular file or too big. */
export function readSmall(path: string, max = UTMP_MAX_BYTES): Buffer | undefined {
  try {
    const st = statSync(path);
    if (!st.isFile() || st.size > max) return undefined;
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

const read = (path: string): Buffer | undefined => readSmall(path);

/** The current runlevel, or undefined when nothing on the system says it (not sysvinit, no utmp). */
export function readRunlevel(options: RunlevelOptions = {}): RunlevelReading | undefined {
  const root = options.root ?? "/";
  for (const path of options.utmp !== undefined ? [options.utmp] : UTMP_PATHS.map((p) => join(root, p))) {
    const bytes = read(path);
    if (!bytes) continue;
    const found = runlevelFromUtmp(parseUtmp(new Uint8Array(bytes)));
    if (found && LEVEL.test(found.runlevel)) return { runlevel: found.runlevel, source: "utmp", path };
  }
  const cmdline = join(options.proc ?? "/proc", String(options.initPid ?? 1), "cmdline");
  const title = /^init \[([0-9Ss])\]/.exec(read(cmdline)?.toString("latin1") ?? "");
  if (title) return { runlevel: title[1]!.toUpperCase(), source: "proc", path: cmdline };
  const file = join(root, RUNLEVEL_FILE);
  const level = read(file)?.toString("latin1").trim();
  if (level !== undefined && LEVEL.test(level)) return { runlevel: level, source: "runlevel-file", path: file };
  return undefined;
}
