/**
 * Test support for tests that need separate processes (killed writers, concurrent CLIs, stdin):
 * the sources are transpiled once into a tree that plain `node` can run, so the children run the
 * code under test, not a possibly stale dist/. The tree is cached by content hash under
 * node_modules/.cache (not the temporary directory, which tests leave as they found it).
 */
import { createHash } from "node:crypto";
import { spawn, spawnSync, type SpawnSyncReturns } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

export const PROJECT = fileURLToPath(new URL("../../", import.meta.url));
const CACHE = join(PROJECT, "node_modules", ".cache", "inittab-test");

function sources(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, name.name);
      if (name.isDirectory()) walk(p);
      else if (name.name.endsWith(".ts") && !name.name.endsWith(".d.ts")) out.push(p);
    }
  };
  walk(join(PROJECT, "src"));
  return out.sort();
}

let built: string | undefined;

/** The transpiled tree (cached by content hash; safe when several test files build at once). */
export function buildTree(): string {
  if (built) return built;
  const files = sources();
  const hash = createHash("sha256");
  for (const f of [...files, join(PROJECT, "package.json")]) hash.update(f).update(readFileSync(f));
  mkdirSync(CACHE, { recursive: true });
  const dir = join(CACHE, `tree-${hash.digest("hex").slice(0, 16)}`);
  if (!existsSync(join(dir, "done"))) {
    removeOldTrees(dir);
    const work = mkdtempSync(join(CACHE, "build-"));
    for (const f of files) {
      const out = join(work, relative(PROJECT, f)).replace(/\.ts$/, ".js");
      mkdirSync(dirname(out), { recursive: true });
      const js = ts.transpileModule(readFileSync(f, "utf8"), {
        compilerOptions: {
          target: ts.ScriptTarget.ES2022,
          module: ts.ModuleKind.ESNext,
          verbatimModuleSyntax: false,
          isolatedModules: true,
        },
        fileName: f,
      }).outputText;
      writeFileSync(out, js);
    }
    // The sources read the version and repository from the package.json above src/.
    writeFileSync(join(work, "package.json"), readFileSync(join(PROJECT, "package.json")));
    symlinkSync(join(PROJECT, "node_modules"), join(work, "node_modules"));
    writeFileSync(
      join(work, "cli.js"),
      'import { main } from "./src/cli/main.js";\nprocess.exitCode = await main(process.argv.slice(2));\n',
    );
    writeFileSync(join(work, "done"), "");
    try {
      renameSync(work, dir);
    } catch {
      // Another test file built the same tree first: use theirs.
      rmSync(work, { recursive: true, force: true });
    }
  }
  built = dir;
  return dir;
}

/** Trees of earlier sources (an hour old) are of no use to anyone: remove them. */
function removeOldTrees(keep: string): void {
  const hourAgo = Date.now() - 3600 * 1000;
  for (const name of readdirSync(CACHE)) {
    const p = join(CACHE, name);
    if (!name.startsWith("tree-") || p === keep) continue;
    try {
      if (statSync(p).mtimeMs < hourAgo) rmSync(p, { recursive: true, force: true });
    } catch {
      // Someone else removed it.
    }
  }
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
  stdoutBytes: Buffer;
}

/** Run the CLI (transpiled sources) in a child process. */
export function runCli(
  args: string[],
  options: { cwd?: string; input?: Uint8Array | string; env?: NodeJS.ProcessEnv } = {},
): CliRun {
  const tree = buildTree();
  const r: SpawnSyncReturns<Buffer> = spawnSync(process.execPath, [join(tree, "cli.js"), ...args], {
    cwd: options.cwd ?? PROJECT,
    input: options.input ?? "",
    env: { ...process.env, NO_COLOR: "1", ...options.env },
    timeout: 30_000,
  });
  return {
    status: r.status,
    stdout: r.stdout.toString("utf8"),
    stderr: r.stderr.toString("utf8"),
    stdoutBytes: r.stdout,
  };
}

/** Run the CLI asynchronously (for concurrent runs). */
export function runCliAsync(args: string[], options: { cwd?: string } = {}): Promise<CliRun> {
  const tree = buildTree();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(tree, "cli.js"), ...args], {
      cwd: options.cwd ?? PROJECT,
      env: { ...process.env, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", reject);
    child.on("close", (status) => {
      const stdoutBytes = Buffer.concat(out);
      resolve({
        status,
        stdout: stdoutBytes.toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
        stdoutBytes,
      });
    });
  });
}

const made: string[] = [];

/** A fresh temporary directory; `removeTempDirs` (each test file's afterAll) removes it. */
export function tempDir(prefix = "inittab-write-"): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  made.push(d);
  return d;
}

/** Remove the directories `tempDir` made (mounts are undone by the tests that made them). */
export function removeTempDirs(): void {
  while (made.length > 0) {
    try {
      rmSync(made.pop()!, { recursive: true, force: true });
    } catch {
      // Still mounted or already gone: leave it.
    }
  }
}

/** Files in a directory other than the expected ones (stray temporaries, locks…). */
export function strays(dir: string, expected: readonly string[]): string[] {
  return readdirSync(dir)
    .filter((n) => !expected.includes(n))
    .sort();
}

/** The pid of a process that has exited (and was reaped): nobody is running under it. */
export function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
  return Number(r.stdout.toString());
}
