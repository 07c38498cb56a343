/**
 * `inittab parse` and `inittab ls`, run as a user runs them: `node bin/inittab.js` in a child
 * process, on the built CLI (`npm ci` builds it through `prepare`; run `npm run build` first).
 */
import { execFile, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { corpus as corpusFiles, ROOT, SAMPLES, short } from "../support/corpus.js";

const BIN = join(ROOT, "bin/inittab.js");

interface Run {
  code: number;
  stdout: Buffer;
  stderr: string;
}

function run(args: string[], input?: Uint8Array): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, input, env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr.toString("utf8") };
}

function runAsync(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: ROOT, encoding: "buffer", maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : -1) : 0;
        resolve({ code, stdout, stderr: stderr.toString("utf8") });
      },
    );
  });
}

interface ParseJson {
  dialect: string;
  lines: { kind: string; line: number; start: number; end: number; id?: string; action?: string }[];
}

/** The JSON lines tile the file: first at 0, each where the last ended, the last at its size. */
function expectTiles(json: ParseJson, size: number): void {
  let at = 0;
  let line = 0;
  for (const l of json.lines) {
    expect(l.start).toBe(at);
    expect(l.end).toBeGreaterThan(l.start);
    expect(l.line).toBeGreaterThan(line);
    expect(["entry", "comment", "blank", "invalid"]).toContain(l.kind);
    at = l.end;
    line = l.line;
  }
  expect(at).toBe(size);
}

beforeAll(() => {
  if (!existsSync(join(ROOT, "dist/cli/main.js"))) throw new Error("run `npm run build` before the CLI tests");
});

/**
 * Runs the built CLI's main() on many files inside ONE child process, as `inittab parse FILE`
 * would, and returns each run's exit code and stdout. A process per file costs ~0.15 s of CPU
 * in module loading alone; the corpus has 240 files.
 */
function parseMany(files: string[]): { file: string; code: number; stdout: string }[] {
  const script = `
    import { main } from ${JSON.stringify(join(ROOT, "dist/cli/main.js"))};
    const { readFileSync } = await import("node:fs");
    const files = JSON.parse(readFileSync(0, "utf8"));
    const write = process.stdout.write.bind(process.stdout);
    const results = [];
    for (const file of files) {
      let out = "";
      process.stdout.write = (chunk, ...rest) => { out += chunk; const cb = rest.find((r) => typeof r === "function"); if (cb) cb(); return true; };
      const code = await main(["parse", file]);
      process.stdout.write = write;
      results.push({ file, code, stdout: out });
    }
    write(JSON.stringify(results));
  `;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd: ROOT,
    input: JSON.stringify(files),
    maxBuffer: 256 << 20,
  });
  if (r.status !== 0) throw new Error(`parse harness failed: ${r.stderr.toString("utf8")}`);
  return JSON.parse(r.stdout.toString("utf8")) as { file: string; code: number; stdout: string }[];
}

