import { describe, expect, it } from "vitest";
import { parse, type Document } from "../../src/document/index.js";
import { gateEdit, newErrors, stoppedEntries, type CheckFn } from "../../src/edit/index.js";
import type { Diagnostic } from "../../src/rules/types.js";
import type { RuleCode } from "../../src/rules/registry.js";

const sysv = (s: string): Document => parse(s, { dialect: "sysvinit" });

function diag(
  code: RuleCode,
  start: number,
  end: number,
  severity: Diagnostic["severity"] = "error",
  message: string = code,
): Diagnostic {
  return { code, severity, message, line: 1, column: 1, endLine: 1, endColumn: 1, start, end, dropped: false };
}

describe("newErrors", () => {
  it("an error on a line whose content existed before is not new, wherever the line moved", () => {
    const before = sysv("id:3:initdefault:\nabcde:2:once:/x\n");
    const after = sysv("zz:2:once:/y\nid:3:initdefault:\nabcde:2:once:/x\n");
    const old = [diag("IT007", 18, 23)];
    const now = [diag("IT007", 31, 36)];
    expect(newErrors(before, old, after, now)).toEqual([]);
  });

  it("a second copy of an existing error is new; warnings never count", () => {
    const before = sysv("abcde:2:once:/x\n");
    const after = sysv("abcde:2:once:/x\nabcde:2:once:/x\n");
    const old = [diag("IT007", 0, 5)];
    const now = [diag("IT007", 0, 5), diag("IT007", 16, 21), diag("IT009", 16, 21, "warning")];
    expect(newErrors(before, old, after, now)).toEqual([now[1]]);
  });

  it("an error at the end of the file belongs to the last line, whatever its message says", () => {
    const before = sysv("id:3:initdefault:\nl6:6:wait:/x");
    const after = sysv("id:3:initdefault:\nab:2:once:/y\nl6:6:wait:/x");
    const old = [diag("IT002", before.source.length, before.source.length, "error", "line 2")];
    const now = [diag("IT002", after.source.length, after.source.length, "error", "line 3")];
    expect(newErrors(before, old, after, now)).toEqual([]);
    const moved = sysv("id:3:initdefault:\nl6:6:wait:/x\nab:2:once:/y");
    expect(newErrors(before, old, moved, [diag("IT002", moved.source.length, moved.source.length)])).toHaveLength(1);
  });

  it("a file-level error (empty span at 0) is the same error after any edit", () => {
    const before = sysv("");
    const after = sysv("x:2:once:/x\n");
    expect(newErrors(before, [diag("IT019", 0, 0)], after, [diag("IT019", 0, 0)])).toEqual([]);
    expect(newErrors(before, [], after, [diag("IT019", 0, 0)])).toHaveLength(1);
  });
});

describe("gateEdit", () => {
  it("runs the checker on both documents with the caller's options", () => {
    const seen: unknown[] = [];
    const check: CheckFn = (doc, options) => {
      seen.push(options);
      return doc.source.includes("bad")
        ? [diag("IT011", doc.source.indexOf("bad"), doc.source.indexOf("bad") + 3)]
        : [];
    };
    const r = gateEdit(sysv("id:3:initdefault:\n"), sysv("id:3:initdefault:\nbad:2:once:/x\n"), check, {
      allowExec: true,
    });
    expect(r.added.map((d) => d.code)).toEqual(["IT011"]);
    expect(seen).toEqual([{ allowExec: true }, { allowExec: true }]);
  });

  it("with the real validator: an id of 6 bytes is a new error; the same file is clean", () => {
    const before = sysv("id:3:initdefault:\n");
    expect(
      gateEdit(before, sysv("id:3:initdefault:\nabcdef:2:once:/bin/true\n"), undefined).added.map((d) => d.code),
    ).toContain("IT007");
    expect(gateEdit(before, sysv("id:3:initdefault:\nab:2:once:/bin/true\n"), undefined).added).toEqual([]);
  });
});

describe("stoppedEntries (IT034)", () => {
  it("warns for a removed or re-actioned sysvinit entry that runs a process, not for initdefault", () => {
    const before = sysv("id:3:initdefault:\nl0:0:wait:/x\n1:2345:respawn:/sbin/getty tty1\n");
    const after = sysv("1:2345:once:/sbin/getty tty1\n");
    const w = stoppedEntries(before, after);
    expect(w.map((d) => [d.code, d.line])).toEqual([
      ["IT034", 2],
      ["IT034", 3],
    ]);
    expect(w[0]!.message).toMatch(/^the entry is gone/);
    expect(w[1]!.message).toMatch(/^its action changes/);
    // Only the command changed: no stop.
    expect(stoppedEntries(before, sysv("id:3:initdefault:\nl0:0:wait:/y\n1:2345:respawn:/sbin/agetty tty1\n"))).toEqual(
      [],
    );
  });

  it("names the levels where the process may run; not for a new command or runlevels, nor an entry never run", () => {
    const before = sysv("id:3:initdefault:\nT0:23:respawn:/sbin/getty -L ttyS0\nsi::sysinit:/etc/rcS\nx:S:off:\n");
    const [w] = stoppedEntries(before, sysv("id:3:initdefault:\nT0:23:off:/sbin/getty -L ttyS0\n"));
    expect(w!.message).toMatch(/^its action changes from respawn to off: /);
    expect(w!.message).toMatch(/\(runlevels 23\), init stops the process of "T0"/);
    // sysinit has finished once the system is up; an off entry never ran.
    expect(stoppedEntries(before, sysv("id:3:initdefault:\nT0:23:respawn:/sbin/getty -L ttyS0\n"))).toEqual([]);
    // Narrowed runlevels and a new command: the process keeps running.
    const changed = sysv("id:3:initdefault:\nT0:3:respawn:/sbin/agetty ttyS0\nsi::sysinit:/x\nx:S:off:\n");
    expect(stoppedEntries(before, changed)).toEqual([]);
  });

  it("a boot entry may still run in any level: removing it warns", () => {
    const before = sysv("id:3:initdefault:\nb1::boot:/sbin/daemon\n");
    expect(stoppedEntries(before, sysv("id:3:initdefault:\n")).map((d) => d.line)).toEqual([2]);
  });

  it("BusyBox: a removed respawn or askfirst line (TERM); not a once or wait line, nor a moved one", () => {
    const before = parse("tty1::respawn:/bin/sh\n::askfirst:-/bin/sh\n::once:/x\n::wait:/y\n", { dialect: "busybox" });
    const w = stoppedEntries(before, parse("", { dialect: "busybox" }));
    expect(w.map((d) => d.line)).toEqual([1, 2]);
    expect(w[0]!.message).toMatch(/FEATURE_KILL_REMOVED/);
    // The same (terminal, command) pairs in another order and with other actions: nothing stops.
    const moved = parse("::wait:/y\n::askfirst:-/bin/sh\ntty1::once:/bin/sh\n", { dialect: "busybox" });
    expect(stoppedEntries(before, moved)).toEqual([]);
  });
});
