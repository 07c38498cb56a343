/**
 * `inittab add | set | rm | comment | uncomment`: exit codes, messages, --check, --diff,
 * --backup, --validate, the gate, --reload and the file options. Most run in-process through
 * main(); stdin and the patch tools run a child process (on the transpiled sources).
 */
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, linkSync, mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cli } from "./in-process.js";
import { buildTree as tempTree, runCli, strays, tempDir, removeTempDirs } from "../write/support.js";

afterAll(removeTempDirs);

const SYSV =
  "# /etc/inittab\nid:3:initdefault:\nsi::sysinit:/etc/init.d/rcS\nl0:0:wait:/etc/init.d/rc 0\n#T0:23:respawn:/sbin/getty -L ttyS0 9600 vt100\n";
const BB =
  "::sysinit:/etc/init.d/rcS\nconsole::respawn:/sbin/getty -L  console 0 vt100 # GENERIC_SERIAL\ntty1::respawn:/sbin/getty 38400 tty1\n::sysinit:/bin/mount -o remount,rw /\n::shutdown:/bin/umount -a -r\n";

function file(content: string | Uint8Array = SYSV, name = "inittab"): { dir: string; path: string } {
  const dir = tempDir("inittab-cli-");
  const path = join(dir, name);
  writeFileSync(path, content);
  return { dir, path };
}

afterEach(() => vi.restoreAllMocks());

describe("add", () => {
  it("adds and says so (no reload hint: not the running system's file); again: unchanged, exit 0", async () => {
    const { dir, path } = file();
    const r = await cli("add", "ab:2345:respawn:/sbin/getty 38400 tty2", "-f", path);
    expect(r).toMatchObject({ status: 0, stderr: "" });
    expect(r.stdout).toBe(`${path}: added ab after l0\n`);
    expect(readFileSync(path, "utf8")).toBe(SYSV.replace("rc 0\n", "rc 0\nab:2345:respawn:/sbin/getty 38400 tty2\n"));
    const again = await cli("add", "ab:2345:respawn:/sbin/getty 38400 tty2", "-f", path);
    expect(again.status).toBe(0);
    expect(again.stdout).toBe(`${path}: unchanged: ab (line 5) is already present\n`);
    expect(strays(dir, ["inittab"])).toEqual([]);
  });

  it("another entry with the id: refused (exit 1, says --replace); --replace changes it in place", async () => {
    const { path } = file();
    const r = await cli("add", "l0:06:wait:/etc/init.d/rc 0", "-f", path, "--first");
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/l0 \(line 4\) already exists with other fields .*--replace changes it in place/);
    expect(readFileSync(path, "utf8")).toBe(SYSV);
    const ok = await cli("add", "l0:06:wait:/etc/init.d/rc 0", "-f", path, "--replace", "--first");
    expect(ok.status).toBe(0);
    expect(readFileSync(path, "utf8")).toBe(SYSV.replace("l0:0:", "l0:06:"));
  });

  it("--before, --after, --first", async () => {
    const { path } = file();
    await cli("add", "a:2:once:/a", "--before", "si", "-f", path);
    await cli("add", "b:2:once:/b", "--after", "id", "-f", path);
    await cli("add", "c:2:once:/c", "--first", "-f", path);
    expect(readFileSync(path, "utf8")).toBe(
      "# /etc/inittab\nc:2:once:/c\nid:3:initdefault:\nb:2:once:/b\na:2:once:/a\nsi::sysinit:/etc/init.d/rcS\nl0:0:wait:/etc/init.d/rc 0\n#T0:23:respawn:/sbin/getty -L ttyS0 9600 vt100\n",
    );
    const missing = await cli("add", "d:2:once:/d", "--after", "nope", "-f", path);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/--after: no entry "nope"/);
  });

  it("entry text with a newline, CR or NUL is unusable: exit 2, one line", async () => {
    const { path } = file();
    for (const bad of ["ab:2:once:/x\nzz:2:once:/y", "ab:2:once:/x\r", "ab:2:once:/x\0"]) {
      const r = await cli("add", bad, "-f", path);
      expect(r.status).toBe(2);
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    }
    expect(readFileSync(path, "utf8")).toBe(SYSV);
  });

  it("the gate on a CRLF file: the refusal says to convert the file; after check --fix the add lands", async () => {
    const { path } = file();
    writeFileSync(path, SYSV.replace(/\n/g, "\r\n"));
    const r = await cli("add", "zz:2:once:/bin/true", "-f", path);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/error IT003/);
    expect(r.stderr).toMatch(/CRLF line ends.*inittab check --fix/);
    expect((await cli("check", "--fix", path)).status).toBe(0);
    expect((await cli("add", "zz:2:once:/bin/true", "-f", path)).status).toBe(0);
    // After the last entry, every line LF now.
    expect(readFileSync(path, "utf8")).toBe(SYSV.replace("rc 0\n", "rc 0\nzz:2:once:/bin/true\n"));
  });

  it("the gate: an edit that adds an error is refused (exit 1, the errors listed); --force writes it", async () => {
    const { path } = file();
    const r = await cli("add", "abcdef:2:respawn:/bin/sh", "-f", path);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/error IT007/);
    expect(r.stderr).toMatch(/refused: the edit adds 1 error the file did not have \(--force writes it anyway\)/);
    expect(readFileSync(path, "utf8")).toBe(SYSV);
    const forced = await cli("add", "abcdef:2:respawn:/bin/sh", "-f", path, "--force");
    expect(forced.status).toBe(0);
    expect(forced.stderr).toMatch(/--force: writing despite 1 new error/);
    expect(readFileSync(path, "utf8")).toContain("abcdef:2:respawn:/bin/sh\n");
    // The error is the file's now: an unrelated edit is not blocked by it.
    expect((await cli("add", "zz:2:once:/bin/true", "-f", path)).status).toBe(0);
  });

  it("--allow-exec reaches the validator", async () => {
    const { path } = file();
    const without = await cli("add", "ex:0:exec:/sbin/halt", "-f", path, "--check");
    expect(without.status).toBe(1);
    expect(without.stderr).toMatch(/IT033/);
    const withExec = await cli("--allow-exec", "add", "ex:0:exec:/sbin/halt", "-f", path);
    expect(withExec.stderr).not.toMatch(/IT033/);
    expect(withExec.status).toBe(0);
  });
});

