/**
 * Which of init's children belongs to which inittab entry, so that a plan can name the pids a
 * stop would hit. Read only: the processes are looked at, never signalled.
 *
 * sysvinit writes an INIT_PROCESS record with the entry's id and the child's pid to utmp for
 * every process it starts (spawn), unless the process field starts with `+`; getty and login
 * keep the id when they rewrite the record. Those records name the pid whatever the program
 * did to its command line, and their absence says that an entry has no process. Without them
 * (no utmp, a `+` entry, BusyBox) a child is matched by its command line: the words init passes
 * to execvp, or the shell form it uses for a command with metacharacters.
 */
import { analyseCommand, ttyPath, type InitPrediction, type ProcessState, type SimulatedEntry } from "../init/index.js";
import type { ProcessInfo } from "./processes.js";
import { processRecords, type UtmpRecord } from "./utmp.js";

export interface MatchOptions {
  /** The records of the running system's utmp (sysvinit). */
  utmp?: readonly UtmpRecord[];
  /** init's own command line and standard input: a BusyBox askfirst child waiting for Enter is a copy of init. */
  initArgv?: readonly string[];
  initStdin?: string;
  /**
   * Where init's root is as this process names paths (default /): a child's terminal seen from
   * outside init's root (another mount namespace, a chroot) carries that prefix.
   */
  root?: string;
}

export interface LiveMatch {
  /** What is known of each entry's process, for planReload's `state`. */
  state: (entry: SimulatedEntry) => ProcessState | undefined;
  /** How entries were matched: utmp records where they exist, else command lines. */
  method: "utmp" | "cmdline";
  /** Children that no entry claims (daemons that were handed to init, init's own helpers). */
  unclaimed: ProcessInfo[];
}

/** The argument vector init execs for an entry (sysvinit spawn, BusyBox init_exec). */
export function expectedArgv(entry: SimulatedEntry, dialect: InitPrediction["dialect"]): string[] {
  const cmd = analyseCommand(dialect, entry.process);
  if (dialect.family === "busybox") {
    const dash = cmd.prefix === "-";
    if (cmd.shell) return [dash ? "-/bin/sh" : "/bin/sh", "-c", `exec ${cmd.body}`];
    // The words of the command with its dash: argv[0] is "-/bin/sh" for a login shell.
    return entry.process.split(/[ \t]/).filter((w) => w !== "");
  }
  if (cmd.shell) {
    // spawn builds "exec <proc>" (3.14: "<proc>") in a 136-byte buffer.
    const text = dialect.shellForm === "sh -c exec" ? `exec ${cmd.body}` : cmd.body;
    return ["/bin/sh", "-c", text.slice(0, 135)];
  }
  return cmd.words;
}

function sameTerminal(child: ProcessInfo, entry: SimulatedEntry, options: MatchOptions): boolean {
  if (child.stdin === undefined) return true;
  const tty = ttyPath(entry.id);
  if (tty === "") return options.initStdin === undefined || child.stdin === options.initStdin;
  const root = (options.root ?? "/").replace(/\/+$/, "");
  return child.stdin === tty || child.stdin === `${root}${tty}`;
}

/** Match init's children to the entries of `prediction` (what init runs now). */
export function matchProcesses(
  prediction: InitPrediction,
  children: readonly ProcessInfo[],
  options: MatchOptions = {},
): LiveMatch {
  const dialect = prediction.dialect;
  const claimed = new Set<ProcessInfo>();
  const byUtmp = new Map<string, ProcessInfo[]>();
  const useUtmp = dialect.family === "sysvinit" && options.utmp !== undefined;
  if (useUtmp) {
    const live = new Map(children.map((c) => [c.nsPid, c]));
    for (const r of processRecords(options.utmp!)) {
      const child = live.get(r.pid);
      if (!child) continue;
      byUtmp.set(r.id, [...(byUtmp.get(r.id) ?? []), child]);
      claimed.add(child);
    }
  }
  // Children by the words they run, also without the interpreter (and its option) of a script.
  const byWords = new Map<string, ProcessInfo[]>();
  const index = (key: string, c: ProcessInfo): void => void byWords.set(key, [...(byWords.get(key) ?? []), c]);
  for (const c of children) {
    for (let skip = 0; skip <= Math.min(2, c.argv.length - 1); skip++) index(c.argv.slice(skip).join("\0"), c);
    // /etc/initscript: sysvinit runs `/bin/sh /etc/initscript ID LEVELS ACTION PROCESS`.
    if (c.argv[1] === "/etc/initscript" && c.argv[2] !== undefined) index(`\0initscript\0${c.argv[2]}`, c);
  }
  const initWords = options.initArgv?.join("\0");
  const byCommand = (entry: SimulatedEntry): ProcessInfo[] => {
    const expected = expectedArgv(entry, dialect).join("\0");
    const found = new Set(byWords.get(expected) ?? []);
    if (dialect.family === "sysvinit") for (const c of byWords.get(`\0initscript\0${entry.id}`) ?? []) found.add(c);
    // BusyBox askfirst: a copy of init waits for Enter on the terminal before it execs.
    if (entry.action === "askfirst" && initWords !== undefined) {
      for (const c of byWords.get(initWords) ?? []) found.add(c);
    }
    return [...found]
      .filter((c) => dialect.family !== "busybox" || sameTerminal(c, entry, options))
      .sort((a, b) => a.pid - b.pid);
  };
  const noUtmpRecord = (entry: SimulatedEntry): boolean => dialect.plusPrefix && entry.process.startsWith("+");
  const state = (entry: SimulatedEntry): ProcessState | undefined => {
    if (!entry.info.spawns) return undefined;
    let found: ProcessInfo[];
    if (useUtmp && !noUtmpRecord(entry)) {
      found = byUtmp.get(entry.id) ?? [];
      // No record: the entry has no process (init writes one for every process it starts).
      if (found.length === 0) return { running: false };
    } else {
      found = byCommand(entry);
      for (const c of found) claimed.add(c);
    }
    return found.length > 0 ? { running: true, pids: found.map((c) => c.pid) } : undefined;
  };
  // Claim what the command lines match, so that `unclaimed` is complete before anyone asks.
  for (const e of prediction.entries) state(e);
  return { state, method: useUtmp ? "utmp" : "cmdline", unclaimed: children.filter((c) => !claimed.has(c)) };
}
