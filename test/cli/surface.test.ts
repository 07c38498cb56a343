/**
 * The CLI's surface (issue #15): one meaning per option, the same file and write options on every
 * command, combinations that cannot work refused, counts in words, rule selection and the config
 * file, JSON outcomes of edits, batches, `ls ID`, version notes. In-process through main(), or
 * through bin/inittab.js where stdin or the built bundle matters.
 */
import { afterAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import { cli } from "./in-process.js";
import { removeTempDirs, tempDir } from "../write/support.js";
import { DIALECT_NAMES } from "../../src/dialects/index.js";

afterAll(removeTempDirs);

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = join(ROOT, "bin", "inittab.js");
const SCHEMAS = join(ROOT, "docs", "schemas");

function run(args: string[], input = ""): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    input,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const SYSV =
  "id:3:initdefault:\nsi::sysinit:/etc/init.d/rcS\n~~:S:wait:/sbin/sulogin\nl3:3:wait:/etc/init.d/rc 3\n" +
  "1:2345:respawn:/sbin/getty 38400 tty1\n";

function file(content = SYSV, name = "inittab"): string {
  const dir = tempDir("inittab-surface-");
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function schema(name: string): (data: unknown) => boolean {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(JSON.parse(readFileSync(join(SCHEMAS, name), "utf8")));
  return (data) => {
    const ok = validate(data);
    if (!ok) throw new Error(JSON.stringify(validate.errors, null, 2));
    return ok;
  };
}

describe("one meaning per option", () => {
  it("--file names the inittab on every command that reads or edits one; the old -f still works on edits", async () => {
    const path = file();
    for (const args of [
      ["ls", "--file", path],
      ["parse", "--file", path],
      ["check", "--file", path],
      ["tmpfs", "--runlevel", "6", "--file", path],
    ]) {
      const r = await cli(...args);
      expect(r.status, `${args.join(" ")}: ${r.stderr}`).toBeLessThan(2);
    }
    expect((await cli("add", "a:2:once:/bin/true", "--file", path)).status).toBe(0);
    expect((await cli("rm", "a", "-f", path)).status).toBe(0);
    expect(readFileSync(path, "utf8")).toBe(SYSV);
    const both = await cli("rm", "1", "-f", path, "--file", path);
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/give the file once/);
  });

  it("the help marks the old spellings as deprecated", async () => {
    for (const [cmd, flag] of [
      ["rm", "--action"],
      ["add", "-f <path>"],
      ["tmpfs", "--from"],
    ] as const) {
      const r = await cli(cmd, "--help");
      const line = r.stdout.split("\n").find((l) => l.trimStart().startsWith(flag));
      expect(line, `${cmd} --help: ${flag}`).toMatch(/deprecated/);
    }
  });

  it("--with-action selects on set, rm, comment and uncomment alike; --action still selects on rm", async () => {
    const bb = "::sysinit:/etc/init.d/rcS\ntty1::respawn:/sbin/getty 38400 tty1\ntty1::askfirst:-/bin/sh\n";
    const path = file(bb);
    expect(
      (
        await cli(
          "-d",
          "busybox",
          "set",
          "--tty",
          "tty1",
          "--with-action",
          "askfirst",
          "--process",
          "-/bin/ash",
          "--file",
          path,
        )
      ).status,
    ).toBe(0);
    expect(readFileSync(path, "utf8")).toContain("tty1::askfirst:-/bin/ash\n");
    expect(
      (await cli("-d", "busybox", "comment", "--tty", "tty1", "--with-action", "askfirst", "--file", path)).status,
    ).toBe(0);
    expect(
      (await cli("-d", "busybox", "uncomment", "--tty", "tty1", "--with-action", "askfirst", "--file", path)).status,
    ).toBe(0);
    expect((await cli("-d", "busybox", "rm", "--tty", "tty1", "--action", "askfirst", "--file", path)).status).toBe(0);
    expect(readFileSync(path, "utf8")).toBe("::sysinit:/etc/init.d/rcS\ntty1::respawn:/sbin/getty 38400 tty1\n");
  });

  it("- is stdin and stdout everywhere: exec-shutdown --file -, tmpfs -o -, initctl encode -o -", () => {
    const live = "id:2:initdefault:\nl0:0:wait:/etc/init.d/rc 0\nl6:6:wait:/etc/init.d/rc 6\n";
    const exec = run(["--allow-exec", "exec-shutdown", "--program", "/lib/deinit", "--file", "-"], live);
    expect(exec.status).toBe(0);
    expect(exec.stdout).toBe(live.replace("rc 0\n", "rc 0\nl0u:0:exec:/lib/deinit\n"));
    const tmpfs = run(["tmpfs", "--file", "-", "-o", "-"], live);
    expect(tmpfs.status).toBe(0);
    expect(tmpfs.stdout).toMatch(/^l0:0:wait:\/etc\/init.d\/rc 0$/m);
    const dir = tempDir("inittab-surface-");
    const encode = spawnSync(process.execPath, [BIN, "initctl", "encode", "U", "-o", "-"], { cwd: dir });
    expect(encode.status).toBe(0);
    expect(encode.stdout.length).toBe(384);
    expect(existsSync(join(dir, "-"))).toBe(false);
  });

  it("every edit command has the same write options, exec-shutdown included", async () => {
    const flags = [
      "--file",
      "--diff",
      "--check",
      "--json",
      "--backup",
      "--in-place",
      "--force",
      "--validate",
      "--reload",
      "--lock-timeout",
      "--plan",
    ];
    for (const cmd of ["add", "set", "rm", "comment", "uncomment", "batch", "exec-shutdown"]) {
      const r = await cli(cmd, "--help");
      for (const f of flags) expect(r.stdout, `${cmd} ${f}`).toContain(`${f} `);
    }
    const path = file("id:2:initdefault:\nl0:0:wait:/etc/init.d/rc 0\n");
    const r = await cli("--allow-exec", "exec-shutdown", "--program", "/lib/deinit", "--file", path, "--backup");
    expect(r.status).toBe(0);
    expect(readFileSync(`${path}.bak`, "utf8")).toBe("id:2:initdefault:\nl0:0:wait:/etc/init.d/rc 0\n");
  });

  it.each([
    [["ls", "--matrix", "--json"], 0],
    [["add", "a:2:once:/x", "--diff", "--check"], 2],
    [["add", "a:2:once:/x", "--diff", "--backup"], 2],
    [["add", "a:2:once:/x", "--check", "--reload"], 2],
    [["add", "a:2:once:/x", "--reload", "--init-pid", "1"], 2],
    [["add", "a:2:once:/x", "--plan", "--reload"], 2],
    [["check", "--stderr", "-o", "x.txt"], 2],
    [["check", "--list-rules", "x"], 2],
    [["check", "--stdin-filename", "x"], 2],
    [["tmpfs", "--backup"], 2],
    [["add", "a:2:once:/x", "--match", "x"], 2],
  ])("%j: a combination that cannot work is refused, not dropped (exit %i)", async (args, status) => {
    const path = file();
    const withFile = args[0] === "ls" || args[0] === "tmpfs" || args[0] === "add" ? [...args, "--file", path] : args;
    const r = await cli(...withFile);
    expect(r.status, r.stderr).toBe(status);
    if (status === 2) expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
  });

  it("ls --matrix --json gives the matrix's columns with each entry's runlevels", async () => {
    const r = await cli("ls", "--matrix", "--json", "--file", join(ROOT, "samples/debian-desktop.inittab"));
    const out = JSON.parse(r.stdout);
    expect(out.columns).toContain("S");
    expect(out.entries.find((e: { id: string }) => e.id === "1").runsIn).toEqual(["2", "3", "4", "5"]);
  });

  it("no command, or a command group without its subcommand, is a usage error: help on stderr, exit 2", () => {
    for (const args of [[], ["initctl"], ["-d", "busybox"]]) {
      const r = run(args);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(/^Usage: inittab/);
    }
    expect(run(["--help"]).status).toBe(0);
  });

  it("add '' is an argument error (exit 2), read before any file", async () => {
    const r = await cli("add", "", "--file", "/nonexistent/inittab");
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("inittab: add: the entry is empty; give ID:RUNLEVELS:ACTION:PROCESS\n");
  });

  it("counts are words: 1 warning, 2 warnings, 1 file, 1 error", async () => {
    const path = file(`${SYSV}x1:2:respawn:/sbin/getty 38400 tty1\n`);
    const one = await cli("check", path, "--max-warnings", "0");
    expect(one.stdout).toMatch(/0 errors, 1 warning, 0 infos in 1 file\n$/);
    expect(one.stderr).toBe("inittab: 1 warning, more than --max-warnings 0\n");
    const crlf = file(SYSV.replace(/\n/g, "\r\n"));
    const fix = await cli("check", "--fix", "--backup", crlf);
    expect(fix.stderr).toBe("fixed 1 file\n");
    expect(readFileSync(`${crlf}.bak`, "utf8")).toBe(SYSV.replace(/\n/g, "\r\n"));
    const ls = await cli("ls", "--file", file(`${SYSV}bad line\n`));
    expect(ls.stderr).toBe("inittab: 1 line is not an entry; see `inittab check`\n");
  });

  it("check -q says what it left out instead of 'no problems'", async () => {
    const path = file(`${SYSV}x1:2:respawn:/sbin/getty 38400 tty1\n`);
    const r = await cli("check", "-q", path);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("no errors in 1 file (1 warning not shown: --quiet shows errors only)\n");
  });

  it("a dangling *.inittab link in a searched directory is reported, not skipped silently", async () => {
    const dir = tempDir("inittab-surface-");
    writeFileSync(join(dir, "good.inittab"), SYSV);
    symlinkSync(join(dir, "missing"), join(dir, "gone.inittab"));
    const r = await cli("check", dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${join(dir, "gone.inittab")}: skipped: a symbolic link to nothing`);
    expect(r.stdout).toMatch(/no problems in 1 file/);
  });
});

describe("rule selection and configuration", () => {
  const WARN = `${SYSV}x1:2:respawn:/sbin/getty 38400 tty1\n`;

  it(
    "--disable drops codes (comma-separated, repeatable), --enable brings them back, " + "unknown codes are exit 2",
    async () => {
      const path = file(WARN);
      const all = JSON.parse((await cli("check", "-f", "json", path)).stdout).files[0].diagnostics.map(
        (d: { code: string }) => d.code,
      );
      expect(all).toContain("IT036");
      const off = JSON.parse((await cli("check", "-f", "json", "--disable", "IT036,IT023b", path)).stdout).files[0]
        .diagnostics;
      expect(off.map((d: { code: string }) => d.code)).not.toContain("IT036");
      const back = JSON.parse((await cli("check", "-f", "json", "--disable", "all", "--enable", "IT036", path)).stdout)
        .files[0].diagnostics;
      expect(back.map((d: { code: string }) => d.code)).toEqual(["IT036"]);
      const bad = await cli("check", "--disable", "IT999", path);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toBe('inittab: --disable: "IT999" is not a rule code (see `inittab check --list-rules`)\n');
    },
  );

  it("--fail-on sets the severity that fails the check", async () => {
    const path = file(WARN);
    expect((await cli("check", path)).status).toBe(0);
    expect((await cli("check", "--fail-on", "warning", path)).status).toBe(1);
    expect((await cli("check", "--fail-on", "warning", "--disable", "IT036", path)).status).toBe(0);
  });

  it(".inittab.json is found from the checked file's directory upwards; flags override it", async () => {
    const top = tempDir("inittab-surface-");
    mkdirSync(join(top, "board", "rootfs", "etc"), { recursive: true });
    const path = join(top, "board", "rootfs", "etc", "inittab");
    writeFileSync(path, WARN);
    writeFileSync(join(top, ".inittab.json"), JSON.stringify({ $schema: "x", failOn: "warning" }));
    const r = await cli("check", "-f", "json", path);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).files[0].diagnostics.map((d: { code: string }) => d.code)).toEqual(["IT036"]);
    expect((await cli("check", "--fail-on", "error", path)).status).toBe(0);
    expect((await cli("check", "--no-config", path)).status).toBe(0);
    writeFileSync(join(top, ".inittab.json"), JSON.stringify({ failOn: "warning", disable: ["IT036"] }));
    expect((await cli("check", path)).status).toBe(0);
    expect((await cli("check", "--enable", "IT036", path)).status).toBe(1);
    // A nearer file wins.
    writeFileSync(join(top, "board", ".inittab.json"), JSON.stringify({ dialect: "sysvinit@3.06" }));
    const near = JSON.parse((await cli("check", "-f", "json", path)).stdout);
    expect(near.files[0].dialect).toBe("sysvinit@3.06");
    expect((await cli("-d", "sysvinit@2.88", "check", "-f", "json", path)).stdout).toContain(
      '"dialect": "sysvinit@2.88"',
    );
  });

  it("a bad config file is one line naming it, exit 2", async () => {
    const dir = tempDir("inittab-surface-");
    writeFileSync(join(dir, "inittab"), SYSV);
    for (const [text, why] of [
      ["{", /not valid JSON/],
      ['{"disable": ["XX1"]}', /"XX1" is not a rule code/],
      ['{"fail": 1}', /unknown setting "fail"/],
    ] as const) {
      writeFileSync(join(dir, ".inittab.json"), text);
      const r = await cli("check", join(dir, "inittab"));
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(why);
      expect(r.stderr).toContain(join(dir, ".inittab.json"));
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    }
  });

  it("the example of docs/configuration.md is a valid config file, for the loader and the schema", async () => {
    const doc = readFileSync(join(ROOT, "docs", "configuration.md"), "utf8");
    const json = /```json\n([\s\S]*?)```/.exec(doc)![1]!;
    const dir = tempDir("inittab-surface-");
    writeFileSync(join(dir, ".inittab.json"), json);
    writeFileSync(join(dir, "inittab"), SYSV);
    expect(schema("config.v1.json")(JSON.parse(json))).toBe(true);
    const r = await cli("check", "-f", "json", join(dir, "inittab"));
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).files[0].dialect).toBe("sysvinit@3.06");
  });

  it("the config schema accepts what the loader accepts and names the same dialects", () => {
    const config = JSON.parse(readFileSync(join(SCHEMAS, "config.v1.json"), "utf8"));
    expect(config.properties.dialect.enum).toEqual([...DIALECT_NAMES]);
    expect(
      schema("config.v1.json")({ dialect: "busybox", disable: ["IT026"], failOn: "warning", maxWarnings: 0 }),
    ).toBe(true);
  });
});

describe("integrations", () => {
  it(
    "check --format json validates against docs/schemas/check.v1.json, " + "version-dependent findings included",
    async () => {
      const long = `${SYSV}lg:2:once:/bin/echo ${"x".repeat(130)}\n`;
      const r = await cli("check", "-f", "json", file(long));
      const report = JSON.parse(r.stdout);
      expect(schema("check.v1.json")(report)).toBe(true);
      expect(report.files[0].otherVersions).toEqual({ "sysvinit@2.88": 1, "sysvinit@3.06": 1 });
    },
  );

  it("check --stderr puts the findings where Ansible and Puppet show them", async () => {
    const r = await cli("check", "--stderr", file("id:3:initdefault:\ntty10:2:respawn:/sbin/getty 38400 tty10\n"));
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/IT007 init ignores this line/);
  });

  it("check -o FILE writes the report there atomically; the exit status is the check's", async () => {
    const dir = tempDir("inittab-surface-");
    const out = join(dir, "report.sarif");
    const r = await cli(
      "check",
      "-f",
      "sarif",
      "-o",
      out,
      file("id:3:initdefault:\ntty10:2:respawn:/sbin/getty 38400 tty10\n"),
    );
    expect(r.status).toBe(1);
    expect(JSON.parse(readFileSync(out, "utf8")).version).toBe("2.1.0");
  });

  it(
    "--json on edits: changed, diff, backup; also on a refusal, with the reason; " + "valid against edit.v1.json",
    async () => {
      const valid = schema("edit.v1.json");
      const path = file();
      const added = JSON.parse((await cli("add", "a:2:once:/bin/true", "--file", path, "--json", "--backup")).stdout);
      expect(valid(added)).toBe(true);
      expect(added).toMatchObject({ command: "add", changed: true, written: true, backup: `${path}.bak` });
      expect(added.diff).toContain("+a:2:once:/bin/true");
      const again = JSON.parse((await cli("add", "a:2:once:/bin/true", "--file", path, "--json")).stdout);
      expect(again).toMatchObject({ changed: false, written: false, diff: "" });
      const refused = await cli("add", "tty10:2:once:/bin/true", "--file", path, "--json");
      expect(refused.status).toBe(1);
      const out = JSON.parse(refused.stdout);
      expect(valid(out)).toBe(true);
      expect(out.error).toMatchObject({ code: "edit-adds-errors", exitStatus: 1 });
      expect(out.diagnostics[0].code).toBe("IT007");
      expect(refused.stderr).toMatch(/refused/);
    },
  );

  it("--json on the generators' -o FILE: the same outcome, valid against edit.v1.json; stdout alone is refused", async () => {
    const valid = schema("edit.v1.json");
    const live = file(`${SYSV}l0:0:wait:/etc/init.d/rc 0\n`);
    const out = join(tempDir("inittab-surface-"), "dummy.inittab");
    const first = await cli("tmpfs", "--file", live, "-o", out, "--json");
    expect(first.status, first.stderr).toBe(0);
    const wrote = JSON.parse(first.stdout);
    expect(valid(wrote)).toBe(true);
    expect(wrote).toMatchObject({ command: "tmpfs", changed: true, written: true, backup: null });
    expect(wrote.diff).toContain(`+${readFileSync(out, "latin1").split("\n")[0]}`);
    const again = JSON.parse((await cli("tmpfs", "--file", live, "-o", out, "--json", "--check")).stdout);
    expect(again).toMatchObject({ changed: false, written: false, diff: "" });
    const req = join(tempDir("inittab-surface-"), "request.bin");
    const encoded = await cli("initctl", "encode", "U", "-o", req, "--json");
    expect(encoded.status, encoded.stderr).toBe(0);
    const enc = JSON.parse(encoded.stdout);
    expect(valid(enc)).toBe(true);
    expect(enc).toMatchObject({ command: "initctl encode", changed: true, written: true, diff: "" });
    expect(readFileSync(req).length).toBe(384);
    const bad = await cli("tmpfs", "--file", live, "--json");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe("inittab: --json needs -o FILE (the output goes to stdout)\n");
  });

  it("--json with --file - is refused unless --diff or --check (stdout carries the file)", () => {
    expect(run(["add", "a:2:once:/x", "--file", "-", "--json"], SYSV).status).toBe(2);
    const r = run(["add", "a:2:once:/x", "--file", "-", "--json", "--check"], SYSV);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).changed).toBe(true);
  });
});

describe("batch", () => {
  it("applies operations in order from arguments and --ops, validates once and writes once", async () => {
    const path = file();
    const dir = tempDir("inittab-surface-");
    const ops = join(dir, "ops");
    writeFileSync(
      ops,
      "# the serial console\nadd 'T0:23:respawn:/sbin/getty -L ttyS0 115200 vt100' --after l3\n\n" +
        "set T0 --runlevels 2345\n",
    );
    const r = await cli("batch", "rm 1", "--ops", ops, "--file", path, "--json");
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.operations.map((o: { operation: string }) => o.operation)).toEqual([
      "rm 1",
      "add 'T0:23:respawn:/sbin/getty -L ttyS0 115200 vt100' --after l3",
      "set T0 --runlevels 2345",
    ]);
    expect(out.operations.every((o: { changed: boolean }) => o.changed)).toBe(true);
    // The third operation edits the line the second one added: each sees the result of the ones before.
    expect(readFileSync(path, "utf8")).toBe(
      SYSV.replace("1:2345:respawn:/sbin/getty 38400 tty1\n", "T0:2345:respawn:/sbin/getty -L ttyS0 115200 vt100\n"),
    );
    const again = await cli("batch", "rm 1", "set T0 --runlevels 2345", "--file", path);
    expect(again.stdout).toContain(`${path}: 0 operations of 2 changed the file\n`);
  });

  it("a failing operation refuses the whole batch: nothing is written", async () => {
    const path = file();
    const r = await cli(
      "batch",
      "rm 1",
      "add 'T0:23:respawn:/sbin/getty -L ttyS0 115200 vt100'",
      "set nope --runlevels 2",
      "--file",
      path,
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/nope/);
    expect(readFileSync(path, "utf8")).toBe(SYSV);
    const ok = await cli("batch", "rm 1", "add 'T0:23:respawn:/sbin/getty -L ttyS0 115200 vt100'", "--file", path);
    expect(ok.status).toBe(0);
    expect(readFileSync(path, "utf8")).toBe(
      SYSV.replace("1:2345:respawn:/sbin/getty 38400 tty1\n", "T0:23:respawn:/sbin/getty -L ttyS0 115200 vt100\n"),
    );
  });

  it(
    "shell syntax, $VARIABLES outside single quotes and unknown operations are " +
      "argument errors naming the operation",
    async () => {
      const path = file();
      for (const [op, why] of [
        ["rm 1; rm 2", /";" is shell syntax/],
        ['add "a:2:once:/bin/echo $HOME"', /"\$HOME" outside single quotes/],
        ["check", /not an edit/],
        ["rm --bogus", /unknown option/],
      ] as const) {
        const r = await cli("batch", op, "--file", path);
        expect(r.status, op).toBe(2);
        expect(r.stderr).toMatch(/operation 1/);
        expect(r.stderr).toMatch(why);
      }
      expect((await cli("batch", "add 'a:2:once:/bin/echo $HOME'", "--file", path)).status).toBe(0);
      expect(readFileSync(path, "utf8")).toContain("a:2:once:/bin/echo $HOME\n");
    },
  );
});

describe("ls ID, like lsitab", () => {
  it("prints the entry's line; a missing one is exit 1", async () => {
    const sample = join(ROOT, "samples/debian-desktop.inittab");
    const r = await cli("ls", "1", "--file", sample);
    expect(r).toMatchObject({ status: 0, stdout: "1:2345:respawn:/sbin/getty --noclear 38400 tty1\n" });
    expect((await cli("ls", "nope", "--file", sample)).status).toBe(1);
    // The old `ls FILE` still reads the file.
    expect((await cli("ls", sample)).stdout).toMatch(/^ID +RUNLEVELS/);
  });
});

describe("the version of the target init", () => {
  it("names the assumed version in the header and marks findings that differ by version", async () => {
    const r = await cli("check", file(`${SYSV}lg:2:once:/bin/echo ${"x".repeat(130)}\nnl:2:once:/bin/true`));
    expect(r.stdout).toMatch(/version assumed: 3\.14/);
    expect(r.stdout).toMatch(/IT002 .*\[sysvinit 3\.14 only\]/);
    // IT013 (a process over 127 bytes) and IT002 (no final newline) read otherwise before 3.14.
    expect(r.stdout).toMatch(
      /sysvinit@2\.88 has 2 more findings \(-d sysvinit@2\.88\); sysvinit@3\.06 has 2 more findings/,
    );
    const given = await cli("-d", "sysvinit@3.06", "check", file(SYSV));
    expect(given.stdout).not.toMatch(/assumed/);
  });

  it("--root reads the image's init and version: dpkg's sysvinit-core 3.06 means the 3.06 table", async () => {
    const root = tempDir("inittab-surface-");
    mkdirSync(join(root, "etc"));
    mkdirSync(join(root, "var/lib/dpkg"), { recursive: true });
    writeFileSync(join(root, "etc/inittab"), `${SYSV}lg:2:once:/bin/echo ${"x".repeat(130)}\n`);
    writeFileSync(
      join(root, "var/lib/dpkg/status"),
      "Package: sysvinit-core\nStatus: install ok installed\nVersion: 3.06-4\n\n",
    );
    const r = await cli("--root", root, "check", "-f", "json", "--disable", "RT001");
    const f = JSON.parse(r.stdout).files[0];
    expect(f.dialect).toBe("sysvinit@3.06");
    expect(f.versionAssumed).toBe(false);
    expect(f.detection[0]).toMatch(/sysvinit 3\.06 .*dpkg\/status \(sysvinit-core 3\.06-4\)/);
    expect(f.diagnostics.map((d: { code: string }) => d.code)).toContain("IT013");
  });

  it("paths show as UTF-8 in headers, --root messages and errors", async () => {
    const root = join(tempDir("inittab-surface-"), "rootü");
    mkdirSync(join(root, "etc"), { recursive: true });
    writeFileSync(join(root, "etc/inittab"), "id:3:initdefault:\nsi::sysinit:/etc/init.d/rcS\n");
    const r = await cli("--root", root, "check");
    expect(r.stdout).toContain(`${root}/etc/inittab (read as`);
    expect(r.stdout).toContain(`in "${root}"`);
    expect(r.stdout).not.toContain("\\x");
    const missing = await cli("ls", "--file", join(root, "nope"));
    expect(missing.stderr).toBe(`inittab: ${root}/nope: no such file or directory\n`);
  });
});

describe("references made from the command definitions", () => {
  it("the man page renders with man -l without a warning and lists every command and option", async () => {
    const page = join(ROOT, "dist", "inittab.1");
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    expect(pkg.man).toEqual(["./dist/inittab.1"]);
    expect(pkg.files).toContain("dist/inittab.1");
    const man = spawnSync("man", ["--warnings=w", "-l", page], {
      encoding: "utf8",
      env: { ...process.env, MANWIDTH: "100", MAN_KEEP_FORMATTING: "" },
    });
    if (man.error) return void console.log("skipped: no man program (apt-get install man-db)");
    expect(man.stderr).toBe("");
    for (const c of [
      "inittab check",
      "inittab batch",
      "inittab initctl encode",
      "inittab completion",
      "--fail-on",
      "--with-action",
    ]) {
      expect(man.stdout).toContain(c);
    }
  });

  it("bash loads the completion without an error and completes commands, options and choices", () => {
    const script = run(["completion", "bash"]).stdout;
    const probe = (line: string) =>
      spawnSync(
        "bash",
        [
          "-c",
          `set -e; eval "$1"; read -ra COMP_WORDS <<< "$2"; [[ $2 == *" " ]] && COMP_WORDS+=(""); ` +
            `COMP_CWORD=$((\${#COMP_WORDS[@]}-1)); _inittab; echo "\${COMPREPLY[*]}"`,
          "_",
          script,
          line,
        ],
        { encoding: "utf8" },
      );
    const r = probe("inittab ch");
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("check\n");
    expect(probe("inittab check --fail-on ").stdout).toBe("error warning info\n");
    expect(probe("inittab batch --js").stdout).toBe("--json\n");
  });

  it("zsh and fish load theirs", () => {
    for (const [shell, args] of [
      ["zsh", ["-c", 'autoload -U compinit; compinit -u -D; eval "$1"']],
      ["fish", ["-c", "eval $argv[1]; complete -C 'inittab ch'"]],
    ] as const) {
      const script = run(["completion", shell]).stdout;
      const r = spawnSync(
        shell,
        [...args, shell === "zsh" ? "_" : "", script].filter((a) => a !== ""),
        { encoding: "utf8" },
      );
      if (r.error) {
        console.log(`skipped: no ${shell} (apt-get install ${shell})`);
        continue;
      }
      expect(r.status, r.stderr).toBe(0);
      if (shell === "fish") expect(r.stdout).toMatch(/^check\t/m);
    }
  });
});
