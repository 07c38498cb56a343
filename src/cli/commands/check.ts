/**
 * `inittab check [PATH...]`: predict what the target init does with every line of one or many
 * inittabs (and their inittab.d files), in text, json, sarif, gnu or GitHub annotation format.
 * Exit 0: no errors (and warnings within --max-warnings); 1: errors; 2: usage or I/O error.
 */
import { Option, type Command } from "commander";
import type { CliContext } from "../context.js";
import { VERSION } from "../../base/version.js";
import { InittabError } from "../../base/errors.js";
import { describeFsError, inFlags, usageError } from "../errors.js";
import {
  displayPath, fileOptions, imageOptions, lockOptions, lockTimeoutOption, readInput, useColor, writeStreamed,
  type GlobalOptions,
} from "../io.js";
import { parseBinary, type Document } from "../../document/index.js";
import { escapeText, fromBinary, toBinary } from "../../base/index.js";
import { dialectByName, type Dialect } from "../../dialects/index.js";
import { checkSet, PROFILES, RULES, helpUri, type CheckOptions, type FileReport, type InittabSet } from "../../rules/index.js";
import { collectGroups, defaultGroup, type CheckGroup } from "../../inputs/collect.js";
import { fixSources } from "../../rules/fix.js";
import { FORMATS, summarize, type Format, type ReportedFile } from "../../report/types.js";
import { formatTextFile, summaryLine } from "../../report/text.js";
import { formatGithub, formatGnu, formatJson } from "../../report/machine.js";
import { formatSarif } from "../../report/sarif.js";
import { diffLabel, escapeDiff, unifiedDiff } from "../../edit/diff.js";
import { stringifyJson } from "../../base/bytes.js";

interface CheckCliOptions {
  format: Format;
  quiet?: boolean;
  maxWarnings?: number;
  profile?: string;
  fix?: boolean;
  fixDryRun?: boolean;
  listRules?: boolean;
  stdinFilename?: string;
  lockTimeout?: number;
}

/** One group read from disk: the sources by path, and how each was parsed. */
interface LoadedGroup {
  main?: { path: string; doc: Document };
  tabs: Array<{ path: string; doc: Document }>;
  tabDir?: CheckGroup["tabDir"];
}

