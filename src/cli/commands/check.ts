/**
 * `inittab check [PATH...]`: predict what the target init does with every line of one or many
 * inittabs (and their inittab.d files), in text, json, sarif, gnu or GitHub annotation format.
 * Exit 0: no errors (and warnings within --max-warnings); 1: errors; 2: usage or I/O error.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Option, type Command } from "commander";
import type { CliContext } from "../context.js";
import { VERSION } from "../../base/version.js";
import { usageError } from "../errors.js";
import { displayPath, imageOptions, readInput, useColor, type GlobalOptions } from "../io.js";
import { parse, parseBinary } from "../../document/index.js";
import { escapeText, fromBinary } from "../../base/index.js";
import type { Dialect } from "../../dialects/index.js";
import { checkSet, PROFILES, RULES, helpUri, type CheckOptions, type FileReport, type InittabSet } from "../../rules/index.js";
import { readInputs, type InputSet } from "../../inputs/index.js";
import { fixSources } from "../../rules/fix.js";
import { FORMATS, summarize, type Format, type ReportedFile } from "../../report/types.js";
import { formatTextFile, summaryLine } from "../../report/text.js";
import { formatGithub, formatGnu, formatJson } from "../../report/machine.js";
import { formatSarif } from "../../report/sarif.js";
import { diffLabel, escapeDiff, unifiedDiff } from "../../edit/diff.js";

interface CheckCliOptions {
  format: Format;
  quiet?: boolean;
  maxWarnings?: number;
  profile?: string;
  from?: string;
  fix?: boolean;
  fixDryRun?: boolean;
  listRules?: boolean;
  stdinFilename?: string;
}

function parseCount(value: string): number {
  if (!/^\d+$/.test(value)) throw usageError(`--max-warnings: "${escapeText(value)}" is not a non-negative integer`);
  return Number(value);
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command("check")
    .description("predict what init does with every line; report errors, warnings and infos")
    .argument(
      "[paths...]",
      "files, packages or rootfs archives, - for stdin, or directories to search " +
        "(default: /etc/inittab and /etc/inittab.d/*.tab, under --root if given)",
    )
    .addOption(new Option("-f, --format <format>", "output format").choices([...FORMATS]).default("text"))
    .option("-q, --quiet", "report errors only")
    .option("--max-warnings <n>", "exit 1 when there are more than N warnings", parseCount)
    .addOption(new Option("--profile <name>", "extra rules for a special-purpose inittab").choices([...PROFILES]))
    .option(
      "--from <file>",
      "with --profile tmpfs: the inittab init runs now, whose shutdown entry the dummy must keep " +
        "(default DIR/etc/inittab with --root)",
    )
    .option("--fix", "apply the safe fixes in place (CRLF, final newline, action case and blanks, s→S)")
    .option("--fix-dry-run", "print the safe fixes as a unified diff instead of writing them")
    .option("--stdin-filename <name>", "the name to report standard input as")
    .option("--list-rules", "list every rule code with its severity and title")
    .action(async (paths: string[], opts: CheckCliOptions) => {
      const globals = ctx.globals();
      if (opts.listRules) {
        listRules(opts.format);
        return;
      }
      if (opts.fix && opts.fixDryRun) throw usageError("--fix and --fix-dry-run exclude each other");
      if (opts.fix && paths.includes("-")) throw usageError("--fix cannot write back to standard input; use --fix-dry-run");
      const code = await runCheck(paths, opts, globals);
      ctx.exit(code);
    });
}

/** --profile tmpfs: the file init runs now, given with --from or found under --root. */
function runningInittab(opts: CheckCliOptions, globals: GlobalOptions): Pick<CheckOptions, "running"> {
  if (opts.from !== undefined && opts.profile !== "tmpfs") throw usageError("--from goes with --profile tmpfs");
  if (opts.profile !== "tmpfs") return {};
  const path = opts.from ?? (globals.root !== undefined ? join(globals.root, "etc/inittab") : undefined);
  if (path === undefined || (opts.from === undefined && !existsSync(path))) return {};
  return { running: { path: displayPath(path), doc: parse(readInput(path), { dialect: globals.dialect }) } };
}

function listRules(format: Format): void {
  if (format === "json") {
    process.stdout.write(`${JSON.stringify(RULES.map((r) => ({ ...r, helpUri: helpUri(r.code) })), null, 2)}\n`);
    return;
  }
  const width = Math.max(...RULES.map((r) => r.code.length));
  for (const r of RULES) process.stdout.write(`${r.code.padEnd(width)}  ${r.severity.padEnd(7)}  ${r.group.padEnd(9)}  ${r.title}${r.fixable ? " (fixable)" : ""}\n`);
}

