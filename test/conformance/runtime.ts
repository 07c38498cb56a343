/**
 * The re-read harness: boots a real init on an OLD inittab whose entries run marked processes
 * (a static BusyBox bound as /bin/sleep, each entry with its own argument), waits until init has
 * started what its runlevel runs and nothing changes any more, records the processes, replaces
 * /etc/inittab with NEW, asks init to re-read it (sysvinit: the initctl request `q`, encoded by
 * src/initctl, written to the run's /run/initctl; BusyBox: SIGHUP, sent from inside the
 * namespace), waits again and records what init stopped and started.
 *
 * What init started is taken from init's own records, so processes that ran and exited in
 * between (a `wait` entry) count too: sysvinit appends an INIT_PROCESS record with the entry's
 * id and the pid to /var/log/wtmp for every process it spawns; BusyBox logs `starting pid N,
 * tty 'T': 'COMMAND'`. What it stopped is every marked process of the first record that is gone.
 * Neither depends on our model: the comparison with `planReload` is in reload.test.ts.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { encodeRequest, sendRequest } from "../../src/initctl/index.js";
import { dialectByName } from "../../src/dialects/index.js";
import { parseUtmp, UTMP_TYPES } from "../../src/system/utmp.js";
import { readInitChildren, type ProcessInfo } from "../../src/system/processes.js";
import { HarnessError, runInit, type InitControl, type ReadyBinary, type Toolchain } from "./harness.js";

/** A process init runs, keyed as that init keys its entries. */
export interface Seen {
  /** The pid as the host sees it, and as init sees it. */
  pid: number;
  nsPid: number;
  /** sysvinit: the entry's id; BusyBox: `TTY\0COMMAND` (the tty as init stores it, /dev/… or ''). */
  key: string;
}

export interface ReloadRun {
  binary: ReadyBinary;
  /** The marked processes running once the OLD file's runlevel has settled. */
  before: Seen[];
  /** Those of `before` gone after the re-read. */
  stopped: Seen[];
  /** Every process init started from the moment it took the re-read, including ones that exited. */
  started: Seen[];
  /** The marked processes running at the end. */
  after: Seen[];
  /** sysvinit: from the re-read on, each start and each reaped exit by id, in wtmp's order. */
  events: Array<{ kind: "start" | "exit"; key: string }>;
  /** When each stopped process was first seen gone, in ms after init took the re-read. */
  goneAfterMs: Map<number, number>;
  /**
   * Other children of init seen after the re-read began (the log listener aside): BusyBox forks
   * a helper that sends the delayed KILL when FEATURE_KILL_DELAY is not 0.
   */
  helpers: string[];
  /** sysvinit: the runlevel it entered. */
  runlevel: string | null;
  messages: string[];
  /** What init wrote to its console (sysvinit's "Sending processes … the TERM signal"). */
  console: string;
  ms: number;
}

/** What collect() reads from init's records at the end of a run. */
type Collected = Pick<ReloadRun, "before" | "stopped" | "started" | "after" | "events">;

/** What the harness can look at while the OLD file's processes run (for the live-process tests). */
export interface SteadyView {
  /** The run's root as the host sees it (/proc/PID/root). */
  root: string;
  /** init's pid on the host. */
  initPid: number;
  /** The children of init, read with src/system (all of them, not only the marked ones). */
  children: ProcessInfo[];
}

export interface ReloadOptions {
  /** The static BusyBox that runs as /bin/sleep. */
  sleep: string;
  /** sysvinit: the request's sleeptime, seconds between TERM and KILL. */
  sleeptime?: number;
  /** Called once, with the OLD file's processes running, before NEW is installed. */
  onSteady?: (view: SteadyView) => void | Promise<void>;
  /**
   * Marked processes to stop (SIGSTOP) before the re-read: TERM stays pending on them, so only
   * a KILL ends them. They are processes of this run's namespace, never anything else.
   */
  freeze?: (argv: readonly string[]) => boolean;
  /** Wait at least this long after init took the re-read (a grace period to sit out). */
  minAfterAckMs?: number;
  timeoutMs?: number;
}

