/**
 * The `inittab` command runs the bundled CLI (scripts/bundle.js → dist/cli.cjs, loaded by
 * bin/load-cli.js with V8's code cache). It must behave exactly as the CLI's sources do, need
 * nothing from node_modules at run time, and load with the cache the build made.
 */
import { spawnSync } from "node:child_process";
import { isBuiltin } from "node:module";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli } from "./in-process.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BUNDLE = join(ROOT, "dist", "cli.cjs");

function runBin(bin: string, args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  if (!existsSync(BUNDLE)) throw new Error("run `npm run build` before the CLI tests");
});

describe("the bundled CLI", () => {
  it.each([
    [["check", "samples"]],
    [["check", "--format", "json", "samples/broken/bad-fields.inittab"]],
    [["check", "--format", "gnu", "-d", "busybox", "samples/broken/busybox-mixed.inittab"]],
    [["parse", "samples/busybox-board.inittab"]],
    [["ls", "--matrix", "samples/debian-desktop.inittab"]],
    [["add", "--diff", "-f", "samples/debian-desktop.inittab", "x9:2345:respawn:/sbin/getty 38400 tty9"]],
    [["tmpfs", "--from", "samples/root-on-loop.inittab"]],
    [["check", "no/such/file"]],
    [["chekc"]],
  ])("answers %j as the sources do", async (args) => {
    const bundled = runBin(join(ROOT, "bin", "inittab.js"), args);
    const sources = await cli(...args);
    expect({ status: bundled.status, stdout: bundled.stdout, stderr: bundled.stderr }).toEqual(sources);
  });

  it("is one file that needs only Node's builtins", () => {
    const source = readFileSync(BUNDLE, "utf8");
    const required = [...source.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]!);
    expect(required.length).toBeGreaterThan(0);
    for (const name of required) expect(isBuiltin(name), name).toBe(true);
    expect(source).not.toMatch(/\bimport\(/);
  });

  describe("installed without node_modules", () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), "inittab-bundle-"));
      for (const part of ["bin", "dist/cli.cjs", "dist/cli.v8cache", "package.json", "samples"])
        cpSync(join(ROOT, part), join(dir, part), { recursive: true });
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("checks a file", () => {
      const r = runBin(join(dir, "bin", "inittab.js"), ["check", "samples/broken/crlf.inittab"], dir);
      expect(r.status).toBe(1);
      expect(r.stdout).toContain("IT003");
    });

    it("without the code cache too, only slower", () => {
      rmSync(join(dir, "dist", "cli.v8cache"));
      const r = runBin(join(dir, "bin", "inittab.js"), ["check", "samples/debian-desktop.inittab"], dir);
      expect(r.status).toBe(0);
      expect(r.stdout).toBe("no problems in 1 file\n");
    });

    it("says so in one line when the bundle is missing", () => {
      rmSync(join(dir, "dist", "cli.cjs"));
      const r = runBin(join(dir, "bin", "inittab.js"), ["--version"], dir);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/^inittab: .*cli\.cjs: missing; run `npm run build` first\n$/);
    });
  });

  it("loads with the code cache the build made (V8 accepts it)", () => {
    const probe = `import { loadCli } from ${JSON.stringify(join(ROOT, "bin", "load-cli.js"))};
      const { script } = loadCli(); process.stdout.write(String(script.cachedDataRejected));`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", probe], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("false");
  });
});
