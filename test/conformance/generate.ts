/**
 * Seeded mutations of real inittab lines: the inputs a hand-written test would not think of,
 * aimed at the places where a reader of init.c is most likely to be wrong — field boundaries,
 * blanks, case, CR, NUL, lines near fgets' 255-byte buffer, a missing final newline, duplicate
 * ids, initdefault variants, BusyBox and sysvinit lines mixed, BusyBox continuations.
 *
 * Everything is a binary string (one char per byte). The same seed always gives the same files.
 */

import { rng } from "../support/random.js";

type Rand = () => number;
const int = (r: Rand, n: number): number => Math.floor(r() * n);
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)]!;

/** Lines worth having whatever the corpus holds: the edges of every check. */
const SEEDS: readonly string[] = [
  "id:3:initdefault:",
  "id:35:initdefault:",
  "id:S:initdefault:",
  "id:s:initdefault:",
  "id::initdefault:",
  "id:A:initdefault:",
  "id:3:initdefault",
  "id:2S:initdefault:",
  "id:\xe93:initdefault:",
  "si::sysinit:/etc/init.d/rcS",
  "~~:S:wait:/sbin/sulogin",
  "l3:3:wait:/etc/init.d/rc 3",
  "1:2345:respawn:/sbin/getty 38400 tty1",
  "ca:12345:ctrlaltdel:/sbin/shutdown -t1 -a -r now",
  "pf::powerwait:/etc/init.d/powerfail start",
  "::sysinit:/etc/init.d/rcS",
  "::askfirst:-/bin/sh",
  "tty2::askfirst:-/bin/sh",
  "::restart:/sbin/init",
  "::shutdown:/bin/umount -a -r",
  "ttyS0::respawn:/sbin/getty -L ttyS0 115200 vt100",
  "# comment",
  "",
];

/** initdefault variants: which one counts, and which character of it, decides the boot. */
const INITDEFAULTS: readonly string[] = [
  "id:3:initdefault:",
  "id:5:initdefault:",
  "id:35:initdefault:",
  "id:53:initdefault:",
  "id:S:initdefault:",
  "id:s:initdefault:",
  "id::initdefault:",
  "id:A:initdefault:",
  "id:a:initdefault:",
  "id:2S:initdefault:",
  "id:3:INITDEFAULT:",
  "id:3:initdefault",
  "id:3:initdefault:/sbin/ignored",
  "id:#:initdefault:",
  "id:*:initdefault:",
  "id: 3:initdefault:",
  "id:3 :initdefault:",
  "id:\xe93:initdefault:",
  "id:3\xe9:initdefault:",
  "id:0:initdefault:",
  "id:9:initdefault:",
  "x:Q:initdefault:",
  "id:0123456789S:initdefault:",
  "id:3:initdefault:\r",
];

const ACTIONS = [
  "respawn",
  "wait",
  "once",
  "boot",
  "bootwait",
  "powerfail",
  "powerwait",
  "powerokwait",
  "ctrlaltdel",
  "off",
  "ondemand",
  "initdefault",
  "sysinit",
  "powerfailnow",
  "kbrequest",
  "askfirst",
  "shutdown",
  "restart",
  "exec",
  "bogus",
  "Once",
  "RESPAWN",
  "SysInit",
];

interface Fields {
  id: string;
  rl: string;
  action: string;
  process: string;
}

function split(line: string): Fields | undefined {
  const a = line.indexOf(":");
  const b = a === -1 ? -1 : line.indexOf(":", a + 1);
  const c = b === -1 ? -1 : line.indexOf(":", b + 1);
  if (c === -1) return undefined;
  return { id: line.slice(0, a), rl: line.slice(a + 1, b), action: line.slice(b + 1, c), process: line.slice(c + 1) };
}

const join = (f: Fields): string => `${f.id}:${f.rl}:${f.action}:${f.process}`;

function insertAt(r: Rand, s: string, what: string): string {
  const i = int(r, s.length + 1);
  return s.slice(0, i) + what + s.slice(i);
}

/** The line with its process field grown (by a word of letters) to exactly `total` bytes. */
function pad(f: Fields, total: number): string {
  const base = join(f);
  if (base.length >= total) return base.slice(0, total);
  return `${base} ${"x".repeat(total - base.length - 1)}`;
}

