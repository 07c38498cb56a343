/**
 * Our prediction of what init does with a file vs what the real binary did, and the minimal
 * reproducer for a disagreement.
 *
 * Both sides are reduced to the same observable outcome: the lines init logs as bad (with its
 * own line number and its exact message), and for sysvinit the runlevel it enters after boot or
 * that it prompts "Enter runlevel:". init's line numbers are mapped back to the file's physical
 * lines here, independently of the simulator, so a reproducer names the lines a person sees.
 */
import { parse } from "../../src/document/index.js";
import { simulateInit } from "../../src/init/index.js";
import type { InitBinary, InitRun, LineReader } from "./harness.js";

export interface DroppedOutcome {
  /** init's own line number. */
  initLine: number;
  /** The file's 1-based physical line where the rejected line starts (undefined: init counted past the end). */
  line: number | undefined;
  /** init's log message (binary string). */
  message: string;
}

export interface Outcome {
  dropped: DroppedOutcome[];
  /** sysvinit: the runlevel entered after boot, or null for the "Enter runlevel:" prompt. */
  runlevel: string | null;
  /** sysvinit: `Initdefault level 'x' is invalid`, if logged. */
  initdefaultMessage: string | null;
}

/** A line as init reads it, in the file: bytes [start, end), physical lines line..endLine. */
export interface InitLineSpan {
  start: number;
  end: number;
  line: number;
  endLine: number;
}

/**
 * init's line N → where that line is in the file (index 0 unused).
 *
 * sysvinit reads with fgets into a 256-byte buffer: each call returns at most 255 bytes or up to
 * and including a newline, and each call is one "line" to init. Up to 3.13 (`fgets`) a longer
 * physical line is split, its tail numbered as a line of its own. 3.14 (`fgets-discard`) looks
 * for the newline in what it read, as a C string: when there is none (a long line, a last line
 * without one, or a NUL before it) it reads on to the next newline and throws that away, so the
 * line numbered N covers the rest of its physical line — or, after a NUL, the next physical line.
 * BusyBox reads whole lines (getline), joins a line ending in a backslash with the next, and
 * reports the number of the *last* physical line it read: every physical line of a continued
 * line maps to the whole logical line.
 */
export function initLineSpans(source: string, reader: LineReader): InitLineSpan[] {
  const spans: InitLineSpan[] = [{ start: 0, end: 0, line: 0, endLine: 0 }];
  let pos = 0;
  let physical = 1;
  const newlines = (from: number, to: number): number => source.slice(from, to).split("\n").length - 1;
  if (reader !== "getline") {
    while (pos < source.length) {
      const nl = source.indexOf("\n", pos);
      let end = Math.min(pos + 255, nl === -1 ? source.length : nl + 1);
      const read = source.slice(pos, end);
      const cString = read.includes("\0") ? read.slice(0, read.indexOf("\0")) : read;
      if (reader === "fgets-discard" && !cString.includes("\n")) {
        const next = source.indexOf("\n", end);
        end = next === -1 ? source.length : next + 1;
      }
      spans.push({ start: pos, end, line: physical, endLine: physical + newlines(pos, end - 1) });
      physical += newlines(pos, end);
      pos = end;
    }
    return spans;
  }
  let logical: InitLineSpan[] = [];
  while (pos < source.length) {
    const nl = source.indexOf("\n", pos);
    const end = nl === -1 ? source.length : nl + 1;
    const content = source.slice(pos, nl === -1 ? end : nl);
    const span = { start: logical[0]?.start ?? pos, end, line: logical[0]?.line ?? physical, endLine: physical };
    logical.push(span);
    spans.push(span);
    physical++;
    if (!(content.endsWith("\\") && nl !== -1)) {
      // The logical line is complete: every physical line of it names all of it.
      for (const l of logical) Object.assign(l, { start: span.start, end, line: span.line, endLine: span.endLine });
      logical = [];
    }
    pos = end;
  }
  // A backslash on the last line continues into end of file.
  const last = logical[logical.length - 1];
  if (last)
    for (const l of logical)
      Object.assign(l, { start: last.start, end: last.end, line: last.line, endLine: last.endLine });
  return spans;
}

/** init's line N → the file's physical line where that line starts. */
export function initLineMap(source: string, reader: LineReader): number[] {
  return initLineSpans(source, reader).map((s) => s.line);
}

/** What the binary did, in file terms. */
export function observed(run: InitRun, source: string): Outcome {
  const map = initLineMap(source, run.binary.reader);
  const sysvinit = run.binary.kind === "sysvinit";
  return {
    dropped: run.rejected.map((r) => ({ initLine: r.initLine, line: map[r.initLine], message: r.message })),
    runlevel: sysvinit ? run.runlevel : null,
    initdefaultMessage: sysvinit ? (run.initdefaultMessage ?? null) : null,
  };
}

