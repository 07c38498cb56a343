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
  differences,
  initLineSpans,
  observed,
  physicalLines,
  predicted,
  printfCommand,
  show,
  shrinkLines,
  type Outcome,
} from "./compare.js";
import { HarnessError, runInit, type InitBinary, type ReadyBinary, type Toolchain } from "./harness.js";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const SAMPLES = path.join(ROOT, "samples");

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
  binary: InitBinary;
  /** Empty when the binary and our model agree. */
  differences: string[];
  /** A minimal reproducer, when they disagree. */
  report?: string;
  ms: number;
}

const bytesOf = (binary: string): Uint8Array => new Uint8Array(Buffer.from(binary, "latin1"));

async function compareOnce(
  tools: Toolchain,
  binary: ReadyBinary,
  source: string,
): Promise<{ real: Outcome; ours: Outcome; diffs: string[] }> {
  const bytes = bytesOf(source);
  const run = await runInit(tools, binary, bytes);
  const real = observed(run, source);
  const ours = predicted(bytes, binary);
  return { real, ours, diffs: differences(real, ours) };
}

/** Compare one file with one binary; shrink and describe it when they disagree. */
export async function checkCase(tools: Toolchain, binary: ReadyBinary, c: Case): Promise<CaseResult> {
  const began = Date.now();
  const first = await compareOnce(tools, binary, c.source);
  if (first.diffs.length === 0) return { name: c.name, binary, differences: [], ms: Date.now() - began };
  const lines = physicalLines(c.source);
  const minimal = await shrinkLines(lines, async (candidate) => {
    try {
      return (await compareOnce(tools, binary, candidate)).diffs.length > 0;
    } catch (e) {
      if (e instanceof HarnessError) return false;
      throw e;
    }
  });
  const source = minimal.join("");
  const final = await compareOnce(tools, binary, source);
  const report = [
    `${binary.version} (${binary.id}) disagrees with --dialect ${binary.dialect} on ${c.name}` +
      ` (minimal reproducer: ${minimal.length} of ${lines.length} lines)`,
    `  ${printfCommand(source)}`,
    ...final.diffs.map((d) => `  - ${d}`),
    `  binary:    ${describe(final.real, binary)}`,
    `  predicted: ${describe(final.ours, binary)}`,
    ...(final.diffs.length === 0
      ? ["  (the shrunk file no longer disagrees; the full file's differences:)", ...first.diffs.map((d) => `  - ${d}`)]
      : []),
  ].join("\n");
  return { name: c.name, binary, differences: first.diffs, report, ms: Date.now() - began };
}

function describe(o: Outcome, binary: InitBinary): string {
  const dropped =
    o.dropped.length === 0
      ? "drops no line"
      : `drops ${o.dropped.map((d) => `line ${d.line ?? "?"} ${show(d.message)}`).join(", ")}`;
  if (binary.kind === "busybox") return dropped;
  const boot = o.runlevel === null ? 'prompts "Enter runlevel:"' : `enters runlevel ${o.runlevel}`;
  return `${dropped}; ${boot}${o.initdefaultMessage ? `; logs ${show(o.initdefaultMessage)}` : ""}`;
}

/** A diagnostic the CLI marks `dropped`, as a byte range of the file, and its lines. */
export interface CliDrop {
  start: number;
  end: number;
  line: number;
  endLine: number;
  code: string;
}

/**
 * The CLI's answer: the diagnostics `inittab check --format json --dialect D` marks `dropped`,
 * run in-process on the sources (no build needed), as byte ranges of the file.
 */
export function cliDrops(source: string, dialect: string): Promise<CliDrop[]> {
  // runCli swaps process.stdout.write while the CLI runs: one CLI at a time.
  const result = cliQueue.then(() => cliDropsNow(source, dialect));
  cliQueue = result.then(
    () => undefined,
    () => undefined,
  );
  return result;
}

let cliQueue: Promise<void> = Promise.resolve();

async function cliDropsNow(source: string, dialect: string): Promise<CliDrop[]> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "inittab-conformance-cli-"));
  try {
    const file = path.join(dir, "inittab");
    await fs.writeFile(file, bytesOf(source));
    const r = await runCli(["check", "--format", "json", "--dialect", dialect, file]);
    type Diag = { line: number; column: number; endLine: number; endColumn: number; code: string; dropped: boolean };
    let report: { files: Array<{ diagnostics: Diag[] }> };
    try {
      report = JSON.parse(r.stdout.toString("utf8"));
    } catch {
      throw new Error(
        `inittab check --format json exited ${r.code} without a JSON report: ${r.stderr.trim().slice(0, 300)}`,
      );
    }
    // Columns are 1-based bytes; the end column is the byte after the last.
    const lineStarts = [0];
    for (let i = source.indexOf("\n"); i !== -1; i = source.indexOf("\n", i + 1)) lineStarts.push(i + 1);
    const offset = (line: number, column: number): number => (lineStarts[line - 1] ?? source.length) + column - 1;
    return report.files.flatMap((f) =>
      f.diagnostics
        .filter((d) => d.dropped)
        .map((d) => ({
          start: offset(d.line, d.column),
          end: offset(d.endLine, d.endColumn),
          line: d.line,
          endLine: d.endLine,
          code: d.code,
        })),
    );
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/**
 * Where the CLI's `dropped` diagnostics and the lines the binary dropped fail to match: each
 * line init dropped must hold a dropped diagnostic, and each dropped diagnostic must lie in a
 * line init dropped. Matching is by bytes, so a diagnostic may point at any part of the line
 * (a BusyBox line continued over several physical lines, one piece of a split sysvinit line).
 */
export async function cliMismatches(
  tools: Toolchain,
  binary: ReadyBinary,
  source: string,
): Promise<{ problems: string[]; dropped: number }> {
  const run = await runInit(tools, binary, bytesOf(source));
  const spans = initLineSpans(source, binary.reader);
  const dropped = run.rejected.map((r) => ({
    ...(spans[r.initLine] ?? { start: -1, end: -1, line: 0, endLine: 0 }),
    r,
  }));
  const cli = await cliDrops(source, binary.dialect);
  // Inclusive at the end: a zero-width diagnostic may sit right after a line's last byte.
  const meets = (d: CliDrop, s: { start: number; end: number }): boolean =>
    d.start <= s.end && Math.max(d.end, d.start + 1) > s.start;
  const problems: string[] = [];
  for (const s of dropped) {
    if (!cli.some((d) => meets(d, s))) {
      problems.push(`init dropped line ${s.line} (${show(s.r.message)}); the CLI marks nothing there dropped`);
    }
  }
  for (const d of cli) {
    if (!dropped.some((s) => meets(d, s))) {
      problems.push(`the CLI marks ${d.code} at line ${d.line} dropped; init dropped nothing there`);
    }
  }
  return { problems, dropped: dropped.length };
}