/** Report an I/O problem the way every command does: one line naming the file. */
function ioError(message: string): void {
  process.stderr.write(`inittab: ${message}\n`);
}

async function runCheck(paths: string[], opts: CheckCliOptions, globals: GlobalOptions): Promise<number> {
  let exit = 0;
  const base: CheckOptions = {
    ...(globals.allowExec ? { allowExec: true } : {}),
    ...imageOptions(globals),
    ...(opts.profile !== undefined ? { profile: opts.profile } : {}),
    ...runningInittab(opts, globals),
  };
  const tty = process.stderr.isTTY === true && opts.format !== "github";
  let progressShown = false;
  const clearProgress = (): void => {
    if (progressShown) process.stderr.write("\r\x1b[K");
    progressShown = false;
  };
  const reported: ReportedFile[] = [];
  // The human format is written file by file as the check goes, and each document is let go
  // once its part is out: a tree of 1,000 files or a file of 200,000 lines keeps one document
  // in memory at a time. The machine formats are one document each, written at the end.
  const streaming = opts.format === "text" && !opts.fixDryRun;
  const color = streaming && useColor(process.stdout);
  let done = 0;
  let fixedFiles = 0;
  let diffs = "";
  /** Archives whose inittabs have fixes that cannot be written into them. */
  const unfixed = new Set<string>();
  const inputs = readInputs(paths, {
    dialect: globals.dialect,
    ...(globals.root !== undefined ? { root: globals.root } : {}),
    ...(opts.stdinFilename !== undefined ? { stdinName: opts.stdinFilename } : {}),
  });
  for await (const item of inputs) {
    if (item.kind === "error") {
      clearProgress();
      ioError(item.error.message);
      exit = 2;
      continue;
    }
    const set = item.set;
    // A rootfs archive is its own image: its programs and ttys are looked up inside it.
    const options = set.archive?.image ? { ...base, image: set.archive.image, imageName: set.archive.display } : base;
    let reports = checkSet(toSet(set), options);
    if (opts.fix || opts.fixDryRun) {
      if (set.archive) {
        if (reports.some((r) => r.diagnostics.some((d) => d.fix))) unfixed.add(set.archive.display);
      } else {
        const outcome = await applyFixes(set, globals, options, opts, reports);
        if (outcome.writeFailed) exit = 2;
        fixedFiles += outcome.changed;
        diffs += outcome.diff;
        reports = outcome.reports;
      }
    }
    const files = reports.map((r) => toReported(r, set));
    if (opts.quiet) for (const f of files) f.diagnostics = f.diagnostics.filter((d) => d.severity === "error");
    if (streaming) {
      for (const f of files) {
        for (const piece of formatTextFile(f, color)) {
          clearProgress();
          process.stdout.write(piece);
        }
        f.doc = undefined;
      }
    }
    reported.push(...files);
    done += (set.main ? 1 : 0) + set.tabs.length;
    // A long run says how far it is (the total is not known before the last archive is read).
    if (tty && done > 20) {
      process.stderr.write(`\r\x1b[Kchecked ${done} files`);
      progressShown = true;
    }
  }
  clearProgress();
  for (const archive of unfixed) {
    ioError(`${archive}: not fixed: its inittabs are inside an archive (fix them where the archive is built)`);
  }

  const summary = summarize(reported);
  if (opts.fixDryRun) {
    // The diff is the output; on a terminal its control bytes are escaped, in a pipe it stays
    // byte-exact so that `git apply` / `patch -p1` can apply it.
    process.stdout.write(process.stdout.isTTY ? escapeDiff(diffs) : diffs);
    process.stderr.write(`${fixedFiles} file(s) would be fixed; after the fixes: ${summaryLine(summary)}\n`);
  } else if (reported.length > 0 || exit !== 2 || opts.format !== "text") {
    // When nothing could be read, the one-line error says it all ("no problems in 0 files"
    // would read as a pass); machine formats still get their (empty) document.
    writeReport(reported, summary, opts);
    if (opts.fix) process.stderr.write(`fixed ${fixedFiles} file(s)\n`);
  }
  if (summary.errors > 0) exit = Math.max(exit, 1);
  if (opts.maxWarnings !== undefined && summary.warnings > opts.maxWarnings) {
    if (opts.format === "text") process.stderr.write(`inittab: ${summary.warnings} warnings, more than --max-warnings ${opts.maxWarnings}\n`);
    exit = Math.max(exit, 1);
  }
  return exit;
}

