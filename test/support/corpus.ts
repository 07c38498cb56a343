/**
 * The real inittabs the tests read: the project's samples, the licensed corpus bundled in
 * test/corpus/, and an optional external corpus of the same layout (INITTAB_EXTRA_CORPUS, else
 * ../shared/corpus beside the repository) whose extra files are read when it is there.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const SAMPLES = join(ROOT, "samples");
export const BUNDLED_CORPUS = join(ROOT, "test", "corpus");

export type Family = "busybox" | "sysvinit" | "other";
export const FAMILIES: readonly Family[] = ["busybox", "sysvinit", "other"];

export interface CorpusFile {
  /** `family/file.inittab`, as in PROVENANCE.tsv. */
  name: string;
  family: Family;
  path: string;
  /** From the external corpus (not bundled). */
  external: boolean;
}

/** The external corpus directory, when there is one. */
export function externalCorpusDir(): string | undefined {
  const given = process.env["INITTAB_EXTRA_CORPUS"];
  if (given !== undefined && given !== "")
    return existsSync(join(given, "PROVENANCE.tsv")) ? resolve(given) : undefined;
  const beside = resolve(ROOT, "..", "shared", "corpus");
  return existsSync(join(beside, "PROVENANCE.tsv")) ? beside : undefined;
}

function filesOf(dir: string, external: boolean): CorpusFile[] {
  const out: CorpusFile[] = [];
  for (const family of FAMILIES) {
    const sub = join(dir, family);
    if (!existsSync(sub)) continue;
    for (const n of readdirSync(sub).sort()) {
      const path = join(sub, n);
      if (statSync(path).isFile()) out.push({ name: `${family}/${n}`, family, path, external });
    }
  }
  return out;
}

let cached: CorpusFile[] | undefined;

/**
 * Every corpus file: the bundled ones, then the external corpus's files that are not bundled.
 * Says once, in one line on stderr, how many extra files were found and where.
 */
export function corpus(): CorpusFile[] {
  if (cached) return cached;
  const bundled = filesOf(BUNDLED_CORPUS, false);
  const names = new Set(bundled.map((f) => f.name));
  const dir = externalCorpusDir();
  const extra = dir ? filesOf(dir, true).filter((f) => !names.has(f.name)) : [];
  process.stderr.write(
    dir
      ? `corpus: ${bundled.length} bundled files and ${extra.length} extra from ${dir}\n`
      : `corpus: ${bundled.length} bundled files; no external corpus (set INITTAB_EXTRA_CORPUS to add one)\n`,
  );
  cached = [...bundled, ...extra];
  return cached;
}

/** The corpus files of one family. */
export function corpusOf(family: Family): CorpusFile[] {
  return corpus().filter((f) => f.family === family);
}

/** A bundled corpus file by name (`sysvinit/poky-spica.inittab`). */
export function bundled(name: string): string {
  const path = join(BUNDLED_CORPUS, name);
  if (!existsSync(path)) throw new Error(`${name} is not in test/corpus`);
  return path;
}

/** How many files the bundled PROVENANCE.tsv lists. */
export function bundledCount(): number {
  return readFileSync(join(BUNDLED_CORPUS, "PROVENANCE.tsv"), "utf8").trim().split("\n").length - 1;
}

/** Every file under a directory, recursively, as absolute paths (sorted; .tsv and .md skipped). */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else if (!name.endsWith(".tsv") && !name.endsWith(".md")) out.push(path);
  }
  return out;
}

/** A path for test names. */
export function short(path: string): string {
  const external = externalCorpusDir();
  if (external && path.startsWith(external)) return `external/${relative(external, path)}`;
  return relative(ROOT, path);
}
