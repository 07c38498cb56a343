/**
 * The re-read model against the real binaries: for every hand-written and generated OLD/NEW
 * pair, `planReload` must name exactly the processes each init stopped and the entries it
 * started when it re-read NEW (runtime.ts), and the processes it assumed running before. The
 * live-process reading (src/system) is checked on the same runs: the runlevel from the run's
 * utmp and init's title, and the pids a plan names for its stops.
 *
 * RELOAD_SEED=<n> replays a generated set; RELOAD_GENERATED=<n> changes its size (per init family).
 */
import { promises as fs } from "node:fs";
import os, { availableParallelism } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { dialectByName } from "../../src/dialects/index.js";
import {
  planReload,
  settledProcesses,
  simulateInit,
  ttyPath,
  type PlanEntry,
  type ReloadPlan,
} from "../../src/init/index.js";
import { matchProcesses, parseUtmp, readRunlevel } from "../../src/system/index.js";
import { printfCommand } from "./compare.js";
import { binaries, mustRun, skipReason, tools } from "./gate.js";
import { pool, type ReadyBinary } from "./harness.js";
import { BUSYBOX_PAIRS, generatePairs, SYSVINIT_PAIRS, type ReloadPair } from "./reload-pairs.js";
import { runReload, type ReloadRun, type SteadyView } from "./runtime.js";
import { cli } from "../cli/in-process.js";

/** Runs mostly wait (for init's loop, for processes to settle): many at once keep 2 cores fed. */
const PARALLEL = Math.max(8, availableParallelism() * 6);
const SEED = Number(process.env["RELOAD_SEED"] ?? Math.floor(Math.random() * 2 ** 31));
const GENERATED = Number(process.env["RELOAD_GENERATED"] ?? 60);
/** The request's sleeptime: short, to keep runs fast; it is a ceiling (init polls for the exits). */
const SLEEPTIME = 1;

const marker = binaries.find((b) => b.package === "busybox-static");
const sleepProgram = marker ? path.join(marker.template, "init") : undefined;
const reason = skipReason || (sleepProgram ? "" : "no busybox-static to run as /bin/sleep");

/** An entry as each init keys it: sysvinit by id, BusyBox by terminal and command. */
function keyOf(kind: "sysvinit" | "busybox", e: Pick<PlanEntry, "id" | "process">): string {
  return kind === "sysvinit" ? e.id : `${ttyPath(e.id)}\0${e.process}`;
}

const sorted = (xs: string[]): string[] => [...xs].sort();
const show = (xs: string[]): string => (xs.length === 0 ? "nothing" : xs.map((x) => x.replace("\0", " ")).join(", "));

function predict(
  binary: ReadyBinary,
  pair: ReloadPair,
  runlevel: string | undefined,
): { plan: ReloadPlan; before: string[] } {
  const dialect = dialectByName(binary.dialect)!;
  const old = simulateInit({ source: pair.old, dialect });
  const next = simulateInit({ source: pair.new, dialect });
  const options = binary.kind === "sysvinit" ? { runlevel: runlevel ?? "?", graceSeconds: SLEEPTIME } : {};
  const plan = planReload(old, next, options);
  const before = settledProcesses(old, runlevel ?? undefined).map((s) => keyOf(binary.kind, s.entry));
  return { plan, before };
}

/** Where the binary and the plan differ: what ran before, what was stopped, what was started. */
function differences(run: ReloadRun, pair: ReloadPair): string[] {
  const kind = run.binary.kind;
  const { plan, before } = predict(run.binary, pair, run.runlevel ?? undefined);
  const diffs: string[] = [];
  const compare = (what: string, real: string[], ours: string[]): void => {
    if (sorted(real).join("\n") === sorted(ours).join("\n")) return;
    diffs.push(`${what}: init ${show(sorted(real))}; plan ${show(sorted(ours))}`);
  };
  compare(
    "running before the re-read",
    run.before.map((s) => s.key),
    before,
  );
  compare(
    "stopped",
    run.stopped.map((s) => s.key),
    plan.stop.map((s) => keyOf(kind, s.entry)),
  );
  // BusyBox starts a respawn line again whenever its process exits; what counts is which lines.
  const started = run.started.map((s) => s.key);
  compare(
    "started",
    kind === "busybox" ? [...new Set(started)] : started,
    plan.start.map((s) => keyOf(kind, s.entry)),
  );
  // sysvinit: an entry the plan starts after a waited-for one starts only once that one has exited.
  for (const s of plan.start) {
    if (!s.after || kind !== "sysvinit") continue;
    const started = run.events.findIndex((e) => e.kind === "start" && e.key === s.entry.id);
    const exited = run.events.findIndex((e) => e.kind === "exit" && e.key === s.after!.id);
    if (started !== -1 && !(exited !== -1 && exited < started)) {
      diffs.push(`${s.entry.id} started before ${s.after.id} exited; the plan has it wait`);
    }
  }
  return diffs;
}

