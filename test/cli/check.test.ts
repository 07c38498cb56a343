/**
 * `inittab check`: exit codes, the output formats (json shape, gnu, GitHub escaping, SARIF
 * against the official 2.1.0 schema, text escaping and colour), paths and directory recursion,
 * --root defaults, --fix and --fix-dry-run.
 */
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { applyPatch } from "diff";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { cli } from "./in-process.js";
import { runCli } from "../write/support.js";

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "inittab-check-"));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
afterEach(() => {
  vi.unstubAllEnvs();
});

/** Write files (path → content) under a new directory; returns it. */
function tree(files: Record<string, string | Uint8Array>): string {
  const dir = tempDir();
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

const CLEAN =
  "id:3:initdefault:\n~~:S:wait:/sbin/sulogin\nl3:3:wait:/etc/init.d/rc 3\n1:2345:respawn:/sbin/getty 38400 tty1\n";
const WARN = `${CLEAN}kb::kbrequest:/bin/echo kb\n`; // IT018 only
const BAD = `${CLEAN}abcde:3:once:/bin/true\n`; // IT007, dropped

describe("exit codes", () => {
  it("0 for a clean file, 1 for errors, 0 for warnings within --max-warnings, 1 beyond", async () => {
    const dir = tree({ "clean.inittab": CLEAN, "warn.inittab": WARN, "bad.inittab": BAD });
    expect((await cli("check", join(dir, "clean.inittab"))).status).toBe(0);
    expect((await cli("check", join(dir, "bad.inittab"))).status).toBe(1);
    expect((await cli("check", join(dir, "warn.inittab"))).status).toBe(0);
    expect((await cli("check", "--max-warnings", "1", join(dir, "warn.inittab"))).status).toBe(0);
    const over = await cli("check", "--max-warnings", "0", join(dir, "warn.inittab"));
    expect(over.status).toBe(1);
    expect(over.stderr).toContain("--max-warnings 0");
  });

  it("2 and one line naming the file for a file that cannot be read; the others are still checked", async () => {
    const dir = tree({ "bad.inittab": BAD });
    const missing = join(dir, "nothere");
    const r = await cli("check", "-f", "json", missing, join(dir, "bad.inittab"));
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`inittab: ${missing}: no such file or directory\n`);
    expect(JSON.parse(r.stdout).files).toHaveLength(1);
  });

  it("2 for bad arguments", async () => {
    expect((await cli("check", "-f", "xml", "x")).status).toBe(2);
    expect((await cli("check", "--max-warnings", "many", "x")).status).toBe(2);
    expect((await cli("check", "--fix", "--fix-dry-run", "x")).status).toBe(2);
  });

  it("2 for a directory without inittab files", async () => {
    const dir = tree({ README: "nothing\n" });
    const r = await cli("check", dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("no inittab files found");
  });

  it("--quiet shows errors only", async () => {
    const dir = tree({ "f.inittab": `${WARN}abcde:3:once:/bin/true\n` });
    const r = await cli("check", "-q", "-f", "json", join(dir, "f.inittab"));
    const codes = JSON.parse(r.stdout).files[0].diagnostics.map((d: { code: string }) => d.code);
    expect(codes).toEqual(["IT007"]);
  });
});

describe("json", () => {
  it("has exactly the documented shape, per file, with the detected dialect and dropped", async () => {
    const dir = tree({ "a.inittab": BAD, "b.inittab": "::sysinit:/etc/init.d/rcS\ntty1::askfirst:/bin/sh\n" });
    const r = await cli("check", "-f", "json", join(dir, "a.inittab"), join(dir, "b.inittab"));
    const report = JSON.parse(r.stdout);
    expect(Object.keys(report)).toEqual(["$schema", "schemaVersion", "tool", "files", "summary"]);
    expect(report.schemaVersion).toBe(1);
    expect(report.files.map((f: { dialect: string }) => f.dialect)).toEqual(["sysvinit@3.14", "busybox"]);
    const [file] = report.files;
    expect(Object.keys(file)).toEqual([
      "path",
      "dialect",
      "detection",
      "versionAssumed",
      "otherVersions",
      "diagnostics",
    ]);
    expect(file.versionAssumed).toBe(true);
    expect(report.files[1].versionAssumed).toBe(false);
    expect(file.path).toBe(join(dir, "a.inittab"));
    expect(file.diagnostics).toEqual([
      {
        line: 5,
        column: 1,
        endLine: 5,
        endColumn: 6,
        severity: "error",
        code: "IT007",
        message: expect.stringContaining("init ignores this line"),
        dropped: true,
      },
    ]);
    expect(report.summary).toEqual({ files: 2, errors: 1, warnings: 0, infos: 0 });
  });

  it("honours --dialect", async () => {
    const dir = tree({ "a.inittab": "::sysinit:/etc/init.d/rcS\n" });
    const r = await cli("-d", "sysvinit@3.06", "check", "-f", "json", join(dir, "a.inittab"));
    const file = JSON.parse(r.stdout).files[0];
    expect(file.dialect).toBe("sysvinit@3.06");
    expect(file.diagnostics.map((d: { code: string }) => d.code)).toContain("IT006");
  });
});

describe("gnu and github", () => {
  it("gnu: file:line:col: severity: message [CODE]", async () => {
    const dir = tree({ "a.inittab": BAD });
    const r = await cli("check", "-f", "gnu", join(dir, "a.inittab"));
    expect(r.stdout).toMatch(
      new RegExp(
        `^${join(dir, "a.inittab").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:5:1: error: init ignores this line: .* \\[IT007\\]\\n$`,
      ),
    );
  });

  it("github: workflow commands with escaped properties and data", async () => {
    const dir = tree({ "odd,name:x.inittab": `${CLEAN}a1:3:bogus%0A:/bin/true\n` });
    const r = await cli("check", "-f", "github", join(dir, "odd,name:x.inittab"));
    const line = r.stdout.trim();
    expect(line.startsWith("::error file=")).toBe(true);
    const [, props, data] = /^::error (.*?)::(.*)$/.exec(line)!;
    // Properties: the path's `,` and `:` are escaped so they cannot end the property.
    expect(props).toContain(`file=${join(dir, "odd%2Cname%3Ax.inittab")}`);
    expect(props).toContain("line=5,endLine=5,col=6,endColumn=14,title=inittab IT011");
    // Data: a literal `%0A` in the file must not turn into a newline in the annotation.
    expect(data).toContain("bogus%250A");
    expect(r.stdout.split("\n")).toHaveLength(2);
  });

  it("github: info is a notice", async () => {
    const dir = tree({ "a.inittab": "id:3:initdefault:\n" });
    const r = await cli("check", "-f", "github", join(dir, "a.inittab"));
    expect(r.stdout).toMatch(/^::notice file=/);
  });
});

describe("sarif", () => {
  const schemaPath = fileURLToPath(
    new URL("../../node_modules/@microsoft/sarif-multitool-linux/sarif-2.1.0.json", import.meta.url),
  );
  const schema = JSON.parse(readFileSync(schemaPath, "utf8"));
  delete schema.$schema;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  const validate = ajv.compile(schema);

  it("the validator catches a broken log (so the check below can fail)", () => {
    expect(
      validate({
        version: "2.1.0",
        runs: [{ tool: { driver: { name: "x" } }, results: [{ level: "fatal", locations: [] }] }],
      }),
    ).toBe(false);
  });

  it("is valid SARIF 2.1.0, with rule metadata, https helpUris and relative URIs under %SRCROOT%", async () => {
    const dir = tree({ "etc/inittab": `${BAD}x1:3:ONCE:/bin/true\n` });
    const cwd = process.cwd();
    const rel = relative(cwd, join(dir, "etc/inittab"));
    const r = await cli("check", "-f", "sarif", rel);
    const log = JSON.parse(r.stdout);
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const run = log.runs[0];
    expect(run.tool.driver.version).toBeTruthy();
    const ruleIds = run.tool.driver.rules.map((x: { id: string }) => x.id);
    for (const res of run.results) {
      expect(ruleIds[res.ruleIndex]).toBe(res.ruleId);
      const loc = res.locations[0].physicalLocation.artifactLocation;
      if (!rel.startsWith("..")) expect(loc).toEqual({ uri: rel.split("\\").join("/"), uriBaseId: "%SRCROOT%" });
    }
    for (const rule of run.tool.driver.rules)
      expect(rule.helpUri).toMatch(/^https:\/\/[^ ]+\/docs\/rules\/[A-Za-z0-9]+\.md$/);
    expect(run.originalUriBaseIds["%SRCROOT%"].uri).toMatch(/^file:\/\/.*\/$/);
    expect(run.results.map((x: { level: string }) => x.level)).toEqual(["error", "note"]);
  });

  it("never uses <stdin> as a URI", () => {
    const r = runCli(["check", "-f", "sarif", "-"], { input: BAD });
    const log = JSON.parse(r.stdout);
    expect(validate(log)).toBe(true);
    expect(r.stdout).not.toContain("<stdin>");
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBeUndefined();
    const named = JSON.parse(
      runCli(["check", "-f", "sarif", "--stdin-filename", "etc/inittab", "-"], { input: BAD }).stdout,
    );
    expect(named.runs[0].results[0].locations[0].physicalLocation.artifactLocation).toEqual({
      uri: "etc/inittab",
      uriBaseId: "%SRCROOT%",
    });
  });
});

describe("text", () => {
  it("path:line:col, severity, code, message, and a caret under the field", async () => {
    const dir = tree({ "a.inittab": BAD });
    const r = await cli("check", join(dir, "a.inittab"));
    const lines = r.stdout.split("\n");
    const at = lines.findIndex((l) => l.startsWith(`${join(dir, "a.inittab")}:5:1: error IT007 `));
    expect(at).toBeGreaterThan(-1);
    expect(lines[at + 1]).toBe("  5 | abcde:3:once:/bin/true");
    expect(lines[at + 2]).toBe("    | ^^^^^");
    expect(r.stdout).toContain("(read as sysvinit@3.14");
    expect(lines.at(-2)).toBe("1 error, 0 warnings, 0 infos in 1 file");
  });

  it("never writes control characters from the file raw", async () => {
    const dir = tree({ "a.inittab": `${CLEAN}a\x1b[2J:3:once:/bin/x\r\n` });
    const r = await cli("check", join(dir, "a.inittab"));
    expect(r.stdout).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/);
    expect(r.stdout).toContain("a\\x1b[2J:3:once:/bin/x\\r");
  });

  it("colour only when forced or on a TTY, and never with NO_COLOR", async () => {
    const dir = tree({ "a.inittab": BAD });
    vi.stubEnv("FORCE_COLOR", "1");
    expect((await cli("check", join(dir, "a.inittab"))).stdout).toContain("\x1b[31m");
    vi.stubEnv("NO_COLOR", "1");
    expect((await cli("check", join(dir, "a.inittab"))).stdout).not.toContain("\x1b[");
  });

  it("--list-rules lists every code", async () => {
    const r = await cli("check", "--list-rules");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^IT007 +error +sysvinit +id longer than 4 characters$/m);
  });
});

