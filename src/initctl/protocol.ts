/**
 * The initctl request as sysvinit's `initreq.h` lays it out (initreq.h; docs/internals/initctl.md) and
 * as `telinit` fills it. These are protocol facts, identical from 2.88 to 3.14; what
 * differs by version (the FIFO path, telinit's default sleeptime) lives in the dialect tables.
 */

/** `INIT_MAGIC`: the first int of every request; init rejects anything else as bogus. */
export const INIT_MAGIC = 0x03091969;

/** sizeof(struct init_request) on Linux/glibc, where MAXHOSTNAMELEN is 64 (initreq.h; docs/internals/initctl.md). */
export const REQUEST_SIZE = 384;

/** Offsets of the four ints and of the union; every int is 4 bytes in host byte order. */
export const OFFSET = { magic: 0, cmd: 4, runlevel: 8, sleeptime: 12, data: 16 } as const;

/** Size of the union `i`: `char data[368]` or the BSD struct. */
export const DATA_SIZE = REQUEST_SIZE - OFFSET.data;

/** `struct init_request_bsd`, offsets inside the union (docs/internals/initctl.md). */
export const BSD_LAYOUT = {
  gen_id: { offset: 0, size: 8 },
  tty_id: { offset: 8, size: 16 },
  host: { offset: 24, size: 64 },
  term_type: { offset: 88, size: 16 },
  signal: { offset: 104, size: 4 },
  pid: { offset: 108, size: 4 },
  exec_name: { offset: 112, size: 128 },
  reserved: { offset: 240, size: 128 },
} as const;

/** Command codes (`INIT_CMD_*`) and whether init acts on them (dispatch at H init.c:2590-2617). */
export const COMMANDS = {
  START: { code: 0, handled: false, meaning: 'not implemented by init ("got unimplemented initrequest")' },
  RUNLVL: { code: 1, handled: true, meaning: "change runlevel" },
  POWERFAIL: { code: 2, handled: true, meaning: "power failure: run powerfail/powerwait entries" },
  POWERFAILNOW: { code: 3, handled: true, meaning: "power failing now: run powerfailnow entries" },
  POWEROK: { code: 4, handled: true, meaning: "power restored: run powerokwait entries" },
  BSD: { code: 5, handled: false, meaning: "BSD request: not implemented by init" },
  SETENV: { code: 6, handled: true, meaning: "set (NAME=VALUE) or unset (NAME) INIT_* variables" },
  UNSETENV: { code: 7, handled: false, meaning: "not implemented by init; unsetting goes through SETENV" },
} as const;

export type CommandName = keyof typeof COMMANDS;

/** The command name for a code, or undefined for a code init does not define. */
export function commandName(code: number): CommandName | undefined {
  for (const [name, c] of Object.entries(COMMANDS)) if (c.code === code) return name as CommandName;
  return undefined;
}

/**
 * The single characters `telinit` accepts as a runlevel, exactly as typed (no case folding in
 * telinit; init upper-cases on receipt). Its usage line: `{0|1|2|3|4|5|6|S|s|Q|q|A|a|B|b|C|c|U|u}`
 * and, in the code, the digits 7-9 too (docs/internals/initctl.md).
 */
export const TELINIT_RUNLEVELS = "0123456789SsQqAaBbCcUu";

/** What init does with each runlevel character (after upper-casing it), for `decode`. */
export function runlevelMeaning(ch: string): string {
  const c = ch.toUpperCase();
  if (c >= "0" && c <= "9") {
    if (c === "0") return "switch to runlevel 0 (halt)";
    if (c === "6") return "switch to runlevel 6 (reboot)";
    return `switch to runlevel ${c}`;
  }
  switch (c) {
    case "S":
      return ch === "s"
        ? "single-user mode (a no-op only when the current level is literally 's')"
        : "single-user mode";
    case "Q":
      return "re-read /etc/inittab";
    case "A":
    case "B":
    case "C":
      return `start the on-demand entries of '${c}'`;
    case "U":
      return "re-execute /sbin/init, keeping state (only in runlevels S and 0-6)";
    default:
      return 'not a runlevel: init logs "bad runlevel" and re-reads /etc/inittab as for Q';
  }
}

/**
 * `telinit -e` data: each argument and its NUL, then a final NUL, within `char data[368]`
 * (telinit refuses with "-e option data too large" otherwise; docs/internals/initctl.md).
 */
export const SETENV_PREFIX = "INIT_";

/** telinit arms alarm(3) around opening and writing the FIFO (docs/internals/initctl.md): never wait longer. */
export const TELINIT_TIMEOUT_MS = 3000;

export type Endian = "little" | "big";

/** This machine's byte order: the one init reads (nothing in the protocol converts ints). */
export function hostEndian(): Endian {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? "little" : "big";
}
