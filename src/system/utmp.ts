/**
 * utmp and wtmp records as glibc writes them (struct utmp of <bits/utmp.h>, 384 bytes on Linux,
 * in the machine's byte order). sysvinit writes a RUN_LVL record at every runlevel change
 * (read_level, boot_transitions: pid = level + 256 * previous level, user "runlevel", id "~~"),
 * an INIT_PROCESS record with the entry's id and pid for every process it starts (spawn, in the
 * child) unless the process field starts with `+`, and a DEAD_PROCESS record when it reaps one.
 * getty and login rewrite the record of their pid as LOGIN_PROCESS and USER_PROCESS, keeping the
 * id. Only read here, never written.
 */
import { endianness } from "node:os";

export const UTMP_RECORD_SIZE = 384;

/** ut_type values (<bits/utmp.h>). */
export const UTMP_TYPES = {
  EMPTY: 0,
  RUN_LVL: 1,
  BOOT_TIME: 2,
  NEW_TIME: 3,
  OLD_TIME: 4,
  INIT_PROCESS: 5,
  LOGIN_PROCESS: 6,
  USER_PROCESS: 7,
  DEAD_PROCESS: 8,
  ACCOUNTING: 9,
} as const;

export interface UtmpRecord {
  type: number;
  pid: number;
  /** ut_line, ut_id and ut_user up to their first NUL, as binary strings. */
  line: string;
  id: string;
  user: string;
}

/** Field offsets of struct utmp (x86_64, aarch64 and the 32-bit ABIs alike: no padding differs). */
const AT = { type: 0, pid: 4, line: 8, id: 40, user: 44 } as const;

function cString(bytes: Uint8Array, start: number, size: number): string {
  let end = start;
  while (end < start + size && bytes[end] !== 0) end++;
  return Buffer.from(bytes.subarray(start, end)).toString("latin1");
}

/** The whole records of a utmp or wtmp file, in file order; a torn last record is left out. */
export function parseUtmp(bytes: Uint8Array, endian: "LE" | "BE" = endianness()): UtmpRecord[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const little = endian === "LE";
  const out: UtmpRecord[] = [];
  for (let at = 0; at + UTMP_RECORD_SIZE <= bytes.length; at += UTMP_RECORD_SIZE) {
    out.push({
      type: view.getInt16(at + AT.type, little),
      pid: view.getInt32(at + AT.pid, little),
      line: cString(bytes, at + AT.line, 32),
      id: cString(bytes, at + AT.id, 4),
      user: cString(bytes, at + AT.user, 32),
    });
  }
  return out;
}

/** The runlevel and the previous one from the last RUN_LVL record, as `runlevel(8)` reports them. */
export function runlevelFromUtmp(records: readonly UtmpRecord[]): { runlevel: string; previous: string } | undefined {
  for (let i = records.length - 1; i >= 0; i--) {
    const r = records[i]!;
    if (r.type !== UTMP_TYPES.RUN_LVL) continue;
    const level = r.pid & 0xff;
    const previous = (r.pid >> 8) & 0xff;
    if (level === 0) return undefined;
    return { runlevel: String.fromCharCode(level), previous: previous === 0 ? "N" : String.fromCharCode(previous) };
  }
  return undefined;
}

/**
 * The live process records by inittab id: the last INIT_PROCESS, LOGIN_PROCESS or USER_PROCESS
 * record of each pid that no later DEAD_PROCESS record ended (utmp keeps one record per id; in a
 * wtmp log the later records win).
 */
export function processRecords(records: readonly UtmpRecord[]): Array<{ id: string; pid: number }> {
  const byPid = new Map<number, string>();
  const live = new Set<number>([UTMP_TYPES.INIT_PROCESS, UTMP_TYPES.LOGIN_PROCESS, UTMP_TYPES.USER_PROCESS]);
  for (const r of records) {
    if (r.pid <= 0) continue;
    if (live.has(r.type)) byPid.set(r.pid, r.id);
    else if (r.type === UTMP_TYPES.DEAD_PROCESS) byPid.delete(r.pid);
  }
  return [...byPid].map(([pid, id]) => ({ id, pid }));
}