describe("what is checked", () => {
  it("a directory is searched for inittab, *.inittab and inittab.d/*.tab, grouped as init reads them", async () => {
    const dir = tree({
      "rootfs/etc/inittab": `${CLEAN}t1:3:once:/bin/a\n`,
      "rootfs/etc/inittab.d/a.tab": "t1:3:once:/bin/b\n",
      "rootfs/etc/inittab.d/notes.txt": "x\n",
      "pkg/serial.inittab": "S0:2345:respawn:/sbin/getty -L ttyS0 115200\n",
      "pkg/readme.md": "not checked\n",
      "node_modules/x/inittab": "junk\n",
    });
    const r = await cli("check", "-f", "json", dir);
    const files = JSON.parse(r.stdout).files as Array<{ path: string; diagnostics: Array<{ code: string }> }>;
    const names = files.map((f) => relative(dir, f.path)).sort();
    expect(names).toEqual([
      "pkg/serial.inittab",
      "rootfs/etc/inittab",
      "rootfs/etc/inittab.d/a.tab",
      "rootfs/etc/inittab.d/notes.txt",
    ]);
    // The .tab is read with its inittab: its duplicate id is init's cross-file duplicate.
    const tab = files.find((f) => f.path.endsWith("a.tab"))!;
    expect(tab.diagnostics.map((d) => d.code)).toEqual(["IT008"]);
    expect(files.find((f) => f.path.endsWith("notes.txt"))!.diagnostics.map((d) => d.code)).toEqual(["IT030c"]);
  });

  it("with --root and no PATH: DIR/etc/inittab plus DIR/etc/inittab.d/*.tab, programs looked up in DIR", async () => {
    const dir = tree({
      "etc/inittab": "id:3:initdefault:\n~~:S:wait:/sbin/sulogin\na1:3:once:/sbin/present\n",
      "etc/inittab.d/b.tab": "b1:3:once:/sbin/absent\n",
      "sbin/present": "#!/bin/sh\n",
      "sbin/sulogin": "#!/bin/sh\n",
    });
    chmodSync(join(dir, "sbin/present"), 0o755);
    chmodSync(join(dir, "sbin/sulogin"), 0o755);
    const r = await cli("--root", dir, "check", "-f", "json");
    const files = JSON.parse(r.stdout).files;
    expect(files.map((f: { path: string }) => f.path)).toEqual([
      join(dir, "etc/inittab"),
      join(dir, "etc/inittab.d/b.tab"),
    ]);
    expect(files[1].diagnostics.map((d: { code: string }) => d.code)).toEqual(["RT001"]);
    expect(r.status).toBe(1);
  });

  it("--root without DIR/etc/inittab: exit 2 naming it", async () => {
    const dir = tree({ "etc/hostname": "x\n" });
    const r = await cli("--root", dir, "check");
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`inittab: ${join(dir, "etc/inittab")}: no such file or directory\n`);
  });

  it("--allow-exec and --profile reach the rules", async () => {
    const dir = tree({ "a.inittab": `${CLEAN}l0:0:wait:/etc/init.d/rc 0\nl0u:0:exec:/sbin/halt -dhp\n` });
    const without = await cli("check", "-f", "json", join(dir, "a.inittab"));
    expect(JSON.parse(without.stdout).files[0].diagnostics.map((d: { code: string }) => d.code)).toEqual(["IT033"]);
    const withExec = await cli("--allow-exec", "check", "-f", "json", join(dir, "a.inittab"));
    expect(withExec.status).toBe(0);
    const profile = await cli("check", "--profile", "tmpfs", "-f", "json", join(dir, "a.inittab"));
    expect(JSON.parse(profile.stdout).files[0].diagnostics.map((d: { code: string }) => d.code)).toContain("TMP003");
  });

  it("--profile tmpfs --from LIVE: a dummy whose re-read stops the running shutdown entry: error TMP008", async () => {
    const live = "id:2:initdefault:\nl0:0:wait:/etc/init.d/rc 0\n1:2345:respawn:/sbin/getty tty1\n";
    const dir = tree({
      live: live,
      good: "id:7:initdefault:\nsu:S:off:\nl0:0:wait:/etc/init.d/rc 0\n",
      bad: "id:7:initdefault:\nsu:S:off:\nx0:0:wait:/etc/init.d/rc 0\n",
      "etc/inittab": live,
    });
    const bad = await cli("check", "--profile", "tmpfs", "--from", join(dir, "live"), join(dir, "bad"));
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/TMP008.*stops the running shutdown entry "l0:0:wait:\/etc\/init\.d\/rc 0"/s);
    expect((await cli("check", "--profile", "tmpfs", "--from", join(dir, "live"), join(dir, "good"))).status).toBe(0);
    // Without the live file there is nothing to compare: no TMP008. Under --root it is DIR/etc/inittab.
    expect((await cli("check", "--profile", "tmpfs", join(dir, "bad"))).stdout).not.toMatch(/TMP008/);
    expect((await cli("--root", dir, "check", "--profile", "tmpfs", join(dir, "bad"))).stdout).toMatch(/TMP008/);
    expect((await cli("check", "--from", join(dir, "live"), join(dir, "good"))).status).toBe(2);
  });

  it("stdin is `-`, named <stdin> (or --stdin-filename)", () => {
    const r = runCli(["check", "-f", "gnu", "-"], { input: BAD });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^<stdin>:5:1: error: /);
    expect(runCli(["check", "-f", "gnu", "--stdin-filename", "etc/inittab", "-"], { input: BAD }).stdout).toMatch(
      /^etc\/inittab:5:1: /,
    );
  });
});

