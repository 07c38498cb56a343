/**
 * `inittab ls [ID...] [--file FILE] [--json] [--matrix]`: the entries, like AIX lsitab -a (or one
 * entry, like `lsitab ID`), or a runlevel matrix like chkconfig --list.
 */
import { existsSync, statSync } from "node:fs";
import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { loadInittab } from "../load.js";
import { fileOption } from "../write-options.js";
import { escapeBinary, escapeText } from "../../base/bytes.js";
import { count } from "../../base/plural.js";
import { isEntry } from "../../document/model.js";
import { BUSYBOX_PHASES, entryRows, formatMatrix, formatTable } from "../../report/table.js";
import { RUNLEVEL_COLUMNS } from "../../dialects/index.js";
import { selectEntries, type Selector } from "../../edit/select.js";

interface LsOptions {
  file?: string;
  json?: boolean;
  matrix?: boolean;
  tty?: string;
  withAction?: string;
  match?: string;
}

/**
 * `ls FILE`, the spelling before `ls ID`: an operand that is `-`, has a `/` or names an existing
 * file (and no --file was given) is the file, as it was.
 */
function looksLikeFile(operand: string): boolean {
  if (operand === "-" || operand.includes("/")) return true;
  try {
    return existsSync(operand) && statSync(operand).isFile();
  } catch {
    return false;
  }
}

export function register(program: Command, ctx: CliContext): void {
  fileOption(
    program
      .command("ls")
      .description("list the entries (like lsitab -a), one entry (like lsitab ID), or a runlevel matrix")
      .argument(
        "[ids...]",
        "only these entries (BusyBox: ttys); `ls FILE` (a path) still reads FILE: deprecated, use --file",
      )
      .option("--tty <tty>", "BusyBox: only the entries of this tty")
      .option("--with-action <action>", "only entries with this action")
      .option("--match <text>", "only entries whose command contains TEXT")
      .option("--json", "entries as JSON (with --matrix: also the columns of the matrix)")
      .option("--matrix", "a runlevel grid, with init's defaults for empty runlevels"),
  ).action((operands: string[], opts: LsOptions) => {
    let ids = operands;
    let file = opts.file;
    if (file === undefined && ids.length === 1 && looksLikeFile(ids[0]!)) {
      file = ids[0];
      ids = [];
    }
    const { doc } = loadInittab(file, ctx.globals());
    const filters: Selector = {
      ...(opts.tty !== undefined ? { tty: opts.tty } : {}),
      ...(opts.withAction !== undefined ? { action: opts.withAction } : {}),
      ...(opts.match !== undefined ? { match: opts.match } : {}),
    };
    const selecting = ids.length > 0 || Object.keys(filters).length > 0;
    let lines = new Set<number>();
    if (selecting) {
      for (const id of ids.length > 0 ? ids : [undefined]) {
        const picked = selectEntries(doc, { ...filters, ...(id !== undefined ? { id } : {}) });
        if (picked.length === 0) {
          process.stderr.write(`inittab: no entry ${id !== undefined ? `"${escapeText(id)}"` : "matches"}\n`);
          ctx.exit(1);
        }
        for (const e of picked) lines.add(e.line);
      }
    } else {
      lines = new Set(doc.lines.filter(isEntry).map((e) => e.line));
    }
    const rows = entryRows(doc).filter((r) => lines.has(r.line));
    if (opts.json) {
      const columns = doc.dialect.usesRunlevels ? RUNLEVEL_COLUMNS : BUSYBOX_PHASES;
      const out = { dialect: doc.dialect.name, ...(opts.matrix ? { columns } : {}), entries: rows };
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    } else if (selecting && !opts.matrix) {
      // As lsitab ID prints it: the entry's line, as in the file.
      for (const e of doc.lines.filter(isEntry)) {
        if (lines.has(e.line)) process.stdout.write(`${escapeBinary(e.raw.slice(0, e.contentEnd - e.start))}\n`);
      }
    } else if (opts.matrix) {
      process.stdout.write(formatMatrix(doc, lines));
    } else {
      process.stdout.write(formatTable(doc));
    }
    const invalid = doc.lines.filter((l) => l.kind === "invalid").length;
    if (invalid > 0 && !selecting) {
      const what = invalid === 1 ? "1 line is not an entry" : `${count(invalid, "line")} are not entries`;
      process.stderr.write(`inittab: ${what}; see \`inittab check\`\n`);
    }
  });
}
