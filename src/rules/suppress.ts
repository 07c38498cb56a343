/**
 * Suppression comments, with an explicit scope (the confusion ShellCheck users report comes from
 * implicit ones):
 *
 *   # inittab-disable-next-line IT018,IT026   the physical line right after the comment
 *   # inittab-disable IT023b                   the whole file
 *
 * Codes may be separated by commas or blanks; `-- reason` may follow. A directive that suppresses
 * nothing is reported (SUP001), and so is an unknown code (SUP002).
 */
import { RULE_BY_CODE } from "./registry.js";
import type { CheckedFile, CheckContext, Finding } from "./context.js";
import { quote } from "./wording.js";

interface Directive {
  scope: "next-line" | "file";
  /** The physical line the directive applies to (next-line scope). */
  target: number;
  codes: Array<{ code: string; start: number; end: number; used: boolean }>;
  start: number;
  end: number;
}

const DIRECTIVE = /^#[ \t]*inittab-(disable-next-line|disable)(?=[ \t]|$)(.*)$/;

function parseDirectives(file: CheckedFile): Directive[] {
  const out: Directive[] = [];
  for (const line of file.doc.lines) {
    if (line.kind !== "comment" || !line.comment) continue;
    const m = DIRECTIVE.exec(line.comment.raw);
    if (!m) continue;
    const body = m[2]!.replace(/[ \t]--.*$/, "");
    const bodyStart = line.comment.start + line.comment.raw.length - m[2]!.length;
    const codes: Directive["codes"] = [];
    const word = /[^, \t]+/g;
    for (let w = word.exec(body); w; w = word.exec(body)) {
      codes.push({ code: w[0], start: bodyStart + w.index, end: bodyStart + w.index + w[0].length, used: false });
    }
    out.push({
      scope: m[1] === "disable" ? "file" : "next-line",
      target: line.endLine + 1,
      codes,
      start: line.comment.start,
      end: line.comment.end,
    });
  }
  return out;
}

/** Whether the rule could have fired in this run (its option is on), so that "unused" is fair. */
function active(ctx: CheckContext, code: string): boolean {
  const group = RULE_BY_CODE.get(code)?.group;
  if (group === "root") return ctx.options.image !== undefined;
  if (group === "tmpfs") return ctx.options.profile === "tmpfs";
  if (group === "exec") return ctx.allowExec;
  return true;
}

/** Drop suppressed findings from the file and report unused or unknown directives. */
export function applySuppressions(ctx: CheckContext, file: CheckedFile): void {
  const directives = parseDirectives(file);
  if (directives.length === 0) return;
  const kept: Finding[] = [];
  for (const d of file.diagnostics) {
    let suppressed = false;
    for (const dir of directives) {
      if (dir.scope === "next-line" && dir.target !== d.line) continue;
      for (const c of dir.codes) {
        if (c.code === d.code) {
          c.used = true;
          suppressed = true;
        }
      }
    }
    if (!suppressed) kept.push(d);
  }
  file.diagnostics = kept;
  for (const dir of directives) {
    const kind = dir.scope === "file" ? "inittab-disable" : "inittab-disable-next-line";
    if (dir.codes.length === 0) {
      ctx.report(file, "SUP002", dir, `${kind} names no rule code: list the codes to suppress, e.g. "# ${kind} IT018"`);
      continue;
    }
    for (const c of dir.codes) {
      if (!RULE_BY_CODE.has(c.code)) {
        ctx.report(
          file,
          "SUP002",
          c,
          `${kind} names ${quote(c.code)}, which is not a rule code (see inittab check --list-rules)`,
        );
      } else if (!c.used && active(ctx, c.code)) {
        const where = dir.scope === "file" ? "in this file" : `on line ${dir.target}`;
        ctx.report(file, "SUP001", c, `${kind} ${c.code} suppresses nothing: no ${c.code} finding ${where}; remove it`);
      }
    }
  }
}