/** One mutation of one line; `ids` are ids seen in the file so far (for duplicates). */
function mutateLine(r: Rand, line: string, ids: string[]): string {
  const f = split(line);
  const choice = int(r, 22);
  switch (choice) {
    case 0: // an extra colon somewhere
      return insertAt(r, line, ":");
    case 1: {
      // lose a colon
      const colons = [...line].map((c, i) => (c === ":" ? i : -1)).filter((i) => i >= 0);
      if (colons.length === 0) return line;
      const i = pick(r, colons);
      return line.slice(0, i) + line.slice(i + 1);
    }
    case 2: // blanks before the id (indent) or before a comment
      return pick(r, [" ", "\t", "  ", " \t"]) + line;
    case 3: // blanks around a field
      if (!f) return line + " ";
      return pick(r, [
        join({ ...f, action: ` ${f.action}` }),
        join({ ...f, action: `${f.action} ` }),
        join({ ...f, id: `${f.id} ` }),
        join({ ...f, rl: ` ${f.rl}` }),
        join({ ...f, process: ` ${f.process}` }),
      ]);
    case 4: // case of the action or the runlevels
      if (!f) return line.toUpperCase();
      return pick(r, [
        join({ ...f, action: f.action.toUpperCase() }),
        join({ ...f, action: f.action.charAt(0).toUpperCase() + f.action.slice(1) }),
        join({ ...f, rl: f.rl.toLowerCase() }),
        join({ ...f, rl: f.rl.toUpperCase() }),
      ]);
    case 5: // a CR inside the line (the CRLF ending is decided per file)
      return insertAt(r, line, "\r");
    case 6: // a NUL
      return insertAt(r, line, "\0");
    case 7: // near fgets' buffer: 253..257 bytes (with the newline, 254..258)
      return f ? pad(f, 252 + int(r, 6)) : line;
    case 8: // longer than one buffer: the tail becomes a line of its own in 3.06
      if (!f) return line;
      if (r() < 0.5) return pad(f, 256 + int(r, 300)); // the tail is text
      // a tail that is itself an entry, placed right after byte 255
      return pad(f, 255) + pick(r, ["zz:3:once:/bin/echo tail", "::once:/tail", "#tail", "  ", "zz:3:bogus:/x"]);
    case 9: // the process field near the 127-byte limit of 2.89-3.13
      return f ? join({ ...f, process: `/bin/echo ${"p".repeat(115 + int(r, 16))}`.slice(0, 126 + int(r, 4)) }) : line;
    case 10: // ids around 4 bytes
      return f
        ? join({ ...f, id: pick(r, ["abcd", "abcde", "a", "", "~~", "tty1", "ttyS0", "/dev/ttyS0", " ab", "a b"]) })
        : line;
    case 11: // runlevels around 11 bytes
      return f
        ? join({
            ...f,
            rl: pick(r, ["0123456789S", "0123456789Sa", "", "2345", "s", "S", "abc", "#", "*", " 3", "12345678901"]),
          })
        : line;
    case 12: // actions: real, foreign, case-shifted, long
      return f ? join({ ...f, action: pick(r, [...ACTIONS, "a".repeat(32), "b".repeat(33), ""]) }) : line;
    case 13: // a duplicate id
      return f && ids.length > 0 ? join({ ...f, id: pick(r, ids) }) : line;
    case 14: // empty or odd process fields
      return f
        ? join({ ...f, process: pick(r, ["", " ", "#", "/bin/sh -c 'a:b'", "x#y", "-/bin/sh", "+@/bin/true"]) })
        : line;
    case 15: // a BusyBox continuation
      return line + "\\";
    case 16: // a `#` in a field (an end-of-line comment to BusyBox only)
      return insertAt(r, line, "#");
    case 17: // a byte that is not UTF-8, or a form feed
      return insertAt(r, line, pick(r, ["\xff", "\x0c", "\xc3\xa9", "\x80"]));
    case 18: // only blanks
      return pick(r, [" ", "\t", "   \t", "\r"]);
    case 19: // cut the line short
      return line.slice(0, int(r, line.length + 1));
    case 20: // a comment, maybe indented
      return pick(r, ["#", " #", "\t# ", "##"]) + line;
    default: // unchanged
      return line;
  }
}

/** Entries and non-entries to put where a version may read or skip them. */
const TARGETS: readonly string[] = [
  "id:3:initdefault:",
  "id:5:initdefault:",
  "id:S:initdefault:",
  "zz:3:once:/x",
  "zz:3:bogus:/x",
  "::sysinit:/x",
  "::bogus:/x",
  "tty1::respawn:/sbin/getty 38400 tty1",
  "#c",
  "  # c",
  "  ",
  "\r",
];

/** `head` grown with `filler` to exactly `total` bytes. */
function grow(head: string, filler: string, total: number): string {
  let line = head;
  while (line.length < total) line += filler;
  return line.slice(0, total);
}

