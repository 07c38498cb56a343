/**
 * `inittab ls [ID...] [--file FILE] [--json] [--matrix]`: the entries, like AIX lsitab -a (or one
 * entry, like `lsitab ID`), or a runlevel matrix like chkconfig --list. FILE may be a package, a
 * rootfs archive or a directory: each inittab in it is listed under its name
 * (`pkg.deb!/etc/inittab`), and --json gives an array of them, each with its path.
 */
import { existsSync, statSync } from "node:fs";
import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { loadInittabs } from "../load.js";
import { fileOption } from "../write-options.js";
import { escapeBinary, escapeText, stringifyJson } from "../../base/bytes.js";
import { count } from "../../base/plural.js";
import { isEntry, type Document } from "../../document/model.js";
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
  ).action(async (operands: string[], opts: LsOptions) => {
    let ids = operands;
    let file = opts.file;
    if (file === undefined && ids.length === 1 && looksLikeFile(ids[0]!)) {
      file = ids[0];
      ids = [];
    }
    const { docs, failed, collection } = await loadInittabs(file, ctx.globals());
    if (failed) ctx.exit(2);
    const many = collection || docs.length > 1;
    const filters: Selector = {
      ...(opts.tty !== undefined ? { tty: opts.tty } : {}),
      ...(opts.withAction !== undefined ? { action: opts.withAction } : {}),
      ...(opts.match !== undefined ? { match: opts.match } : {}),
    };
    const selecting = ids.length > 0 || Object.keys(filters).length > 0;

    /** The lines of the entries asked for; reports (exit 1) an id that is in none of the files. */
    const picked = docs.map(({ doc }) => selected(doc, ids, filters, selecting));
    for (const id of ids) {
      if (!picked.some((p) => p.found.has(id))) {
        process.stderr.write(`inittab: no entry "${escapeText(id)}"\n`);
        ctx.exit(1);
      }
    }
    if (selecting && ids.length === 0 && picked.every((p) => p.lines.size === 0)) {
      process.stderr.write("inittab: no entry matches\n");
      ctx.exit(1);
    }

    if (opts.json) {
      const out = docs.map(({ display, doc }, i) => {
        const columns = doc.dialect.usesRunlevels ? RUNLEVEL_COLUMNS : BUSYBOX_PHASES;
        const rows = entryRows(doc).filter((r) => picked[i]!.lines.has(r.line));
        return {
          ...(many ? { path: display } : {}),
          dialect: doc.dialect.name,
          ...(opts.matrix ? { columns } : {}),
          entries: rows,
        };
      });
      if (out.length > 0) process.stdout.write(`${stringifyJson(many ? out : out[0])}\n`);
    } else {
      docs.forEach(({ display, doc }, i) => {
        const lines = picked[i]!.lines;
        if (many) process.stdout.write(`${i > 0 ? "\n" : ""}${display}:\n`);
        if (selecting && !opts.matrix) {
          // As lsitab ID prints it: the entry's line, as in the file.
          for (const e of doc.lines.filter(isEntry)) {
            if (lines.has(e.line)) process.stdout.write(`${escapeBinary(e.raw.slice(0, e.contentEnd - e.start))}\n`);
          }
        } else if (opts.matrix) {
          process.stdout.write(formatMatrix(doc, lines));
        } else {
          process.stdout.write(formatTable(doc));
        }
      });
    }
    if (!selecting) {
      for (const { display, doc } of docs) {
        const invalid = doc.lines.filter((l) => l.kind === "invalid").length;
        if (invalid === 0) continue;
        const what = invalid === 1 ? "1 line is not an entry" : `${count(invalid, "line")} are not entries`;
        process.stderr.write(`inittab: ${many ? `${display}: ` : ""}${what}; see \`inittab check\`\n`);
      }
    }
  });
}

/** The entry lines of a document an `ls` asks for, and which of its ids it found. */
function selected(
  doc: Document,
  ids: string[],
  filters: Selector,
  selecting: boolean,
): { lines: Set<number>; found: Set<string> } {
  const found = new Set<string>();
  if (!selecting) return { lines: new Set(doc.lines.filter(isEntry).map((e) => e.line)), found };
  const lines = new Set<number>();
  for (const id of ids.length > 0 ? ids : [undefined]) {
    const entries = selectEntries(doc, { ...filters, ...(id !== undefined ? { id } : {}) });
    if (id !== undefined && entries.length > 0) found.add(id);
    for (const e of entries) lines.add(e.line);
  }
  return { lines, found };
}