describe("inittab parse", () => {
  const corpus = corpusFiles().map((f) => f.path);

  it(`tiles every corpus file exactly (${corpus.length} files, the CLI's main() in one child process)`, () => {
    const results = parseMany(corpus);
    expect(results.map((r) => r.file)).toEqual(corpus);
    for (const r of results) {
      expect(r.code, short(r.file)).toBe(0);
      expectTiles(JSON.parse(r.stdout) as ParseJson, statSync(r.file).size);
    }
  });

  // Every 10th corpus file through `node bin/inittab.js` itself, one process each.
  const spread = corpus.filter((_f, i) => i % 10 === 0);
  it(`tiles corpus files run through bin/inittab.js (${spread.length} files, a process each)`, async () => {
    const queue = [...spread];
    const failures: string[] = [];
    const worker = async () => {
      for (let file = queue.shift(); file; file = queue.shift()) {
        const r = await runAsync(["parse", file]);
        try {
          expect(r.code).toBe(0);
          expectTiles(JSON.parse(r.stdout.toString("utf8")) as ParseJson, statSync(file).size);
        } catch (e) {
          failures.push(`${short(file)}: ${(e as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(2, availableParallelism()) }, worker));
    expect(failures).toEqual([]);
  }, 300_000);

  it("reads stdin for `-`, NUL, CR and invalid UTF-8 included", () => {
    const bytes = readFileSync(join(SAMPLES, "broken/binary-junk.inittab"));
    const r = run(["parse", "-"], bytes);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout.toString("utf8")) as ParseJson;
    expectTiles(json, bytes.length);
    // Same answer as from the file.
    expect(JSON.parse(run(["parse", join(SAMPLES, "broken/binary-junk.inittab")]).stdout.toString("utf8"))).toEqual(
      json,
    );
  });

  it("reports the dialect it detected", () => {
    const bb = JSON.parse(run(["parse", join(SAMPLES, "busybox-board.inittab")]).stdout.toString("utf8")) as ParseJson;
    expect(bb.dialect).toBe("busybox");
    const sv = JSON.parse(run(["parse", join(SAMPLES, "debian-desktop.inittab")]).stdout.toString("utf8")) as ParseJson;
    expect(sv.dialect).toBe("sysvinit@3.14");
  });

  it.each([
    ["a missing file", "no/such/inittab", /no such file or directory/],
    ["a directory without inittabs", "docs", /no inittab files found/],
  ])("fails on %s with one line naming it and exit 2", (_what, path, reason) => {
    const r = run(["parse", path]);
    expect(r.code).toBe(2);
    expect(r.stdout.length).toBe(0);
    const lines = r.stderr.split("\n").filter((l) => l !== "");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(path);
    expect(lines[0]).toMatch(reason);
    // No stack trace.
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("uses DIR/etc/inittab under --root", () => {
    const root = mkdtempSync(join(tmpdir(), "inittab-root-"));
    try {
      const r = run(["--root", root, "parse"]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(join(root, "etc/inittab"));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

/**
 * Where init runs an entry, from init's source (docs/internals/sysvinit.md) and independent of the code under
 * test: sysinit in the sysinit phase, boot/bootwait in the boot phase, initdefault/off nowhere,
 * empty runlevels 0-9 (power and ctrlaltdel entries also S), else the field's characters.
 */
function expectedColumns(action: string, runlevels: string): Set<string> {
  const a = action.toLowerCase();
  if (a === "sysinit") return new Set(["sysinit"]);
  if (a === "boot" || a === "bootwait") return new Set(["boot"]);
  if (a === "initdefault" || a === "off") return new Set();
  if (runlevels === "") {
    const power = ["powerwait", "powerfail", "powerokwait", "powerfailnow", "ctrlaltdel"].includes(a);
    return new Set([...(power ? ["S"] : []), ..."0123456789"]);
  }
  return new Set(
    [...runlevels]
      .filter((c) => /[0-9S]/.test(c))
      .concat([...runlevels].filter((c) => /[abcABC]/.test(c)).map((c) => c.toLowerCase())),
  );
}

/** The `ls --matrix` grid as rows of {id, action, marked columns}. */
function readMatrix(out: string): { header: string[]; rows: { id: string; action: string; marked: Set<string> }[] } {
  const [head, ...rest] = out.split("\n\n")[0]!.split("\n");
  const header = head!.trim().split(/\s+/);
  const rows = rest.map((line) => {
    const cells = line.trim().split(/\s+/);
    const marked = new Set(header.slice(2).filter((_c, i) => cells[i + 2] === "x"));
    for (const c of cells.slice(2)) expect(["x", "."]).toContain(c);
    return { id: cells[0]!, action: cells[1]!, marked };
  });
  return { header, rows };
}

describe("inittab ls", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "inittab-ls-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("lists every entry of the sample as a table", () => {
    const file = join(SAMPLES, "debian-desktop.inittab");
    const r = run(["ls", file]);
    expect(r.code).toBe(0);
    const out = r.stdout.toString("utf8").trimEnd().split("\n");
    const entries = (JSON.parse(run(["parse", file]).stdout.toString("utf8")) as ParseJson).lines.filter(
      (l) => l.kind === "entry",
    );
    expect(out[0]).toMatch(/^ID\s+RUNLEVELS\s+ACTION\s+PROCESS$/);
    expect(out.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(entries.map((e) => e.id));
  });

  it("gives the entries as JSON with the runlevels each runs in", () => {
    const r = run(["ls", "--json", join(SAMPLES, "debian-desktop.inittab")]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout.toString("utf8")) as {
      dialect: string;
      entries: { id: string; action: string; runlevels: string; runsIn: string[] }[];
    };
    expect(json.dialect).toBe("sysvinit@3.14");
    expect(json.entries.length).toBe(21);
    const label = (c: string) => (c === "#" ? "sysinit" : c === "*" ? "boot" : c);
    for (const e of json.entries) expect(new Set(e.runsIn.map(label))).toEqual(expectedColumns(e.action, e.runlevels));
  });

  it("draws the matrix of the Debian sample with init's defaults", () => {
    const file = join(SAMPLES, "debian-desktop.inittab");
    const r = run(["ls", "--matrix", file]);
    expect(r.code).toBe(0);
    const { header, rows } = readMatrix(r.stdout.toString("utf8"));
    expect(header).toEqual(["ID", "ACTION", "sysinit", "boot", "S", ..."0123456789", "a", "b", "c"]);
    const entries = (JSON.parse(run(["parse", file]).stdout.toString("utf8")) as ParseJson).lines.filter(
      (l) => l.kind === "entry",
    );
    const runlevelsOf = readFileSync(file, "utf8")
      .split("\n")
      .filter((l) => /^[^#\s][^:]*:[^:]*:[^:]*:/.test(l))
      .map((l) => l.split(":")[1]!);
    expect(rows.map((r) => r.id)).toEqual(entries.map((e) => e.id));
    rows.forEach((row, i) => expect(row.marked, `${row.id}`).toEqual(expectedColumns(row.action, runlevelsOf[i]!)));
    // The power entries have empty runlevels: they run in S too (and suppress the sulogin fallback).
    expect(rows.find((r) => r.id === "pf")!.marked.has("S")).toBe(true);
  });

  it("marks 0-9 but not S for an empty-runlevels respawn, and S for an empty-runlevels powerfail", () => {
    const file = join(dir, "defaults.inittab");
    writeFileSync(
      file,
      "id:3:initdefault:\nsv::respawn:/usr/sbin/svscanboot\npf::powerfail:/sbin/shutdown -h +2\nbw::bootwait:/sbin/fsck -A\nod:A:ondemand:/bin/true\n",
    );
    const { rows } = readMatrix(run(["ls", "--matrix", file]).stdout.toString("utf8"));
    const by = Object.fromEntries(rows.map((r) => [r.id, [...r.marked].sort()]));
    expect(by["sv"]).toEqual([..."0123456789"]);
    expect(by["pf"]).toEqual([..."0123456789", "S"]);
    expect(by["bw"]).toEqual(["boot"]);
    expect(by["od"]).toEqual(["a"]);
    expect(by["id"]).toEqual([]);
  });

  it("shows BusyBox phases instead of runlevels", () => {
    const r = run(["ls", "--matrix", join(SAMPLES, "busybox-board.inittab")]);
    const { header, rows } = readMatrix(r.stdout.toString("utf8"));
    expect(header).toEqual(["TTY", "ACTION", "boot", "running", "ctrlaltdel", "shutdown", "restart"]);
    const phase: Record<string, string> = {
      sysinit: "boot",
      wait: "boot",
      once: "boot",
      respawn: "running",
      askfirst: "running",
      ctrlaltdel: "ctrlaltdel",
      shutdown: "shutdown",
      restart: "restart",
    };
    expect(rows.length).toBe(11);
    for (const row of rows) expect([...row.marked]).toEqual([phase[row.action]]);
  });

  it("never writes raw control bytes from the file to the terminal", () => {
    for (const sample of ["broken/binary-junk.inittab", "broken/crlf.inittab"]) {
      for (const args of [["ls"], ["ls", "--matrix"]]) {
        const r = run([...args, join(SAMPLES, sample)]);
        expect(r.code).toBe(0);
        // Only newlines; CR, NUL and other C0/DEL bytes are escaped.
        expect([...r.stdout].filter((b) => (b < 0x20 && b !== 0x0a) || b === 0x7f)).toEqual([]);
      }
    }
  });
});

describe("inputs that are not regular files (review regressions)", () => {
  it("a named FIFO or a device is refused at once (exit 2, one line); a pipe from <(...) is still read", () => {
    const dir = mkdtempSync(join(tmpdir(), "inittab-ls-fifo-"));
    try {
      const fifo = join(dir, "inittab");
      expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
      for (const args of [
        ["ls", fifo],
        ["parse", fifo],
        ["ls", "/dev/zero"],
        ["tmpfs", "--from", fifo],
      ]) {
        // Without a writer, reading the FIFO used to block forever; /dev/zero never ends.
        const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, timeout: 10_000, encoding: "utf8" });
        expect(r.status, args.join(" ")).toBe(2);
        expect(r.stderr).toMatch(/^inittab: \S+: is not a regular file.*\n$/);
      }
      // bash's process substitution names an anonymous pipe (/dev/fd/N): that is input like stdin.
      const sample = join(SAMPLES, "debian-desktop.inittab");
      const sub = spawnSync("bash", ["-c", `"${process.execPath}" "${BIN}" ls <(cat "${sample}")`], {
        cwd: ROOT,
        timeout: 10_000,
        encoding: "utf8",
      });
      expect(sub.status, sub.stderr).toBe(0);
      expect(sub.stdout).toBe(run(["ls", sample]).stdout.toString("utf8"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