describe("set, rm, comment, uncomment", () => {
  it("set changes only the named fields; twice is unchanged", async () => {
    const { path } = file();
    expect((await cli("set", "l0", "--runlevels", "06", "-f", path)).stdout).toMatch(/set runlevels of l0 \(line 4\)/);
    expect(readFileSync(path, "utf8")).toBe(SYSV.replace("l0:0:", "l0:06:"));
    const again = await cli("set", "l0", "--runlevels", "06", "-f", path);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/unchanged/);
    expect((await cli("set", "zz", "--action", "once", "-f", path)).status).toBe(1);
    expect((await cli("set", "l0", "-f", path)).status).toBe(2);
  });

  it("rm removes lines; absent ids are no change; removing a running entry warns (IT034)", async () => {
    const { path } = file();
    const r = await cli("rm", "l0", "si", "-f", path);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/removed si \(line 3\), l0 \(line 4\)/);
    expect(r.stderr).toMatch(/warning: .*:4: the entry is gone: .* init stops the process of "l0".*\[IT034\]/);
    expect(readFileSync(path, "utf8")).toBe(
      "# /etc/inittab\nid:3:initdefault:\n#T0:23:respawn:/sbin/getty -L ttyS0 9600 vt100\n",
    );
    expect((await cli("rm", "l0", "-f", path)).stdout).toMatch(/unchanged/);
  });

  it("comment / uncomment round-trip; both are repeatable", async () => {
    const { path } = file();
    expect((await cli("comment", "l0", "-f", path)).stdout).toMatch(/commented out l0/);
    expect((await cli("comment", "l0", "-f", path)).stdout).toMatch(/unchanged: l0 \(line 4\) already commented out/);
    expect((await cli("uncomment", "l0", "-f", path)).status).toBe(0);
    expect(readFileSync(path, "utf8")).toBe(SYSV);
    expect((await cli("uncomment", "T0", "-f", path)).stdout).toMatch(/uncommented T0 \(line 5\)/);
    expect((await cli("uncomment", "T0", "-f", path)).stdout).toMatch(/unchanged/);
    expect((await cli("comment", "nope", "-f", path)).status).toBe(1);
  });

  it("BusyBox: --tty, --action, --match", async () => {
    const { path } = file(BB);
    const r = await cli(
      "-d",
      "busybox",
      "set",
      "--match",
      "# GENERIC_SERIAL",
      "--id",
      "ttyS0",
      "--process",
      "/sbin/getty -L ttyS0 115200 vt100",
      "-f",
      path,
    );
    expect(r.status).toBe(0);
    expect(readFileSync(path, "utf8")).toContain(
      "\nttyS0::respawn:/sbin/getty -L ttyS0 115200 vt100 # GENERIC_SERIAL\n",
    );
    // Auto-detected dialect; selection by tty and action.
    expect((await cli("comment", "--match", "remount,rw /", "-f", path)).stdout).toMatch(
      /commented out ::sysinit \(line 4\)/,
    );
    expect((await cli("rm", "--tty", "/dev/tty1", "--action", "respawn", "-f", path)).stdout).toMatch(
      /removed tty1::respawn/,
    );
    const amb = await cli("set", "--with-action", "sysinit", "--runlevels", "S", "-f", path, "-d", "busybox");
    expect(amb.status).toBe(0); // only one active sysinit is left: the other is commented out
    expect((await cli("--dialect", "sysvinit", "rm", "--tty", "tty1", "-f", path)).status).toBe(2);
  });

  it("escapes control characters from the file in messages", async () => {
    const { path } = file("id:3:initdefault:\na\x1b:2:once:/bin/\x1b[31mred\n");
    const r = await cli("add", "a\x1b:3:once:/x", "-f", path);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("\\x1b");
    expect(r.stderr).not.toContain("\x1b");
  });
});

