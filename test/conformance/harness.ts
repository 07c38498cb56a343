/**
 * The conformance harness: boots a real init (Debian's sysvinit 3.06 or BusyBox 1.35) on one
 * inittab, as PID 1 of fresh pid and mount namespaces, and reports what it did with the file:
 * the lines it logged as bad and skipped, the runlevel it entered, or that it prompted
 * "Enter runlevel:" on the console.
 *
 * How a run is contained (see nsinit.py for the inside):
 *  - `setpriv --pdeathsig KILL unshare --pid --fork --mount --kill-child`: if this Node process
 *    dies, unshare is killed, which kills init (PID 1 of the namespace), which tears down every
 *    process and mount in it. Nothing outlives the namespace.
 *  - init is chrooted into a tmpfs that exists only in the private mount namespace; it holds
 *    the file under test as /etc/inittab, /dev/console (a bind of a plain file in our work dir),
 *    /dev/log (a datagram socket our listener reads) and, read-only, the init binary and the
 *    libraries `ldd` lists. No shell and no program exists there, so no entry can run anything;
 *    init runs without capabilities. The host's /etc is never read or written.
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

const run = promisify(execFile);

export type InitKind = "sysvinit" | "busybox";
export const INIT_KINDS: readonly InitKind[] = ["sysvinit", "busybox"];

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** Downloaded packages and the per-init template roots (git-ignored). */
export const CACHE_DIR = path.join(HERE, ".cache");
const NSINIT = path.join(HERE, "nsinit.py");

/** A line init logged as bad (it skips the line). `message` is a binary string (latin1). */
export interface Rejection {
  /** The line number as init prints it (its own count: fgets chunks, BusyBox physical lines). */
  initLine: number;
  /** The message without syslog's header, e.g. `/etc/inittab[3]: duplicate ID field "ab"`. */
  message: string;
}

