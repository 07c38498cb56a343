/** Fake running systems for the system/ tests: utmp records and a /proc tree on disk. */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UTMP_RECORD_SIZE, UTMP_TYPES } from "../../src/system/index.js";

export interface Record {
  type: keyof typeof UTMP_TYPES;
  pid: number;
  id?: string;
  user?: string;
  line?: string;
}

/** utmp bytes as glibc lays them out (little-endian x86_64). */
export function utmpBytes(records: readonly Record[]): Uint8Array {
  const buf = Buffer.alloc(records.length * UTMP_RECORD_SIZE);
  records.forEach((r, i) => {
    const at = i * UTMP_RECORD_SIZE;
    buf.writeInt16LE(UTMP_TYPES[r.type], at);
    buf.writeInt32LE(r.pid, at + 4);
    buf.write(r.line ?? "", at + 8, 32, "latin1");
    buf.write(r.id ?? "", at + 40, 4, "latin1");
    buf.write(r.user ?? "", at + 44, 32, "latin1");
  });
  return new Uint8Array(buf);
}

/** The RUN_LVL record init writes on entering `level` from `previous`. */
export const runlevelRecord = (level: string, previous = "N"): Record => ({
  type: "RUN_LVL",
  pid: level.charCodeAt(0) + 256 * previous.charCodeAt(0),
  id: "~~",
  user: "runlevel",
  line: "~",
});

export interface FakeProcess {
  pid: number;
  ppid: number;
  argv: string[];
  comm?: string;
  stdin?: string;
  /** The pid in init's namespace, when it differs. */
  nsPid?: number;
  exe?: string;
}

export interface FakeSystem {
  dir: string;
  proc: string;
  cleanup(): void;
}

/** A /proc tree with the given processes (children files for each parent), under a fresh temp dir. */
export function fakeProc(processes: readonly FakeProcess[]): FakeSystem {
  const dir = mkdtempSync(join(tmpdir(), "inittab-proc-"));
  const proc = join(dir, "proc");
  for (const p of processes) {
    const d = join(proc, String(p.pid));
    mkdirSync(join(d, "fd"), { recursive: true });
    mkdirSync(join(d, "task", String(p.pid)), { recursive: true });
    const comm = p.comm ?? (p.argv[0] ?? "").split("/").pop()!;
    writeFileSync(join(d, "stat"), `${p.pid} (${comm}) S ${p.ppid} ${p.pid} ${p.pid} 0 -1 4194560 0 0 0 0\n`);
    const nsPid = p.nsPid !== undefined ? `\t${p.nsPid}` : "";
    writeFileSync(join(d, "status"), `Name:\t${comm}\nPid:\t${p.pid}\nNSpid:\t${p.pid}${nsPid}\n`);
    writeFileSync(join(d, "cmdline"), p.argv.map((a) => `${a}\0`).join(""), "latin1");
    writeFileSync(join(d, "comm"), `${comm}\n`);
    if (p.stdin !== undefined) symlinkSync(p.stdin, join(d, "fd", "0"));
    if (p.exe !== undefined) symlinkSync(p.exe, join(d, "exe"));
    const children = processes.filter((c) => c.ppid === p.pid).map((c) => c.pid);
    writeFileSync(join(d, "task", String(p.pid), "children"), children.map((c) => `${c} `).join(""));
  }
  return { dir, proc, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
