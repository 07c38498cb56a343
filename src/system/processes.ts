/**
 * The processes init runs, seen through /proc: the children of PID 1 (`ppid` in /proc/PID/stat),
 * their command lines, controlling terminals and sessions. Read only: nothing here signals,
 * opens for writing or waits on a process.
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";

export interface ProcessInfo {
  /** The pid as this /proc shows it. */
  pid: number;
  /** The pid as init sees it: the last NSpid of /proc/PID/status (the same on a plain system). */
  nsPid: number;
  ppid: number;
  session: number;
  /** tty_nr of /proc/PID/stat: the device number of the controlling terminal, 0 for none. */
  tty: number;
  /** The command line's words (binary strings); empty for a zombie or a kernel thread. */
  argv: string[];
  /** Where its standard input points (/proc/PID/fd/0), when that can be read: its terminal. */
  stdin?: string;
}

export interface ProcOptions {
  /** Where proc is mounted (default /proc). */
  proc?: string;
  /** The init whose children to list, as this /proc numbers it (default 1). */
  initPid?: number;
}

/** One process, or undefined when it is gone (or was never there). */
export function readProcess(pid: number, options: ProcOptions = {}): ProcessInfo | undefined {
  const proc = options.proc ?? "/proc";
  try {
    const stat = readFileSync(join(proc, String(pid), "stat"), "latin1");
    // `pid (comm) state ppid pgrp session tty_nr …`: comm may hold spaces and parentheses.
    const close = stat.lastIndexOf(")");
    if (close < 0) return undefined;
    const fields = stat.slice(close + 2).split(" ");
    const status = readFileSync(join(proc, String(pid), "status"), "latin1");
    const nsPids = /^NSpid:\s*([\d\s]+)$/m.exec(status)?.[1]?.trim().split(/\s+/).map(Number);
    const cmdline = readFileSync(join(proc, String(pid), "cmdline"), "latin1");
    const argv = cmdline === "" ? [] : cmdline.replace(/\0$/, "").split("\0");
    let stdin: string | undefined;
    try {
      stdin = readlinkSync(join(proc, String(pid), "fd", "0"), "latin1");
    } catch {
      // Another user's process, or no fd 0: the terminal is not known.
    }
    return {
      pid,
      nsPid: nsPids?.[nsPids.length - 1] ?? pid,
      ppid: Number(fields[1]),
      session: Number(fields[3]),
      tty: Number(fields[4]),
      argv,
      ...(stdin !== undefined ? { stdin } : {}),
    };
  } catch {
    return undefined;
  }
}

/**
 * The children of init, in pid order. /proc/PID/task/PID/children lists them where the kernel
 * has it; otherwise every /proc/N/stat is read for its ppid.
 */
export function readInitChildren(options: ProcOptions = {}): ProcessInfo[] {
  const proc = options.proc ?? "/proc";
  const initPid = options.initPid ?? 1;
  let pids: number[];
  try {
    const text = readFileSync(join(proc, String(initPid), "task", String(initPid), "children"), "latin1");
    pids = text.trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    pids = listPids(proc);
  }
  return pids
    .map((pid) => readProcess(pid, options))
    .filter((p): p is ProcessInfo => p !== undefined && p.ppid === initPid)
    .sort((a, b) => a.pid - b.pid);
}

function listPids(proc: string): number[] {
  try {
    return readdirSync(proc)
      .filter((n) => /^\d+$/.test(n))
      .map(Number);
  } catch {
    return [];
  }
}
