#!/usr/bin/env node
// `npm run bench` (after `npm run build`): how fast `inittab` starts, how it scales, what it
// costs in memory, and how it compares with augtool. Prints a table, writes bench/results.json,
// and exits 1 when a target of issue #7 is missed. Speed goals live here, never in timed tests.
//
//   node bench/run.js [--update-readme] [--no-hyperfine] [--augtool-220k] [--packages N] [--big-archive-gib N]
//     [--packages-only] [--batch-only]
//
// Commands are timed with hyperfine when it is installed (Debian package hyperfine), else with a
// small harness here (spawnSync, wall clock); either way the figure is the median of the runs.
// Peak RSS is the child's ru_maxrss, read with python3's resource module.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeInputs } from "./inputs.js";
import { CHILD, writePackages } from "./packages.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(root, "bin", "inittab.js");
const TYPICAL = join(root, "samples", "debian-desktop.inittab");
const argv = process.argv.slice(2);
const args = new Set(argv);
const option = (name, fallback) => {
  const at = argv.indexOf(name);
  return at >= 0 && argv[at + 1] !== undefined ? Number(argv[at + 1]) : fallback;
};

if (!existsSync(join(root, "dist", "cli.cjs"))) {
  process.stderr.write("bench: dist/cli.cjs is missing; run `npm run build` first\n");
  process.exit(2);
}

const has = (cmd) => spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
const HYPERFINE = has("hyperfine") && !args.has("--no-hyperfine");
const AUGTOOL = has("augtool");
const PYTHON = has("python3");

const node = process.execPath;
const inittab = (...rest) => [node, BIN, ...rest];
const augtool = (file) => [
  "augtool",
  "--noautoload",
  "--transform",
  `Inittab.lns incl ${file}`,
  "print",
  `/files${file}`,
];

/** A command line for hyperfine's own word splitting (-N): every word single-quoted. */
const shellWords = (argv) => argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(" ");