function writeReport(files: ReportedFile[], summary: ReturnType<typeof summarize>, opts: CheckCliOptions): void {
  switch (opts.format) {
    case "json":
      process.stdout.write(formatJson(files, summary));
      return;
    case "sarif":
      process.stdout.write(formatSarif(files, { version: VERSION, ...(opts.stdinFilename !== undefined ? { stdinName: opts.stdinFilename } : {}) }));
      return;
    case "gnu":
      process.stdout.write(formatGnu(files));
      process.stderr.write(`${summaryLine(summary)}\n`);
      return;
    case "github":
      process.stdout.write(formatGithub(files));
      process.stderr.write(`${summaryLine(summary)}\n`);
      return;
    case "text":
      // Written file by file as the check went (runCheck); only the summary is left.
      process.stdout.write(`${summaryLine(summary)}\n`);
  }
}

function toSet(set: InputSet): InittabSet {
  return {
    ...(set.main ? { main: set.main } : {}),
    tabs: set.tabs,
    ...(set.tabDir ? { tabDir: set.tabDir } : {}),
  };
}

function toReported(report: FileReport, set: InputSet): ReportedFile {
  const input = [...(set.main ? [set.main] : []), ...set.tabs].find((d) => d.path === report.path);
  const doc = report.doc;
  const dialect = doc?.dialect.name ?? set.main?.doc.dialect.name ?? set.tabs[0]?.doc.dialect.name ?? "sysvinit";
  // A file reported on without being read (a name init ignores in inittab.d) is read by the
  // init that reads the set.
  let detection: string[];
  if (input) detection = input.doc.detection.reasons;
  else if (set.main) detection = [`an inittab.d file is read by the init that reads ${set.main.display}`];
  else detection = set.tabs[0]?.doc.detection.reasons ?? ["inittab.d is read by sysvinit"];
  const archive = set.archive;
  const member =
    input?.member ??
    (archive && report.path.startsWith(`${archive.path}!/`) ? report.path.slice(archive.path.length + 1) : undefined);
  let display = input?.display ?? displayPath(report.path);
  if (!input && archive && member !== undefined) display = `${archive.display}!${escapeText(member)}`;
  return {
    path: report.path,
    display,
    ...(archive && member !== undefined
      ? { member: { archive: archive.path, archiveDisplay: archive.display, path: member } }
      : {}),
    dialect,
    detection,
    doc,
    diagnostics: report.diagnostics,
  };
}

/** Fix a group (repeatedly, see rules/fix.ts), write or diff the result, and check it again. */
async function applyFixes(
  group: InputSet,
  globals: GlobalOptions,
  options: CheckOptions,
  opts: CheckCliOptions,
  reports: FileReport[],
): Promise<{ reports: FileReport[]; changed: number; diff: string; writeFailed: boolean }> {
  const dialectOf = new Map<string, Dialect>();
  const initial = new Map<string, string>();
  for (const f of [...(group.main ? [group.main] : []), ...group.tabs]) {
    initial.set(f.path, f.doc.source);
    dialectOf.set(f.path, f.doc.dialect);
  }
  const rebuild = (sources: ReadonlyMap<string, string>): InputSet => {
    const doc = (path: string) => {
      const d = parseBinary(sources.get(path)!, { dialect: dialectOf.get(path)! });
      // Keep how the dialect was chosen, for the report.
      const original = path === group.main?.path ? group.main.doc : group.tabs.find((t) => t.path === path)!.doc;
      return { ...d, detection: original.detection };
    };
    return {
      ...(group.main ? { main: { ...group.main, doc: doc(group.main.path) } } : {}),
      tabs: group.tabs.map((t) => ({ ...t, doc: doc(t.path) })),
      ...(group.tabDir ? { tabDir: group.tabDir } : {}),
    };
  };
  let first = true;
  const { sources } = fixSources(initial, (current) => {
    // The first pass can reuse the check already made.
    const result = first ? reports : checkSet(toSet(rebuild(current)), options);
    first = false;
    return new Map(result.map((r) => [r.path, r.diagnostics]));
  });
  let changed = 0;
  let diff = "";
  let writeFailed = false;
  for (const [path, source] of sources) {
    const before = initial.get(path)!;
    if (source === before) continue;
    changed++;
    if (opts.fixDryRun) {
      diff += unifiedDiff(fromBinary(before), fromBinary(source), path === "-" ? (opts.stdinFilename ?? "stdin") : diffLabel(path, globals.root));
      continue;
    }
    try {
      // The writer (and the builtins it needs: crypto, child_process) loads only when --fix writes.
      const { safeWriteFile } = await import("../../write/index.js");
      await safeWriteFile(path, fromBinary(source));
    } catch (err) {
      ioError(err instanceof Error ? err.message : String(err));
      writeFailed = true;
    }
  }
  return { reports: changed > 0 ? checkSet(toSet(rebuild(sources)), options) : reports, changed, diff, writeFailed };
}
