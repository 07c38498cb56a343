/**
 * The differential test: for every sample, every corpus file and a fresh set of generated
 * inputs, our prediction (`--dialect sysvinit@3.06` / `--dialect busybox`) must match what the
 * real sysvinit 3.06 and BusyBox 1.35 binaries do with the file, and the CLI's `dropped` lines
 * must match the binary's. Each file goes to both binaries: they do not care which init it was
 * written for. A disagreement fails the run and prints a minimal reproducer.
 *
 * CONFORMANCE_SEED=<n> replays a generated set; CONFORMANCE_GENERATED=<n> changes its size.
 */
import { promises as fs } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { edgeInputs, generateInputs, linePool } from "./generate.js";
import { mustRun, skipReason, tools } from "./gate.js";
import { INIT_KINDS, pool, runInit, type InitKind } from "./harness.js";
import {
  ROOT, SAMPLES, checkCase, cliMismatches, filesUnder, type Case, type CaseResult,
} from "./runner.js";
import { corpus as corpusFiles, short } from "../support/corpus.js";
import { DIALECT_OF, printfCommand } from "./compare.js";

/** Each run is mostly waiting on a namespace; a few per core keep both cores busy. */
const PARALLEL = Math.max(2, availableParallelism() * 2);
const SEED = Number(process.env["CONFORMANCE_SEED"] ?? Math.floor(Math.random() * 2 ** 31));
const GENERATED = Number(process.env["CONFORMANCE_GENERATED"] ?? 200);

async function casesFrom(dir: string): Promise<Case[]> {
  const files = await filesUnder(dir);
  return Promise.all(
    files.map(async (f) => ({ name: path.relative(ROOT, f), source: (await fs.readFile(f)).toString("latin1") })),
  );
}

/** The bundled corpus and the external one when present. */
async function corpusCases(): Promise<Case[]> {
  return Promise.all(corpusFiles().map(async (f) => ({ name: short(f.path), source: (await fs.readFile(f.path)).toString("latin1") })));
}

/** Every case against both binaries; the reports of the ones that disagree. */
async function compareAll(cases: readonly Case[]): Promise<{ results: CaseResult[]; failures: string[] }> {
  const jobs = cases.flatMap((c) => INIT_KINDS.map((kind) => ({ c, kind })));
  const results = await pool(jobs, PARALLEL, ({ c, kind }) =>
    // A run the harness could not observe is a failure of its own, named after its file.
    checkCase(tools!, kind, c).catch((e: Error) => ({
      name: c.name, kind, differences: [e.message], report: `${c.name} (${kind}): the harness failed: ${e.message}`, ms: 0,
    })),
  );
  return { results, failures: results.filter((r) => r.differences.length > 0).map((r) => r.report ?? r.name) };
}

function verdict(failures: string[]): void {
  if (failures.length > 0) console.error(`\n${failures.join("\n\n")}\n`);
  expect(failures, `${failures.length} disagreement(s); reproducers above`).toEqual([]);
}

it.runIf(mustRun)("the conformance comparison can run here (CI must install what it needs)", () => {
  throw new Error(`conformance harness unavailable in CI: ${mustRun}`);
});

describe.skipIf(!tools)(`conformance with the real binaries${tools ? "" : ` (skipped: ${skipReason})`}`, () => {
  it("samples/: our prediction matches both binaries", async () => {
    const cases = await casesFrom(SAMPLES);
    expect(cases.length, `no samples under ${SAMPLES}`).toBeGreaterThan(0);
    verdict((await compareAll(cases)).failures);
  }, 240_000);

  it("the corpus: our prediction matches both binaries", async () => {
    const cases = await corpusCases();
    expect(cases.length).toBeGreaterThanOrEqual(90);
    verdict((await compareAll(cases)).failures);
  }, 240_000);

  it("the limits: lines near 255 bytes, fields near their maximum lengths", async () => {
    const cases = edgeInputs().map((source, i) => ({ name: `limit sweep #${i}`, source }));
    verdict((await compareAll(cases)).failures);
  }, 240_000);

  it(`generated inputs: our prediction matches both binaries (seed ${SEED})`, async () => {
    console.log(`conformance: generating ${GENERATED} inputs with CONFORMANCE_SEED=${SEED}`);
    const corpus = await corpusCases();
    const cases = generateInputs(linePool(corpus.map((c) => c.source)), SEED, GENERATED).map((source, i) => ({
      name: `generated #${i} (CONFORMANCE_SEED=${SEED})`,
      source,
    }));
    expect(cases.length).toBeGreaterThanOrEqual(200);
    verdict((await compareAll(cases)).failures);
  }, 240_000);

  it("the CLI's `check --format json` drops the lines the binaries drop (samples, the limit sweep, corpus and generated subsets)", async () => {
    const samples = await casesFrom(SAMPLES);
    const corpus = await corpusCases();
    const generated = generateInputs(linePool(corpus.map((c) => c.source)), SEED + 1, 50).map((source, i) => ({
      name: `generated #${i} (CONFORMANCE_SEED=${SEED + 1}, set of 50)`,
      source,
    }));
    // Every 8th corpus file: both dialects' files, without paying for the whole corpus twice.
    const limits = edgeInputs().map((source, i) => ({ name: `limit sweep #${i}`, source }));
    const subset = [...samples, ...corpus.filter((_, i) => i % 8 === 0), ...limits, ...generated];
    const jobs = subset.flatMap((c) => INIT_KINDS.map((kind) => ({ c, kind })));
    let sawDrop = false;
    const failures = (
      await pool(jobs, PARALLEL, async ({ c, kind }: { c: Case; kind: InitKind }) => {
        try {
          const { problems, dropped } = await cliMismatches(tools!, kind, c.source);
          if (dropped > 0) sawDrop = true;
          if (problems.length === 0) return undefined;
          return [`${c.name} (${kind}): check --format json --dialect ${DIALECT_OF[kind]} disagrees with the binary`,
            `  ${printfCommand(c.source)}`, ...problems.map((p) => `  - ${p}`)].join("\n");
        } catch (e) {
          return `${c.name} (${kind}): ${(e as Error).message}`;
        }
      })
    ).filter((f): f is string => f !== undefined);
    verdict(failures);
    expect(sawDrop, "no binary dropped any line: the harness is not seeing init's log").toBe(true);
  }, 240_000);

  it("each binary rejects lines somewhere in the corpus (the harness sees init's log)", async () => {
    const corpus = await corpusCases();
    const busyboxFile = corpus.find((c) => c.name.includes("busybox/"))!;
    const sysvinitFile = corpus.find((c) => c.name.includes("sysvinit/"))!;
    // A BusyBox file has empty ids, which sysvinit rejects; a sysvinit file has initdefault,
    // which BusyBox rejects.
    expect((await runInit(tools!, "sysvinit", Buffer.from(busyboxFile.source, "latin1"))).rejected.length).toBeGreaterThan(0);
    expect((await runInit(tools!, "busybox", Buffer.from(sysvinitFile.source, "latin1"))).rejected.length).toBeGreaterThan(0);
  });
});
