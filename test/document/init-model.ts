/**
 * Reference models of how each init reads the *shape* of its lines, written from init's source
 * (sysvinit read_inittab, BusyBox parse_inittab; docs/internals/sysvinit.md,
 * docs/internals/busybox.md) as straight-line imitations of the C code, not from our grammar.
 * The property tests compare the document's classification with them.
 *
 * Left out on purpose (they are the rules' business, not the document's): sysvinit's 255-byte
 * fgets buffer and 3.14's dropping of long, NUL-holding and unterminated last lines; id, action
 * and length checks.
 *
 * Inputs and outputs are binary strings (one char per byte).
 */

export type ModelKind = "comment" | "blank" | "error" | "entry";

export interface ModelLine {
  /** 1-based physical line where init's line starts. */
  line: number;
  kind: ModelKind;
  /** sysvinit: the message init logs for a line without three colons. */
  message?: string;
  /** Entries: the fields exactly as init holds them (CR included, NUL tail cut). */
  fields?: [string, string, string, string];
  /** BusyBox: how many tokens config_read returned (entries: 4). */
  tokens?: number;
}

/** Physical lines, each with its `\n` if it has one (what fgets/getline return, unlimited). */
function physicalLines(source: string): string[] {
  const out: string[] = [];
  let from = 0;
  while (from < source.length) {
    const nl = source.indexOf("\n", from);
    const to = nl === -1 ? source.length : nl + 1;
    out.push(source.slice(from, to));
    from = to;
  }
  return out;
}

/** The C string a buffer holds: everything before the first NUL. */
function cString(s: string): string {
  const nul = s.indexOf("\0");
  return nul === -1 ? s : s.slice(0, nul);
}

/** strsep(&p, delims): the token, and the rest (null once the string is used up). */
function strsep(p: string | null, delims: string): [string | null, string | null] {
  if (p === null) return [null, null];
  for (let i = 0; i < p.length; i++) {
    if (delims.includes(p[i]!)) return [p.slice(0, i), p.slice(i + 1)];
  }
  return [p, null];
}

/** sysvinit's read_inittab, line by line. */
export function sysvinitModel(source: string): ModelLine[] {
  return physicalLines(source).map((physical, i) => {
    const line = i + 1;
    const buf = cString(physical);
    let k = 0;
    while (buf[k] === " " || buf[k] === "\t") k++;
    if (buf[k] === "#") return { line, kind: "comment" };
    if (buf[k] === "\n") return { line, kind: "blank" };
    let p: string | null = buf.slice(k);
    const [id, p1] = strsep(p, ":");
    const [rlevel, p2] = strsep(p1, ":");
    const [action, p3] = strsep(p2, ":");
    const [process, p4] = strsep(p3, "\n");
    p = p4;
    if (process === null) {
      // The checks run in order and the last match wins; with the process missing only the
      // action check can still overwrite its message.
      return {
        line,
        kind: "error",
        message: action === null || action === "" ? "missing action field" : "missing process field",
      };
    }
    return { line, kind: "entry", fields: [id!, rlevel!, action!, process] };
  });
}

/** BusyBox's get_line_with_continuation + config_read(…, 4 tokens, "#:", greedy, no trim). */
export function busyboxModel(source: string): ModelLine[] {
  const physical = physicalLines(source);
  const out: ModelLine[] = [];
  for (let i = 0; i < physical.length;) {
    const line = i + 1;
    // getline, then: drop the `\n`; while the line ends in a backslash, drop it and append the
    // next physical line (as read, with its `\n`), and look again.
    let buf = physical[i++]!;
    for (;;) {
      if (buf.endsWith("\n")) buf = buf.slice(0, -1);
      if (!buf.endsWith("\\")) break;
      buf = buf.slice(0, -1);
      if (i >= physical.length) break;
      buf += physical[i++]!;
    }
    const s = cString(buf);
    if (s === "") {
      out.push({ line, kind: "blank" });
      continue;
    }
    if (s[0] === "#") {
      out.push({ line, kind: "comment" });
      continue;
    }
    const tokens: string[] = [];
    let pos = 0;
    let done = false;
    do {
      let end: number;
      if (tokens.length < 3) {
        end = pos;
        while (end < s.length && s[end] !== "#" && s[end] !== ":") end++;
      } else {
        end = s.indexOf("#", pos);
        if (end === -1) end = s.length;
      }
      tokens.push(s.slice(pos, end));
      if (s[end] === "#")
        done = true; // the comment ends the line
      else pos = end < s.length ? end + 1 : end;
    } while (!done && pos < s.length && s[pos] !== "#" && tokens.length < 4);
    if (tokens.length === 4) out.push({ line, kind: "entry", tokens: 4, fields: tokens as ModelLine["fields"] });
    else out.push({ line, kind: "error", tokens: tokens.length });
  }
  return out;
}

/**
 * The bytes BusyBox sees of a piece of one logical line: its join applied to `raw` (a field's
 * source text). `atEof`: the piece ends the input, where a last backslash is dropped.
 */
export function busyboxJoin(raw: string, atEof: boolean): string {
  const pieces = physicalLines(raw);
  if (pieces.length === 0) return "";
  let i = 0;
  let buf = pieces[i++]!;
  for (;;) {
    if (buf.endsWith("\n")) buf = buf.slice(0, -1);
    else if (i >= pieces.length && !atEof) break; // the physical line goes on after this piece
    if (!buf.endsWith("\\")) break;
    buf = buf.slice(0, -1);
    if (i >= pieces.length) break;
    buf += pieces[i++]!;
  }
  return buf + pieces.slice(i).join("");
}