describe("file options", () => {
  it("--check writes nothing: exit 1 when a change would be made, 0 when not", async () => {
    const { path } = file();
    utimesSync(path, new Date(2001, 0, 1), new Date(2001, 0, 1));
    const mtime = statSync(path).mtimeMs;
    const would = await cli("add", "ab:2:once:/x", "-f", path, "--check");
    expect(would.status).toBe(1);
    expect(would.stdout).toMatch(/would change: added ab/);
    expect((await cli("add", "l0:0:wait:/etc/init.d/rc 0", "-f", path, "--check")).status).toBe(0);
    expect(statSync(path).mtimeMs).toBe(mtime);
    expect(readFileSync(path, "utf8")).toBe(SYSV);
  });

  it("--backup keeps the previous version (default .bak, or --backup=SUFFIX)", async () => {
    const { dir, path } = file();
    await cli("add", "ab:2:once:/x", "-f", path, "--backup");
    expect(readFileSync(`${path}.bak`, "utf8")).toBe(SYSV);
    const second = readFileSync(path, "utf8");
    await cli("rm", "ab", "-f", path, "--backup=.orig");
    expect(readFileSync(`${path}.orig`, "utf8")).toBe(second);
    expect(strays(dir, ["inittab", "inittab.bak", "inittab.orig"])).toEqual([]);
  });

  it("--validate: a failing command refuses (exit 1, its stderr shown escaped); a passing one lets it through", async () => {
    const { dir, path } = file();
    const r = await cli(
      "add",
      "ab:2:once:/x",
      "-f",
      path,
      "--validate",
      "sh -c 'printf \"bad\\033 line\\n\" >&2; exit 1' sh %s",
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("bad\\x1b line");
    expect(r.stderr).toMatch(/--validate: sh exited with status 1; nothing was written/);
    expect(readFileSync(path, "utf8")).toBe(SYSV);
    expect((await cli("add", "ab:2:once:/x", "-f", path, "--validate", "grep -q ^ab: %s")).status).toBe(0);
    expect(readFileSync(path, "utf8")).toContain("ab:2:once:/x\n");
    expect((await cli("rm", "ab", "-f", path, "--validate", "true")).status).toBe(2); // no %s
    expect(strays(dir, ["inittab"])).toEqual([]);
  });

  it("a missing file, a directory: exit 2, one line naming it", async () => {
    const dir = tempDir();
    const r = await cli("add", "ab:2:once:/x", "-f", join(dir, "none"));
    expect(r).toMatchObject({ status: 2, stdout: "" });
    expect(r.stderr).toBe(`inittab: ${join(dir, "none")}: no such file or directory\n`);
    const d = await cli("rm", "ab", "-f", dir);
    expect(d.status).toBe(2);
    expect(d.stderr.trimEnd().split("\n")).toHaveLength(1);
  });

  it("a hard-linked file is refused without --in-place", async () => {
    const { dir, path } = file();
    linkSync(path, join(dir, "other"));
    const r = await cli("add", "ab:2:once:/x", "-f", path);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/has 2 hard links.*--in-place/);
    expect((await cli("add", "ab:2:once:/x", "-f", path, "--in-place")).status).toBe(0);
    expect(readFileSync(join(dir, "other"), "utf8")).toContain("ab:2:once:/x");
  });

  it("keeps mode and owner through the CLI", async () => {
    const { path } = file();
    chmodSync(path, 0o600);
    spawnSync("chown", ["1234:5678", path]);
    await cli("add", "ab:2:once:/x", "-f", path);
    const st = statSync(path);
    expect([st.mode & 0o7777, st.uid, st.gid]).toEqual([0o600, 1234, 5678]);
  });

  it("--root DIR edits DIR/etc/inittab, prints no reload hint and does not reload", async () => {
    const root = tempDir();
    mkdirSync(join(root, "etc"));
    writeFileSync(join(root, "etc/inittab"), SYSV);
    // The validator checks programs inside the image: one that is not there is a new error.
    const missing = await cli("--root", root, "add", "ab:2:once:/x", "--reload");
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/RT001/);
    writeFileSync(join(root, "x"), "#!/bin/sh\n");
    chmodSync(join(root, "x"), 0o755);
    const r = await cli("--root", root, "add", "ab:2:once:/x", "--reload");
    expect(r.status).toBe(3);
    expect(r.stdout).not.toMatch(/telinit/);
    expect(r.stderr).toMatch(/written, but not reloading: --root edits a system image/);
    expect(readFileSync(join(root, "etc/inittab"), "utf8")).toContain("ab:2:once:/x\n");
  });
});

