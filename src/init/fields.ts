/**
 * How each init splits a line into fields, and which error it logs for a line it rejects.
 *
 * sysvinit (read_inittab in init.c): after the blanks it skips, a `#` or a newline makes the
 * line a comment or blank; anything else is cut with strsep at the first three colons and the
 * process runs to the newline. The field checks run in a fixed order and each failing one
 * overwrites the message, so init logs the last problem it finds.
 *
 * BusyBox (parse_inittab with config_read, init/init.c): delimiters `#` and `:`, nothing
 * trimmed or collapsed, a `#` ends the line, the fourth token is the rest of the line.
 *
 * Inputs are binary strings (one char per byte), cut where init's C string ends (a NUL).
 */
import type { Dialect } from "../dialects/index.js";

/** Why init drops a line; each cause is one of init's log messages. */
export type DropCause =
  | "too-long"
  | "missing-id"
  | "missing-runlevel"
  | "missing-process"
  | "missing-action"
  | "id-too-long"
  | "rlevel-too-long"
  | "process-too-long"
  | "action-too-long"
  | "unknown-action"
  | "duplicate-id"
  | "bad-entry";

/** The four fields as strsep leaves them: undefined once the string is used up. */
export interface SysvinitFields {
  id: string | undefined;
  runlevels: string | undefined;
  action: string | undefined;
  process: string | undefined;
}

export interface FieldError {
  message: string;
  cause: DropCause;
}

const SPACE = 0x20;
const TAB = 0x09;
const HASH = 0x23;
const NEWLINE = 0x0a;

/** Where sysvinit starts reading a line: after the spaces and tabs it skips. */
export function skipBlanks(text: string): number {
  let from = 0;
  while (text.charCodeAt(from) === SPACE || text.charCodeAt(from) === TAB) from++;
  return from;
}

/** sysvinit ignores the line: after the blanks comes `#` (a comment) or the newline (blank). */
export function sysvinitSkips(text: string): "comment" | "blank" | undefined {
  const first = text.charCodeAt(skipBlanks(text));
  if (first === HASH) return "comment";
  if (first === NEWLINE) return "blank";
  return undefined;
}

/** strsep(&p, ":") three times, then strsep(&p, "\n"), from `from`. */
export function splitSysvinitFields(text: string, from = skipBlanks(text)): SysvinitFields {
  let p = from; // -1: strsep has set p to NULL
  const sep = (delim: string): string | undefined => {
    if (p === -1) return undefined;
    const i = text.indexOf(delim, p);
    const token = text.slice(p, i === -1 ? text.length : i);
    p = i === -1 ? -1 : i + 1;
    return token;
  };
  const id = sep(":");
  const runlevels = sep(":");
  const action = sep(":");
  const process = sep("\n");
  return { id, runlevels, action, process };
}

/** The first four checks of read_inittab: a field missing or empty (the last failing one wins). */
export function missingFieldError(f: SysvinitFields): FieldError | undefined {
  let err: FieldError | undefined;
  if (!f.id) err = { message: "missing id field", cause: "missing-id" };
  if (f.runlevels === undefined) err = { message: "missing runlevel field", cause: "missing-runlevel" };
  if (f.process === undefined) err = { message: "missing process field", cause: "missing-process" };
  if (!f.action) err = { message: "missing action field", cause: "missing-action" };
  return err;
}

/** Every field check of read_inittab, in init's order; undefined when the fields pass. */
export function fieldError(f: SysvinitFields, dialect: Dialect): FieldError | undefined {
  let err = missingFieldError(f);
  if (f.id !== undefined && dialect.maxIdLength !== null && f.id.length > dialect.maxIdLength) {
    err = { message: `id field too long (max ${dialect.maxIdLength} characters)`, cause: "id-too-long" };
  }
  const maxRunlevels = dialect.maxRunlevelsLength;
  if (f.runlevels !== undefined && maxRunlevels !== null && f.runlevels.length > maxRunlevels) {
    err = { message: `rlevel field too long (max ${maxRunlevels} characters)`, cause: "rlevel-too-long" };
  }
  if (f.process !== undefined && dialect.maxProcessLength !== null && f.process.length > dialect.maxProcessLength) {
    err = { message: dialect.processTooLongMessage ?? "process field too long", cause: "process-too-long" };
  }
  if (f.action !== undefined && dialect.maxActionLength !== null && f.action.length > dialect.maxActionLength) {
    err = { message: "action field too long", cause: "action-too-long" };
  }
  return err;
}

/** What init makes of a line's shape, before its ids, actions and lengths are judged. */
export type LineShape =
  { kind: "comment" } | { kind: "blank" } | { kind: "entry" } | { kind: "invalid"; message: string; cause: DropCause };

/**
 * sysvinit: a comment, a blank line, an entry (three colons: all four fields, empty or not), or a
 * line without a process field, which init rejects with the message it logs (a missing process
 * or action: those checks come last). `text` is the C string init holds (cut at a NUL).
 */
export function sysvinitLineShape(text: string): LineShape {
  const skipped = sysvinitSkips(text);
  if (skipped) return { kind: skipped };
  const fields = splitSysvinitFields(text);
  if (fields.process !== undefined) return { kind: "entry" };
  return { kind: "invalid", ...missingFieldError(fields)! };
}

/**
 * config_read with delimiters "#:", greedy 4th token, end-of-line comments, no trimming and no
 * collapsing: a token ends at `:` or `#`; a `#` ends the whole line; the 4th token is the rest
 * of the line up to a `#`.
 */
export function busyboxTokens(line: string): string[] {
  const tokens: string[] = [];
  let rest = line;
  do {
    if (tokens.length === 3) {
      const hash = rest.indexOf("#");
      tokens.push(hash === -1 ? rest : rest.slice(0, hash));
      break;
    }
    let i = 0;
    while (i < rest.length && rest[i] !== ":" && rest[i] !== "#") i++;
    tokens.push(rest.slice(0, i));
    if (i >= rest.length || rest[i] === "#") break;
    rest = rest.slice(i + 1);
  } while (rest.length > 0 && rest[0] !== "#");
  return tokens;
}

/** BusyBox opens `/dev/` + the id without a leading `/dev/`; an empty id is init's console. */
export function ttyPath(id: string): string {
  if (id === "") return "";
  // skip_dev_pfx, then concat_path_file("/dev/", …), which also drops leading slashes.
  return "/dev/" + (id.startsWith("/dev/") ? id.slice(5) : id).replace(/^\/+/, "");
}

/**
 * BusyBox keeps an entry's terminal in a 32-byte buffer but compares it with the full path of
 * a new line's terminal, so entries whose path is longer than 31 bytes never merge.
 */
export const BUSYBOX_TERMINAL_MAX = 31;
