/**
 * --root DIR: the programs and ttys an inittab names, looked up inside a system image the way
 * init will look them up on the running system. Paths (and symlinks met on the way) resolve
 * against DIR, never against the host: an absolute link target starts again at DIR, and `..`
 * stops at DIR.
 */
import { lstatSync, readdirSync, readlinkSync, type Stats } from "node:fs";
import { join } from "node:path";
import type { CheckContext, CheckedFile } from "./context.js";
import { analyseCommand, INIT_PATH, programOf } from "../init/command.js";
import { ttyPath } from "../init/index.js";
import { binaryToText } from "../base/index.js";
import { entryView, fileOf } from "./lookup.js";
import { quote } from "./wording.js";

export type Resolved =
  | { kind: "found"; path: string; stats: Stats }
  | { kind: "missing"; path: string }
  | { kind: "loop"; path: string };

const MAX_LINKS = 40;

/** Resolve an absolute path of the image (e.g. `/sbin/getty`) inside `root`. */
export function resolveInImage(root: string, path: string): Resolved {
  let pending = path.split("/").filter((c) => c !== "");
  const current: string[] = [];
  let links = 0;
  while (pending.length > 0) {
    const name = pending.shift()!;
    if (name === ".") continue;
    if (name === "..") {
      current.pop();
      continue;
    }
    const host = join(root, ...current, name);
    let st: Stats;
    try {
      st = lstatSync(host);
    } catch {
      return { kind: "missing", path };
    }
    if (st.isSymbolicLink()) {
      if (++links > MAX_LINKS) return { kind: "loop", path };
      const target = readlinkSync(host);
      const parts = target.split("/").filter((c) => c !== "");
      if (target.startsWith("/")) current.length = 0;
      pending = [...parts, ...pending];
      continue;
    }
    if (pending.length > 0 && !st.isDirectory()) return { kind: "missing", path };
    current.push(name);
  }
  const host = join(root, ...current);
  try {
    return { kind: "found", path: "/" + current.join("/"), stats: lstatSync(host) };
  } catch {
    return { kind: "missing", path };
  }
}

function executable(r: Resolved): boolean {
  return r.kind === "found" && r.stats.isFile() && (r.stats.mode & 0o111) !== 0;
}

function describe(r: Resolved): string {
  if (r.kind === "loop") return "its symbolic links loop";
  if (r.kind === "missing") return "it does not exist in the image";
  if (r.stats.isDirectory()) return "it is a directory";
  if (!r.stats.isFile()) return "it is not a regular file";
  return `it is not executable (mode ${(r.stats.mode & 0o7777).toString(8).padStart(4, "0")})`;
}

/** execvp's view: a name with a `/` is a path (from `/`, init's working directory), else PATH. */
export function lookupProgram(root: string, program: string): { ok: true; path: string } | { ok: false; code: "RT001" | "RT002"; why: string } {
  if (program.includes("/")) {
    const r = resolveInImage(root, program.startsWith("/") ? program : `/${program}`);
    if (executable(r)) return { ok: true, path: r.path };
    return { ok: false, code: r.kind === "found" ? "RT002" : "RT001", why: describe(r) };
  }
  let blocked: Resolved | undefined;
  for (const dir of INIT_PATH) {
    const r = resolveInImage(root, `${dir}/${program}`);
    if (executable(r)) return { ok: true, path: `${dir}/${program}` };
    if (r.kind === "found" && !blocked) blocked = r;
  }
  if (blocked) return { ok: false, code: "RT002", why: `the first match in PATH, ${blocked.path}: ${describe(blocked)}` };
  return { ok: false, code: "RT001", why: `it is not in ${INIT_PATH.join(", ")} of the image` };
}

/** A static /dev that lists ttys: only then is a missing node meaningful (devtmpfs fills it at boot). */
export function devIsPopulated(root: string): boolean {
  try {
    return readdirSync(join(root, "dev")).some((n) => n.startsWith("tty"));
  } catch {
    return false;
  }
}

export function checkRoot(ctx: CheckContext, root: string): void {
  const checkedShell = new Set<CheckedFile>();
  for (const e of ctx.sim.entries) {
    if (!e.info.spawns) continue;
    const file = fileOf(ctx, e.path);
    if (!file) continue;
    const view = entryView(file, e.start);
    const at = view?.line.fields.process ?? { start: e.start, end: e.end };
    if (/^[ \t]*$/.test(e.process)) continue; // IT014 / EX005 / BB007
    const cmd = analyseCommand(file.doc.dialect, e.process);
    if (cmd.shell && !checkedShell.has(file)) {
      checkedShell.add(file);
      const sh = lookupProgram(root, "/bin/sh");
      if (!sh.ok) ctx.report(file, sh.code, at, `init runs this command through /bin/sh, but in ${quote(root)} ${sh.why}`);
    }
    const program = programOf(cmd);
    if (program === undefined) continue; // a shell decides; cannot be told without running it
    // The process is bytes; file names on the host are read as UTF-8.
    const found = lookupProgram(root, binaryToText(program));
    if (!found.ok) {
      const start = at.start + cmd.prefix.length + Math.max(0, cmd.body.indexOf(program));
      ctx.report(file, found.code, { start, end: start + program.length }, `init cannot run ${quote(program)} in ${quote(root)}: ${found.why}`);
    }
  }
  const main = ctx.main;
  if (main && ctx.sim.syntheticSulogin && main.doc.dialect.usesRunlevels) {
    const sulogin = lookupProgram(root, "/sbin/sulogin");
    if (!sulogin.ok) {
      ctx.report(main, sulogin.code, { start: 0, end: 0 }, `init adds "~~:S:wait:/sbin/sulogin" for single-user mode (no entry runs in S), but in ${quote(root)} /sbin/sulogin: ${sulogin.why}`);
    }
  }
  if (ctx.dialect.idIsTty && devIsPopulated(root)) {
    for (const e of ctx.sim.entries) {
      if (e.id === "") continue;
      const file = fileOf(ctx, e.path);
      if (!file) continue;
      const tty = ttyPath(e.id);
      const r = resolveInImage(root, binaryToText(tty));
      if (r.kind === "found") continue;
      const view = entryView(file, e.start);
      ctx.report(file, "RT003", view?.line.fields.id ?? { start: e.start, end: e.end }, `BusyBox opens ${quote(tty)} as this entry's terminal, but the image's /dev has no such node (and lists other ttys), so the command never runs`);
    }
  }
}