describe("--reload (never the real PID 1)", () => {
  it("a file that is not the running system's inittab is written, not reloaded: exit 3 with the reason", async () => {
    const { path } = file();
    const r = await cli("add", "ab:2:once:/x", "-f", path, "--reload");
    expect(r.status).toBe(3);
    expect(r.stdout).toBe(`${path}: added ab after l0\n`);
    // Why depends on what this process may see of PID 1; either way one line, and no signal.
    const why =
      `(${path} is not the /etc/inittab the running init \\(process 1\\) reads` +
      "|cannot see the /etc/inittab of process 1 .*)";
    expect(r.stderr).toMatch(new RegExp(`^inittab: ${path}: written, but not reloading: ${why}\n$`));
    expect(readFileSync(path, "utf8")).toContain("ab:2:once:/x\n");
  });

  it("no option points the signal at another process: `--init-pid` is for --plan only, the process lives", async () => {
    const { path } = file(BB);
    const bystander = spawn("sleep", ["300"]);
    try {
      const exited = new Promise<string>((r) => bystander.once("exit", (_c, s) => r(String(s))));
      const line = "tty2::respawn:/sbin/getty 38400 tty2";
      const pid = String(bystander.pid);
      const pointed = await cli("-d", "busybox", "add", line, "-f", path, "--reload", "--init-pid", pid);
      expect(pointed.status).toBe(2);
      expect(pointed.stderr).toBe(
        "inittab: --init-pid is only for --plan (--reload asks process 1, and no other process)\n",
      );
      expect(readFileSync(path, "utf8")).toBe(BB);
      const plain = await cli("-d", "busybox", "add", line, "-f", path, "--reload");
      expect(plain.status).toBe(3);
      expect(plain.stderr).toMatch(/written, but not reloading/);
      const outcome = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r("alive"), 300))]);
      expect(outcome).toBe("alive");
    } finally {
      bystander.kill("SIGKILL");
    }
  });

  it("no --reload, unchanged file or --check: nothing is tried", async () => {
    const { path } = file();
    const r = await cli("add", "l0:0:wait:/etc/init.d/rc 0", "-f", path, "--reload");
    expect(r.status).toBe(0); // unchanged: no reload attempted
    expect((await cli("add", "x:2:once:/x", "-f", path, "--check", "--reload")).status).toBe(2);
  });
});

