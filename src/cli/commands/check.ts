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
import { InittabError } from "../../base/errors.js";
import { inFlags, usageError } from "../errors.js";
import {
  displayPath,
  effectiveDialect,
  prepareForInputs,
  fileOptions,
  imageOptions,
  lockOptions,
  lockTimeoutOption,
  readInput,
  useColor,
  type GlobalOptions,
} from "../io.js";
import { backupSuffix } from "../write-options.js";
import { parse, parseBinary } from "../../document/index.js";
import { count, drained, escapeText, fromBinary } from "../../base/index.js";
import { stringifyJson } from "../../base/bytes.js";
import { SYSVINIT_TABLES, type Dialect } from "../../dialects/index.js";
import {
  checkSet,
  compareVersions,
  PROFILES,
  RULES,
  helpUri,
  type CheckOptions,
  type FileReport,
  type InittabSet,
} from "../../rules/index.js";
import { readInputs, type InputSet } from "../../inputs/index.js";
import {
  CONFIG_FILE_NAME,
  ConfigFinder,
  disabledCodes,
  FAIL_ON,
  fails,
  readConfig,
  ruleCodes,
  type FailOn,
  type InittabConfig,
} from "../../inputs/config.js";
import { fixSources } from "../../rules/fix.js";
import { FORMATS, summarize, type Format, type ReportedFile } from "../../report/types.js";
import { formatTextFile, summaryLine } from "../../report/text.js";
import { formatGithub, formatGnu, formatJson } from "../../report/machine.js";
import { formatSarif } from "../../report/sarif.js";
import { diffLabel, escapeDiff, unifiedDiff } from "../../edit/diff.js";

interface CheckCliOptions {
  format: Format;
  backup?: string | boolean;
  file?: string[];
  output?: string;
  stderr?: boolean;
  quiet?: boolean;
  maxWarnings?: number;
  failOn?: FailOn;
  disable?: string[];
  enable?: string[];
  config?: string | false;
  profile?: string;
  from?: string;
  fix?: boolean;
  fixDryRun?: boolean;
  listRules?: boolean;
  stdinFilename?: string;
  lockTimeout?: number;
}

/** The settings of one group: the config file found for it, overridden by the flags. */
interface GroupSettings {
  dialect: string;
  options: CheckOptions;
  failOn: FailOn;
  config: InittabConfig | undefined;
}

/** Above this many lines a set is not checked again with every version (the cost is a check per version). */
const VERSION_COMPARE_MAX_LINES = 20_000;