function once(argv) {
  const t0 = performance.now();
  const r = spawnSync(argv[0], argv.slice(1), { stdio: "ignore", maxBuffer: 1 << 30 });
  const ms = performance.now() - t0;
  if (r.error) throw r.error;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${argv.join(" ")}: exit ${r.status}`);
  return ms;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * Median wall time of a command in ms. `runs` fixed, or chosen from one probe run: slow
 * commands get fewer runs (augtool needs seconds per run at 22,000 lines).
 */
function time(argv, { runs, warmup } = {}) {
  if (runs === undefined) {
    const probe = once(argv);
    runs = probe > 2000 ? 3 : probe > 400 ? 5 : 10;
    warmup = probe > 2000 ? 0 : 2;
  }
  warmup ??= 3;
  if (HYPERFINE) {
    const out = join(work, "hyperfine.json");
    const r = spawnSync(
      "hyperfine",
      [
        "-N",
        "-i",
        "--style",
        "none",
        "--warmup",
        String(warmup),
        "--runs",
        String(runs),
        "--export-json",
        out,
        shellWords(argv),
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    if (r.status !== 0) throw new Error(`hyperfine failed on ${argv.join(" ")}: ${r.stderr}`);
    return { ms: JSON.parse(readFileSync(out, "utf8")).results[0].median * 1000, runs };
  }
  for (let i = 0; i < warmup; i++) once(argv);
  const times = [];
  for (let i = 0; i < runs; i++) times.push(once(argv));
  return { ms: median(times), runs };
}

/** Peak resident set of one run of the command, in MB (null without python3). */
function peakRss(argv) {
  if (!PYTHON) return null;
  const script =
    "import resource,subprocess,sys\nsubprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL)\nprint(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)";
  const r = spawnSync("python3", ["-c", script, ...argv], { encoding: "utf8" });
  return r.status === 0 ? Number(r.stdout.trim()) / 1024 : null;
}

/** Peak RSS of `argv` (MB) reading the output of `writer` on its stdin; the writer is not counted. */
function peakRssPiped(writer, argv) {
  if (!PYTHON) return null;
  const script = [
    "import resource,subprocess,sys",
    "n=int(sys.argv[1])",
    "w=subprocess.Popen(sys.argv[2:2+n],stdout=subprocess.PIPE)",
    "subprocess.run(sys.argv[2+n:],stdin=w.stdout,stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL)",
    "w.stdout.close()",
    // Only the reader has been waited for: RUSAGE_CHILDREN is its peak.
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)",
    "w.wait()",
  ].join("\n");
  const r = spawnSync("python3", ["-c", script, String(writer.length), ...writer, ...argv], { encoding: "utf8" });
  return r.status === 0 ? Number(r.stdout.trim().split("\n")[0]) / 1024 : null;
}

/** In-process time of parse + check, JIT warm: the median of 5 runs after one. */
async function inProcess(file) {
  const { parse } = await import("../dist/document/index.js");
  const { checkSet } = await import("../dist/rules/index.js");
  const bytes = readFileSync(file);
  const run = () => {
    const t0 = performance.now();
    checkSet({ main: { path: file, doc: parse(bytes) } });
    return performance.now() - t0;
  };
  run();
  return median(Array.from({ length: 5 }, run));
}

const work = mkdtempSync(join(tmpdir(), "inittab-bench-"));
const rows = [];
const targets = [];
const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
const mb = (x) => (x === null ? "n/a" : `${x.toFixed(0)} MB`);
const row = (what, t, rss, note = "") => {
  rows.push({ what, ms: t.ms, runs: t.runs, rssMB: rss, note });
  process.stderr.write(`  ${what}: ${fmt(t.ms)}${rss !== null ? `, ${mb(rss)}` : ""}${note ? ` (${note})` : ""}\n`);
  return t.ms;
};
const target = (name, value, limit, kind) =>
  targets.push({ name, value, limit, kind, pass: kind === "max" ? value <= limit : value >= limit });

try {
  process.stderr.write(`bench: ${HYPERFINE ? "hyperfine" : "node harness"}; generating inputs in ${work}\n`);
  const inputs = writeInputs(work, { typical: TYPICAL });

  if (!args.has("--packages-only") && !args.has("--batch-only")) {
    // a. Cold start: a typical file, against bare Node.
    const bare = row("node -e 0", time([node, "-e", "0"], { runs: 20, warmup: 5 }), peakRss([node, "-e", "0"]));
    const cold = row(
      "inittab check (47-line sample)",
      time(inittab("check", TYPICAL), { runs: 20, warmup: 5 }),
      peakRss(inittab("check", TYPICAL)),
    );
    target("cold start vs `node -e 0`", cold / bare, 1.3, "max");

    // b. Large files, whole process and in-process; augtool on the same files.
    const whole = {};
    for (const n of [2_200, 22_000, 220_000]) {
      const file = inputs.large[n];
      const rss = peakRss(inittab("check", file));
      whole[n] = row(`inittab check, ${n.toLocaleString("en")} lines`, time(inittab("check", file)), rss);
      rows.push({
        what: `in-process parse + check, ${n.toLocaleString("en")} lines`,
        ms: await inProcess(file),
        runs: 5,
        rssMB: null,
        note: "",
      });
      if (n === 220_000 && rss !== null) target("peak RSS at 220,000 lines (MB)", rss, 250, "max");
    }
    // The largest file accepted by default (16 MiB, --max-size): memory stays in proportion.
    const largestLines = readFileSync(inputs.largest, "latin1").split("\n").length - 1;
    row(
      `inittab check, the largest accepted file (16 MiB, ${largestLines.toLocaleString("en")} lines)`,
      time(inittab("check", inputs.largest), { runs: 1, warmup: 0 }),
      peakRss(inittab("check", inputs.largest)),
    );
    target("220,000 lines vs 22,000 lines (time)", whole[220_000] / whole[22_000], 12, "max");
    if (AUGTOOL) {
      for (const n of [2_200, 22_000, ...(args.has("--augtool-220k") ? [220_000] : [])]) {
        const t = row(
          `augtool print, ${n.toLocaleString("en")} lines`,
          time(augtool(inputs.large[n])),
          peakRss(augtool(inputs.large[n])),
        );
        if (n === 22_000) target("augtool vs inittab at 22,000 lines (times faster)", t / whole[22_000], 50, "min");
      }
    } else {
      process.stderr.write("  augtool: not installed (Debian package augeas-tools); comparison skipped\n");
    }

    // c. Batch: 1,000 files in one call against one file.
    const batch = row(
      "inittab check, 1,000 files in one call",
      time(inittab("check", inputs.batch)),
      peakRss(inittab("check", inputs.batch)),
    );
    target("1,000 files vs 1 file", batch / cold, 3, "max");

    // Linearity guards: inputs whose findings refer to other lines (duplicate ids, merges,
    // exec entries, split long lines) and a CRLF file's fixes as a diff.
    const guards = [
      ["pathological sysvinit@3.06", (f) => inittab("-d", "sysvinit@3.06", "check", f), inputs.sysvinit],
      ["pathological sysvinit@3.14", (f) => inittab("-d", "sysvinit@3.14", "check", f), inputs.sysvinit],
      ["pathological busybox", (f) => inittab("-d", "busybox", "check", f), inputs.busybox],
      ["plain busybox (no continuation)", (f) => inittab("-d", "busybox", "check", f), inputs.busyboxPlain],
      ["CRLF check --fix-dry-run", (f) => inittab("check", "--fix-dry-run", f), inputs.crlf],
    ];
    for (const [name, command, files] of guards) {
      const small = row(`${name}, 22,000 lines`, time(command(files[22_000])), null);
      const big = row(`${name}, 220,000 lines`, time(command(files[220_000]), { runs: 1, warmup: 0 }), null);
      target(`${name}: 220,000 vs 22,000 lines`, big / small, 12, "max");
    }
  }

  // e. Many edits in one call (issue #15): `inittab batch` with 1, 10 and 100 operations against
  // as many `sed -i` calls, per operation, each run on a fresh copy of the typical file.
  if (!args.has("--packages-only")) benchBatch();

  // d. Packages (issue #16): one call over a directory of .deb packages against dpkg-deb and
  // tar per package, side by side; and peak RSS streaming a large tar.gz with a small inittab.
  if (!args.has("--batch-only")) await benchPackages();
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** Median ms of `argv` run `runs` times, each after `prepare()` (not timed). */
function timeWith(argv, prepare, runs) {
  const times = [];
  for (let i = 0; i < runs + 1; i++) {
    prepare();
    const t = once(argv);
    if (i > 0) times.push(t);
  }
  return { ms: median(times), runs };
}

function benchBatch() {
  const file = join(work, "batch.inittab");
  const fresh = () => writeFileSync(file, readFileSync(TYPICAL));
  for (const n of [1, 10, 100]) {
    const ops = join(work, `ops-${n}`);
    const lines = Array.from({ length: n }, (_, k) => `b${k}:2:once:/bin/echo ${k}`);
    writeFileSync(ops, lines.map((l) => `add '${l}'\n`).join(""));
    const sed = join(work, `sed-${n}.sh`);
    writeFileSync(sed, lines.map((l) => `sed -i '$a ${l}' "$1"\n`).join(""));
    const runs = n === 100 ? 5 : 10;
    const ours = timeWith(inittab("batch", "--ops", ops, "--file", file), fresh, runs);
    const what = `inittab batch, ${n} operation${n === 1 ? "" : "s"}: ${fmt(ours.ms / n)} per operation`;
    rows.push({ what, ms: ours.ms, runs, rssMB: null, note: "" });
    const theirs = timeWith(["sh", sed, file], fresh, runs);
    const sedWhat = `sed -i, ${n} call${n === 1 ? "" : "s"}: ${fmt(theirs.ms / n)} per operation`;
    rows.push({ what: sedWhat, ms: theirs.ms, runs, rssMB: null, note: "" });
    process.stderr.write(`  batch of ${n}: inittab ${fmt(ours.ms / n)}/op, sed -i ${fmt(theirs.ms / n)}/op\n`);
  }
}

async function benchPackages() {
  const archiveModule = join(root, "dist", "archive", "index.js");
  if (!existsSync(archiveModule) || !has("xz")) {
    process.stderr.write("  packages: dist/archive or the xz program is missing; skipped\n");
    return;
  }
  const n = option("--packages", 1000);
  const dir = join(work, "packages");
  mkdirSync(dir);
  writePackages(dir, n, [TYPICAL, join(root, "samples", "busybox-board.inittab")]);
  const child = join(work, "read-archives.mjs");
  writeFileSync(child, CHILD);
  process.env.INITTAB_ARCHIVE_MODULE = archiveModule;
  const count = n.toLocaleString("en");
  const perSecond = (ms) => `${Math.round(n / (ms / 1000)).toLocaleString("en")} packages/s`;
  const dpkg = has("dpkg-deb") && has("tar");
  // Reading: src/archive alone against dpkg-deb | tar per package.
  const ours = time([node, child, "dir", dir], { runs: 3, warmup: 1 });
  const oursRss = peakRss([node, child, "dir", dir]);
  row(`src/archive: find the inittab in ${count} .deb (one process)`, ours, oursRss, perSecond(ours.ms));
  if (dpkg) {
    const loop =
      'for f in "$1"/*.deb; do dpkg-deb --fsys-tarfile "$f" | tar xO ./usr/share/sysvinit/inittab >/dev/null; done';
    const theirs = time(["sh", "-c", loop, "sh", dir], { runs: 3, warmup: 1 });
    row(`dpkg-deb --fsys-tarfile | tar xO, ${count} .deb`, theirs, null, perSecond(theirs.ms));
  }
  // Reading and checking: one call over the directory against dpkg-deb | tar | inittab check -
  // per package, each package's template checked either way.
  const check = time(inittab("check", dir), { runs: 3, warmup: 1 });
  const checkRss = peakRss(inittab("check", dir));
  row(`inittab check DIR, ${count} .deb in one call`, check, checkRss, perSecond(check.ms));
  if (dpkg) {
    const loop =
      'for f in "$1"/*.deb; do dpkg-deb --fsys-tarfile "$f" | tar xO ./usr/share/sysvinit/inittab | ' +
      '"$2" "$3" check - >/dev/null; done';
    const theirs = time(["sh", "-c", loop, "sh", dir, node, BIN], { runs: 1, warmup: 0 });
    row(`dpkg-deb | tar xO | inittab check - per .deb, ${count} .deb`, theirs, null, perSecond(theirs.ms));
    const name = "inittab check DIR vs dpkg-deb | tar | inittab check - per package (times faster)";
    target(name, theirs.ms / check.ms, 2, "min");
  }
  const gib = option("--big-archive-gib", 1);
  const big = [node, child, "big", String(Math.round(gib * 1024 ** 3))];
  const bigRss = peakRss(big);
  row(`src/archive: a ${gib} GiB tar.gz with a small inittab`, time(big, { runs: 1, warmup: 0 }), bigRss);
  if (bigRss !== null) target(`peak RSS reading a ${gib} GiB archive (MB)`, bigRss, 200, "max");
  // The same through the CLI: `inittab check -` reading the tar.gz from a pipe.
  const stream = [node, child, "stream", String(Math.round(gib * 1024 ** 3))];
  const cliRss = peakRssPiped(stream, inittab("check", "-"));
  const viaCli = ["sh", "-c", 'node="$1" bin="$2"; shift 2; "$@" | "$node" "$bin" check -', "sh", node, BIN, ...stream];
  row(`inittab check - < a ${gib} GiB tar.gz with a small inittab`, time(viaCli, { runs: 1, warmup: 0 }), cliRss);
  if (cliRss !== null) target(`peak RSS, inittab check - on a ${gib} GiB archive (MB)`, cliRss, 250, "max");
}

const cpu = cpus()[0]?.model ?? "unknown CPU";
/** A table cell: a shell pipeline's `|` would end the cell. */
const cell = (text) => text.replace(/\|/g, "\\|");
const table = [
  "| measurement | median | peak RSS |",
  "| --- | ---: | ---: |",
  ...rows.map(
    (r) =>
      `| ${cell(r.what.startsWith("in-process") ? `↳ ${r.what}` : r.what)} | ${fmt(r.ms)} | ${r.rssMB === null ? "" : mb(r.rssMB)} |`,
  ),
  "",
  "| target (issues #7, #16) | measured | limit | |",
  "| --- | ---: | ---: | --- |",
  ...targets.map(
    (t) =>
      `| ${cell(t.name)} | ${t.value.toFixed(t.value >= 100 ? 0 : 2)} | ${t.kind === "max" ? "≤" : "≥"} ${t.limit} | ${t.pass ? "met" : "**missed**"} |`,
  ),
].join("\n");
const header = `${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpu}, Node ${process.version}, ${HYPERFINE ? "hyperfine" : "node harness"}${AUGTOOL ? `, ${augtoolVersion()}` : ""}`;
process.stdout.write(`\n${header}\n\n${table}\n`);

// A partial run (--packages-only, --batch-only) prints its table but keeps the full run's results.
const partial = args.has("--packages-only") || args.has("--batch-only");
if (!partial)
  writeFileSync(
    join(root, "bench", "results.json"),
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: cpus().length, cpu, timer: HYPERFINE ? "hyperfine" : "node", rows, targets }, null, 2)}\n`,
  );

if (args.has("--update-readme") && !partial) {
  const readme = join(root, "README.md");
  const text = readFileSync(readme, "utf8");
  const start = "<!-- bench:start -->";
  const end = "<!-- bench:end -->";
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a === -1 || b === -1) throw new Error("README.md has no bench markers");
  writeFileSync(readme, `${text.slice(0, a + start.length)}\n${header}\n\n${table}\n${text.slice(b)}`);
}

const missed = targets.filter((t) => !t.pass);
if (missed.length > 0) {
  process.stderr.write(`bench: ${missed.length} target(s) missed: ${missed.map((t) => t.name).join("; ")}\n`);
  process.exit(1);
}

/** `augtool 1.14.0`: the first line of its --version (printed on stdout or stderr). */
function augtoolVersion() {
  const r = spawnSync("augtool", ["--version"], { encoding: "utf8" });
  return `${r.stdout}${r.stderr}`.split("\n")[0].replace(/\s*<.*$/, "");
}