describe("the gate reads .inittab.json as check does", () => {
  it("a code the nearest config disables does not refuse the edit; --no-config and --config FILE decide", async () => {
    const { dir, path } = file();
    const entry = "ab:2:bogus:/bin/true"; // IT011: init ignores an unknown action
    const refused = await cli("add", entry, "--file", path, "--diff");
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/IT011/);
    writeFileSync(join(dir, ".inittab.json"), '{"disable":["IT011"]}');
    expect((await cli("add", entry, "--file", path, "--diff")).status).toBe(0);
    expect((await cli("add", entry, "--file", path, "--diff", "--no-config")).status).toBe(1);
    const other = join(tempDir("inittab-cfg-"), "settings.json");
    writeFileSync(other, '{"disable":["IT030"]}');
    expect((await cli("add", entry, "--file", path, "--diff", "--config", other)).status).toBe(1);
    writeFileSync(other, '{"disable":["IT999"]}');
    const bad = await cli("add", entry, "--file", path, "--config", other);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/"IT999" is not a rule code/);
    expect(readFileSync(path, "utf8")).toBe(SYSV);
  });

  it("the config's dialect reads the file: sysvinit 3.06 refuses a process over 127 bytes, 3.14 takes it", async () => {
    const { dir, path } = file();
    const entry = `lg:2:once:/bin/echo ${"x".repeat(130)}`;
    expect((await cli("add", entry, "--file", path, "--diff")).status).toBe(0);
    writeFileSync(join(dir, ".inittab.json"), '{"dialect":"sysvinit@3.06"}');
    const r = await cli("add", entry, "--file", path, "--diff");
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/IT013/);
    // -d on the command line wins over the file, as in check.
    expect((await cli("-d", "sysvinit@3.14", "add", entry, "--file", path, "--diff")).status).toBe(0);
  });
});

describe("--missing-ok", () => {
  it("comment/uncomment/set of an absent entry: exit 1, or exit 0 with --missing-ok", async () => {
    const { path } = file();
    expect((await cli("uncomment", "--match", "remount,rw /", "-f", path)).status).toBe(1);
    const ok = await cli("uncomment", "--match", "remount,rw /", "-f", path, "--missing-ok");
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/unchanged: no commented-out entry matching "remount,rw \/"/);
    expect((await cli("comment", "zz", "--missing-ok", "-f", path)).status).toBe(0);
    expect((await cli("set", "zz", "--action", "once", "--missing-ok", "-f", path)).status).toBe(0);
    expect(readFileSync(path, "utf8")).toBe(SYSV);
  });
});

describe("the running system's /etc/inittab (a private mount namespace, /etc overlaid)", () => {
  it("is the default file, and gets the reload hint", (ctx) => {
    const work = tempDir("inittab-ns-");
    mkdirSync(join(work, "u"));
    mkdirSync(join(work, "w"));
    const cliJs = join(tempTree(), "cli.js");
    const script = [
      `mount -t overlay overlay -o lowerdir=/etc,upperdir=${work}/u,workdir=${work}/w /etc || exit 77`,
      `printf 'id:3:initdefault:\\n' > /etc/inittab`,
      `"${process.execPath}" "${cliJs}" add ab:2:once:/bin/true`,
      "echo rc=$?",
      "cat /etc/inittab",
    ].join("\n");
    const r = spawnSync("unshare", ["-m", "--propagation", "private", "sh", "-c", script], { encoding: "utf8" });
    if (r.status === 77 || r.error) return ctx.skip(`no private mount namespace here: ${r.stderr}`);
    expect(r.stdout).toBe(
      "/etc/inittab: added ab after id\nrun `telinit q` to make init re-read it\nrc=0\nid:3:initdefault:\nab:2:once:/bin/true\n",
    );
  });
});