/** A marked process: argv[0] /bin/sleep, as every entry of the re-read tests runs. */
const isMarked = (p: ProcessInfo): boolean => p.argv[0] === "/bin/sleep";
/** `wait` and `sysinit` entries sleep a fraction of a second (0.2…); the others for months. */
const isShortLived = (p: ProcessInfo): boolean => isMarked(p) && (p.argv[1] ?? "").startsWith("0.");

/**
 * How long nothing may change before a state counts as settled, and the least time to wait
 * after init took the re-read: BusyBox's main loop sleeps a second before it starts respawn
 * lines again; sysvinit starts them as soon as it has stopped what it stops.
 */
const QUIET = { sysvinit: { quietMs: 500, afterAckMs: 300 }, busybox: { quietMs: 700, afterAckMs: 1300 } } as const;

export async function runReload(
  tools: Toolchain,
  binary: ReadyBinary,
  oldText: string,
  newText: string,
  options: ReloadOptions,
): Promise<ReloadRun> {
  const began = Date.now();
  const quiet = QUIET[binary.kind];
  const ack = binary.kind === "sysvinit" ? "Re-reading inittab" : "reloading /etc/inittab";
  let phase: "boot" | "reload" = "boot";
  // Counted from the first look, not from the boot: init may not have started anything yet.
  let lastSignature: string | undefined;
  let changedAt = 0;
  let before: ProcessInfo[] = [];
  let after: ProcessInfo[] = [];
  let messagesAtReload = 0;
  let wtmpAtReload = 0;
  let ackAt: number | undefined;
  const goneAfterMs = new Map<number, number>();
  const helpers = new Map<number, string>();
  let result: Collected | undefined;

  const settled = async (root: string, control: InitControl): Promise<boolean> => {
    const now = Date.now();
    const children = readInitChildren({ initPid: control.pid });
    const marked = children.filter(isMarked);
    const signature = marked.map((p) => p.pid).join(",");
    if (signature !== lastSignature) {
      lastSignature = signature;
      changedAt = now;
    }
    const still = now - changedAt >= quiet.quietMs && !marked.some(isShortLived);
    if (phase === "boot") {
      if (!still) return false;
      before = marked;
      await options.onSteady?.({ root, initPid: control.pid, children });
      for (const p of marked) if (options.freeze?.(p.argv)) await freeze(binary, p.pid);
      messagesAtReload = control.messages().length;
      wtmpAtReload = (await fs.stat(path.join(root, "var/log/wtmp")).catch(() => ({ size: 0 }))).size;
      await install(root, newText);
      await askToReread(binary, root, control, options.sleeptime ?? 1);
      phase = "reload";
      changedAt = Date.now();
      return false;
    }
    for (const c of children) {
      if (!isMarked(c) && !c.argv.some((a) => a.endsWith("nsinit.py"))) helpers.set(c.pid, c.argv.join(" "));
    }
    if (ackAt === undefined) {
      if (
        control
          .messages()
          .slice(messagesAtReload)
          .some((m) => m === ack)
      )
        ackAt = now;
      return false;
    }
    const alive = new Set(marked.map((p) => p.pid));
    for (const p of before) if (!alive.has(p.pid) && !goneAfterMs.has(p.pid)) goneAfterMs.set(p.pid, now - ackAt);
    if (now - ackAt < Math.max(quiet.afterAckMs, options.minAfterAckMs ?? 0) || !still) return false;
    after = marked;
    const texts = `${oldText}${newText}`;
    result = await collect(binary, root, control, before, after, messagesAtReload, wtmpAtReload, texts);
    return true;
  };

  const run = await runInit(tools, binary, Buffer.from(oldText, "latin1"), {
    programs: { sleep: options.sleep },
    runtime: true,
    settled,
    timeoutMs: options.timeoutMs ?? 60_000,
  });
  if (!result) throw new HarnessError(`${binary.id}: the re-read run ended without a result`);
  return {
    binary,
    ...result,
    goneAfterMs,
    helpers: [...helpers.values()],
    runlevel: run.runlevel,
    messages: run.messages,
    console: run.console,
    ms: Date.now() - began,
  };
}

/**
 * SIGSTOP a marked process and wait until it is stopped: a TERM that arrived while the STOP was
 * still pending would be taken first (lower signal number) and end it.
 */
