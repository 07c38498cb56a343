/**
 * How sysvinit reads lines (init.c read_inittab; docs/internals/sysvinit.md): the 256-byte fgets
 * buffer (IT001), the final newline (IT002), CR (IT003), NUL (IT004) and lines with fewer than three colons (IT005).
 */
import type { CheckContext, CheckedFile } from "../context.js";
import type { Edit } from "../../document/edits.js";
import { dropAt, entryAt, initLogs } from "../lookup.js";
import { initLength, quote } from "../wording.js";
import { lookupAction } from "../../init/index.js";

export function checkLines(ctx: CheckContext, file: CheckedFile): void {
  longLines(ctx, file);
  finalNewline(ctx, file);
  carriageReturns(ctx, file);
  nulBytes(ctx, file);
  missingFields(ctx, file);
}

/** IT001: lines that do not fit init's line buffer. */
function longLines(ctx: CheckContext, file: CheckedFile): void {
  const dialect = file.doc.dialect;
  if (dialect.lineBufferBytes === null || dialect.maxLineBytes === null) return;
  const size = dialect.lineBufferBytes - 1;
  const max = dialect.maxLineBytes;
  const seen = new Set<number>();
  const view = file.view;
  for (let i = 0; i < view.length; i++) {
    const v = view[i]!;
    const physical = v.physical;
    if (seen.has(physical.index) || v.unread) continue;
    // init counts every byte before the LF, a CR included.
    const length = physical.end - physical.start - (physical.terminator === "none" ? 0 : 1);
    if (length <= max) continue;
    seen.add(physical.index);
    const overflow = { start: physical.start + max, end: physical.contentEnd };
    if (file.role === "tab") {
      if (v.line.kind === "comment" || v.line.kind === "blank") continue;
      ctx.report(
        file,
        "IT001",
        overflow,
        `init reads only the first ${size} bytes of this ${length}-byte line of an inittab.d file; the rest is cut off`,
      );
      continue;
    }
    if (dialect.longLines === "drop") {
      // The comment and blank-line test runs first, on the buffer: a long comment is just ignored.
      if (/^[ \t]*#/.test(physical.raw)) continue;
      if (v.nulAt !== undefined && v.nulAt - physical.start < size) continue; // IT004 explains it
      const drop = dropAt(ctx, file, physical.start);
      const logged = drop ? ` (init logs "${drop.message}")` : "";
      ctx.report(
        file,
        "IT001",
        overflow,
        `init ignores this line: it is ${length} bytes long and init ${dialect.version} accepts at most ${max} before the newline${logged}`,
        { cause: "too-long" },
      );
      continue;
    }
    // <= 3.13: fgets returns the line in pieces and each is parsed as a line of its own. A
    // tail that is only the newline is a blank line: the split changes nothing.
    // The pieces of a physical line are next to each other in the view.
    const pieces = [v];
    for (let j = i + 1; j < view.length && view[j]!.physical === physical; j++) pieces.push(view[j]!);
    if (pieces.slice(1).every((p) => p.line.kind === "blank" && p.line.contentEnd === p.line.start)) continue;
    const fates = pieces.slice(1).map((p) => {
      const column = p.line.start - physical.start + 1;
      const text = quote(file.doc.source.slice(p.line.start, p.line.contentEnd), 60);
      if (p.line.kind === "comment") return `the piece at column ${column} is read as a comment`;
      if (p.line.kind === "blank") return `the piece at column ${column} is read as a blank line`;
      const entry = entryAt(ctx, file, p.line.start);
      if (entry && entry.start === p.line.start)
        return `the piece at column ${column}, ${text}, becomes an entry of its own (a phantom entry)`;
      const drop = dropAt(ctx, file, p.line.start);
      return `the piece at column ${column}, ${text}, is rejected${drop ? ` ("${drop.message}")` : ""}`;
    });
    ctx.report(
      file,
      "IT001",
      { start: physical.start + size, end: physical.contentEnd },
      `init ${dialect.version} reads this ${length}-byte line in ${pieces.length} pieces of at most ${size} bytes and parses each as a separate line: ${fates.join("; ")}`,
    );
  }
}

/** IT002: the last line has no newline. */
function finalNewline(ctx: CheckContext, file: CheckedFile): void {
  if (file.doc.finalNewline || file.role === "tab") return;
  const last = file.doc.lines[file.doc.lines.length - 1];
  if (!last) return;
  // init's own test: after spaces and tabs, a `#` makes it a comment (a comment is kept
  // even without its newline); anything else, blanks included, is a line to parse.
  if (/^[ \t]*#/.test(last.raw)) return;
  const dialect = file.doc.dialect;
  const fix: Edit[] = [{ start: file.doc.source.length, end: file.doc.source.length, text: "\n" }];
  const at = { start: last.contentEnd, end: last.contentEnd };
  if (dialect.dropsFinalLineWithoutNewline) {
    if (file.view.some((v) => v.physical === last && v.unread)) return;
    const drop = dropAt(ctx, file, last.start);
    const logged = drop ? ` (init logs "${drop.message}")` : "";
    ctx.report(
      file,
      "IT002",
      at,
      `init ignores this line: the file does not end with a newline, and init ${dialect.version} drops a last line without one${logged}`,
      {
        cause: "too-long",
        fix,
      },
    );
  } else {
    ctx.report(
      file,
      "IT002",
      at,
      `the file does not end with a newline: init ${dialect.version} still reads this line, but sysvinit 3.14 drops it`,
      {
        severity: "info",
        fix,
      },
    );
  }
}

/** IT003: CR bytes. To init a CR is data, never whitespace. */
function carriageReturns(ctx: CheckContext, file: CheckedFile): void {
  const commentFixes: Edit[] = [];
  const reports: Array<{ start: number; end: number; message: string; fix: Edit[]; cause?: "missing-action" }> = [];
  for (const v of file.view) {
    const line = v.line;
    const crlf = line.terminator === "CRLF";
    const crlfFix: Edit[] = crlf ? [{ start: line.contentEnd, end: line.contentEnd + 1, text: "" }] : [];
    if (v.unread || line.kind === "comment") {
      // A CR in a comment or an unread line changes nothing init does, but --fix converts the
      // whole file so that no line is left behind in CRLF.
      commentFixes.push(...crlfFix);
      continue;
    }
    const inner = line.raw.slice(0, line.contentEnd - line.start).indexOf("\r");
    if (!crlf && inner === -1) continue;
    const at = crlf
      ? { start: line.contentEnd, end: line.contentEnd + 1 }
      : { start: line.start + inner, end: line.start + inner + 1 };
    if (line.kind === "invalid" && line.colons === 0 && line.contentEnd === line.start + line.indent.length && crlf) {
      reports.push({
        ...at,
        message: `init reads this line, which holds only a carriage return, as an entry and rejects it: "missing action field"`,
        fix: crlfFix,
        cause: "missing-action",
      });
      continue;
    }
    const process = line.fields.process;
    let message: string;
    if (line.kind === "entry" && process && crlf) {
      const action = lookupAction(file.doc.dialect, line.fields.action?.value ?? "", ctx);
      message =
        action && !action.info.spawns
          ? `the line ends in a carriage return (CRLF); init ignores the process field of this action, but CRLF breaks every entry that runs a command`
          : `the line ends in a carriage return (CRLF): init passes it to the command, which runs as ${quote(process.value + "\r")}`;
    } else {
      message = `carriage return inside the line: to init it is an ordinary byte, not whitespace`;
    }
    reports.push({ ...at, message, fix: crlfFix });
  }
  const first = reports[0];
  if (first) first.fix = [...first.fix, ...commentFixes];
  for (const r of reports)
    ctx.report(file, "IT003", r, r.message, r.cause ? { cause: r.cause, fix: r.fix } : { fix: r.fix });
}

/** IT004: NUL bytes. */
function nulBytes(ctx: CheckContext, file: CheckedFile): void {
  const dialect = file.doc.dialect;
  const swallowed = new Set<number>();
  for (const v of file.view) if (v.unread === "swallowed") swallowed.add(v.physical.index);
  for (const v of file.view) {
    if (v.unread === "swallowed") {
      ctx.report(
        file,
        "IT004",
        { start: v.line.start, end: v.line.contentEnd },
        "init never reads this line: the NUL byte on the line before hides its newline, and init throws away everything up to the next one",
      );
      continue;
    }
    if (v.nulAt === undefined || v.unread) continue;
    const at = { start: v.nulAt, end: v.nulAt + 1 };
    const comment = v.line.kind === "comment";
    if (dialect.longLines === "drop" && file.role === "inittab") {
      const drop = dropAt(ctx, file, v.physical.start);
      const swallows = swallowed.has(v.physical.index + 1);
      const next = swallows ? "; it also throws away the next line" : "";
      if (comment) {
        ctx.report(
          file,
          "IT004",
          at,
          `NUL byte: init ${dialect.version} stops reading at it and finds no newline${next}`,
        );
      } else {
        ctx.report(
          file,
          "IT004",
          at,
          `init ignores this line: it stops reading at the NUL byte, finds no newline and takes the line for too long${drop ? ` (init logs "${drop.message}")` : ""}${next}`,
          { cause: "too-long" },
        );
      }
      continue;
    }
    const drop = dropAt(ctx, file, v.line.start);
    const empty = v.line.start === v.nulAt;
    ctx.report(
      file,
      "IT004",
      at,
      empty && drop
        ? `init ignores this line: it stops reading at the NUL byte and sees an empty line ("${drop.message}")`
        : `NUL byte: init sees this line only up to here; everything after it is lost`,
      empty && drop ? { cause: drop.cause } : {},
    );
  }
}

/** IT005: fewer than three colons. */
function missingFields(ctx: CheckContext, file: CheckedFile): void {
  for (const v of file.parsed) {
    const line = v.line;
    if (line.kind !== "invalid" || line.colons >= 3) continue;
    if (v.nulAt !== undefined && v.nulAt === line.start) continue; // IT004
    // A line holding only a CR (IT003) has no fields at all.
    if (line.colons === 0 && line.contentEnd === line.start + line.indent.length && line.terminator === "CRLF")
      continue;
    if (line.colons === 0 && line.contentEnd === line.start + line.indent.length) {
      // Blanks and no newline, at the end of the file: not a blank line to init (it tests for
      // the newline), so an entry with no fields. 3.14 drops it as too long (IT002).
      if (file.doc.dialect.dropsFinalLineWithoutNewline) continue;
      // Either the last line of the file, or a piece of a split line (<= 3.13): the first
      // 255 bytes of a longer line of blanks hold no newline either.
      const what =
        v.pieces > 1
          ? `init ${file.doc.dialect.version} reads bytes ${line.start - v.physical.start + 1}-${line.end - v.physical.start} of this ${v.physical.end - v.physical.start}-byte line as a line of their own; they hold only blanks and no newline`
          : "init ignores this last line: it holds only blanks and no newline";
      ctx.report(
        file,
        "IT005",
        { start: line.start, end: line.contentEnd },
        `${what}, so init does not take it for a blank line, finds no fields and rejects it ${initLogs(ctx, file, line.start, "missing-action", "missing action field")}`,
        {
          cause: "missing-action",
        },
      );
      continue;
    }
    const at = { start: line.start + line.indent.length, end: line.contentEnd };
    // init's checks overwrite each other's message: a missing or empty action is logged after
    // a missing process, and the length checks after both.
    const actionMissing = line.colons < 2 || initLength(line, "action") === 0;
    const cause = actionMissing ? "missing-action" : "missing-process";
    const drop = dropAt(ctx, file, line.start);
    const message = drop
      ? drop.message.replace(/^\/etc\/inittab\[\d+\]: /, "")
      : actionMissing
        ? "missing action field"
        : "missing process field";
    let hint = "";
    const action = line.fields.action?.value;
    if (line.colons === 2 && action && lookupAction(file.doc.dialect, action, ctx)) {
      hint = `; even an action without a command needs the third colon: end the line with "${action}:"`;
    } else if (line.colons <= 1) {
      hint = `; an entry is id:runlevels:action:process`;
    }
    ctx.report(
      file,
      "IT005",
      at,
      `init ignores this line: it has ${line.colons} of the 3 colons an entry needs (init logs "${message}")${hint}`,
      { cause },
    );
  }
}
