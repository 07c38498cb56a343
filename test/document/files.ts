/** The real inittabs the tests read: the project's samples and ../shared/corpus (never copied). */
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const SAMPLES = join(ROOT, "samples");
export const CORPUS = fileURLToPath(new URL("../../../shared/corpus/", import.meta.url));

/** Every file under a directory, recursively, as absolute paths (sorted; PROVENANCE.tsv skipped). */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else if (name !== "PROVENANCE.tsv" && !name.endsWith(".md")) out.push(path);
  }
  return out;
}

/** A path for test names. */
export function short(path: string): string {
  return relative(ROOT, path);
}
