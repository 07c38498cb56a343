/**
 * The package as a user installs it: `npm pack`, install the tarball into a fresh project, then
 * import it by name with ESM, with `require`, and with `tsc` (node16 and bundler resolution), and
 * run the installed `inittab`. The tarball holds what must ship and nothing that must not.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TSC = join(ROOT, "node_modules", "typescript", "bin", "tsc");
let work: string;
let project: string;
let tarball: string;
let installLog: string;

const sh = (cmd: string, args: string[], cwd: string): string =>
  execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 });

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "inittab-install-"));
  // dist/ is built by `npm test`'s pretest; packing must not rebuild it under the other tests.
  sh("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", work], ROOT);
  tarball = join(
    work,
    readdirSync(work).find((n) => n.endsWith(".tgz"))!,
  );
  project = join(work, "consumer");
  mkdirSync(project);
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: "consumer", version: "1.0.0", type: "module", private: true }),
  );
  // A TypeScript project on Node has Node's types, as this one does (same version).
  const nodeTypes = `@types/node@${(JSON.parse(sh("npm", ["pkg", "get", "devDependencies"], ROOT)) as Record<string, string>)["@types/node"]}`;
  const r = spawnSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", tarball, nodeTypes], {
    cwd: project,
    encoding: "utf8",
    timeout: 180_000,
  });
  installLog = `${r.stdout}\n${r.stderr}`;
  if (r.status !== 0) throw new Error(`npm install failed:\n${installLog}`);
}, 240_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("the packed tarball", () => {
  it("ships the library, its types, the CLI bundle and the docs; nothing else", () => {
    const files = sh("tar", ["tzf", tarball], work)
      .trim()
      .split("\n")
      .map((f) => f.replace(/^package\//, ""));
    const shipped = ["package.json", "README.md", "bin/inittab.js", "dist/index.js", "dist/index.d.ts", "dist/cli.cjs"];
    for (const must of [...shipped, "dist/inittab.1", "docs/rules/IT007.md", "docs/schemas/check.v1.json"]) {
      expect(files, must).toContain(must);
    }
    const forbidden = files.filter(
      (f) =>
        /^(test|scripts|bench|src|samples|node_modules|\.cache|\.ci)\//.test(f) ||
        /\.(map|v8cache|tsbuildinfo)$/.test(f) ||
        f.startsWith("dist/cli/"),
    );
    expect(forbidden).toEqual([]);
  });

  it("installs without an install-script warning", () => {
    expect(installLog).not.toMatch(/install-scripts[^\n]*inittab/);
    expect(installLog).not.toMatch(/inittab@[^\n]*(prepare|postinstall|install):/);
  });
});

describe("importing the installed package by name", () => {
  it("as an ES module", () => {
    const out = sh(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        'const m = await import("inittab"); console.log(typeof m.parse, typeof m.checkSet, m.VERSION)',
      ],
      project,
    );
    expect(out.trim()).toMatch(/^function function \d+\.\d+\.\d+/);
  });

  it("with require", () => {
    const out = sh(
      process.execPath,
      ["-e", 'const m = require("inittab"); console.log(typeof m.parse, m.parse("a1:2:once:/x\\n").lines.length)'],
      project,
    );
    expect(out.trim()).toBe("function 1");
  });

  it.each(["node16", "bundler"] as const)("with tsc, moduleResolution %s, types included", (resolution) => {
    const dir = join(project, `ts-${resolution}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, "consumer.ts"),
      [
        'import { checkDocument, parse, type Diagnostic, type Document, InittabError } from "inittab";',
        'const doc: Document = parse("id:3:initdefault:\\n", { dialect: "sysvinit" });',
        "const found: Diagnostic[] = checkDocument(doc);",
        'const code: string = found[0]?.code ?? "";',
        "export const ok: boolean = code.length >= 0 && !(doc instanceof InittabError);",
        "",
      ].join("\n"),
    );
    const options =
      resolution === "node16"
        ? { module: "node16", moduleResolution: "node16" }
        : { module: "esnext", moduleResolution: "bundler" };
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          ...options,
          target: "es2022",
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: ["node"],
        },
        files: ["consumer.ts"],
      }),
    );
    const r = spawnSync(process.execPath, [TSC, "-p", dir], { cwd: dir, encoding: "utf8", timeout: 120_000 });
    expect(`${r.stdout}${r.stderr}`).toBe("");
    expect(r.status).toBe(0);
    // A name the package does not export is an error: the types are really read.
    writeFileSync(join(dir, "consumer.ts"), 'import { notExported } from "inittab";\nexport const x = notExported;\n');
    const bad = spawnSync(process.execPath, [TSC, "-p", dir], { cwd: dir, encoding: "utf8", timeout: 120_000 });
    expect(bad.status).not.toBe(0);
    expect(bad.stdout).toMatch(/notExported/);
  });
});

describe("the installed command", () => {
  const bin = () => join(project, "node_modules", ".bin", "inittab");

  it("prints its version, the package's", () => {
    const version = JSON.parse(sh("npm", ["pkg", "get", "version"], ROOT)) as string;
    expect(sh(bin(), ["--version"], project).trim()).toBe(version);
  });

  it('a global install puts the man page where man finds it (package.json "man")', () => {
    const prefix = join(work, "global");
    const r = spawnSync(
      "npm",
      ["install", "-g", "--prefix", prefix, "--prefer-offline", "--no-audit", "--no-fund", tarball],
      {
        encoding: "utf8",
        timeout: 180_000,
      },
    );
    expect(r.status, r.stderr).toBe(0);
    const page = join(prefix, "share", "man", "man1", "inittab.1");
    const man = spawnSync("man", ["--warnings=w", "-l", page], {
      encoding: "utf8",
      env: { ...process.env, MANWIDTH: "80" },
    });
    if (man.error) return void console.log("skipped: no man program (apt-get install man-db)");
    expect(man.stderr).toBe("");
    expect(man.stdout).toMatch(/inittab - read, check and safely edit/);
  }, 240_000);

  it("checks a file", () => {
    writeFileSync(join(project, "inittab"), "id:3:initdefault:\ntty10:3:respawn:/sbin/getty tty10\n");
    const r = spawnSync(bin(), ["check", "-d", "sysvinit@3.06", "inittab"], { cwd: project, encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/inittab:2:1: error IT007/);
  });
});