describe("--fix and --fix-dry-run", () => {
  const BROKEN =
    "id:3:initdefault:\r\n~~:S:wait:/sbin/sulogin\r\n# keep me\r\nx1:s: ONCE :/bin/y\r\nx2:S:Respawn:/bin/z";
  const FIXED = "id:3:initdefault:\n~~:S:wait:/sbin/sulogin\n# keep me\nx1:S:once:/bin/y\nx2:S:respawn:/bin/z\n";

  it("--fix writes the safe fixes and nothing else, keeps the mode, and reports what is left", async () => {
    const dir = tree({ "etc/inittab": BROKEN });
    const path = join(dir, "etc/inittab");
    chmodSync(path, 0o640);
    const r = await cli("check", "--fix", "-f", "json", path);
    expect(readFileSync(path, "latin1")).toBe(FIXED);
    expect(statSync(path).mode & 0o777).toBe(0o640);
    expect(JSON.parse(r.stdout).files[0].diagnostics).toEqual([]);
    expect(r.status).toBe(0);
  });

  it("--fix leaves what is not safe to fix, and exits 1 for the errors left", async () => {
    const dir = tree({ "a.inittab": `${CLEAN}abcde:3:ONCE:/bin/true\n` });
    const path = join(dir, "a.inittab");
    const r = await cli("check", "--fix", "-f", "json", path);
    expect(readFileSync(path, "latin1")).toBe(`${CLEAN}abcde:3:once:/bin/true\n`);
    expect(JSON.parse(r.stdout).files[0].diagnostics.map((d: { code: string }) => d.code)).toEqual(["IT007"]);
    expect(r.status).toBe(1);
  });

  it("--fix-dry-run prints an a/ b/ unified diff that applies, and writes nothing", async () => {
    const dir = tree({ "etc/inittab": BROKEN });
    const path = join(dir, "etc/inittab");
    const r = await cli("check", "--fix-dry-run", path);
    expect(readFileSync(path, "latin1")).toBe(BROKEN);
    const label = path.replace(/^\/+/, "");
    expect(r.stdout.startsWith(`--- a/${label}\n+++ b/${label}\n@@ `)).toBe(true);
    expect(applyPatch(BROKEN, r.stdout)).toBe(FIXED);
    expect(r.stderr).toContain("1 file would be fixed");
  });

  it("--fix refuses stdin", async () => {
    const r = await cli("check", "--fix", "-");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--fix-dry-run");
  });

  it("a clean file is not rewritten", async () => {
    const dir = tree({ "a.inittab": CLEAN });
    const path = join(dir, "a.inittab");
    const before = statSync(path).mtimeMs;
    await new Promise((res) => setTimeout(res, 20));
    await cli("check", "--fix", path);
    expect(statSync(path).mtimeMs).toBe(before);
  });
});
