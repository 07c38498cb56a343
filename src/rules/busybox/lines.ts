/**
 * How BusyBox init reads its inittab (BusyBox init/init.c; docs/internals/busybox.md): config_read
 * with delimiters "#:", no trimming, no collapsing, end-of-line comments, backslash continuations; every problem is
 * "Bad inittab entry at line N" and the line is skipped.
 */
import { SYSVINIT_ACTIONS } from "../../dialects/index.js";
import type { Edit } from "../../document/edits.js";
import type { CheckContext, CheckedFile } from "../context.js";
import { dropAt } from "../lookup.js";
import { closest, quote } from "../wording.js";

function logged(ctx: CheckContext, file: CheckedFile, start: number): string {
  const drop = dropAt(ctx, file, start);
  return drop ? ` (init logs "${drop.message}")` : "";
}

export function checkBusyBoxLines(ctx: CheckContext, file: CheckedFile): void {
  const dialect = file.doc.dialect;
  const names = Object.keys(dialect.actions);
  const commentFixes: Edit[] = [];
  let firstCr: { fix?: Edit[] } | undefined;
  for (const v of file.view) {
    const line = v.line;
    const crFix: Edit[] =
      line.terminator === "CRLF" ? [{ start: line.contentEnd, end: line.contentEnd + 1, text: "" }] : [];
    if (line.kind === "comment" || line.kind === "blank") {
      commentFixes.push(...crFix);
      continue;
    }
    const content = { start: line.start, end: line.contentEnd };
    if (line.kind === "invalid") {
      if (line.colons === 0 && line.contentEnd === line.start && line.terminator === "CRLF") {
        const d = { fix: crFix };
        firstCr ??= d;
        ctx.report(
          file,
          "BB012",
          { start: line.contentEnd, end: line.contentEnd + 1 },
          `BusyBox reads this line, which holds only a carriage return, as an entry and rejects it${logged(ctx, file, line.start)}`,
          {
            cause: "bad-entry",
            fix: crFix,
          },
        );
        continue;
      }
      const idText = line.fields.id?.value ?? "";
      if (line.colons === 0 && /^[ \t]*$/.test(idText)) {
        const what = line.comment ? "an indented comment" : "a line of only blanks";
        ctx.report(
          file,
          "BB006",
          content,
          `BusyBox ignores only comments that start in column 1 and empty lines: ${what} is an entry to it, and a bad one${logged(ctx, file, line.start)}`,
          {
            cause: "bad-entry",
          },
        );
        continue;
      }
      const cut =
        line.comment && line.comment.start < line.contentEnd
          ? `; the "#" at column ${line.comment.column} ends the line before the ${["runlevels", "action", "command"][line.colons] ?? "next"} field`
          : "";
      ctx.report(
        file,
        "BB001",
        content,
        `BusyBox ignores this line: it needs 4 fields separated by ":" and finds ${line.colons + 1}${cut}${logged(ctx, file, line.start)}`,
        {
          cause: "bad-entry",
        },
      );
      continue;
    }
    const f = line.fields as Required<typeof line.fields>;
    const action = f.action.value;
    if (!Object.hasOwn(dialect.actions, action)) {
      const lower = action.toLowerCase();
      if (Object.hasOwn(dialect.actions, lower)) {
        ctx.report(
          file,
          "BB002",
          f.action,
          `BusyBox ignores this line: it compares action names exactly, and ${quote(action)} is not "${lower}"${logged(ctx, file, line.start)}`,
          { cause: "bad-entry" },
        );
      } else if (Object.hasOwn(SYSVINIT_ACTIONS, lower)) {
        const hint = lower === "initdefault" ? "; BusyBox has no runlevels — remove the line" : "";
        ctx.report(
          file,
          "BB003",
          f.action,
          `BusyBox ignores this line: ${quote(action)} is a sysvinit action that BusyBox init does not have${logged(ctx, file, line.start)}${hint}`,
          { cause: "bad-entry" },
        );
      } else {
        const trimmed = action.trim();
        const near = Object.hasOwn(dialect.actions, trimmed) ? trimmed : closest(trimmed, names);
        const hint = near
          ? near === trimmed
            ? `; BusyBox does not trim the blanks around it`
            : `; did you mean "${near}"?`
          : "";
        ctx.report(
          file,
          "BB004",
          f.action,
          `BusyBox ignores this line: ${quote(action)} is not one of its actions (${names.join(", ")})${logged(ctx, file, line.start)}${hint}`,
          { cause: "bad-entry" },
        );
      }
    }
    // The command ends at the first `#`; what is left may be empty.
    const command = f.process.value;
    if (command === "") {
      const cutByHash = line.comment !== undefined;
      ctx.report(
        file,
        "BB007",
        cutByHash
          ? { start: line.comment.start, end: line.comment.end }
          : { start: f.process.start, end: f.process.start },
        `BusyBox ignores this line: the command is empty${cutByHash ? ` (a "#" ends the line where the command begins)` : ""}${logged(ctx, file, line.start)}`,
        { cause: "bad-entry" },
      );
    } else if (/^[ \t]*$/.test(command)) {
      ctx.report(
        file,
        "BB007",
        f.process,
        `the command is only blanks: BusyBox accepts the line but has no program to run`,
      );
    }
    if (line.comment && command !== "" && !/^[ \t]*$/.test(command)) {
      // `cmd # note` is a deliberate comment; a `#` inside a word or inside quotes cuts the command.
      const before = file.doc.source[line.comment.start - 1];
      const quotes = (command.match(/'/g)?.length ?? 0) % 2 === 1 || (command.match(/"/g)?.length ?? 0) % 2 === 1;
      if ((before !== " " && before !== "\t") || quotes) {
        ctx.report(
          file,
          "BB005",
          line.comment,
          `BusyBox ends the line at any "#", even inside a word or quotes: the command it runs is ${quote(command)}, and ${quote(line.comment.raw)} is dropped`,
        );
      }
    }
    if (line.terminator === "CRLF" || f.process.value.includes("\r")) {
      const d = { fix: crFix };
      firstCr ??= d;
      ctx.report(
        file,
        "BB012",
        { start: line.contentEnd, end: line.contentEnd + (crFix.length > 0 ? 1 : 0) },
        `the line ends in a carriage return (CRLF): BusyBox passes it to the command, which runs as ${quote(command + "\r")}`,
        { fix: crFix },
      );
    }
  }
  if (firstCr && commentFixes.length > 0) {
    // Attach the comment lines' CRs to the first CR finding, so --fix leaves no CRLF behind.
    const d = file.diagnostics.find((x) => x.code === "BB012" && x.fix);
    if (d) d.fix = [...(d.fix ?? []), ...commentFixes];
  }
  if (!file.doc.finalNewline) {
    const end = file.doc.source.length;
    ctx.report(
      file,
      "BB014",
      { start: end, end },
      `the file does not end with a newline: BusyBox reads the last line anyway, but sysvinit 3.14 and many tools do not`,
      {
        fix: [{ start: end, end, text: "\n" }],
      },
    );
  }
}
