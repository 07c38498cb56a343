/**
 * A UTF-8 byte order mark at the start of the file (an editor on Windows writes one). Neither
 * init knows it: sysvinit and BusyBox read its three bytes as the start of line 1, so a comment
 * there is no comment and an id there carries three invisible bytes. One finding names it, in
 * place of the ones the mangled first line would give, with a safe fix: delete the three bytes.
 */
import type { CheckContext, CheckedFile } from "./context.js";

export const BOM = "\xef\xbb\xbf";

export function checkByteOrderMark(ctx: CheckContext, file: CheckedFile): void {
  const source = file.doc.source;
  if (!source.startsWith(BOM)) return;
  const lineEnd = source.indexOf("\n");
  const firstLineEnd = lineEnd === -1 ? source.length : lineEnd;
  // What the mangled line made others say goes: the BOM is the one cause. Whole-file findings
  // (an empty span, such as "no initdefault") are consequences worth keeping.
  file.diagnostics = file.diagnostics.filter((d) => !(d.start < firstLineEnd && d.end > d.start));
  const drop = ctx.sim.dropped.find(
    (d) => (d.path === undefined ? file === ctx.main : d.path === file.path) && d.start === 0,
  );
  const effect = drop
    ? "so init rejects line 1"
    : source.startsWith(`${BOM}#`)
      ? "so line 1 is not a comment to init"
      : ctx.dialect.idIsTty
        ? "so the tty of line 1 starts with three invisible bytes: no such device, and its command never runs"
        : "so the id of line 1 starts with three invisible bytes";
  const code = ctx.dialect.family === "busybox" ? "BB015" : "IT035";
  ctx.report(
    file,
    code,
    { start: 0, end: BOM.length },
    `the file starts with a UTF-8 byte order mark (bytes EF BB BF), which init reads as part of line 1, ${effect}; ` +
      "save the file without it (--fix removes it)",
    { fix: [{ start: 0, end: BOM.length, text: "" }], ...(drop ? { cause: drop.cause } : {}) },
  );
}