function parseCount(value: string): number {
  if (!/^\d+$/.test(value)) throw usageError(`--max-warnings: "${escapeText(value)}" is not a non-negative integer`);
  return Number(value);
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

export function register(program: Command, ctx: CliContext): void {
  program
    .command("check")
    .description("predict what init does with every line; report errors, warnings and infos")
    .argument(
      "[paths...]",
      "files, packages or rootfs archives, - for stdin, or directories to search " +
        "(default: /etc/inittab and /etc/inittab.d/*.tab, under --root if given)",
    )
    .option("--file <path>", "a file to check, as a PATH operand (repeatable)", collect)
    .addOption(new Option("-f, --format <format>", "output format").choices([...FORMATS]).default("text"))
    .option("-o, --output <file>", "write the report to FILE (atomically) instead of stdout; - is stdout")
    .option("--stderr", "write the report to stderr (Ansible's validate:, Puppet's validate_cmd show only stderr)")
    .option("-q, --quiet", "report errors only (the summary says how many others it left out)")
    .addOption(
      new Option("--fail-on <severity>", "exit 1 when a finding is at least this severe (default error)").choices([
        ...FAIL_ON,
      ]),
    )
    .option("--max-warnings <n>", "exit 1 when there are more than N warnings", parseCount)
    .option("--disable <codes>", "do not report these codes (comma-separated, repeatable; `all`: every code)", collect)
    .option("--enable <codes>", "report these codes even if the config file or --disable all turns them off", collect)
    .option("--config <file>", `read settings from FILE, not the nearest ${CONFIG_FILE_NAME} above each checked file`)
    .option("--no-config", `ignore ${CONFIG_FILE_NAME} files`)
    .addOption(new Option("--profile <name>", "extra rules for a special-purpose inittab").choices([...PROFILES]))
    .option(
      "--from <file>",
      "with --profile tmpfs: the inittab init runs now, whose shutdown entry the dummy must keep " +
        "(default DIR/etc/inittab with --root)",
    )
    .option("--fix", "apply the safe fixes in place (CRLF, final newline, action case and blanks, s→S, a BOM)")
    .option("--fix-dry-run", "print the safe fixes as a unified diff instead of writing them")
    .option("--backup [suffix]", "with --fix: keep each previous file as FILE<suffix> (default .bak; --backup=SUFFIX)")
    .option("--stdin-filename <name>", "the name to report standard input as")
    .addOption(lockTimeoutOption())
    .option("--list-rules", "list every rule code with its severity and title")
    .action(async (operands: string[], opts: CheckCliOptions) => {
      const globals = ctx.globals();
      const paths = [...operands, ...(opts.file ?? [])];
      if (opts.listRules) {
        if (paths.length > 0) throw usageError("--list-rules lists the rules; it checks no PATH");
        listRules(opts.format);
        return;
      }
      if (opts.fix && opts.fixDryRun) throw usageError("--fix and --fix-dry-run exclude each other");
      if (opts.backup !== undefined && !opts.fix) throw usageError("--backup keeps the files --fix writes: add --fix");
      if (opts.fix && paths.includes("-"))
        throw usageError("--fix cannot write back to standard input; use --fix-dry-run");
      if (opts.stderr && opts.output !== undefined) {
        throw usageError("--stderr cannot be used with -o (the report goes to one place)");
      }
      if (opts.stdinFilename !== undefined && !paths.includes("-")) {
        throw usageError("--stdin-filename names standard input: add - as a PATH");
      }
      if (paths.filter((p) => p === "-").length > 1) throw usageError("- (standard input) can be given once");
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
  for (const r of RULES)
    process.stdout.write(
      `${r.code.padEnd(width)}  ${r.severity.padEnd(7)}  ${r.group.padEnd(9)}  ${r.title}${r.fixable ? " (fixable)" : ""}\n`,
    );
}

/** --profile tmpfs: the inittab init runs now (--from, or DIR/etc/inittab under --root). */
function runningInittab(opts: CheckCliOptions, globals: GlobalOptions): Pick<CheckOptions, "running"> {
  if (opts.from !== undefined && opts.profile !== "tmpfs") throw usageError("--from goes with --profile tmpfs");
  if (opts.profile !== "tmpfs") return {};
  const path = opts.from ?? (globals.root !== undefined ? join(globals.root, "etc/inittab") : undefined);
  if (path === undefined || (opts.from === undefined && !existsSync(path))) return {};
  const doc = parse(readInput(path, globals), { dialect: effectiveDialect(globals) });
  return { running: { path: displayPath(path), doc } };
}

/** Report an I/O problem the way every command does: one line naming the file. */
function ioError(message: string): void {
  process.stderr.write(`inittab: ${message}\n`);
}

/** Where the report goes: stdout, stderr (--stderr), or a file written once at the end (-o). */
class ReportSink {
  private readonly chunks: Array<string | Uint8Array> = [];
  readonly stream: NodeJS.WriteStream | undefined;

  constructor(
    private readonly file: string | undefined,
    toStderr: boolean,
  ) {
    this.stream = file !== undefined && file !== "-" ? undefined : toStderr ? process.stderr : process.stdout;
  }

  get isTTY(): boolean {
    return this.stream?.isTTY === true;
  }

  write(chunk: string | Uint8Array): void {
    if (this.stream) this.stream.write(chunk);
    else this.chunks.push(chunk);
  }

  /**
   * A piece of a long report, waiting while a slow reader (a pipe into `less`) has not taken
   * the previous ones: the report is then never queued whole in memory.
   */
  async writeStreamed(piece: string): Promise<void> {
    const stream = this.stream;
    if (!stream) {
      this.chunks.push(piece);
      return;
    }
    if (!stream.write(piece)) await drained(stream);
  }

  /** Write the file of -o; a failure is the command's error (exit 2). */
  async close(): Promise<void> {
    if (this.stream || this.file === undefined) return;
    const { safeWriteFile } = await import("../../write/index.js");
    const bytes = Buffer.concat(this.chunks.map((c) => (typeof c === "string" ? Buffer.from(c) : Buffer.from(c))));
    await safeWriteFile(this.file, new Uint8Array(bytes));
  }
}

async function runCheck(paths: string[], opts: CheckCliOptions, globals: GlobalOptions): Promise<number> {
  let exit = 0;
  const cliDisable = ruleCodes(opts.disable ?? [], "--disable");
  const cliEnable = ruleCodes(opts.enable ?? [], "--enable");
  const explicitConfig = typeof opts.config === "string" ? readConfig(opts.config) : undefined;
  const finder = opts.config === false ? undefined : new ConfigFinder();
  /** The config file that applies to a path (a file, an archive, `-`): --config, or the nearest above it. */
  const configFor = (anchor: string): InittabConfig | undefined =>
    explicitConfig ?? finder?.find(anchor === "-" ? "." : anchor.replace(/!\/.*$/, ""));
  const running = runningInittab(opts, globals);
  const settingsFor = (set: InputSet): GroupSettings => {
    const config = configFor(set.archive?.path ?? set.main?.path ?? set.tabs[0]?.path ?? ".");
    const disable = disabledCodes(config, cliDisable, cliEnable);
    return {
      dialect: effectiveDialect(globals, config?.dialect),
      failOn: opts.failOn ?? config?.failOn ?? "error",
      config,
      options: {
        ...(globals.allowExec || config?.allowExec ? { allowExec: true } : {}),
        ...imageOptions(globals),
        ...(opts.profile !== undefined ? { profile: opts.profile } : {}),
        ...(disable.length > 0 ? { disable } : {}),
        ...running,
      },
    };
  };
  let maxWarnings = opts.maxWarnings;

  const tty = process.stderr.isTTY === true && opts.format !== "github" && !opts.stderr;
  let progressShown = false;
  const clearProgress = (): void => {
    if (progressShown) process.stderr.write("\r\x1b[K");
    progressShown = false;
  };
  const sink = new ReportSink(opts.output, opts.stderr === true);
  const reported: ReportedFile[] = [];
  // The human format is written file by file as the check goes, and each document is let go
  // once its part is out: a tree of 1,000 files or a file of 200,000 lines keeps one document
  // in memory at a time. The machine formats are one document each, written at the end.
  const streaming = opts.format === "text" && !opts.fixDryRun;
  const color = streaming && sink.stream !== undefined && useColor(sink.stream);
  let done = 0;
  let fixedFiles = 0;
  let diffs = "";
  let failing = false;
  const hidden = { warnings: 0, infos: 0 };
  let warnings = 0;
  /** Archives whose inittabs have fixes that cannot be written into them. */
  const unfixed = new Set<string>();
  prepareForInputs(paths, globals);
  const inputs = readInputs(paths, {
    dialect: (anchor) => effectiveDialect(globals, configFor(anchor)?.dialect),
    ...(globals.root !== undefined ? { root: globals.root } : {}),
    ...(globals.maxBytes !== undefined ? { maxBytes: globals.maxBytes } : {}),
    ...(opts.stdinFilename !== undefined ? { stdinName: opts.stdinFilename } : {}),
  });
  for await (const item of inputs) {
    if (item.kind === "error") {
      clearProgress();
      ioError(inFlags(item.error.message));
      exit = 2;
      continue;
    }
    if (item.kind === "note") {
      clearProgress();
      ioError(item.message);
      continue;
    }
    const set = item.set;
    const settings = settingsFor(set);
    maxWarnings ??= settings.config?.maxWarnings;
    // A rootfs archive is its own image: its programs and ttys are looked up inside it.
    const options: CheckOptions = set.archive?.image
      ? { ...settings.options, image: set.archive.image, imageName: set.archive.display }
      : settings.options;
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
    const detection = imageDetection(set, settings.dialect, globals);
    const assumed =
      !opts.fix && !opts.fixDryRun && versionAssumed(set, settings.dialect, globals)
        ? assumedOutcomes(set, reports, options)
        : undefined;
    const files = reports.map((r, i) => toReported(r, set, detection, assumed?.[i]));
    for (const f of files) {
      for (const d of f.diagnostics) {
        if (fails(d.severity, settings.failOn)) failing = true;
        if (d.severity === "warning") warnings++;
      }
      if (opts.quiet) {
        hidden.warnings += f.diagnostics.filter((d) => d.severity === "warning").length;
        hidden.infos += f.diagnostics.filter((d) => d.severity === "info").length;
        f.diagnostics = f.diagnostics.filter((d) => d.severity === "error");
      }
    }
    if (streaming) {
      for (const f of files) {
        for (const piece of formatTextFile(f, color)) {
          clearProgress();
          await sink.writeStreamed(piece);
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
  if (opts.quiet && hidden.warnings + hidden.infos > 0) summary.hidden = hidden;
  if (opts.fixDryRun) {
    // The diff is the output; on a terminal its control bytes are escaped, in a pipe it stays
    // byte-exact so that `git apply` / `patch -p1` can apply it.
    sink.write(sink.isTTY ? escapeDiff(diffs) : Buffer.from(diffs, "latin1"));
    process.stderr.write(`${count(fixedFiles, "file")} would be fixed; after the fixes: ${summaryLine(summary)}\n`);
  } else if (reported.length > 0 || exit !== 2 || opts.format !== "text") {
    // When nothing could be read, the one-line error says it all ("no problems in 0 files"
    // would read as a pass); machine formats still get their (empty) document.
    writeReport(sink, reported, summary, opts);
    if (opts.fix) process.stderr.write(`fixed ${count(fixedFiles, "file")}\n`);
  }
  try {
    await sink.close();
  } catch (err) {
    if (!(err instanceof InittabError)) throw err;
    ioError(err.message);
    exit = 2;
  }
  if (failing) exit = Math.max(exit, 1);
  if (maxWarnings !== undefined && warnings > maxWarnings) {
    if (opts.format === "text") {
      process.stderr.write(`inittab: ${count(warnings, "warning")}, more than --max-warnings ${maxWarnings}\n`);
    }
    exit = Math.max(exit, 1);
  }
  return exit;
}

/**
 * Is the version of the group's dialect a guess? It is when sysvinit was detected from the
 * content or named without a version (`-d sysvinit`), and no image or package said which one it is.
 */
function versionAssumed(group: InputSet, dialect: string, globals: GlobalOptions): boolean {
  const doc = group.main?.doc ?? group.tabs[0]?.doc;
  if (!doc || doc.dialect.family !== "sysvinit") return false;
  if (globals.imageInit && !globals.dialectGiven && dialect === globals.imageInit.dialect) return false;
  // A package that says which sysvinit it is for names the version.
  if (dialect === "auto" && group.archive?.dialectHint?.version !== undefined) return false;
  return dialect === "auto" || dialect === "sysvinit";
}

/** The header note and the per-finding versions of a version-assumed group (rules/versions.ts). */
function assumedOutcomes(
  group: InputSet,
  reports: FileReport[],
  options: CheckOptions,
): Array<ReportedFile["assumed"]> {
  const docs = [...(group.main ? [group.main.doc] : []), ...group.tabs.map((t) => t.doc)];
  const assumed = docs[0]!.dialect;
  const others = SYSVINIT_TABLES.filter((t) => t.name !== assumed.name)
    .map((t) => t.name.replace(/^sysvinit@/, ""))
    .join(", ");
  const lines = docs.reduce((n, d) => n + d.lines.length, 0);
  const version = assumed.name.replace(/^sysvinit@/, "");
  if (lines > VERSION_COMPARE_MAX_LINES) {
    const limit = VERSION_COMPARE_MAX_LINES.toLocaleString("en");
    const note =
      `version assumed: ${version} (-d sysvinit@VERSION names yours; ` +
      `${others} were not compared: over ${limit} lines)`;
    return reports.map(() => ({ note, elsewhere: {} }));
  }
  const outcomes = compareVersions(toSet(group), reports, assumed, SYSVINIT_TABLES, options);
  const differs = outcomes.elsewhere.size > 0 || outcomes.versions.some((marks) => marks.size > 0);
  const note =
    `version assumed: ${version} (-d sysvinit@VERSION names yours; ` +
    (differs ? `findings marked "only" differ in ${others})` : `${others} find the same)`);
  return reports.map((_r, i) => {
    for (const [d, versions] of outcomes.versions[i]!) d.versions = versions;
    return { note, elsewhere: i === 0 ? Object.fromEntries(outcomes.elsewhere) : {} };
  });
}

function writeReport(
  sink: ReportSink,
  files: ReportedFile[],
  summary: ReturnType<typeof summarize>,
  opts: CheckCliOptions,
): void {
  switch (opts.format) {
    case "json":
      sink.write(formatJson(files, summary));
      return;
    case "sarif":
      sink.write(
        formatSarif(files, {
          version: VERSION,
          ...(opts.stdinFilename !== undefined ? { stdinName: opts.stdinFilename } : {}),
        }),
      );
      return;
    case "gnu":
      sink.write(formatGnu(files));
      process.stderr.write(`${summaryLine(summary)}\n`);
      return;
    case "github":
      sink.write(formatGithub(files));
      process.stderr.write(`${summaryLine(summary)}\n`);
      return;
    case "text":
      // Written file by file as the check went (runCheck); only the summary is left.
      sink.write(`${summaryLine(summary)}\n`);
  }
}

/** Why the dialect, when an image (--root) and not the file's content said which init it is. */
function imageDetection(set: InputSet, chosen: string, globals: GlobalOptions): string[] | undefined {
  if (set.archive || globals.dialectGiven || !globals.imageInit || chosen !== globals.imageInit.dialect)
    return undefined;
  const i = globals.imageInit;
  return [`the image carries ${i.family} ${i.version} (${i.source}): ${i.reason}`];
}

function toSet(set: InputSet): InittabSet {
  return {
    ...(set.main ? { main: set.main } : {}),
    tabs: set.tabs,
    ...(set.tabDir ? { tabDir: set.tabDir } : {}),
  };
}

function toReported(
  report: FileReport,
  set: InputSet,
  imageReasons: string[] | undefined,
  assumed: ReportedFile["assumed"],
): ReportedFile {
  const input = [...(set.main ? [set.main] : []), ...set.tabs].find((d) => d.path === report.path);
  const doc = report.doc;
  const dialect = doc?.dialect.name ?? set.main?.doc.dialect.name ?? set.tabs[0]?.doc.dialect.name ?? "sysvinit";
  // A file reported on without being read (a name init ignores in inittab.d) is read by the
  // init that reads the set.
  let detection: string[];
  if (imageReasons) detection = imageReasons;
  else if (input) detection = input.doc.detection.reasons;
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
    ...(assumed ? { assumed } : {}),
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
      diff += unifiedDiff(
        fromBinary(before),
        fromBinary(source),
        path === "-" ? (opts.stdinFilename ?? "stdin") : diffLabel(path, globals.root),
      );
      continue;
    }
    try {
      // The writer (and the builtins it needs: crypto, child_process) loads only when --fix writes.
      const { safeWriteFile } = await import("../../write/index.js");
      const backup = backupSuffix({ backup: opts.backup });
      await safeWriteFile(path, fromBinary(source), {
        ...fileOptions(globals),
        ...lockOptions(opts),
        ...(backup !== undefined ? { backup } : {}),
      });
    } catch (err) {
      ioError(err instanceof Error ? inFlags(err.message) : String(err));
      writeFailed = true;
    }
  }
  return { reports: changed > 0 ? checkSet(toSet(rebuild(sources)), options) : reports, changed, diff, writeFailed };
}