describe("stdin and --diff (child processes)", () => {
  it("-f - edits stdin to stdout, the message on stderr", () => {
    const r = runCli(["add", "ab:2:once:/x", "-f", "-"], { input: SYSV });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(SYSV.replace("rc 0\n", "rc 0\nab:2:once:/x\n"));
    expect(r.stderr).toBe("<stdin>: added ab after l0\n");
    const same = runCli(["rm", "zz", "-f", "-"], { input: SYSV });
    expect(same.stdout).toBe(SYSV);
  });

  it("--diff writes nothing and its patch applies with git apply and patch -p1, byte-exact", () => {
    // A CRLF line, invalid UTF-8 and no final newline: the patch must carry the exact bytes.
    const content = Buffer.from(
      "# caf\xe9\nid:3:initdefault:\r\nl0:0:wait:/etc/init.d/rc 0\nl6:6:wait:/etc/init.d/rc 6",
      "latin1",
    );
    const repo = tempDir("inittab-git-");
    const git = (...args: string[]) => spawnSync("git", args, { cwd: repo, encoding: "utf8" });
    expect(git("init", "-q").status).toBe(0);
    mkdirSync(join(repo, "etc"));
    writeFileSync(join(repo, "etc/inittab"), content);
    const r = runCli(["-d", "sysvinit", "add", "ab:2:once:/x", "--after", "id", "-f", "etc/inittab", "--diff"], {
      cwd: repo,
    });
    expect(r.status).toBe(0);
    expect(readFileSync(join(repo, "etc/inittab"))).toEqual(content);
    const patch = r.stdoutBytes;
    expect(patch.toString("latin1")).toMatch(/^--- a\/etc\/inittab\n\+\+\+ b\/etc\/inittab\n@@ /);
    writeFileSync(join(repo, "p.diff"), patch);
    const apply = git("apply", "--check", "p.diff");
    expect(apply.status, apply.stderr).toBe(0);
    const dry = spawnSync("patch", ["-p1", "--dry-run", "-i", "p.diff"], { cwd: repo, encoding: "utf8" });
    expect(dry.status, dry.stdout + dry.stderr).toBe(0);
    // Applying it gives exactly what the command writes.
    expect(git("apply", "p.diff").status).toBe(0);
    const patched = readFileSync(join(repo, "etc/inittab"));
    writeFileSync(join(repo, "etc/inittab"), content);
    expect(
      runCli(["-d", "sysvinit", "add", "ab:2:once:/x", "--after", "id", "-f", "etc/inittab"], { cwd: repo }).status,
    ).toBe(0);
    expect(readFileSync(join(repo, "etc/inittab"))).toEqual(patched);
  });

  it("--diff under --root names the file relative to the image", () => {
    const root = tempDir();
    mkdirSync(join(root, "etc"));
    writeFileSync(join(root, "etc/inittab"), SYSV);
    const r = runCli(["--root", root, "rm", "l0", "--diff"]);
    expect(r.stdout).toMatch(/^--- a\/etc\/inittab\n\+\+\+ b\/etc\/inittab\n/);
    expect(r.stdout).toContain("\n-l0:0:wait:/etc/init.d/rc 0\n");
    expect(readFileSync(join(root, "etc/inittab"), "utf8")).toBe(SYSV);
  });
});

