/**
 * One comparison: run a file through a real init and through our model, and on a disagreement
 * shrink the file to the fewest lines that still disagree and print it as a reproducer.
 */
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { runCli } from "../initctl/cli-harness.js";
import {
  DIALECT_OF, differences, initLineMap, observed, physicalLines, predicted, printfCommand, show, shrinkLines, type Outcome,
} from "./compare.js";
import { HarnessError, runInit, type InitKind, type Toolchain } from "./harness.js";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const SAMPLES = path.join(ROOT, "samples");
export const CORPUS = fileURLToPath(new URL("../../../shared/corpus/", import.meta.url));

/** Every regular file under a directory, recursively, sorted (corpus bookkeeping left out). */
export async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  let names: string[];
  try {
    names = (await fs.readdir(dir)).sort();
  } catch {
    return out;
  }
  for (const name of names) {
    const p = path.join(dir, name);
    const st = await fs.stat(p);
    if (st.isDirectory()) out.push(...(await filesUnder(p)));
    else if (st.isFile() && name !== "PROVENANCE.tsv" && !name.endsWith(".md")) out.push(p);
  }
  return out;
}

export interface Case {
  /** How the report names it: a path relative to the project, or `generated #N (seed S)`. */
  name: string;
  /** The file's bytes as a binary string. */
  source: string;
}

export interface CaseResult {
  name: string;
  kind: InitKind;
  /** Empty when the binary and our model agree. */
  differences: string[];
  /** A minimal reproducer, when they disagree. */
  report?: string;
  ms: number;
}

const bytesOf = (binary: string): Uint8Array => new Uint8Array(Buffer.from(binary, "latin1"));

async function compareOnce(tools: Toolchain, kind: InitKind, source: string): Promise<{ real: Outcome; ours: Outcome; diffs: string[] }> {
  const bytes = bytesOf(source);
  const run = await runInit(tools, kind, bytes);
  const real = observed(run, source);
  const ours = predicted(bytes, kind);
  return { real, ours, diffs: differences(real, ours) };
}

/** Compare one file with one binary; shrink and describe it when they disagree. */
export async function checkCase(tools: Toolchain, kind: InitKind, c: Case): Promise<CaseResult> {
  const began = Date.now();
  const first = await compareOnce(tools, kind, c.source);
  if (first.diffs.length === 0) return { name: c.name, kind, differences: [], ms: Date.now() - began };
  const lines = physicalLines(c.source);
  const minimal = await shrinkLines(lines, async (candidate) => {
    try {
      return (await compareOnce(tools, kind, candidate)).diffs.length > 0;
    } catch (e) {
      if (e instanceof HarnessError) return false;
      throw e;
    }
  });
  const source = minimal.join("");
  const final = await compareOnce(tools, kind, source);
  const report = [
    `${tools.versions[kind]} disagrees with --dialect ${DIALECT_OF[kind]} on ${c.name}` +
      ` (minimal reproducer: ${minimal.length} of ${lines.length} lines)`,
    `  ${printfCommand(source)}`,
    ...final.diffs.map((d) => `  - ${d}`),
    `  binary:    ${describe(final.real, kind)}`,
    `  predicted: ${describe(final.ours, kind)}`,
    ...(final.diffs.length === 0 ? ["  (the shrunk file no longer disagrees; the full file's differences:)", ...first.diffs.map((d) => `  - ${d}`)] : []),
  ].join("\n");
  return { name: c.name, kind, differences: first.diffs, report, ms: Date.now() - began };
}

function describe(o: Outcome, kind: InitKind): string {
  const dropped = o.dropped.length === 0 ? "drops no line" : `drops ${o.dropped.map((d) => `line ${d.line ?? "?"} ${show(d.message)}`).join(", ")}`;
  if (kind === "busybox") return dropped;
  const boot = o.runlevel === null ? 'prompts "Enter runlevel:"' : `enters runlevel ${o.runlevel}`;
  return `${dropped}; ${boot}${o.initdefaultMessage ? `; logs ${show(o.initdefaultMessage)}` : ""}`;
}

/**
 * The CLI's answer: the lines `inittab check --format json --dialect D` marks `dropped`, run
 * in-process on the sources (no build needed). Returned as sorted, distinct file lines.
 */
export async function cliDroppedLines(source: string, kind: InitKind): Promise<number[]> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "inittab-conformance-cli-"));
  try {
    const file = path.join(dir, "inittab");
    await fs.writeFile(file, bytesOf(source));
    const r = await runCli(["check", "--format", "json", "--dialect", DIALECT_OF[kind], file]);
    const report = JSON.parse(r.stdout.toString("utf8")) as {
      files: Array<{ diagnostics: Array<{ line: number; dropped: boolean }> }>;
    };
    const lines = new Set<number>();
    for (const f of report.files) for (const d of f.diagnostics) if (d.dropped) lines.add(d.line);
    return [...lines].sort((a, b) => a - b);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** The binary's dropped lines in file terms (distinct, sorted): what the CLI must agree with. */
export async function binaryDroppedLines(tools: Toolchain, kind: InitKind, source: string): Promise<number[]> {
  const run = await runInit(tools, kind, bytesOf(source));
  const map = initLineMap(source, kind);
  return [...new Set(run.rejected.map((r) => map[r.initLine] ?? -r.initLine))].sort((a, b) => a - b);
}
