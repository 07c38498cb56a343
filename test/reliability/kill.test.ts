/**
 * Writers killed at random moments (docs/reliability.md):
 *
 *  - 100 SIGKILLs a run: the file (and its backup) is always a whole version, old or new; what
 *    the dead writer left belongs to it; the next edit is never blocked (it takes the dead
 *    writer's lock at once) and removes that debris;
 *  - 60 SIGINT, SIGTERM and SIGHUP a run: the writer dies of the signal, the file is a whole
 *    version, and nothing of the writer's (temporary, pid file, lock) is left at all.
 *
 * Each writer rewrites the file in a loop, alternating versions of 20 to 50 KB with a backup, so
 * that a kill lands in every step of a write. Trials run in four directories at once.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { safeWriteFile } from "../../src/write/index.js";
import { buildTree, removeTempDirs, strays, tempDir } from "../write/support.js";

/** Every writer started; a failing trial must not leave one looping after the suite. */
const started = new Set<ChildProcess>();
afterAll(() => {
  for (const c of started) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  removeTempDirs();
});

const KILLS = 100;
const SIGNALS_EACH = 20;
const WORKERS = 4;

/** A file of about `size` bytes of plausible inittab lines. */
function inittabOfSize(size: number, tag: string): Buffer {
  const lines: string[] = ["id:3:initdefault:"];
  for (let i = 0; lines.join("\n").length < size - 60; i++)
    lines.push(`${tag}${i % 1000}:2345:respawn:/sbin/getty 38400 tty${i}`);
  return Buffer.from(`${lines.join("\n")}\n`);
}

const V0 = inittabOfSize(30_000, "o");
const VA = inittabOfSize(50_000, "a");
const VB = inittabOfSize(20_000, "b");
const VERSIONS = [V0, VA, VB];

/** Start a writer looping over versions a and b; resolves once it writes, with its exit. */
async function writer(
  file: string,
  shared: string,
): Promise<{
  pid: number;
  kill: (s: NodeJS.Signals) => void;
  exit: Promise<NodeJS.Signals | null>;
  stderr: () => string;
}> {
  const script = `
    import { readFileSync } from "node:fs";
    import { safeWriteFile } from ${JSON.stringify(join(buildTree(), "src/write/index.js"))};
    const [file, a, b] = process.argv.slice(1);
    const data = [readFileSync(a), readFileSync(b)];
    process.stdout.write("ready\\n");
    for (let i = 0; ; i++) await safeWriteFile(file, data[i % 2], { backup: ".bak", lockTimeoutMs: 10000 });`;
  const child = spawn(
    process.execPath,
    ["--input-type=module", "-e", script, file, join(shared, "a"), join(shared, "b")],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  started.add(child);
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<NodeJS.Signals | null>((r) => child.once("exit", (_code, signal) => r(signal)));
  await Promise.race([new Promise<void>((resolve) => child.stdout.once("data", () => resolve())), exit]);
  return { pid: child.pid!, kill: (s) => child.kill(s), exit, stderr: () => stderr };
}

function sharedVersions(): string {
  const shared = tempDir("inittab-kill-data-");
  writeFileSync(join(shared, "a"), VA);
  writeFileSync(join(shared, "b"), VB);
  return shared;
}

function expectWhole(dir: string, file: string, what: string): void {
  const now = readFileSync(file);
  expect(
    VERSIONS.some((v) => v.equals(now)),
    `${what}: inittab is not a whole version`,
  ).toBe(true);
  if (readdirSync(dir).includes("inittab.bak")) {
    const bak = readFileSync(join(dir, "inittab.bak"));
    expect(
      VERSIONS.some((v) => v.equals(bak)),
      `${what}: the backup is not a whole version`,
    ).toBe(true);
  }
}

describe("writers killed at random moments", () => {
  it(`${KILLS} SIGKILLs: always a whole version; the next edit is never blocked and cleans up`, async () => {
    buildTree();
    const shared = sharedVersions();
    let trials = 0;
    let leftovers = 0;
    const worker = async (): Promise<void> => {
      const dir = tempDir("inittab-kill-");
      const file = join(dir, "inittab");
      writeFileSync(file, V0);
      for (let t = 0; t < KILLS / WORKERS; t++) {
        const w = await writer(file, shared);
        await new Promise((r) => setTimeout(r, Math.random() * 25));
        w.kill("SIGKILL");
        // Only our SIGKILL may end it: a writer that stopped by itself failed.
        expect(await w.exit, `writer failed: ${w.stderr()}`).toBe("SIGKILL");
        trials++;
        expectWhole(dir, file, `trial ${t}`);
        // Anything else is the dead writer's: its pid in the name, or the lock it held.
        const extra = strays(dir, ["inittab", "inittab.bak"]);
        if (extra.length > 0) leftovers++;
        for (const n of extra) {
          const owner = /^\.inittab\.(\d+)\./.exec(n);
          expect(n === "inittab.lock" || n === "inittab.lock.break" || Number(owner?.[1]) === w.pid, n).toBe(true);
        }
        // The next edit takes over at once and sweeps.
        await safeWriteFile(file, VERSIONS[t % 3]!, { backup: ".bak", lockTimeoutMs: 2000 });
        expect(strays(dir, ["inittab", "inittab.bak"]), `trial ${t}: after the next edit`).toEqual([]);
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, worker));
    expect(trials).toBe(KILLS);
    // The kills did land inside writes (a lock or temporary was left behind) in many trials.
    expect(leftovers).toBeGreaterThan(KILLS / 10);
  }, 180_000);

  it(`${SIGNALS_EACH * 3} SIGINT, SIGTERM and SIGHUP: the writer dies of it, a whole version, nothing left`, async () => {
    buildTree();
    const shared = sharedVersions();
    let trials = 0;
    const worker = async (signal: NodeJS.Signals): Promise<void> => {
      const dir = tempDir("inittab-signal-");
      const file = join(dir, "inittab");
      writeFileSync(file, V0);
      for (let t = 0; t < SIGNALS_EACH; t++) {
        const w = await writer(file, shared);
        await new Promise((r) => setTimeout(r, Math.random() * 25));
        w.kill(signal);
        expect(await w.exit, `${signal}, trial ${t}: ${w.stderr()}`).toBe(signal);
        trials++;
        expectWhole(dir, file, `${signal}, trial ${t}`);
        expect(strays(dir, ["inittab", "inittab.bak"]), `${signal}, trial ${t}`).toEqual([]);
      }
    };
    await Promise.all((["SIGINT", "SIGTERM", "SIGHUP"] as const).map(worker));
    expect(trials).toBe(SIGNALS_EACH * 3);
  }, 180_000);
});