function report(run: ReloadRun, pair: ReloadPair, diffs: string[], seed?: number): string {
  return [
    `${run.binary.version} (${run.binary.id}) disagrees with planReload on ${pair.name}` +
      `${seed !== undefined ? ` (RELOAD_SEED=${seed})` : ""}, runlevel ${run.runlevel ?? "-"}`,
    `  OLD: ${printfCommand(pair.old).replace(/ > inittab$/, "")}`,
    `  NEW: ${printfCommand(pair.new).replace(/ > inittab$/, "")}`,
    ...diffs.map((d) => `  - ${d}`),
  ].join("\n");
}

async function compareAll(
  label: string,
  pairs: readonly ReloadPair[],
  kind: "sysvinit" | "busybox",
  seed?: number,
): Promise<string[]> {
  const mine = binaries.filter((b) => b.kind === kind);
  const jobs = pairs.flatMap((pair) => mine.map((binary) => ({ pair, binary })));
  const results = await pool(jobs, PARALLEL, async ({ pair, binary }) => {
    try {
      const run = await runReload(tools!, binary, pair.old, pair.new, { sleep: sleepProgram!, sleeptime: SLEEPTIME });
      const diffs = differences(run, pair);
      const seen = { stopped: run.stopped.length, started: run.started.length };
      return { binary, seen, failure: diffs.length > 0 ? report(run, pair, diffs, seed) : undefined };
    } catch (e) {
      const seen = { stopped: 0, started: 0 };
      return { binary, seen, failure: `${pair.name} (${binary.id}): the harness failed: ${(e as Error).message}` };
    }
  });
  const failures = results.flatMap((r) => (r.failure ? [r.failure] : []));
  for (const binary of mine) {
    const of = results.filter((r) => r.binary.id === binary.id);
    const agree = of.filter((r) => r.failure === undefined).length;
    console.log(`reload: ${label}: ${binary.id} (${binary.version}) agrees on ${agree}/${of.length} pairs`);
    // A harness that saw nothing would agree with a plan of nothing: it must have seen both.
    if (!of.some((r) => r.seen.stopped > 0) || !of.some((r) => r.seen.started > 0)) {
      failures.push(`${label}: ${binary.id}: the harness saw no process stopped or none started in any pair`);
    }
  }
  return failures;
}

function verdict(failures: string[]): void {
  if (failures.length > 0) console.error(`\n${failures.join("\n\n")}\n`);
  expect(failures, `${failures.length} disagreement(s); OLD/NEW pairs above`).toEqual([]);
}

it.runIf(mustRun)("the re-read comparison can run here (CI must install what it needs)", () => {
  throw new Error(`conformance harness unavailable in CI: ${mustRun}`);
});

const title = `re-read plans against the real binaries${reason ? ` (skipped: ${reason})` : ""}`;