describe("review regressions (hardening)", () => {
  it("a bare --backup never takes the next word as its suffix (GNU: only --backup=SUFFIX)", async () => {
    const { dir, path } = file("id:3:initdefault:\nab:2:once:/a\ncd:2:once:/c\nef:2:once:/e\n");
    // Commander used to read this as suffix "ab" and remove only cd.
    const r = await cli("rm", "--backup", "ab", "cd", "-f", path);
    expect(r.status).toBe(0);
    expect(readFileSync(path, "utf8")).toBe("id:3:initdefault:\nef:2:once:/e\n");
    expect(readFileSync(`${path}.bak`, "utf8")).toBe("id:3:initdefault:\nab:2:once:/a\ncd:2:once:/c\nef:2:once:/e\n");
    expect(strays(dir, ["inittab", "inittab.bak"])).toEqual([]);
    // The entry after a bare --backup is the entry, not a suffix.
    const a = await cli("add", "--backup", "gh:2:once:/g", "-f", path);
    expect(a.status).toBe(0);
    expect(readFileSync(path, "utf8")).toContain("gh:2:once:/g\n");
    expect(strays(dir, ["inittab", "inittab.bak"])).toEqual([]);
    // `--` still ends the options: a later "--backup" is an operand.
    expect((await cli("rm", "-f", path, "--", "--backup")).stdout).toMatch(/unchanged: no entry "--backup"/);
  });

  it("--validate '' (an unset variable in a script) is refused, not skipped", async () => {
    const { path } = file();
    const r = await cli("add", "ab:2:once:/x", "-f", path, "--validate", "");
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`inittab: ${path}: --validate: the command is empty\n`);
    expect(readFileSync(path, "utf8")).toBe(SYSV);
    // Also when there is nothing to change: the option is unusable either way.
    expect((await cli("add", "l0:0:wait:/etc/init.d/rc 0", "-f", path, "--validate", "")).status).toBe(2);
  });

  it("--validate also judges what --diff and --check would install; a pass lets them through", async () => {
    const { dir, path } = file();
    const d = await cli("add", "ab:2:once:/x", "-f", path, "--diff", "--validate", "false %s");
    expect(d.status).toBe(1);
    expect(d.stdout).toBe("");
    expect(d.stderr).toMatch(/--validate: false exited with status 1/);
    const c = await cli("add", "ab:2:once:/x", "-f", path, "--check", "--validate", "false %s");
    expect(c.status).toBe(1);
    expect(c.stderr).toMatch(/--validate: false exited with status 1/);
    const ok = await cli("add", "ab:2:once:/x", "-f", path, "--diff", "--validate", "grep -q ^ab:2:once:/x$ %s");
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain("+ab:2:once:/x\n");
    expect(readFileSync(path, "utf8")).toBe(SYSV);
    expect(strays(dir, ["inittab"])).toEqual([]);
  });

  it("-f -: --validate runs on the output (a refusal prints nothing); --reload is refused", () => {
    const bad = runCli(["add", "ab:2:once:/x", "-f", "-", "--validate", "false %s"], { input: SYSV });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toBe("");
    expect(bad.stderr).toMatch(/^inittab: <stdin>: --validate: false exited with status 1/m);
    const good = runCli(["add", "ab:2:once:/x", "-f", "-", "--validate", "grep -q ^ab: %s"], { input: SYSV });
    expect(good.status).toBe(0);
    expect(good.stdout).toBe(SYSV.replace("rc 0\n", "rc 0\nab:2:once:/x\n"));
    const reload = runCli(["add", "ab:2:once:/x", "-f", "-", "--reload"], { input: SYSV });
    expect(reload.status).toBe(2);
    expect(reload.stdout).toBe("");
    expect(reload.stderr).toBe(
      "inittab: --reload cannot be used with --file - (the result goes to stdout, not to init's file)\n",
    );
  });

  it("a FIFO or a device as the file: refused at once (exit 2, one line), also with --diff and --check", async () => {
    const dir = tempDir();
    const fifo = join(dir, "inittab");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    for (const mode of [[], ["--diff"], ["--check"]]) {
      for (const target of [fifo, "/dev/null"]) {
        // Reading a FIFO without a writer used to block forever; /dev/null showed a diff that
        // the real write refuses.
        const r = await cli("add", "ab:2:once:/x", "-f", target, ...mode);
        expect(r.status, `${target} ${mode.join(" ")}`).toBe(2);
        expect(r.stdout).toBe("");
        expect(r.stderr).toMatch(
          new RegExp(`^inittab: ${target.replace(/[/.]/g, "\\$&")}: is not a regular file.*\\n$`),
        );
      }
    }
    expect(statSync(fifo).isFIFO()).toBe(true);
  });

  it("--diff of a file outside the working directory names it by absolute path (git apply refuses a/../x)", () => {
    const dir = tempDir("inittab-git-");
    mkdirSync(join(dir, "sub"));
    writeFileSync(join(dir, "inittab"), SYSV);
    const r = runCli(["add", "ab:2:once:/x", "-f", "../inittab", "--diff"], { cwd: join(dir, "sub") });
    expect(r.status).toBe(0);
    const label = join(dir, "inittab").slice(1);
    expect(r.stdout.startsWith(`--- a/${label}\n+++ b/${label}\n`)).toBe(true);
    writeFileSync(join(dir, "p.diff"), r.stdoutBytes);
    const dry = spawnSync("patch", ["-p1", "--dry-run", "-i", join(dir, "p.diff")], { cwd: "/", encoding: "utf8" });
    expect(dry.status, dry.stdout + dry.stderr).toBe(0);
  });
});