export interface InitRun {
  kind: InitKind;
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

export interface Toolchain {
  python: string;
  /** Template roots: TEMPLATE/init plus its libraries, per init. */
  templates: Record<InitKind, string>;
  /** Versions actually run, e.g. `sysvinit-core 3.06-4`, `BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1)`. */
  versions: Record<InitKind, string>;
}

/**
 * Whether the harness can run here. `installable` failures (a missing package, a failed
 * download) are fixed by installing something, so CI must not skip over them; the others (not
 * root, no namespaces) are what the machine is.
 */
export type Availability = { ok: true; tools: Toolchain } | { ok: false; reason: string; installable: boolean };

async function which(cmd: string): Promise<string | undefined> {
  for (const dir of (process.env["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
    const p = path.join(dir, cmd);
    if (existsSync(p)) return p;
  }
  return undefined;
}

/** Fetch Debian's sysvinit-core (apt-get download + dpkg -x) into the cache, once. */
async function sysvinitPackage(): Promise<{ dir: string; version: string }> {
  const dir = path.join(CACHE_DIR, "sysvinit-core");
  const stamp = path.join(dir, "VERSION");
  if (existsSync(path.join(dir, "sbin", "init")) && existsSync(stamp)) {
    return { dir, version: (await fs.readFile(stamp, "utf8")).trim() };
  }
  await fs.mkdir(CACHE_DIR, { recursive: true });
  // Download and unpack into a private directory, then rename: two test files may do this at
  // the same time, and neither may see a half-unpacked tree.
  const tmp = await fs.mkdtemp(path.join(CACHE_DIR, "dl-"));
  try {
    await run("apt-get", ["download", "sysvinit-core"], { cwd: tmp, timeout: 120_000 });
    const deb = (await fs.readdir(tmp)).find((n) => n.endsWith(".deb"));
    if (!deb) throw new Error("apt-get download sysvinit-core gave no .deb");
    const unpacked = path.join(tmp, "root");
    await run("dpkg", ["-x", path.join(tmp, deb), unpacked]);
    const version = /^sysvinit-core_([^_]+)_/.exec(deb)?.[1]?.replace(/%3a/gi, ":") ?? "unknown";
    await fs.writeFile(path.join(unpacked, "VERSION"), `sysvinit-core ${version}\n`);
    await fs.rename(unpacked, dir).catch(async (e: NodeJS.ErrnoException) => {
      if (e.code !== "ENOTEMPTY" && e.code !== "EEXIST") throw e;
    });
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
  return { dir, version: (await fs.readFile(stamp, "utf8")).trim() };
}

/** The libraries `ldd` says a binary loads (absolute paths, the loader included). */
async function sharedLibraries(binary: string): Promise<string[]> {
  const { stdout } = await run("ldd", [binary]).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? "" }));
  if (/not a dynamic executable/.test(stdout)) return [];
  const libs: string[] = [];
  for (const line of stdout.split("\n")) {
    const m = /=>\s*(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
    if (m) libs.push(m[1]!);
  }
  return libs;
}

/**
 * A template root for one init: TEMPLATE/init and TEMPLATE/<lib path> for every library, each a
 * copy. It is bound read-only into every scratch root, and test files run in parallel
 * processes, so a template is never changed or removed once made: its name is the hash of
 * what it holds, and whoever finishes building it first wins.
 */
async function buildTemplate(name: InitKind, binary: string): Promise<string> {
  const files = [{ from: binary, to: "init" }];
  for (const lib of await sharedLibraries(binary)) files.push({ from: await fs.realpath(lib), to: lib.replace(/^\/+/, "") });
  const hash = createHash("sha256");
  for (const f of files) hash.update(`${f.to}\0`).update(await fs.readFile(f.from));
  const dir = path.join(CACHE_DIR, "templates", `${name}-${hash.digest("hex").slice(0, 16)}`);
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
  if (!existsSync(path.join(dir, "init"))) throw new Error(`could not build the ${name} template in ${dir}`);
  return dir;
}

let prepared: Promise<Availability> | undefined;

/**
 * Check that this machine can run the harness and get both binaries. Never throws: a machine
 * that cannot (not root, no namespaces, no python3, no package) gets a one-line reason.
 */
export function prepare(): Promise<Availability> {
  return (prepared ??= prepareOnce());
}

async function prepareOnce(): Promise<Availability> {
  if (process.platform !== "linux") return { ok: false, reason: "not Linux", installable: false };
  if (process.getuid?.() !== 0) return { ok: false, reason: "not root (the harness needs namespaces and chroot)", installable: false };
  for (const cmd of ["unshare", "setpriv", "ldd"]) {
    if (!(await which(cmd))) return { ok: false, reason: `${cmd} not found (util-linux / libc-bin)`, installable: true };
  }
  // Debian's interpreter first: a user-level python shim may not be there in CI.
  const python = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : await which("python3");
  if (!python) return { ok: false, reason: "python3 not found (apt-get install python3)", installable: true };
  try {
    // nsinit.py needs ctypes and resource, which python3-minimal alone does not have.
    await run(python, ["-I", "-S", "-c", "import ctypes, resource, select, socket"], { timeout: 10_000 });
  } catch (e) {
    return { ok: false, reason: `python3 lacks its standard library (apt-get install python3): ${firstLine(e)}`, installable: true };
  }
  try {
    await run("unshare", ["--pid", "--fork", "--mount", "true"], { timeout: 10_000 });
  } catch (e) {
    return { ok: false, reason: `namespaces not permitted here: ${firstLine(e)}`, installable: false };
  }
  const busybox = existsSync("/bin/busybox") ? "/bin/busybox" : await which("busybox");
  if (!busybox) return { ok: false, reason: "busybox not found (apt-get install busybox)", installable: true };
  let sysv: { dir: string; version: string };
  try {
    sysv = await sysvinitPackage();
  } catch (e) {
    return { ok: false, reason: `cannot fetch sysvinit-core with apt-get download: ${firstLine(e)}`, installable: true };
  }
  const bbVersion = await run(busybox, []).then(
    (r) => r.stdout.split("\n")[0] ?? "",
    (e: { stdout?: string }) => (e.stdout ?? "").split("\n")[0] ?? "",
  );
  let templates: Record<InitKind, string>;
  try {
    templates = {
      sysvinit: await buildTemplate("sysvinit", path.join(sysv.dir, "sbin", "init")),
      busybox: await buildTemplate("busybox", busybox),
    };
  } catch (e) {
    return { ok: false, reason: `cannot build the scratch-root templates: ${firstLine(e)}`, installable: true };
  }
  return {
    ok: true,
    tools: { python, templates, versions: { sysvinit: sysv.version, busybox: bbVersion.trim() } },
  };
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
  /** Told the host's view of the run: its work directory and init's pid (for the harness's own tests). */
  onStart?: (info: { work: string }) => void;
  onInit?: (info: { pid: number }) => void;
}

/**
 * Boot `kind`'s init on `inittab` (exact bytes) and report what it did with it. Throws a
 * HarnessError when the run could not be observed (a broken harness must never look like
 * "init accepted everything").
 */
export async function runInit(tools: Toolchain, kind: InitKind, inittab: Uint8Array, options: RunOptions = {}): Promise<InitRun> {
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
    return await boot(tools, kind, work, timeoutMs, began, options);
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

async function boot(
  tools: Toolchain, kind: InitKind, work: string, timeoutMs: number, began: number, options: RunOptions,
): Promise<InitRun> {
  const child = spawn(
    "setpriv",
    [
      "--pdeathsig", "KILL",
      "unshare", "--pid", "--fork", "--mount", "--kill-child", "--propagation", "private",
      tools.python, "-I", "-S", NSINIT, work, tools.templates[kind],
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
  const readConsole = async (): Promise<string> => (await fs.readFile(consolePath).catch(() => Buffer.alloc(0))).toString("latin1");

  let initPid: number | undefined;
  let outcome: { runlevel: string | null; prompted: boolean } | undefined;
  const deadline = began + timeoutMs;
  try {
    while (!outcome) {
      if (exited) throw new HarnessError(`${kind}: the namespace ended before init decided (${stderr.trim() || "no output"})`);
      if (Date.now() > deadline) throw new HarnessError(`${kind}: init did not decide within ${timeoutMs} ms`);
      if (initPid === undefined && child.pid !== undefined) {
        const [pid] = await childPids(child.pid);
        if (pid !== undefined && (await procStatus(pid))?.name === "init") {
          initPid = pid;
          options.onInit?.({ pid });
        }
      }
      if (kind === "sysvinit") {
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
    // Let the listener drain what init queued before we stop it, then stop it.
    child.stdin.end();
    const drainBy = Date.now() + 3000;
    while (!ended && !exited && Date.now() < drainBy) await sleep(5);
    if (!ended) throw new HarnessError(`${kind}: the log listener did not drain (${stderr.trim() || "no output"})`);
  } catch (e) {
    if (e instanceof HarnessError) {
      e.messages = [...messages];
      e.console = await readConsole();
      // nsinit.py reports its own failures after the exec setup on the console.
      const tail = e.console.replace(/[^\x20-\x7e]+/g, " ").trim().slice(-300);
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
  if (!exited) throw new HarnessError(`${kind}: unshare did not exit within 5 s of SIGKILL`);
  const consoleText = await readConsole();
  const initdefaultMessage = messages.find((m) => /^Initdefault level '.*' is invalid$/s.test(m));
  return {
    kind,
    rejected: rejectionsFrom(messages),
    runlevel: outcome.runlevel,
    prompted: outcome.prompted,
    ...(initdefaultMessage ? { initdefaultMessage } : {}),
    messages,
    console: consoleText,
    ms: Date.now() - began,
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Run tasks with at most `limit` at a time, results in input order. */
export async function pool<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
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
