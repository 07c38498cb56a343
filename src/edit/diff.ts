/**
 * `--diff`: the edit as a unified diff that `git apply` and `patch -p1` accept. The diff is
 * computed on binary strings (one char per byte), so it carries the file's exact bytes: CRs of
 * CRLF lines and invalid UTF-8 survive into the patch, and it still applies.
 */
import { createTwoFilesPatch } from "diff";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { escapeBinary, toBinary } from "../base/bytes.js";

/**
 * The unified diff from `before` to `after` as a binary string ("" when they are equal), with
 * `a/<label>` and `b/<label>` file names.
 */
export function unifiedDiff(before: Uint8Array, after: Uint8Array, label: string): string {
  const a = toBinary(before);
  const b = toBinary(after);
  if (a === b) return "";
  const inPlace = sameShapeDiff(a, b, label);
  if (inPlace !== undefined) return inPlace;
  const patch = createTwoFilesPatch(`a/${label}`, `b/${label}`, a, b, undefined, undefined, { context: 3 });
  // jsdiff starts with a line of "=" (its own convention); a plain unified diff starts at "---".
  return patch.slice(patch.indexOf("--- "));
}

const CONTEXT = 3;

/** The lines of a binary string, each with its newline (the last one may have none). */
function splitLines(text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length;) {
    const nl = text.indexOf("\n", i);
    const end = nl === -1 ? text.length : nl + 1;
    out.push(text.slice(i, end));
    i = end;
  }
  return out;
}

/**
 * The diff when both texts have as many lines: line k of one pairs with line k of the other, as
 * for the fixes of `check --fix-dry-run` (CRLF to LF on every line, an action's case). A
 * general diff (Myers, in jsdiff) costs time in proportion to lines x changed lines: minutes
 * for a CRLF file of 22,000 lines. The output is what jsdiff prints for such a change: each run
 * of changed lines as its old lines then its new ones, 3 lines of context, and hunks closer
 * than 7 lines merged. undefined when the line counts differ.
 */
function sameShapeDiff(a: string, b: string, label: string): string | undefined {
  const before = splitLines(a);
  const after = splitLines(b);
  if (before.length !== after.length) return undefined;
  const n = before.length;
  const changed = (k: number): boolean => before[k] !== after[k];
  const line = (prefix: string, text: string): string =>
    text.endsWith("\n") ? `${prefix}${text}` : `${prefix}${text}\n\\ No newline at end of file\n`;
  let out = `--- a/${label}\n+++ b/${label}\n`;
  for (let i = 0; i < n;) {
    if (!changed(i)) {
      i++;
      continue;
    }
    let last = i;
    // Changes with at most 6 unchanged lines between them share a hunk (their contexts touch).
    for (let j = i + 1; j < n && j - last - 1 <= 2 * CONTEXT; j++) if (changed(j)) last = j;
    const from = Math.max(0, i - CONTEXT);
    const to = Math.min(n, last + CONTEXT + 1);
    out += `@@ -${from + 1},${to - from} +${from + 1},${to - from} @@\n`;
    for (let k = from; k < to;) {
      if (!changed(k)) {
        out += line(" ", before[k]!);
        k++;
        continue;
      }
      let r = k;
      while (r < to && changed(r)) r++;
      for (let m = k; m < r; m++) out += line("-", before[m]!);
      for (let m = k; m < r; m++) out += line("+", after[m]!);
      k = r;
    }
    i = to;
  }
  return out;
}

/**
 * The path a diff names the file by: relative to the system image with `--root` (so the patch
 * applies with -p1 inside it), relative as given, or absolute without the leading `/` (apply
 * from `/`; also a relative path that climbs out with `..`). Always with `/` separators and no `./`.
 */
export function diffLabel(file: string, root?: string): string {
  let p = file;
  if (root !== undefined) {
    const rel = relative(root, file);
    if (rel !== "" && !rel.startsWith("..") && !isAbsolute(rel)) p = rel;
  }
  // `a/../x` is no path git apply or patch accept (they refuse to leave the tree): name a
  // file outside the working directory by its absolute path, like any absolute one.
  if (!isAbsolute(p) && p.split(sep).includes("..")) p = resolve(p);
  p = p.split(sep).join("/");
  while (p.startsWith("/")) p = p.slice(1);
  while (p.startsWith("./")) p = p.slice(2);
  return p;
}

/** A diff made safe for a terminal: control bytes and invalid UTF-8 escaped, line by line. */
export function escapeDiff(diff: string): string {
  return diff
    .split("\n")
    .map((l) => escapeBinary(l))
    .join("\n");
}