/**
 * One change aimed at where versions read a file differently: sysvinit 3.14 drops a line it
 * cannot read whole where 3.06 splits it into 255-byte pieces (lines near 255, 510 and 765
 * bytes, some with an entry at a piece boundary; a CR pushing a line over), 3.14 throws away
 * the line after a NUL, 3.06 checks the process field at 127 bytes; actions, runlevels and ids
 * far past their limits; BusyBox joins lines ending in a backslash. Changes `lines` in place.
 */
function versionEdge(r: Rand, lines: string[]): void {
  const at = int(r, lines.length + 1);
  const insert = (...added: string[]): void => void lines.splice(at, 0, ...added);
  switch (int(r, 8)) {
    case 0: {
      // one, two or three fgets buffers long, give or take a few bytes
      const total = pick(r, [255, 510, 765]) + int(r, 9) - 4;
      const head = pick(r, ["ab:3:once:/bin/echo ", "::once:/bin/echo ", "#", " ", "ab:3:once:/", "x"]);
      insert(grow(head, pick(r, ["x", " x", ":", "# "]), total));
      break;
    }
    case 1: {
      // an entry, comment or blank starting right at a piece boundary (byte 255 or 510)
      const boundary = pick(r, [255, 510]) + int(r, 3) - 1;
      insert(grow(pick(r, ["#", "ab:3:once:/bin/echo ", " ", "::once:/x "]), "c", boundary) + pick(r, TARGETS));
      break;
    }
    case 2: {
      // a NUL, then a line that matters (3.14 throws the next line away)
      const nul = pick(r, [
        "ab:3:once:/bin/echo a\0b",
        "\0",
        "#c\0",
        "ab:3:once:/x\0",
        "\0ab:3:bogus:/x",
        "::once:/x\0",
      ]);
      insert(nul, pick(r, TARGETS), ...(r() < 0.3 ? [pick(r, TARGETS)] : []));
      break;
    }
    case 3: {
      // actions far past 32 bytes, runlevels past 11, ids past 4
      const n = pick(r, [31, 32, 33, 64, 200, 250]);
      insert(
        pick(r, [
          `ab:3:${"a".repeat(n)}:/x`,
          `ab:${"3".repeat(n % 20)}:once:/x`,
          `ab:${"0123456789S".repeat(1 + int(r, 20)).slice(0, n)}:initdefault:`,
          `${"i".repeat(n)}:3:once:/x`,
          `::${"a".repeat(n)}:/x`,
        ]),
      );
      break;
    }
    case 4: {
      // the process field around 127 and 256 bytes
      const n = pick(r, [126, 127, 128, 240, 245, 250]) + int(r, 3);
      insert(`ab:3:once:/${"p".repeat(n - 1)}`);
      break;
    }
    case 5: // BusyBox continuations: joined entries, comments, a backslash before CR or a blank
      insert(
        pick(r, [
          "::once:/x \\",
          "#c\\",
          "::bogus:\\",
          "\\",
          "::once:/x\\\\",
          "::once:/x\\ ",
          "::once:/x\\\r",
          "tty1::\\",
          "::sysinit:\\",
        ]),
        pick(r, [...TARGETS, "/bin/true", ":once:/x", "respawn:/x", "::bogus:/y\\"]),
      );
      break;
    case 6: // a CR that makes a 254-byte line 255 bytes long
      insert(grow("ab:3:once:/bin/echo ", "x", 253 + int(r, 2)) + "\r");
      break;
    default: // a decisive line repeated (duplicate ids; BusyBox merges)
      insert(pick(r, TARGETS), pick(r, TARGETS));
  }
}

/** The ids of entry-shaped lines, for duplicates. */
function idsOf(lines: readonly string[]): string[] {
  return lines.map((l) => split(l.replace(/^[ \t]+/, ""))?.id).filter((x): x is string => x !== undefined && x !== "");
}

/**
 * `count` files from `seed`: each takes 1-10 lines from the pool (corpus lines plus SEEDS),
 * mutates some of them, adds changes aimed at where versions differ to most files, and
 * sometimes ends with CRLF or without a final newline (then often on a line that matters).
 */