async function freeze(binary: ReadyBinary, pid: number): Promise<void> {
  process.kill(pid, "SIGSTOP");
  for (let i = 0; i < 200; i++) {
    const stat = await fs.readFile(`/proc/${pid}/stat`, "latin1").catch(() => "");
    if (stat.slice(stat.lastIndexOf(")") + 2).startsWith("T")) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new HarnessError(`${binary.id}: process ${pid} did not stop`);
}

/** Replace the run's /etc/inittab whole (a rename, as an editor's save or the safe writer does). */
async function install(root: string, text: string): Promise<void> {
  const tmp = path.join(root, "etc", "inittab.new");
  await fs.writeFile(tmp, Buffer.from(text, "latin1"));
  await fs.rename(tmp, path.join(root, "etc", "inittab"));
}

async function askToReread(binary: ReadyBinary, root: string, control: InitControl, sleeptime: number): Promise<void> {
  if (binary.kind === "busybox") {
    control.hangup();
    return;
  }
  // init makes its FIFO the first time its main loop listens; it has by now, as processes run.
  const fifo = path.join(root, "run", "initctl");
  const dialect = dialectByName(binary.dialect)!;
  const request = encodeRequest({ command: "RUNLVL", runlevel: "q", sleeptime }, { dialect });
  for (let tries = 0; ; tries++) {
    try {
      await sendRequest(request, { fifo });
      return;
    } catch (err) {
      if (tries >= 100) throw new HarnessError(`${binary.id}: could not send q to ${fifo}: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/** Who each process is, from init's own records: wtmp (sysvinit) or its log (BusyBox). */
async function collect(
  binary: ReadyBinary,
  root: string,
  control: InitControl,
  before: ProcessInfo[],
  after: ProcessInfo[],
  messagesAtReload: number,
  wtmpAtReload: number,
  texts: string,
): Promise<Collected> {
  const starts: Array<{ nsPid: number; key: string; late: boolean }> = [];
  const events: ReloadRun["events"] = [];
  if (binary.kind === "sysvinit") {
    const wtmp = new Uint8Array(await fs.readFile(path.join(root, "var/log/wtmp")));
    const records = parseUtmp(wtmp);
    records.forEach((r, i) => {
      const late = i * 384 >= wtmpAtReload;
      if (r.type === UTMP_TYPES.INIT_PROCESS) starts.push({ nsPid: r.pid, key: r.id, late });
      if (late && (r.type === UTMP_TYPES.INIT_PROCESS || r.type === UTMP_TYPES.DEAD_PROCESS)) {
        events.push({ kind: r.type === UTMP_TYPES.INIT_PROCESS ? "start" : "exit", key: r.id });
      }
    });
  } else {
    control.messages().forEach((m, i) => {
      const s = /^starting pid (\d+), tty '([^']*)': '(.*)'$/s.exec(m);
      if (s) starts.push({ nsPid: Number(s[1]), key: `${s[2]}\0${s[3]}`, late: i >= messagesAtReload });
    });
  }
  const keyOf = (p: ProcessInfo): string => {
    // The last start of that pid names it (pids are not reused within one short run).
    const found = [...starts].reverse().find((s) => s.nsPid === p.nsPid);
    if (found) return found.key;
    // sysvinit writes no record for a `+` entry: its command (each runs its own) names it.
    const line =
      binary.kind === "sysvinit" ? texts.split("\n").find((l) => l.endsWith(`:+${p.argv.join(" ")}`)) : undefined;
    if (line) return line.slice(0, line.indexOf(":"));
    throw new HarnessError(`${binary.id}: no start record for pid ${p.nsPid} (${p.argv.join(" ")})`);
  };
  const seen = (p: ProcessInfo): Seen => ({ pid: p.pid, nsPid: p.nsPid, key: keyOf(p) });
  const afterPids = new Set(after.map((p) => p.pid));
  return {
    before: before.map(seen),
    stopped: before.filter((p) => !afterPids.has(p.pid)).map(seen),
    started: starts.filter((s) => s.late).map((s) => ({ pid: 0, nsPid: s.nsPid, key: s.key })),
    after: after.map(seen),
    events,
  };
}
