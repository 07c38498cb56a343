/**
 * The conformance harness: boots a real init (Debian's sysvinit 3.06 and 3.14, BusyBox 1.35 and
 * 1.37; see INIT_BINARIES) on one inittab, as PID 1 of fresh pid and mount namespaces, and
 * reports what it did with the file: the lines it logged as bad and skipped, the runlevel it
 * entered, or that it prompted "Enter runlevel:" on the console.
 *
 * How a run is contained (see nsinit.py for the inside):
 *  - `setpriv --pdeathsig KILL unshare --pid --fork --mount --kill-child`: if this Node process
 *    dies, unshare is killed, which kills init (PID 1 of the namespace), which tears down every
 *    process and mount in it. Nothing outlives the namespace.
 *  - init is chrooted into a tmpfs that exists only in the private mount namespace; it holds
 *    the file under test as /etc/inittab, /dev/console (a bind of a plain file in our work dir),
 *    /dev/log (a datagram socket our listener reads) and, read-only, the init binary and the
 *    loader and libraries of its own Debian release (debian.ts). No shell and no program exists
 *    there, so no entry can run anything; init runs without capabilities. The host's /etc is never read or written.
 *  - The run is stopped as soon as init has read the file and decided the runlevel: sysvinit
 *    logs "Entering runlevel: N", writes S to /var/run/runlevel (single-user mode logs nothing)
 *    or writes "Enter runlevel:" to the console; BusyBox installs its SIGTSTP handler right
 *    after parse_inittab(), which /proc/PID/status shows (SigCgt).
 */