/** What we predict, from simulateInit over the document parsed with the binary's dialect. */
export function predicted(bytes: Uint8Array, binary: InitBinary): Outcome {
  const sim = simulateInit(parse(bytes, { dialect: binary.dialect }));
  const sysvinit = binary.kind === "sysvinit";
  return {
    dropped: sim.dropped.map((d) => ({ initLine: d.initLine, line: d.line, message: d.message })),
    runlevel: sysvinit ? sim.defaultRunlevel : null,
    initdefaultMessage: sysvinit ? (sim.initdefaultMessage ?? null) : null,
  };
}

const key = (d: DroppedOutcome): string => `${d.initLine}\u0000${d.message}`;

/**
 * The differences between two outcomes, as readable lines; empty when they agree. Dropped lines
 * are compared as (init line, message) pairs, the file line they map to as well.
 */
export function differences(real: Outcome, ours: Outcome): string[] {
  const out: string[] = [];
  const realKeys = new Map(real.dropped.map((d) => [key(d), d]));
  const ourKeys = new Map(ours.dropped.map((d) => [key(d), d]));
  for (const [k, d] of realKeys) {
    if (!ourKeys.has(k)) out.push(`init dropped ${where(d)}: ${show(d.message)} — we did not predict it`);
  }
  for (const [k, d] of ourKeys) {
    if (!realKeys.has(k)) out.push(`we predicted ${where(d)}: ${show(d.message)} — init did not log it`);
  }
  for (const [k, d] of realKeys) {
    const o = ourKeys.get(k);
    if (o && o.line !== d.line) out.push(`init's line ${d.initLine} is file line ${d.line}, we said ${o.line}`);
  }
  // Each of init's lines is logged at most once; a repeat on either side is a difference too.
  if (realKeys.size !== real.dropped.length) out.push("init logged the same line twice");
  if (ourKeys.size !== ours.dropped.length) out.push("we predicted the same line twice");
  if (real.runlevel !== ours.runlevel)
    out.push(`init ${outcomeText(real.runlevel)}; we predicted it ${outcomeText(ours.runlevel)}`);
  if (real.initdefaultMessage !== ours.initdefaultMessage) {
    out.push(
      `init logged ${show(real.initdefaultMessage ?? "no initdefault error")}; we predicted ${show(ours.initdefaultMessage ?? "none")}`,
    );
  }
  return out;
}

function where(d: DroppedOutcome): string {
  return `file line ${d.line ?? "?"} (init's line ${d.initLine})`;
}

function outcomeText(runlevel: string | null): string {
  return runlevel === null ? 'prompted "Enter runlevel:"' : `entered runlevel ${runlevel}`;
}

/** A binary string for a terminal: control bytes and non-ASCII as escapes, quoted. */
export function show(binary: string): string {
  let out = "";
  for (const ch of binary) {
    const c = ch.charCodeAt(0);
    if (ch === "\\") out += "\\\\";
    else if (ch === '"') out += '\\"';
    else if (c === 0x0a) out += "\\n";
    else if (c === 0x0d) out += "\\r";
    else if (c === 0x09) out += "\\t";
    else if (c < 0x20 || c >= 0x7f) out += `\\x${c.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return `"${out}"`;
}

/** The file's physical lines, each with its newline (the last may have none). */
export function physicalLines(source: string): string[] {
  const out: string[] = [];
  let pos = 0;
  while (pos < source.length) {
    const nl = source.indexOf("\n", pos);
    const end = nl === -1 ? source.length : nl + 1;
    out.push(source.slice(pos, end));
    pos = end;
  }
  return out;
}

/**
 * Delta debugging over physical lines: the fewest lines (in their order) for which
 * `stillFails` holds. `stillFails` is asked about candidate files only, never about the input.
 */
export async function shrinkLines(
  lines: readonly string[],
  stillFails: (candidate: string) => Promise<boolean>,
): Promise<string[]> {
  let current = [...lines];
  let chunk = Math.max(1, Math.floor(current.length / 2));
  while (current.length > 1) {
    let removed = false;
    for (let start = 0; start < current.length; start += chunk) {
      const candidate = [...current.slice(0, start), ...current.slice(start + chunk)];
      if (candidate.length === 0) continue;
      if (await stillFails(candidate.join(""))) {
        current = candidate;
        removed = true;
        start -= chunk;
      }
    }
    if (!removed) {
      if (chunk === 1) break;
      chunk = Math.max(1, Math.floor(chunk / 2));
    }
  }
  return current;
}

/** A shell command that recreates the file byte for byte (printf with octal escapes). */
export function printfCommand(binary: string, file = "inittab"): string {
  let body = "";
  for (const ch of binary) {
    const c = ch.charCodeAt(0);
    if (c === 0x0a) body += "\\n";
    else if (c === 0x5c) body += "\\\\";
    else if (c === 0x25) body += "%%";
    else if (c === 0x27) body += "'\\''";
    else if (c < 0x20 || c >= 0x7f) body += `\\${c.toString(8).padStart(3, "0")}`;
    else body += ch;
  }
  return `printf '${body}' > ${file}`;
}