describe.skipIf(reason !== "")(title, () => {
  it("sysvinit: every hand-written pair, one per rule (3.06, 3.14)", async () => {
    verdict(await compareAll("sysvinit rules", SYSVINIT_PAIRS, "sysvinit"));
  }, 240_000);

  it("BusyBox: every hand-written pair, one per rule (1.35, 1.37)", async () => {
    verdict(await compareAll("busybox rules", BUSYBOX_PAIRS, "busybox"));
  }, 240_000);

  it(`generated pairs, ${GENERATED} per init family (seed ${SEED})`, async () => {
    console.log(`reload: generating ${GENERATED} pairs per family with RELOAD_SEED=${SEED}`);
    const [sv, bb] = [generatePairs("sysvinit", SEED, GENERATED), generatePairs("busybox", SEED, GENERATED)];
    const runs = [compareAll("generated", sv, "sysvinit", SEED), compareAll("generated", bb, "busybox", SEED)];
    const failures = (await Promise.all(runs)).flat();
    verdict(failures);
  }, 400_000);

  it("live processes: the runlevel from utmp and init's title; a plan names the pids init stops", async () => {
    const cases: Array<{ kind: "sysvinit" | "busybox"; pair: ReloadPair }> = [
      {
        kind: "sysvinit",
        pair: {
          name: "live sysvinit",
          old:
            "id:2:initdefault:\nT0:23:respawn:/bin/sleep 1000001\no1:2:once:/bin/sleep 1000002\n" +
            "k1:2:respawn:/bin/sleep 1000003\npl:2:respawn:+/bin/sleep 1000004\n",
          new:
            "id:2:initdefault:\nT0:23:off:/bin/sleep 1000001\nk1:3:respawn:/bin/sleep 1000003\n" +
            "pl:2:respawn:+/bin/sleep 1000009\n",
        },
      },
      {
        kind: "busybox",
        pair: {
          name: "live busybox",
          old:
            "::respawn:/bin/sleep 1000001\ntty1::askfirst:/bin/sleep 1000002\n::once:/bin/sleep 1000003\n" +
            "::respawn:/bin/sleep 1000004\n",
          new: "::respawn:/bin/sleep 1000001\n::respawn:/bin/sleep 1000003\n",
        },
      },
    ];
    const failures: string[] = [];
    for (const { kind, pair } of cases) {
      for (const binary of binaries.filter((b) => b.kind === kind)) {
        const dialect = dialectByName(binary.dialect)!;
        const old = simulateInit({ source: pair.old, dialect });
        const next = simulateInit({ source: pair.new, dialect });
        let named: number[] = [];
        let level: ReturnType<typeof readRunlevel>;
        let unclaimed: string[] = [];
        const onSteady = async (view: SteadyView): Promise<void> => {
          level = readRunlevel({ root: view.root, initPid: view.initPid });
          const utmpBytes = await fs.readFile(path.join(view.root, "var/run/utmp")).catch(() => undefined);
          // The run's terminals are in its own mount namespace: seen from here, under its root.
          const root = await fs.readlink(view.root);
          const live = matchProcesses(
            old,
            view.children.filter((c) => c.argv[0] === "/bin/sleep"),
            {
              root,
              ...(kind === "sysvinit" && utmpBytes ? { utmp: parseUtmp(new Uint8Array(utmpBytes)) } : {}),
            },
          );
          unclaimed = live.unclaimed.map((c) => c.argv.join(" "));
          const runlevel = kind === "sysvinit" ? { runlevel: level?.runlevel ?? "?" } : {};
          const plan = planReload(old, next, { ...runlevel, state: live.state });
          named = plan.stop.flatMap((s) => s.pids);
        };
        const options = { sleep: sleepProgram!, sleeptime: SLEEPTIME, onSteady };
        const run = await runReload(tools!, binary, pair.old, pair.new, options);
        const stopped = run.stopped.map((s) => s.pid);
        if (kind === "sysvinit" && (level?.runlevel !== "2" || level.source !== "utmp")) {
          failures.push(`${binary.id}: runlevel from the run's utmp: ${JSON.stringify(level)}`);
        }
        if (sorted(named.map(String)).join() !== sorted(stopped.map(String)).join() || stopped.length === 0) {
          const list = (pids: number[]): string => pids.join(", ") || "none";
          failures.push(`${binary.id}: the plan names pids ${list(named)}; init stopped ${list(stopped)}`);
        }
        if (unclaimed.length > 0) failures.push(`${binary.id}: no entry claims ${unclaimed.join("; ")}`);
      }
    }
    // The title init gives itself is the other source: read it from a sysvinit run's /proc.
    const sv = binaries.find((b) => b.kind === "sysvinit");
    if (sv) {
      let title: ReturnType<typeof readRunlevel>;
      await runReload(tools!, sv, "id:3:initdefault:\nr1:3:respawn:/bin/sleep 1000001\n", "id:3:initdefault:\n", {
        sleep: sleepProgram!,
        onSteady: (view) => {
          title = readRunlevel({ root: "/nonexistent", initPid: view.initPid });
        },
      });
      if (title?.runlevel !== "3" || title.source !== "proc") {
        failures.push(`${sv.id}: runlevel from init's title: ${JSON.stringify(title)}`);
      }
    }
    verdict(failures);
  }, 240_000);

  it("a process TERM does not end: sysvinit sends KILL after the sleeptime; Debian's BusyBox never does", async () => {
    // SIGSTOP holds TERM pending, so only KILL ends the process: what the plan's `signals` say.
    const grace = 2;
    const failures: string[] = [];
    await Promise.all(
      binaries.map(async (binary) => {
        const old =
          binary.kind === "sysvinit"
            ? "id:2:initdefault:\nho:2:respawn:/bin/sleep 1000001\n"
            : "::respawn:/bin/sleep 1000001\n";
        const next = binary.kind === "sysvinit" ? "id:2:initdefault:\n" : "::once:/bin/sleep 1000002\n";
        const run = await runReload(tools!, binary, old, next, {
          sleep: sleepProgram!,
          sleeptime: grace,
          freeze: (argv) => argv[1] === "1000001",
          minAfterAckMs: (grace + 2) * 1000,
        });
        const dialect = dialectByName(binary.dialect)!;
        const plan = planReload(simulateInit({ source: old, dialect }), simulateInit({ source: next, dialect }), {
          ...(binary.kind === "sysvinit" ? { runlevel: "2", graceSeconds: grace } : {}),
        });
        const signals = plan.stop[0]?.signals ?? [];
        const gone = run.goneAfterMs.get(run.before[0]?.pid ?? -1);
        const fate = gone === undefined ? "still runs" : `was gone after ${gone} ms`;
        console.log(`reload: ${binary.id}: a process that outlives TERM ${fate}`);
        if (signals.includes("KILL")) {
          if (gone === undefined || gone < grace * 1000 - 200 || gone > grace * 1000 + 1500) {
            failures.push(`${binary.id}: the plan says KILL after ${grace} s; the process ${fate}`);
          }
        } else if (gone !== undefined || signals.join() !== "TERM") {
          failures.push(`${binary.id}: the plan says ${signals.join(", ") || "nothing"}; the process ${fate}`);
        }
        // A BusyBox built with a kill delay forks a helper that sleeps, then sends KILL.
        if (binary.kind === "busybox" && run.helpers.length > 0) {
          failures.push(`${binary.id}: init forked ${run.helpers.join("; ")} after the re-read (a delayed KILL?)`);
        }
      }),
    );
    verdict(failures);
  }, 120_000);

  const sysv = binaries.filter((b) => b.kind === "sysvinit");
  const cliTitle = "the CLI on a running sysvinit in runlevel 2: set/add --plan and plan name what init then does";
  it.skipIf(sysv.length === 0)(
    cliTitle,
    async () => {
      const OLD = "id:2:initdefault:\nT0:23:respawn:/bin/sleep 1000001\nl2:2:wait:/bin/sleep 0.2002\n";
      for (const binary of sysv) {
        const said: Record<string, { status: number; stdout: string }> = {};
        let t0Pid = 0;
        const onSteady = async (view: SteadyView): Promise<void> => {
          t0Pid = view.children.find((c) => c.argv.join(" ") === "/bin/sleep 1000001")!.pid;
          const where = [
            "-f",
            path.join(view.root, "etc/inittab"),
            "--proc",
            "/proc",
            "--init-pid",
            String(view.initPid),
            "--utmp",
            path.join(view.root, "var/run/utmp"),
          ];
          said["off"] = await cli("set", "T0", "--action", "off", "--plan", ...where);
          said["narrow"] = await cli("set", "T0", "--runlevels", "3", "--plan", ...where);
          said["add"] = await cli("add", "T1:2:respawn:/bin/sleep 1000009", "--plan", ...where);
          const next = path.join(await fs.mkdtemp(path.join(os.tmpdir(), "inittab-plan-")), "inittab");
          try {
            await fs.writeFile(next, OLD.replace("T0:23:respawn", "T0:23:off"));
            said["plan"] = await cli("plan", next, "--json", ...where.slice(2), "--from", where[1]!);
          } finally {
            await fs.rm(path.dirname(next), { recursive: true, force: true });
          }
        };
        const NEW = OLD.replace("T0:23:respawn", "T0:23:off");
        const run = await runReload(tools!, binary, OLD, NEW, { sleep: sleepProgram!, sleeptime: SLEEPTIME, onSteady });
        expect(
          run.stopped.map((s) => s.pid),
          binary.id,
        ).toEqual([t0Pid]);
        expect(said["off"]!.status, binary.id).toBe(1);
        expect(said["off"]!.stdout).toMatch(/runlevel 2 \(utmp, .*utmp\)/);
        expect(said["off"]!.stdout).toContain(`stop   line 2  T0:23:respawn:/bin/sleep 1000001  [pid ${t0Pid}]`);
        expect(said["narrow"]!.status).toBe(0);
        expect(said["narrow"]!.stdout).toMatch(
          /keep {3}line 2 {2}T0:3:respawn:.*\[pid \d+\]\n.*keeps running, and is not started again when it exits/,
        );
        expect(said["add"]!.status).toBe(0);
        expect(said["add"]!.stdout).toMatch(/start {2}line 4 {2}T1:2:respawn:\/bin\/sleep 1000009\n.*init starts it/);
        const json = JSON.parse(said["plan"]!.stdout);
        expect(said["plan"]!.status).toBe(1);
        expect(json.processes).toBe("utmp");
        const stops = json.stop.map((x: { entry: { id: string }; pids: number[] }) => [x.entry.id, x.pids]);
        expect(stops).toEqual([["T0", [t0Pid]]]);
      }
    },
    120_000,
  );
});
