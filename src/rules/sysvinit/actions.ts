/**
 * The action field (init.c read_inittab, the action table; docs/internals/sysvinit.md): empty, too
 * long or unknown (IT011; init compares with strcasecmp and never trims), not in lower case
 * (IT012), `exec` (IT033, see rules/exec.ts).
 */
import { BUSYBOX_ACTIONS } from "../../dialects/index.js";
import type { CheckContext, CheckedFile } from "../context.js";
import { initLogs } from "../lookup.js";
import { closest, initLength, quote, printable } from "../wording.js";
import { lookupAction } from "../../init/index.js";

export function checkActions(ctx: CheckContext, file: CheckedFile): void {
  const dialect = file.doc.dialect;
  const names = Object.keys(dialect.actions);
  for (const v of file.parsed) {
    const line = v.line;
    const field = line.fields.action;
    if (!field) continue;
    const value = field.value;
    // Without the third colon the "action" runs to the end of the line; init still measures it.
    const length = initLength(line, "action");
    if (dialect.maxActionLength !== null && length > dialect.maxActionLength) {
      const why =
        line.colons < 3
          ? ` (without a third colon it runs to the end of the line${length > value.length ? ", newline included" : ""})`
          : "";
      ctx.report(
        file,
        "IT011",
        field,
        `init ignores this line: the action is ${length} bytes long${why}, more than ${dialect.maxActionLength} ${initLogs(ctx, file, field.start, "action-too-long", "action field too long")}`,
        { cause: "action-too-long" },
      );
      continue;
    }
    if (line.colons < 3) continue; // IT005 covers lines without all fields
    if (value === "") {
      ctx.report(
        file,
        "IT011",
        { start: field.start, end: field.start },
        `init ignores this line: the action is empty ${initLogs(ctx, file, field.start, "missing-action", "missing action field")}`,
        { cause: "missing-action" },
      );
      continue;
    }
    const action = lookupAction(dialect, value, ctx);
    if (!action) {
      if (value.toLowerCase() === "exec") continue; // IT033
      const logged = initLogs(ctx, file, field.start, "unknown-action", `${printable(value)}: unknown action field`);
      const trimmed = value.replace(/^[ \t]+|[ \t]+$/g, "");
      if (trimmed !== value && lookupAction(dialect, trimmed, ctx)) {
        ctx.report(
          file,
          "IT011",
          field,
          `init ignores this line: ${quote(value)} is not an action because init does not trim the blanks around it ${logged}`,
          {
            cause: "unknown-action",
            fix: [{ start: field.start, end: field.end, text: trimmed }],
          },
        );
        continue;
      }
      let hint = "";
      if (Object.hasOwn(BUSYBOX_ACTIONS, value))
        hint = `; "${value}" is a BusyBox action — is this file for BusyBox init (--dialect busybox)?`;
      else {
        const near = closest(trimmed, names);
        if (near) hint = `; did you mean "${near}"?`;
      }
      ctx.report(
        file,
        "IT011",
        field,
        `init ignores this line: ${quote(value)} is not one of init's actions ${logged}${hint}`,
        { cause: "unknown-action" },
      );
      continue;
    }
    if (dialect.actionsCaseInsensitive && value !== action.name) {
      ctx.report(
        file,
        "IT012",
        field,
        `init accepts ${quote(value)} as "${action.name}" (it ignores case here), but other tools and BusyBox do not: write it in lower case`,
        {
          fix: [{ start: field.start, end: field.end, text: action.name }],
        },
      );
    }
  }
}
