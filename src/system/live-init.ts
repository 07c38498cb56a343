/**
 * Is there a running init that reads this file, and which is it? `--reload` acts only on a yes:
 * the file is the live system's inittab (the same device and inode as PID 1's `/etc/inittab`,
 * seen through `/proc/1/root`), and PID 1 is the init of the file's dialect:
 *
 *  - sysvinit: PID 1 holds its initctl FIFO open (`/run/initctl`, or `/dev/initctl` before
 *    2.89; sysvinit's init.c opens it in check_init_fifo() and keeps it), and is not systemd,
 *    which holds a FIFO of that name for its own telinit emulation but reads no inittab;
 *  - BusyBox: PID 1's executable (`/proc/1/exe`, links resolved by the kernel) is `busybox`, or
 *    the same file as the image's `/bin/busybox` (an `init` hard-linked to it).
 *
 * Anything else (another file, a container whose PID 1 is an application, an init of the other
 * dialect, a /proc we may not read) is a refusal with the reason, and nothing is signalled.
 */
import { lstatSync, readdirSync, readlinkSync, statSync, type Stats } from "node:fs";
import { basename } from "node:path";
import { errnoReason } from "../base/errno.js";
import { escapeText } from "../base/bytes.js";
import type { Dialect } from "../dialects/index.js";
import { defaultFifoCandidates } from "../initctl/index.js";

export type InitKind = "sysvinit" | "busybox";

export type LiveInit =
  | {
      kind: InitKind;
      /** The process to ask: PID 1 (another only when a test names it). */
      pid: number;
      /** Its executable, as /proc shows it. */
      exe: string;
      /** sysvinit: the FIFO PID 1 holds, to open (`/proc/1/fd/N`) and to name (`/run/initctl`). */
      fifo?: { open: string; name: string };
    }
  | { refused: string };

export interface LiveOptions {
  /**
   * Where /proc is, and which process to look at: for tests only, which build a tree shaped
   * like /proc/PID for a process of their own. The CLI never sets them.
   */
  proc?: string;
  pid?: number;
}

const sameFile = (a: Stats, b: Stats): boolean => a.dev === b.dev && a.ino === b.ino;

/** Decide whether `file`, written for `dialect`, is read by a running init that can be reloaded. */
export function liveInit(dialect: Dialect, file: string, options: LiveOptions = {}): LiveInit {
  const pid = options.pid ?? 1;
  const proc = `${options.proc ?? "/proc"}/${pid}`;
  const shown = escapeText(file);
  let written: Stats;
  try {
    written = statSync(file);
  } catch (err) {
    return { refused: `cannot look at ${shown}: ${errnoReason(err)}` };
  }
  let live: Stats;
  try {
    live = statSync(`${proc}/root/etc/inittab`);
  } catch (err) {
    return { refused: `cannot see the /etc/inittab of process ${pid} (${errnoReason(err)})` };
  }
  if (!sameFile(written, live)) {
    return { refused: `${shown} is not the /etc/inittab the running init (process ${pid}) reads` };
  }
  let exe: string;
  try {
    exe = readlinkSync(`${proc}/exe`).replace(/ \(deleted\)$/, "");
  } catch (err) {
    return { refused: `cannot tell which program process ${pid} runs (${errnoReason(err)})` };
  }
  const program = basename(exe);
  const isBusybox = program === "busybox" || sameAsImageBusybox(proc);
  if (dialect.fifoPath === null) {
    if (!isBusybox) return { refused: `process ${pid} is ${escapeText(exe)}, not BusyBox init` };
    return { kind: "busybox", pid, exe };
  }
  if (isBusybox) return { refused: `process ${pid} is BusyBox init, but the file was edited as ${dialect.name}` };
  if (program.startsWith("systemd")) return { refused: `process ${pid} is ${escapeText(exe)}, which reads no inittab` };
  const fifo = heldFifo(proc, [dialect.fifoPath, ...defaultFifoCandidates().filter((p) => p !== dialect.fifoPath)]);
  if (typeof fifo === "string") return { refused: `process ${pid} (${escapeText(exe)}) ${fifo}` };
  return { kind: "sysvinit", pid, exe, fifo };
}

/** `/bin/busybox` of the process's root, when its executable is that very file. */
function sameAsImageBusybox(proc: string): boolean {
  try {
    return sameFile(statSync(`${proc}/exe`), statSync(`${proc}/root/bin/busybox`));
  } catch {
    return false;
  }
}

/** The initctl FIFO the process holds open, or why there is none. */
function heldFifo(proc: string, candidates: readonly string[]): { open: string; name: string } | string {
  const fifos: Array<{ name: string; st: Stats }> = [];
  for (const name of candidates) {
    try {
      const st = statSync(`${proc}/root${name}`);
      if (st.isFIFO()) fifos.push({ name, st });
    } catch {
      // Not there.
    }
  }
  if (fifos.length === 0) return `has no initctl FIFO (${candidates.join(", ")})`;
  let fds: string[];
  try {
    fds = readdirSync(`${proc}/fd`);
  } catch (err) {
    return `has open files this process may not list (${errnoReason(err)})`;
  }
  for (const fd of fds) {
    const open = `${proc}/fd/${fd}`;
    let st: Stats;
    try {
      if (!lstatSync(open).isSymbolicLink()) continue;
      st = statSync(open);
    } catch {
      continue;
    }
    const match = st.isFIFO() ? fifos.find((f) => sameFile(f.st, st)) : undefined;
    if (match) return { open, name: match.name };
  }
  return `does not hold ${fifos.map((f) => f.name).join(" or ")} open: it is not sysvinit's init`;
}
