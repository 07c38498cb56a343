/**
 * A system image (--root DIR, or a rootfs archive): the programs and ttys an inittab names,
 * looked up inside the image the way init will look them up on the running system. The Image
 * resolves paths and symlinks inside the image, never on the host.
 */
import type { Image, ImageLookup } from "../base/image.js";
import { binaryToText } from "../base/bytes.js";
import { analyseCommand, INIT_PATH, programOf, ttyPath } from "../init/index.js";
import type { CheckContext, CheckedFile } from "./context.js";
import { entryView, fileOf } from "./lookup.js";
import { quote, quoteText } from "./wording.js";

function executable(r: ImageLookup): boolean {
  return r.kind === "found" && r.entry.type === "file" && (r.entry.mode & 0o111) !== 0;
}

function describe(r: ImageLookup): string {
  if (r.kind === "loop") return "its symbolic links loop";
  if (r.kind === "missing") return "it does not exist in the image";
  if (r.entry.type === "dir") return "it is a directory";
  if (r.entry.type !== "file") return "it is not a regular file";
  return `it is not executable (mode ${(r.entry.mode & 0o7777).toString(8).padStart(4, "0")})`;
}

/** execvp's view: a name with a `/` is a path (from `/`, init's working directory), else PATH. */
export function lookupProgram(
  image: Image,
  program: string,
): { ok: true; path: string } | { ok: false; code: "RT001" | "RT002"; why: string } {
  if (program.includes("/")) {
    const r = image.lookup(program.startsWith("/") ? program : `/${program}`);
    if (executable(r)) return { ok: true, path: r.path };
    return { ok: false, code: r.kind === "found" ? "RT002" : "RT001", why: describe(r) };
  }
  let blocked: ImageLookup | undefined;
  for (const dir of INIT_PATH) {
    const r = image.lookup(`${dir}/${program}`);
    if (executable(r)) return { ok: true, path: `${dir}/${program}` };
    if (r.kind === "found" && !blocked) blocked = r;
  }
  if (blocked)
    return { ok: false, code: "RT002", why: `the first match in PATH, ${blocked.path}: ${describe(blocked)}` };
  return { ok: false, code: "RT001", why: `it is not in ${INIT_PATH.join(", ")} of the image` };
}

/** A static /dev that lists ttys: only then is a missing node meaningful (devtmpfs fills it at boot). */
export function devIsPopulated(image: Image): boolean {
  return (image.list("/dev") ?? []).some((n) => n.startsWith("tty"));
}

export function checkRoot(ctx: CheckContext, image: Image): void {
  const root = quoteText(ctx.options.imageName ?? "the image");
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
      const sh = lookupProgram(image, "/bin/sh");
      if (!sh.ok) ctx.report(file, sh.code, at, `init runs this command through /bin/sh, but in ${root} ${sh.why}`);
    }
    const program = programOf(cmd);
    if (program === undefined) continue; // a shell decides; cannot be told without running it
    // The process is bytes; file names on the host are read as UTF-8.
    const found = lookupProgram(image, binaryToText(program));
    if (!found.ok) {
      const start = at.start + cmd.prefix.length + Math.max(0, cmd.body.indexOf(program));
      ctx.report(
        file,
        found.code,
        { start, end: start + program.length },
        `init cannot run ${quote(program)} in ${root}: ${found.why}`,
      );
    }
  }
  const main = ctx.main;
  if (main && ctx.sim.syntheticSulogin && main.doc.dialect.usesRunlevels) {
    const sulogin = lookupProgram(image, "/sbin/sulogin");
    if (!sulogin.ok) {
      ctx.report(
        main,
        sulogin.code,
        { start: 0, end: 0 },
        `init adds "~~:S:wait:/sbin/sulogin" for single-user mode (no entry runs in S), but in ${root} /sbin/sulogin: ${sulogin.why}`,
      );
    }
  }
  if (ctx.dialect.idIsTty && devIsPopulated(image)) {
    for (const e of ctx.sim.entries) {
      if (e.id === "") continue;
      const file = fileOf(ctx, e.path);
      if (!file) continue;
      const tty = ttyPath(e.id);
      const r = image.lookup(binaryToText(tty));
      if (r.kind === "found") continue;
      const view = entryView(file, e.start);
      ctx.report(
        file,
        "RT003",
        view?.line.fields.id ?? { start: e.start, end: e.end },
        `BusyBox opens ${quote(tty)} as this entry's terminal, but the image's /dev has no such node (and lists other ttys), so the command never runs`,
      );
    }
  }
}