import { execFile, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { PackageUnavailable, resolveInside, runtimeFiles, unpackRelease } from "./debian.js";

const run = promisify(execFile);

/** The init families; each reads inittab its own way. */
export type InitKind = "sysvinit" | "busybox";

/**
 * How a binary reads the file into the lines it numbers:
 *  - `fgets`: 255-byte reads, a longer physical line split into pieces, each numbered (<= 3.13);
 *  - `fgets-discard`: the same reads, but a read that holds no newline is one line with the
 *    rest of its physical line thrown away (3.14's get_void);
 *  - `getline`: whole physical lines, a backslash joining the next (BusyBox).
 */
export type LineReader = "fgets" | "fgets-discard" | "getline";

/** One real init binary the harness runs: which Debian package of which release, and our model of it. */
export interface InitBinary {
  /** How tests and reports name it: `sysvinit@3.14`. */
  id: string;
  kind: InitKind;
  /** The `--dialect` whose prediction is compared with it. */
  dialect: string;
  reader: LineReader;
  /** Debian release (suite) and package it comes from, and the executable in that package. */
  suite: string;
  package: string;
  file: string;
}

/** The libraries a release's dynamically linked inits load, by package (libselinux pulls pcre2). */
const RUNTIME_PACKAGES = ["libc6", "libselinux1", "libpcre2-8-0"];

/**
 * The four binaries: Debian 12's and Debian 13's sysvinit and BusyBox. Debian 13's sysvinit
 * needs glibc 2.38, so each binary runs on its own release's libraries, never the host's.
 */
export const INIT_BINARIES: readonly InitBinary[] = [
  {
    id: "sysvinit@3.06",
    kind: "sysvinit",
    dialect: "sysvinit@3.06",
    reader: "fgets",
    suite: "bookworm",
    package: "sysvinit-core",
    file: "sbin/init",
  },
  {
    id: "sysvinit@3.14",
    kind: "sysvinit",
    dialect: "sysvinit@3.14",
    reader: "fgets-discard",
    suite: "trixie",
    package: "sysvinit-core",
    file: "sbin/init",
  },
  {
    id: "busybox@1.35",
    kind: "busybox",
    dialect: "busybox",
    reader: "getline",
    suite: "bookworm",
    package: "busybox",
    file: "bin/busybox",
  },
  {
    id: "busybox@1.37",
    kind: "busybox",
    dialect: "busybox",
    reader: "getline",
    suite: "trixie",
    package: "busybox-static",
    file: "bin/busybox",
  },
];

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** Downloaded packages, private apt state and the per-binary template roots (git-ignored). */
export const CACHE_DIR = path.join(HERE, ".cache");
const NSINIT = path.join(HERE, "nsinit.py");

/** A line init logged as bad (it skips the line). `message` is a binary string (latin1). */
export interface Rejection {
  /** The line number as init prints it (its own count: fgets reads, BusyBox physical lines). */
  initLine: number;
  /** The message without syslog's header, e.g. `/etc/inittab[3]: duplicate ID field "ab"`. */
  message: string;
}

export interface InitRun {
  binary: InitBinary;
  rejected: Rejection[];
  /** sysvinit: the runlevel it entered after boot; null when it prompted (and for BusyBox). */
  runlevel: string | null;
  /** sysvinit wrote "Enter runlevel:" to the console. */
  prompted: boolean;
  /** sysvinit: `Initdefault level 'x' is invalid`, when logged. */
  initdefaultMessage?: string;
  /** Every syslog message, in order (binary strings, header removed). */
  messages: string[];
  /** The console file's final content (binary string). */
  console: string;
  /** Wall time of the run, ms. */
  ms: number;
}

/** A binary ready to run: its template root (init plus its release's libraries) and its package version. */
export interface ReadyBinary extends InitBinary {
  template: string;
  /** The package actually run, e.g. `sysvinit-core 3.14-4`. */
  version: string;
}

/** A binary that cannot run here, and whether installing or fetching something would fix it. */
export interface MissingBinary {
  binary: InitBinary;
  reason: string;
  installable: boolean;
}

export interface Toolchain {
  python: string;
  /** The binaries that run here, in INIT_BINARIES order. */
  binaries: ReadyBinary[];
  missing: MissingBinary[];
}

/**
 * Whether the harness can run here at all. `installable` failures (a missing package) are fixed
 * by installing something, so CI must not skip over them; the others (not root, no namespaces)
 * are what the machine is.
 */
export type Availability = { ok: true; tools: Toolchain } | { ok: false; reason: string; installable: boolean };

async function which(cmd: string): Promise<string | undefined> {
  for (const dir of (process.env["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
    const p = path.join(dir, cmd);
    if (existsSync(p)) return p;
  }
  return undefined;
}

/**
 * A template root for one binary: TEMPLATE/init and, at the paths its loader looks in, the
 * loader and libraries of its own release, each a copy. It is bound read-only into every
 * scratch root, and test files run in parallel processes, so a template is never changed or
 * removed once made: its name is the hash of what it holds, and whoever finishes first wins.
 */
async function buildTemplate(binary: InitBinary, root: string): Promise<string> {
  const executable = await resolveInside(root, path.join(root, binary.file));
  const files = [{ from: executable, to: "init" }, ...(await runtimeFiles(root, executable))];
  const hash = createHash("sha256");
  for (const f of files) hash.update(`${f.to}\0`).update(await fs.readFile(f.from));
  const dir = path.join(CACHE_DIR, "templates", `${binary.id}-${hash.digest("hex").slice(0, 16)}`);
  if (existsSync(path.join(dir, "init"))) return dir;
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  for (const f of files) {
    const target = path.join(tmp, f.to);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.copyFile(f.from, target);
  }
  await fs.chmod(path.join(tmp, "init"), 0o755);
  await fs.rename(tmp, dir).catch(async () => {
    // Another test file built the same template at the same moment; theirs is identical.
    await fs.rm(tmp, { recursive: true, force: true });
  });
  if (!existsSync(path.join(dir, "init"))) throw new Error(`could not build the ${binary.id} template in ${dir}`);
  return dir;
}

/** Fetch a binary's release (once per release) and build its template. */
async function readyBinary(binary: InitBinary): Promise<ReadyBinary | MissingBinary> {
  const packages = [...new Set(INIT_BINARIES.filter((b) => b.suite === binary.suite).map((b) => b.package))];
  try {
    const release = await unpackRelease(CACHE_DIR, binary.suite, [...packages, ...RUNTIME_PACKAGES]);
    const template = await buildTemplate(binary, release.root);
    return { ...binary, template, version: `${binary.package} ${release.versions[binary.package]}` };
  } catch (e) {
    const installable = e instanceof PackageUnavailable ? e.installable : true;
    return { binary, reason: `${binary.package} from Debian ${binary.suite}: ${firstLine(e)}`, installable };
  }
}

let prepared: Promise<Availability> | undefined;

/**
 * Check that this machine can run the harness, and get the binaries. Never throws: a machine
 * that cannot (not root, no namespaces, no python3) gets a one-line reason, and so does each
 * binary whose packages cannot be had.
 */
export function prepare(): Promise<Availability> {
  return (prepared ??= prepareOnce());
}

async function prepareOnce(): Promise<Availability> {
  if (process.platform !== "linux") return { ok: false, reason: "not Linux", installable: false };
  if (process.getuid?.() !== 0)
    return { ok: false, reason: "not root (the harness needs namespaces and chroot)", installable: false };
  for (const cmd of ["unshare", "setpriv", "flock", "apt-get", "dpkg-deb"]) {
    if (!(await which(cmd))) {
      return { ok: false, reason: `${cmd} not found (util-linux / apt / dpkg)`, installable: true };
    }
  }
  // Debian's interpreter first: a user-level python shim may not be there in CI.
  const python = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : await which("python3");
  if (!python) return { ok: false, reason: "python3 not found (apt-get install python3)", installable: true };
  try {
    // nsinit.py needs ctypes and resource, which python3-minimal alone does not have.
    await run(python, ["-I", "-S", "-c", "import ctypes, resource, select, socket"], { timeout: 10_000 });
  } catch (e) {
    return {
      ok: false,
      reason: `python3 lacks its standard library (apt-get install python3): ${firstLine(e)}`,
      installable: true,
    };
  }
  try {
    await run("unshare", ["--pid", "--fork", "--mount", "true"], { timeout: 10_000 });
  } catch (e) {
    return { ok: false, reason: `namespaces not permitted here: ${firstLine(e)}`, installable: false };
  }
  // The releases are fetched one after the other (each holds its private apt lock while it
  // downloads); the binaries of a release share its unpacked tree.
  const binaries: ReadyBinary[] = [];
  const missing: MissingBinary[] = [];
  for (const binary of INIT_BINARIES) {
    const ready = await readyBinary(binary);
    if ("template" in ready) binaries.push(ready);
    else missing.push(ready);
  }
  return { ok: true, tools: { python, binaries, missing } };
}

function firstLine(e: unknown): string {
  const err = e as { stderr?: string; message?: string };
  return ((err.stderr || err.message || String(e)).trim().split("\n")[0] ?? "").slice(0, 200);
}

/** `<30>Nov 29 19:44:38 init: message` → `message` (the ident is init's, or empty after vfork). */
export function stripSyslogHeader(datagram: string): string {
  const m = /^<\d+>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d [^:\s]*(?:\[\d+\])?: ?/.exec(datagram);
  return m ? datagram.slice(m[0].length) : datagram;
}

/** The lines init rejected, from its log messages. */
export function rejectionsFrom(messages: readonly string[]): Rejection[] {
  const out: Rejection[] = [];
  for (const message of messages) {
    // sysvinit: `/etc/inittab[N]: why` (all field errors, unknown action, duplicate id) and,
    // from 3.14, `Error detected in /etc/inittab at line N. Possibly too long.`
    // BusyBox: `Bad inittab entry at line N`.
    const m =
      /^\/etc\/inittab\[(\d+)\]: /.exec(message) ??
      /^Error detected in \/etc\/inittab at line (\d+)\b/.exec(message) ??
      /^Bad inittab entry at line (\d+)$/.exec(message);
    if (m) out.push({ initLine: Number(m[1]), message });
  }
  return out;
}

/** SigCgt bit of SIGTSTP (bit = signal number - 1). */
const SIGTSTP_BIT = 1n << 19n;

async function childPids(pid: number): Promise<number[]> {
  try {
    const text = await fs.readFile(`/proc/${pid}/task/${pid}/children`, "utf8");
    return text.trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

async function procStatus(pid: number): Promise<{ name: string; sigcgt: bigint } | undefined> {
  try {
    const text = await fs.readFile(`/proc/${pid}/status`, "utf8");
    const name = /^Name:\s*(.*)$/m.exec(text)?.[1] ?? "";
    const sigcgt = BigInt(`0x${/^SigCgt:\s*([0-9a-f]+)$/m.exec(text)?.[1] ?? "0"}`);
    return { name, sigcgt };
  } catch {
    return undefined;
  }
}

/** The run could not be observed; carries what was seen, for the report. */
export class HarnessError extends Error {
  messages: string[] = [];
  console = "";
}

export interface RunOptions {
  /** Give up (and throw) when init has not decided by then. */
  timeoutMs?: number;
  /**
   * A static shell to bind as /bin/sh, for the harness's own test of how init hands commands to
   * the shell; never used on files under test, whose commands must not run.
   */
  shell?: string;
  /**
   * Static programs to bind read-only as /bin/NAME, for the harness's own lines (the re-read
   * tests' /bin/sleep); never used on files under test.
   */
  programs?: Readonly<Record<string, string>>;
  /** Give the scratch root /run, an empty /var/log/wtmp and /dev/tty1-4 (the re-read tests). */
  runtime?: boolean;
  /**
   * Asked, with the scratch root's path as the host sees it, once init has decided; the run
   * stops when it answers true (or at the time-out): to wait for what init's children do.
   * `control` names init's pid (as the host sees it) and sends it SIGHUP from inside the
   * namespace, where PID 1 can only be this run's init.
   */
  settled?: (root: string, control: InitControl) => Promise<boolean>;
  /** Told the host's view of the run: its work directory and init's pid (for the harness's own tests). */
  onStart?: (info: { work: string }) => void;
  onInit?: (info: { pid: number }) => void;
}

/** What a `settled` callback may do with the running init. */
export interface InitControl {
  /** init's pid in the host's pid namespace. */
  pid: number;
  /** Send SIGHUP to init (PID 1 of the run's namespace). */
  hangup(): void;
  /** The syslog messages init has logged so far (binary strings, header removed). */
  messages(): readonly string[];
}

/**
 * Boot `binary` on `inittab` (exact bytes) and report what it did with it. Throws a
 * HarnessError when the run could not be observed (a broken harness must never look like
 * "init accepted everything").
 */
export async function runInit(
  tools: Toolchain,
  binary: ReadyBinary,
  inittab: Uint8Array,
  options: RunOptions = {},
): Promise<InitRun> {
  // Usually init decides within a fraction of a second. But an entry that keeps failing in the
  // sysinit or boot phase (e.g. `tty2:#:respawn:…`, whose program does not exist here) holds
  // the boot transition until the respawn limiter disables it after 10 starts, and init's main
  // loop can sleep up to 5 s in select() between two of them (a SIGCHLD that arrives just
  // before it). Seen once in CI at 15 s; leave room for 10 such waits.
  const timeoutMs = options.timeoutMs ?? 60_000;
  const began = Date.now();
  const work = await fs.mkdtemp(path.join(os.tmpdir(), "inittab-conformance-"));
  try {
    await fs.mkdir(path.join(work, "root"));
    await fs.writeFile(path.join(work, "inittab"), inittab);
    await fs.writeFile(path.join(work, "console"), "");
    options.onStart?.({ work });
    return await boot(tools, binary, work, timeoutMs, began, options);
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

async function boot(
  tools: Toolchain,
  binary: ReadyBinary,
  work: string,
  timeoutMs: number,
  began: number,
  options: RunOptions,
): Promise<InitRun> {
  const child = spawn(
    "setpriv",
    [
      "--pdeathsig",
      "KILL",
      "unshare",
      "--pid",
      "--fork",
      "--mount",
      "--kill-child",
      "--propagation",
      "private",
      tools.python,
      "-I",
      "-S",
      NSINIT,
      work,
      binary.template,
      ...programArgs(options),
    ],
    { stdio: ["pipe", "pipe", "pipe"], env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin", LANG: "C" } },
  );
  const messages: string[] = [];
  let stderr = "";
  let ended = false;
  let pending = "";
  let exited = false;
  const exitPromise = new Promise<void>((resolve) => child.on("close", () => ((exited = true), resolve())));
  child.stderr.setEncoding("latin1");
  child.stderr.on("data", (d: string) => (stderr += d));
  child.stdout.setEncoding("latin1");
  child.stdout.on("data", (d: string) => {
    pending += d;
    let nl: number;
    while ((nl = pending.indexOf("\n")) !== -1) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      if (line.startsWith("L ")) messages.push(stripSyslogHeader(Buffer.from(line.slice(2), "hex").toString("latin1")));
      else if (line === "END") ended = true;
    }
  });
  child.stdin.on("error", () => {});
  const consolePath = path.join(work, "console");
  const readConsole = async (): Promise<string> =>
    (await fs.readFile(consolePath).catch(() => Buffer.alloc(0))).toString("latin1");

  let initPid: number | undefined;
  let outcome: { runlevel: string | null; prompted: boolean } | undefined;
  const deadline = began + timeoutMs;
  try {
    while (!outcome) {
      if (exited) {
        const said = stderr.trim() || "no output";
        throw new HarnessError(`${binary.id}: the namespace ended before init decided (${said})`);
      }
      if (Date.now() > deadline) throw new HarnessError(`${binary.id}: init did not decide within ${timeoutMs} ms`);
      if (initPid === undefined && child.pid !== undefined) {
        const [pid] = await childPids(child.pid);
        if (pid !== undefined && (await procStatus(pid))?.name === "init") {
          initPid = pid;
          options.onInit?.({ pid });
        }
      }
      if (binary.kind === "sysvinit") {
        const entering = messages.map((m) => /^Entering runlevel: (.)/.exec(m)).find(Boolean);
        if (entering) outcome = { runlevel: entering[1]!, prompted: false };
        else if ((await readConsole()).includes("Enter runlevel:")) outcome = { runlevel: null, prompted: true };
        else if (initPid !== undefined) {
          // Single-user mode logs no "Entering runlevel"; init (2.91+) writes each runlevel it
          // enters to /var/run/runlevel, which we read through its root.
          const level = await fs.readFile(`/proc/${initPid}/root/var/run/runlevel`, "latin1").catch(() => "");
          if (/^[0-9S]$/.test(level)) outcome = { runlevel: level, prompted: false };
        }
      } else if (initPid !== undefined) {
        // BusyBox 1.35 catches no signal until parse_inittab() has returned; then it installs
        // its SIGTSTP handler (the others stay blocked and are taken with sigtimedwait).
        const st = await procStatus(initPid);
        if (st && st.name === "init" && (st.sigcgt & SIGTSTP_BIT) !== 0n) outcome = { runlevel: null, prompted: false };
      }
      if (!outcome) await sleep(10);
    }
    if (options.settled) {
      // init may decide before the first look at its pid (it was still nsinit.py then).
      while (initPid === undefined && child.pid !== undefined && !exited && Date.now() <= deadline) {
        const [pid] = await childPids(child.pid);
        if (pid !== undefined && (await procStatus(pid))?.name === "init") initPid = pid;
        else await sleep(10);
      }
      if (initPid === undefined) throw new HarnessError(`${binary.id}: init decided before the harness found its pid`);
      const control: InitControl = {
        pid: initPid,
        hangup: () => void child.stdin.write("HUP\n"),
        messages: () => messages,
      };
      while (!(await options.settled(`/proc/${initPid}/root`, control))) {
        if (exited) throw new HarnessError(`${binary.id}: the namespace ended before the run settled`);
        if (Date.now() > deadline) {
          throw new HarnessError(`${binary.id}: the run did not settle within ${timeoutMs} ms`);
        }
        await sleep(10);
      }
    }
    // Let the listener drain what init queued before we stop it, then stop it.
    child.stdin.end();
    const drainBy = Date.now() + 3000;
    while (!ended && !exited && Date.now() < drainBy) await sleep(5);
    if (!ended) {
      throw new HarnessError(`${binary.id}: the log listener did not drain (${stderr.trim() || "no output"})`);
    }
  } catch (e) {
    if (e instanceof HarnessError) {
      e.messages = [...messages];
      e.console = await readConsole();
      // nsinit.py reports its own failures after the exec setup on the console.
      const tail = e.console
        .replace(/[^\x20-\x7e]+/g, " ")
        .trim()
        .slice(-300);
      if (tail) e.message += `; console: ${tail}`;
    }
    throw e;
  } finally {
    // Killing unshare is enough: --kill-child gave init a parent-death SIGKILL, and when PID 1
    // of a pid namespace dies the kernel kills everything in it. We never signal init by pid:
    // once it is reaped, its number could belong to someone else.
    child.kill("SIGKILL");
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exitPromise, new Promise<void>((r) => (timer = setTimeout(r, 5000)))]);
    clearTimeout(timer);
  }
  if (!exited) throw new HarnessError(`${binary.id}: unshare did not exit within 5 s of SIGKILL`);
  const consoleText = await readConsole();
  const initdefaultMessage = messages.find((m) => /^Initdefault level '.*' is invalid$/s.test(m));
  return {
    binary,
    rejected: rejectionsFrom(messages),
    runlevel: outcome.runlevel,
    prompted: outcome.prompted,
    ...(initdefaultMessage ? { initdefaultMessage } : {}),
    messages,
    console: consoleText,
    ms: Date.now() - began,
  };
}

/** nsinit.py's arguments after WORK and TEMPLATE: the programs to bind, and the runtime layout. */
function programArgs(options: RunOptions): string[] {
  const programs = { ...(options.shell ? { sh: options.shell } : {}), ...options.programs };
  const binds = Object.entries(programs).map(([name, file]) => `${name}=${file}`);
  return [...binds, ...(options.runtime ? ["--runtime"] : [])];
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Run tasks with at most `limit` at a time, results in input order. */
export async function pool<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
