/**
 * The harness's own tests: known answers from the real binaries (so a broken harness cannot
 * pass the comparison by seeing nothing), its cleanup, and the pure helpers.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  promises as fs,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { differences, initLineMap, initLineSpans, physicalLines, printfCommand, shrinkLines } from "./compare.js";
import { generateInputs, linePool } from "./generate.js";
import { binaries, mustRun, skipReason, tools } from "./gate.js";
import { elfInterpreter, resolveInside } from "./debian.js";
import { CACHE_DIR, rejectionsFrom, runInit, stripSyslogHeader, type InitRun, type ReadyBinary } from "./harness.js";

const bin = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, "latin1"));
const boot = (binary: ReadyBinary, text: string): Promise<InitRun> => runInit(tools!, binary, bin(text));
const rejected = (r: InitRun): Array<[number, string]> => r.rejected.map((x) => [x.initLine, x.message]);
const sysvinits = binaries.filter((b) => b.kind === "sysvinit");
const busyboxes = binaries.filter((b) => b.kind === "busybox");
const ready = (id: string): ReadyBinary | undefined => binaries.find((b) => b.id === id);
const skipped = (id: string): string => (ready(id) ? "" : ` (skipped: ${id} not available here)`);

it.runIf(mustRun)("the harness can run here (CI must install what it needs)", () => {
  throw new Error(`conformance harness unavailable in CI: ${mustRun}`);
});

describe.skipIf(!tools)(`known answers from the real binaries${tools ? "" : ` (skipped: ${skipReason})`}`, () => {
  it("fetches through its own apt state: the machine's apt lists hold no index of a release it fetched", async () => {
    const suites = [...new Set(binaries.map((b) => b.suite))];
    const hostLists = await fs.readdir("/var/lib/apt/lists").catch(() => [] as string[]);
    const hostSuite = /^VERSION_CODENAME=(\w+)/m.exec(await fs.readFile("/etc/os-release", "utf8"))?.[1];
    for (const suite of suites.filter((s) => s !== hostSuite)) {
      expect(
        hostLists.filter((f) => f.includes(`_dists_${suite}_`)),
        suite,
      ).toEqual([]);
      const own = await fs.readdir(path.join(CACHE_DIR, "apt", suite, "lists"));
      expect(
        own.some((f) => f.includes(`_dists_${suite}_InRelease`)),
        suite,
      ).toBe(true);
    }
  });

  it("runs each binary on its own release's loader and libraries, never the host's", async () => {
    for (const b of binaries) {
      const interp = await elfInterpreter(path.join(b.template, "init"));
      if (b.package === "busybox-static") {
        expect(interp, b.id).toBeUndefined();
        continue;
      }
      expect(interp, b.id).toBe("/lib64/ld-linux-x86-64.so.2");
      const loader = await fs.readFile(path.join(b.template, interp!.slice(1)));
      const release = JSON.parse(await fs.readFile(path.join(await releaseRoot(b), ".versions.json"), "utf8"));
      expect(release.libc6, b.id).toMatch(/^2\.\d+/);
      // trixie's glibc is not the host's: the template's loader differs from the host's.
      if (b.suite === "trixie") {
        expect(loader.equals(await fs.readFile("/lib64/ld-linux-x86-64.so.2")), b.id).toBe(false);
      }
    }
  });

  it("each binary is the upstream version its name says, from its Debian release", () => {
    for (const b of binaries) {
      const upstream = b.id.split("@")[1]!.replace(/\./g, "\\.");
      expect(b.version, b.id).toMatch(new RegExp(`^${b.package} (\\d+:)?${upstream}[.-]`));
    }
  });

  for (const sysvinit of sysvinits) {
    it(`${sysvinit.id}: an unknown action is logged and skipped; initdefault 3 is entered`, async () => {
      const r = await boot(sysvinit, "id:3:initdefault:\nab:2345:bogus:/x\n");
      expect(rejected(r)).toEqual([[2, "/etc/inittab[2]: bogus: unknown action field"]]);
      expect(r.runlevel).toBe("3");
      expect(r.prompted).toBe(false);
    });

    it(`${sysvinit.id}: a 5-character id is too long`, async () => {
      const r = await boot(sysvinit, "id:2:initdefault:\nabcde:3:once:/x\nabcd:3:once:/x\n");
      expect(rejected(r)).toEqual([[2, "/etc/inittab[2]: id field too long (max 4 characters)"]]);
      expect(r.runlevel).toBe("2");
    });

    it(`${sysvinit.id}: a duplicate id is skipped, the first one wins; ~~ is exempt`, async () => {
      const r = await boot(sysvinit, "id:3:initdefault:\nab:3:once:/x\n~~:S:wait:/a\nab:5:once:/y\n~~:S:wait:/b\n");
      expect(rejected(r)).toEqual([[4, '/etc/inittab[4]: duplicate ID field "ab"']]);
    });

    it(`${sysvinit.id}: without initdefault init prompts "Enter runlevel:" on the console`, async () => {
      const r = await boot(sysvinit, "ab:3:once:/x\n");
      expect(r.prompted).toBe(true);
      expect(r.runlevel).toBeNull();
      expect(r.console).toContain("Enter runlevel:");
      expect(r.rejected).toEqual([]);
    });

    it(`${sysvinit.id}: an invalid initdefault is logged, then init prompts`, async () => {
      const r = await boot(sysvinit, "id:A:initdefault:\n");
      expect(r.initdefaultMessage).toBe("Initdefault level 'A' is invalid");
      expect(r.prompted).toBe(true);
    });

    it(`${sysvinit.id}: initdefault S is seen although init logs no 'Entering runlevel'`, async () => {
      const r = await boot(sysvinit, "id:S:initdefault:\n");
      expect(r.runlevel).toBe("S");
      expect(r.messages.some((m) => m.startsWith("Entering runlevel"))).toBe(false);
    });
  }

  const split = `sysvinit 3.06: a 300-byte line is split at 255 bytes, its tail numbered as a line of its own`;
  it.skipIf(!ready("sysvinit@3.06"))(`${split}${skipped("sysvinit@3.06")}`, async () => {
    const long = `ab:3:once:/bin/echo ${"x".repeat(300 - 20)}`;
    expect(long.length).toBe(300);
    // A comment of 255 bytes whose tail is an entry: init parses the tail.
    const comment = `#${"c".repeat(254)}zz:3:bogus:/x`;
    const text = `id:3:initdefault:\n${long}\n${comment}\ncd:3:bogus:/y\n`;
    const r = await boot(ready("sysvinit@3.06")!, text);
    expect(rejected(r)).toEqual([
      [2, "/etc/inittab[2]: process field too long (max 127 characters)"],
      // The 45-byte tail has no colon: all of it is the id, and the id check is logged last.
      [3, "/etc/inittab[3]: id field too long (max 4 characters)"],
      [5, "/etc/inittab[5]: bogus: unknown action field"],
      [6, "/etc/inittab[6]: bogus: unknown action field"],
    ]);
    expect(initLineMap(text, "fgets")).toEqual([0, 1, 2, 2, 3, 3, 4]);
  });

  const whole = "sysvinit 3.14: a line it cannot read whole is dropped as one line, the rest of it unread";
  it.skipIf(!ready("sysvinit@3.14"))(`${whole}${skipped("sysvinit@3.14")}`, async () => {
    const long = `ab:3:once:/bin/echo ${"x".repeat(300 - 20)}`;
    const comment = `#${"c".repeat(254)}zz:3:bogus:/x`;
    const text = `id:3:initdefault:\n${long}\n${comment}\ncd:3:bogus:/y\n`;
    const r = await boot(ready("sysvinit@3.14")!, text);
    // The long comment is skipped silently, its tail with it; lines are numbered as in the file.
    expect(rejected(r)).toEqual([
      [2, "Error detected in /etc/inittab at line 2. Possibly too long."],
      [4, "/etc/inittab[4]: bogus: unknown action field"],
    ]);
    expect(initLineMap(text, "fgets-discard")).toEqual([0, 1, 2, 3, 4]);
  });

  const last = "sysvinit 3.14: a last line without a newline is dropped; a NUL drops the next line";
  it.skipIf(!ready("sysvinit@3.14"))(`${last}${skipped("sysvinit@3.14")}`, async () => {
    const sv = ready("sysvinit@3.14")!;
    const last = await boot(sv, "ab:3:once:/x\nid:3:initdefault:");
    expect(rejected(last)).toEqual([[2, "Error detected in /etc/inittab at line 2. Possibly too long."]]);
    expect(last.prompted).toBe(true);
    // The NUL's line is dropped; its newline was read, so the line thrown away is the next one.
    const nul = await boot(sv, "ab:3:once:/x\0y\nid:5:initdefault:\nid:3:initdefault:\ncd:3:bogus:/x\n");
    expect(rejected(nul)).toEqual([
      [1, "Error detected in /etc/inittab at line 1. Possibly too long."],
      [3, "/etc/inittab[3]: bogus: unknown action field"],
    ]);
    expect(nul.runlevel).toBe("3");
    // No 127-byte process check: a 200-byte process field is kept.
    expect(rejected(await boot(sv, `id:3:initdefault:\nab:3:once:/${"p".repeat(199)}\n`))).toEqual([]);
  });

  for (const busybox of busyboxes) {
    it(`${busybox.id}: an unknown action (and sysvinit's initdefault) is a bad entry`, async () => {
      const r = await boot(busybox, "::sysinit:/etc/init.d/rcS\n::bogus:/x\nid:3:initdefault:\n");
      expect(rejected(r)).toEqual([
        [2, "Bad inittab entry at line 2"],
        [3, "Bad inittab entry at line 3"],
      ]);
    });

    it(`${busybox.id}: a 300-byte line is one line (getline has no limit); a backslash joins lines`, async () => {
      const text = `::once:/bin/echo ${"x".repeat(283)}\n::bogus:/x\n::once:\\\n/x\\\n\n::bogus:\\\n/y\n`;
      const r = await boot(busybox, text);
      // The continued bad entry on lines 6-7 is reported at its last physical line.
      expect(rejected(r)).toEqual([
        [2, "Bad inittab entry at line 2"],
        [7, "Bad inittab entry at line 7"],
      ]);
    });

    it(`${busybox.id}: an indented comment is a bad entry; sysvinit skips it`, async () => {
      const text = "::sysinit:/etc/init.d/rcS\n  # indented comment\n# plain comment\n";
      expect(rejected(await boot(busybox, text))).toEqual([[2, "Bad inittab entry at line 2"]]);
      for (const sysvinit of sysvinits) {
        const sv = await boot(sysvinit, `id:3:initdefault:\n${text.replace("::sysinit", "si::sysinit")}`);
        expect(rejected(sv), sysvinit.id).toEqual([]);
      }
    });
  }

  it("nothing outlives a run: init is gone and the work directory removed", async () => {
    for (const binary of binaries) {
      let work = "";
      let pid = 0;
      const r = await runInit(tools!, binary, bin("::respawn:/bin/sh\nid:3:initdefault:\n"), {
        onStart: (i) => (work = i.work),
        onInit: (i) => (pid = i.pid),
      });
      expect(r.rejected.length, binary.id).toBeGreaterThan(0);
      expect(work).not.toBe("");
      expect(pid).toBeGreaterThan(1);
      expect(existsSync(work)).toBe(false);
      // The pid may be reused, but never by a process still rooted in our scratch root.
      let root = "";
      try {
        root = readlinkSync(`/proc/${pid}/root`);
      } catch {
        /* gone, as it should be */
      }
      expect(root.startsWith(work)).toBe(false);
    }
  });

  it("runs several inits of every binary in parallel without mixing their logs", async () => {
    const texts = Array.from(
      { length: 6 },
      (_, i) => `id:${i}:initdefault:\n${"ab".padEnd(2 + i, "c")}:3:bogus${i}:/x\n`,
    );
    const jobs = texts.flatMap((text, i) => binaries.map((binary) => ({ text, i, binary })));
    const runs = await Promise.all(jobs.map(({ text, binary }) => boot(binary, text)));
    runs.forEach((r, n) => {
      const { i, binary } = jobs[n]!;
      if (binary.kind === "busybox") {
        expect(rejected(r), binary.id).toEqual([
          [1, "Bad inittab entry at line 1"],
          [2, "Bad inittab entry at line 2"],
        ]);
        return;
      }
      expect(r.runlevel, binary.id).toBe(String(i));
      const expected = i <= 2 ? `bogus${i}: unknown action field` : "id field too long (max 4 characters)";
      expect(rejected(r), binary.id).toEqual([[2, `/etc/inittab[2]: ${expected}`]]);
    });
  });
});