function parseCount(value: string): number {
  if (!/^\d+$/.test(value)) throw usageError(`--max-warnings: "${escapeText(value)}" is not a non-negative integer`);
  return Number(value);
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command("check")
    .description("predict what init does with every line; report errors, warnings and infos")
    .argument("[paths...]", "files, - for stdin, or directories to search (default: /etc/inittab and /etc/inittab.d/*.tab, under --root if given)")
    .addOption(new Option("-f, --format <format>", "output format").choices([...FORMATS]).default("text"))
    .option("-q, --quiet", "report errors only")
    .option("--max-warnings <n>", "exit 1 when there are more than N warnings", parseCount)
    .addOption(new Option("--profile <name>", "extra rules for a special-purpose inittab").choices([...PROFILES]))
    .option("--fix", "apply the safe fixes in place (CRLF, final newline, action case and blanks, s→S)")
    .option("--fix-dry-run", "print the safe fixes as a unified diff instead of writing them")
    .addOption(lockTimeoutOption())
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

function listRules(format: Format): void {
  if (format === "json") {
    process.stdout.write(`${stringifyJson(RULES.map((r) => ({ ...r, helpUri: helpUri(r.code) })))}\n`);
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
  const groups: CheckGroup[] = [];
  if (paths.length === 0) {
    groups.push(defaultGroup(globals.root));
  } else {
    for (const path of paths) {
      try {
        const found = collectGroups([path], globals.root);
        if (found.length === 0) {
          ioError(`${displayPath(path)}: no inittab files found (looked for inittab, *.inittab and inittab.d/*.tab)`);
          exit = 2;
        }
        for (const g of found) groups.push(g);
      } catch (err) {
        ioError(err instanceof InittabError ? inFlags(err.message) : describeFsError(displayPath(path), err));
        exit = 2;
      }
    }
  }
  const options: CheckOptions = {
    ...(globals.allowExec ? { allowExec: true } : {}),
    ...imageOptions(globals),
    ...(opts.profile !== undefined ? { profile: opts.profile } : {}),
  };
  const totalFiles = groups.reduce((n, g) => n + (g.main ? 1 : 0) + g.tabs.length, 0);
  const progress = process.stderr.isTTY === true && totalFiles > 20 && opts.format !== "github";
  const reported: ReportedFile[] = [];
  // The human format is written file by file as the check goes, and each document is let go
  // once its part is out: a tree of 1,000 files or a file of 200,000 lines keeps one document
  // in memory at a time. The machine formats are one document each, written at the end.
  const streaming = opts.format === "text" && !opts.fixDryRun;
  const color = streaming && useColor(process.stdout);
  let done = 0;
  let fixedFiles = 0;
  let diffs = "";
  for (const group of groups) {
    const loaded = loadGroup(group, globals);
    if (loaded.failed) exit = 2;
    if (!loaded.group.main && loaded.group.tabs.length === 0) continue;
    let reports = checkSet(toSet(loaded.group), options);
    if (opts.fix || opts.fixDryRun) {
      const outcome = await applyFixes(loaded.group, globals, options, opts, reports);
      if (outcome.writeFailed) exit = 2;
      fixedFiles += outcome.changed;
      diffs += outcome.diff;
      reports = outcome.reports;
    }
    const files = reports.map((r) => toReported(r, loaded.group, opts));
    if (opts.quiet) for (const f of files) f.diagnostics = f.diagnostics.filter((d) => d.severity === "error");
    if (streaming) {
      for (const f of files) {
        for (const piece of formatTextFile(f, color)) {
          if (progress) process.stderr.write("\r\x1b[K");
          await writeStreamed(piece);
        }
        f.doc = undefined;
      }
    }
    for (const f of files) reported.push(f);
    done += (group.main ? 1 : 0) + group.tabs.length;
    if (progress) process.stderr.write(`\r\x1b[Kchecking ${done}/${totalFiles} files`);
  }
  if (progress) process.stderr.write("\r\x1b[K");

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

/** Read and parse a group's files; a file that cannot be read is reported and left out. */
function loadGroup(group: CheckGroup, globals: GlobalOptions): { group: LoadedGroup; failed: boolean } {
  let failed = false;
  // The file as a binary string: its bytes are let go at once, not kept beside the document.
  const read = (path: string): string | undefined => {
    try {
      return toBinary(readInput(path, globals));
    } catch (err) {
      if (!(err instanceof InittabError)) throw err;
      ioError(inFlags(err.message));
      failed = true;
      return undefined;
    }
  };
  const out: LoadedGroup = { tabs: [] };
  let dialect: Dialect | string = globals.dialect;
  if (group.main !== undefined) {
    const source = read(group.main);
    if (source !== undefined) {
      const doc = parseBinary(source, { dialect: globals.dialect });
      out.main = { path: group.main, doc };
      dialect = doc.dialect;
    }
  }
  // inittab.d is sysvinit's: its files are read with the main file's dialect, or as sysvinit
  // when there is no main file to tell.
  if (typeof dialect === "string" && dialect === "auto") dialect = dialectByName("sysvinit")!;
  for (const tab of group.tabs) {
    const source = read(tab);
    if (source !== undefined) out.tabs.push({ path: tab, doc: parseBinary(source, { dialect }) });
  }
  if (group.tabDir) out.tabDir = group.tabDir;
  return { group: out, failed };
}

function toSet(group: LoadedGroup): InittabSet {
  return {
    ...(group.main ? { main: group.main } : {}),
    tabs: group.tabs,
    ...(group.tabDir ? { tabDir: group.tabDir } : {}),
  };
}

function toReported(report: FileReport, group: LoadedGroup, opts: CheckCliOptions): ReportedFile {
  const isMain = group.main?.path === report.path && report.role === "inittab";
  const doc = report.doc;
  const dialect = doc?.dialect.name ?? group.main?.doc.dialect.name ?? group.tabs[0]?.doc.dialect.name ?? "sysvinit";
  let detection: string[];
  if (isMain && doc) detection = doc.detection.reasons;
  else if (group.main) detection = [`an inittab.d file is read by the init that reads ${escapeText(group.main.path)}`];
  else detection = doc?.detection.reasons[0] === "given" ? ["given"] : ["inittab.d is read by sysvinit"];
  const display = report.path === "-" ? (opts.stdinFilename !== undefined ? escapeText(opts.stdinFilename) : displayPath("-")) : displayPath(report.path);
  return { path: report.path, display, dialect, detection, doc, diagnostics: report.diagnostics };
}

/** Fix a group (repeatedly, see rules/fix.ts), write or diff the result, and check it again. */
async function applyFixes(
  group: LoadedGroup,
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
  const rebuild = (sources: ReadonlyMap<string, string>): LoadedGroup => {
    const doc = (path: string) => {
      const d = parseBinary(sources.get(path)!, { dialect: dialectOf.get(path)! });
      // Keep how the dialect was chosen, for the report.
      const original = path === group.main?.path ? group.main.doc : group.tabs.find((t) => t.path === path)!.doc;
      return { ...d, detection: original.detection };
    };
    return {
      ...(group.main ? { main: { path: group.main.path, doc: doc(group.main.path) } } : {}),
      tabs: group.tabs.map((t) => ({ path: t.path, doc: doc(t.path) })),
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
      await safeWriteFile(path, fromBinary(source), { ...fileOptions(globals), ...lockOptions(opts) });
    } catch (err) {
      ioError(err instanceof Error ? inFlags(err.message) : String(err));
      writeFailed = true;
    }
  }
  return { reports: changed > 0 ? checkSet(toSet(rebuild(sources)), options) : reports, changed, diff, writeFailed };
}
