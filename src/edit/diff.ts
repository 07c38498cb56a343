/**
 * `--diff`: the edit as a unified diff that `git apply` and `patch -p1` accept. The diff is
 * computed on binary strings (one char per byte), so it carries the file's exact bytes: CRs of
 * CRLF lines and invalid UTF-8 survive into the patch, and it still applies.
 */
import { createTwoFilesPatch } from "diff";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { escapeBinary, toBinary } from "../document/bytes.js";

/**
 * The unified diff from `before` to `after` as a binary string ("" when they are equal), with
 * `a/<label>` and `b/<label>` file names.
 */
export function unifiedDiff(before: Uint8Array, after: Uint8Array, label: string): string {
  const a = toBinary(before);
  const b = toBinary(after);
  if (a === b) return "";
  const patch = createTwoFilesPatch(`a/${label}`, `b/${label}`, a, b, undefined, undefined, { context: 3 });
  // jsdiff starts with a line of "=" (its own convention); a plain unified diff starts at "---".
  return patch.slice(patch.indexOf("--- "));
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