/** The unpacked release tree a binary's template was built from. */
async function releaseRoot(b: ReadyBinary): Promise<string> {
  const trees = (await fs.readdir(path.join(CACHE_DIR, "debian"))).filter(
    (n) => n.startsWith(`${b.suite}-`) && !n.includes(".tmp-"),
  );
  for (const t of trees) {
    const versions = JSON.parse(await fs.readFile(path.join(CACHE_DIR, "debian", t, ".versions.json"), "utf8"));
    if (b.package in versions) return path.join(CACHE_DIR, "debian", t);
  }
  throw new Error(`no unpacked ${b.suite} tree holds ${b.package}`);
}

describe("harness helpers", () => {
  it("resolves symlinks inside an unpacked tree as if it were /, never on the host", async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), "inittab-resolve-"));
    try {
      mkdirSync(path.join(root, "usr", "lib64"), { recursive: true });
      writeFileSync(path.join(root, "usr", "lib64", "ld.so"), "loader");
      mkdirSync(path.join(root, "etc"));
      writeFileSync(path.join(root, "etc", "passwd"), "");
      symlinkSync("usr/lib64", path.join(root, "lib64"));
      symlinkSync("/lib64/ld.so", path.join(root, "usr", "lib64", "abs"));
      symlinkSync("../../../../../etc/passwd", path.join(root, "usr", "lib64", "up"));
      const loader = path.join(root, "usr", "lib64", "ld.so");
      expect(await resolveInside(root, path.join(root, "lib64", "ld.so"))).toBe(loader);
      expect(await resolveInside(root, path.join(root, "usr", "lib64", "abs"))).toBe(loader);
      // `..` stops at the tree's root, as it does at /.
      expect(await resolveInside(root, path.join(root, "usr", "lib64", "up"))).toBe(path.join(root, "etc", "passwd"));
      symlinkSync("loop", path.join(root, "loop"));
      await expect(resolveInside(root, path.join(root, "loop"))).rejects.toThrow(/too many symlinks/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("reads an ELF file's interpreter; a static one has none", async () => {
    expect(await elfInterpreter(process.execPath)).toMatch(/^\/lib(64)?\/ld-linux/);
    await expect(elfInterpreter(fileURLToPath(import.meta.url))).rejects.toThrow(/not a 64-bit/);
  });

  it("strips glibc's syslog header, with or without an ident", () => {
    expect(stripSyslogHeader("<30>Nov 29 19:44:38 init: /etc/inittab[2]: x")).toBe("/etc/inittab[2]: x");
    expect(stripSyslogHeader("<30>Nov  9 09:04:08 : can't run 'x'")).toBe("can't run 'x'");
  });

  it("finds every kind of rejection message and nothing else", () => {
    expect(
      rejectionsFrom([
        '/etc/inittab[7]: duplicate ID field "1"',
        "Error detected in /etc/inittab at line 3. Possibly too long.",
        "Bad inittab entry at line 12",
        "Entering runlevel: 3",
        "No inittab.d directory found",
        'cannot execute "/x"',
      ]),
    ).toEqual([
      { initLine: 7, message: '/etc/inittab[7]: duplicate ID field "1"' },
      { initLine: 3, message: "Error detected in /etc/inittab at line 3. Possibly too long." },
      { initLine: 12, message: "Bad inittab entry at line 12" },
    ]);
  });

  it("maps init's line numbers to the file's: fgets reads (3.06), whole lines (3.14), continuations (BusyBox)", () => {
    const s = `a\n${"b".repeat(600)}\nc`;
    // 600 bytes + newline: reads of 255, 255, 91 → three init lines on physical line 2.
    expect(initLineMap(s, "fgets")).toEqual([0, 1, 2, 2, 2, 3]);
    // 3.14 reads 255 bytes and throws the rest of the line away: one init line.
    expect(initLineMap(s, "fgets-discard")).toEqual([0, 1, 2, 3]);
    expect(initLineSpans(s, "fgets-discard")[2]).toEqual({ start: 2, end: 603, line: 2, endLine: 2 });
    // A NUL hides the newline: the next physical line is thrown away with it.
    expect(initLineSpans("a\0\nb\nc\n", "fgets-discard")).toEqual([
      { start: 0, end: 0, line: 0, endLine: 0 },
      { start: 0, end: 5, line: 1, endLine: 2 },
      { start: 5, end: 7, line: 3, endLine: 3 },
    ]);
    expect(initLineMap("a\\\nb\\\nc\nd\n", "getline")).toEqual([0, 1, 1, 1, 4]);
    // Every physical line of a continued BusyBox line names all of it, in bytes too.
    const spans = initLineSpans("a\\\nb\\\nc\nd\\\n", "getline");
    expect(spans[3]).toEqual({ start: 0, end: 8, line: 1, endLine: 3 });
    expect(spans[1]).toEqual(spans[3]);
    expect(spans[4]).toEqual({ start: 8, end: 11, line: 4, endLine: 4 });
    expect(initLineMap("x".repeat(254) + "\ny\n", "fgets")).toEqual([0, 1, 2]);
    expect(initLineMap("x".repeat(255) + "\ny\n", "fgets")).toEqual([0, 1, 1, 2]);
    expect(initLineMap("x".repeat(255) + "\ny\n", "fgets-discard")).toEqual([0, 1, 2]);
  });

  it("shrinks to the fewest lines that still fail", async () => {
    const lines = physicalLines("a\nb\nBAD1\nc\nBAD2\nd\n");
    const out = await shrinkLines(lines, async (c) => c.includes("BAD1") && c.includes("BAD2"));
    expect(out).toEqual(["BAD1\n", "BAD2\n"]);
  });

  it("writes a printf that recreates the bytes", () => {
    expect(printfCommand("a%b'c\\\r\n\0\xff")).toBe("printf 'a%%b'\\''c\\\\\\015\\n\\000\\377' > inittab");
  });

  it("generates the same files from the same seed, and different ones from another", () => {
    const pool = linePool(["id:3:initdefault:\nab:2:once:/x\n::sysinit:/etc/rc\n"]);
    const a = generateInputs(pool, 42, 50);
    expect(generateInputs(pool, 42, 50)).toEqual(a);
    expect(generateInputs(pool, 43, 50)).not.toEqual(a);
    expect(a.some((f) => f.includes("\0"))).toBe(true);
    expect(a.some((f) => f.includes("\r"))).toBe(true);
    expect(a.some((f) => f.split("\n").some((l) => l.length > 255))).toBe(true);
  });

  it("aims generated files at where versions differ", () => {
    const files = generateInputs(linePool(["id:3:initdefault:\n"]), 7, 300);
    const lines = files.flatMap((f) => f.split("\n"));
    expect(lines.some((l) => l.length >= 505 && l.length <= 515)).toBe(true);
    expect(lines.some((l) => l.length >= 250 && l.length <= 260)).toBe(true);
    expect(files.some((f) => /\0[^\n]*\n(id:\d:initdefault:|zz:3:bogus:)/.test(f))).toBe(true);
    expect(files.filter((f) => f !== "" && !f.endsWith("\n")).length).toBeGreaterThan(30);
    expect(lines.some((l) => /:a{33,}:/.test(l))).toBe(true);
    expect(lines.some((l) => /^[^:]*:[^:]{12,}:/.test(l))).toBe(true);
    expect(files.some((f) => /\\\n/.test(f))).toBe(true);
  });
});

describe("the comparison", () => {
  const real = {
    dropped: [{ initLine: 2, line: 2, message: "/etc/inittab[2]: bogus: unknown action field" }],
    runlevel: "3",
    initdefaultMessage: null,
  };

  it("agrees with itself", () => {
    expect(differences(real, structuredClone(real))).toEqual([]);
  });

  it("catches a missed drop, an extra drop, a wrong message, a wrong file line and a wrong runlevel", () => {
    expect(differences(real, { ...real, dropped: [] })).toHaveLength(1);
    const extra = { initLine: 3, line: 3, message: "/etc/inittab[3]: missing id field" };
    expect(differences(real, { ...real, dropped: [...real.dropped, extra] })).toHaveLength(1);
    expect(
      differences(real, { ...real, dropped: [{ ...real.dropped[0]!, message: "/etc/inittab[2]: x" }] }),
    ).toHaveLength(2);
    expect(differences(real, { ...real, dropped: [{ ...real.dropped[0]!, line: 1 }] })).toHaveLength(1);
    expect(differences(real, { ...real, runlevel: null })).toHaveLength(1);
    expect(differences(real, { ...real, initdefaultMessage: "Initdefault level 'A' is invalid" })).toHaveLength(1);
  });
});
