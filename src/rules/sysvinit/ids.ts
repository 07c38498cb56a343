/**
 * The id field (init.c read_inittab; docs/internals/sysvinit.md): empty (IT006), too long (IT007), duplicates across
 * /etc/inittab and inittab.d (IT008; IT030b when both copies are in inittab.d) and `~~` (IT009).
 */
import type { CheckContext, CheckedFile } from "../context.js";
import { entryById, fileOf, initLogs, viewLineAt } from "../lookup.js";
import { initLength, NEWLINE_KEPT, quote, printable } from "../wording.js";

export function checkIds(ctx: CheckContext, file: CheckedFile): void {
  const dialect = file.doc.dialect;
  for (const v of file.parsed) {
    const line = v.line;
    const id = line.fields.id;
    if (!id) continue; // no colon at all: IT005
    if (id.value === "") {
      ctx.report(
        file,
        "IT006",
        { start: id.start, end: id.start },
        `init ignores this line: the id is empty ${initLogs(ctx, file, id.start, "missing-id", "missing id field")}`,
        { cause: "missing-id" },
      );
      continue;
    }
    const length = initLength(line, "id");
    if (dialect.maxIdLength !== null && length > dialect.maxIdLength) {
      ctx.report(
        file,
        "IT007",
        id,
        `init ignores this line: the id ${quote(id.value)} is ${length} bytes long${length > id.value.length ? NEWLINE_KEPT : ""}, more than ${dialect.maxIdLength} ${initLogs(ctx, file, id.start, "id-too-long", `id field too long (max ${dialect.maxIdLength} characters)`)}`,
        { cause: "id-too-long" },
      );
    }
  }
  checkTildeIds(ctx, file);
}

/**
 * IT009: `~~` is init's own id (its synthetic sulogin, emergency shell and utmp records), and
 * exempt from the duplicate check. Distributions write init's fallback out as one
 * `~~:S:wait:/sbin/sulogin` entry, which behaves exactly like init's own; anything else under
 * that id is flagged.
 */
function checkTildeIds(ctx: CheckContext, file: CheckedFile): void {
  const tilde = file.parsed.filter((v) => v.line.kind === "entry" && v.line.fields.id?.value === "~~");
  const isSulogin = (v: (typeof tilde)[number]) => {
    const f = v.line.fields;
    const program = (f.process?.value ?? "").split(/[ \t]/)[0] ?? "";
    return f.runlevels?.value === "S" && /(^|\/)sulogin$/.test(program);
  };
  for (const [i, v] of tilde.entries()) {
    const id = v.line.fields.id!;
    if (tilde.length === 1 && isSulogin(v)) continue;
    const why =
      i > 0
        ? `init does not check "~~" for duplicates, so this second "~~" entry (the first is line ${tilde[0]!.line.line}) runs too`
        : `"~~" is the id init uses for its own entries and utmp records, and it skips the duplicate check`;
    ctx.report(file, "IT009", id, `${why}; give this entry an id of its own`);
  }
}

/**
 * IT008 / IT030b: duplicate ids, as the simulator found them (init compares each id with every
 * entry accepted before it, across both sources, and drops the later line).
 */
export function checkDuplicateIds(ctx: CheckContext): void {
  for (const drop of ctx.sim.dropped) {
    if (drop.cause !== "duplicate-id") continue;
    const file = fileOf(ctx, drop.path);
    if (!file) continue;
    const v = viewLineAt(file, drop.start);
    const idField = v?.line.fields.id;
    const id = idField?.value ?? "";
    const at = idField ?? { start: drop.start, end: drop.start };
    const first = entryById(ctx, id);
    const firstFile = first ? fileOf(ctx, first.path) : undefined;
    const where = first
      ? first.path === drop.path
        ? `line ${first.line}`
        : `${firstFile?.path ?? first.path ?? "/etc/inittab"} line ${first.line}`
      : "an earlier line";
    if (first?.path !== undefined && drop.path !== undefined) {
      ctx.report(
        file,
        "IT030b",
        at,
        `init keeps one of the two inittab.d entries with the id ${quote(id)} (the other is ${where}) and drops the other ("duplicate ID field"); which one depends on the unsorted directory order`,
        { cause: "duplicate-id" },
      );
      continue;
    }
    ctx.report(
      file,
      "IT008",
      at,
      `init ignores this line: the id ${quote(id)} is already used by ${where} (init logs "duplicate ID field \\"${printable(id)}\\"")`,
      {
        cause: "duplicate-id",
      },
    );
  }
}