export function generateInputs(pool: readonly string[], seed: number, count: number): string[] {
  const r = rng(seed);
  const lines = [...pool, ...SEEDS];
  const files: string[] = [];
  for (let n = 0; n < count; n++) {
    const size = 1 + int(r, 10);
    const chosen: string[] = [];
    for (let i = 0; i < size; i++) {
      let line = pick(r, lines);
      const mutations = r() < 0.25 ? 0 : 1 + int(r, 3);
      for (let m = 0; m < mutations; m++) line = mutateLine(r, line, idsOf(chosen));
      if (r() < 0.1) chosen.push(line); // a repeated line
      chosen.push(line);
    }
    // Most files say how to boot, some twice; the rest make sysvinit prompt.
    for (let k = r() < 0.6 ? (r() < 0.15 ? 2 : 1) : 0; k > 0; k--) {
      let line = pick(r, INITDEFAULTS);
      if (r() < 0.3) line = mutateLine(r, line, idsOf(chosen));
      chosen.splice(int(r, chosen.length + 1), 0, line);
    }
    for (let k = r() < 0.7 ? 1 + int(r, 2) : 0; k > 0; k--) versionEdge(r, chosen);
    // Line endings: mostly LF, sometimes CRLF for some or all lines.
    const crlf = r() < 0.15;
    let file = chosen.map((l) => l + (crlf || r() < 0.05 ? "\r\n" : "\n")).join("");
    // No final newline: 3.14 drops such a last line unless it is a comment.
    if (r() < 0.25) file = file.replace(/\r?\n$/, "") + (r() < 0.5 ? "" : `\n${pick(r, [...TARGETS, "::once:/x\\"])}`);
    files.push(file);
  }
  return files;
}

/** Every physical line of the given files, without its terminator (the mutation pool). */
export function linePool(files: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const f of files) for (const l of f.split("\n")) seen.add(l.replace(/\r$/, ""));
  return [...seen];
}

/**
 * A fixed sweep over the limits, so they are tested in every run whatever the seed: lines of
 * 250–260 bytes ending in LF, CRLF or nothing (fgets' 255-byte buffer), process fields of
 * 125–130 bytes (3.06's 127), ids of 4–5, runlevels of 11–12, actions of 32–33 bytes, a
 * 255-byte comment whose tail is an entry, lines of 508–512 bytes, NULs before lines that
 * matter, and last lines without a newline.
 */
export function edgeInputs(): string[] {
  const out: string[] = [];
  const head = "id:3:initdefault:\n";
  for (let len = 250; len <= 260; len++) {
    const line = pad({ id: "ab", rl: "3", action: "once", process: "/bin/echo" }, len);
    for (const end of ["\n", "\r\n", ""]) out.push(`${head}${line}${end}cd:5:bogus:/x\n`, `${head}${line}${end}`);
  }
  for (let len = 125; len <= 130; len++) out.push(`${head}ab:3:once:/${"p".repeat(len - 1)}\n`);
  for (const id of ["abcd", "abcde"]) out.push(`${head}${id}:3:once:/x\n`);
  for (const rl of ["0123456789S", "0123456789Sa"]) out.push(`${head}ab:${rl}:once:/x\n`);
  for (const action of ["a".repeat(32), "a".repeat(33)]) out.push(`${head}ab:3:${action}:/x\n`);
  for (const tail of ["zz:3:once:/x", "zz:3:bogus:/x", "id:5:initdefault:", "::sysinit:/x", "  # c", "\r"]) {
    out.push(
      `#${"c".repeat(254)}${tail}\n${head}`,
      `${head}#${"c".repeat(254)}${tail}\n`,
      `${" ".repeat(255)}${tail}\n`,
    );
  }
  out.push(`${head}${"x:".repeat(300)}\n`, `${head}ab:3:once:/${"y".repeat(600)}\n`, head.repeat(2), "");
  // Two buffers: 3.06 parses a third piece from byte 510 on, 3.14 drops the line once.
  for (let len = 508; len <= 512; len++) {
    const line = pad({ id: "ab", rl: "3", action: "once", process: "/bin/echo" }, len);
    out.push(`${head}${line}\ncd:5:bogus:/x\n`, `${line}\n${head}`);
  }
  out.push(`${head}#${"c".repeat(509)}zz:3:bogus:/x\n`);
  // A NUL: 3.14 throws the next line away, whatever it is.
  for (const next of ["id:5:initdefault:", "zz:3:bogus:/x", "#c", "", "ab:3:once:/x\0"]) {
    out.push(`ab:3:once:/x\0y\n${next}\n${head}`, `${head}\0\n${next}\n`);
  }
  // The last line without a newline: an entry, initdefault, a comment, blanks, a CR.
  for (const last of ["zz:3:bogus:/x", "id:5:initdefault:", "# c", "  ", "\r", "::once:/x\\"]) {
    out.push(`${head}${last}`);
  }
  return out;
}
