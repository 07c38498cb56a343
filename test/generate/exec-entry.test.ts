import { describe, expect, it } from "vitest";
import { InittabError } from "../../src/base/index.js";
import { readFileSync } from "node:fs";
import { bundled } from "../support/corpus.js";
import { SYSVINIT_2_88 } from "../../src/dialects/index.js";
import { isEntry, parse } from "../../src/document/index.js";
import { addExecEntry, type ExecEntryOptions } from "../../src/generate/index.js";
import { applyEdits } from "../../src/document/index.js";

const DEBIAN = [
  "id:2:initdefault:",
  "si::sysinit:/etc/init.d/rcS",
  "l0:0:wait:/etc/init.d/rc 0",
  "l1:1:wait:/etc/init.d/rc 1",
  "l6:6:wait:/etc/init.d/rc 6",
  "1:2345:respawn:/sbin/getty 38400 tty1",
  "",
].join("\n");

const DEINIT: ExecEntryOptions = { program: "/lib/deinitramfs/deinit", args: ["/sbin/halt", "-dhp"], allowExec: true };

function add(text: string, options: Partial<ExecEntryOptions> = {}, dialect = "sysvinit") {
  return addExecEntry(parse(text, { dialect }), { ...DEINIT, ...options });
}

function textOf(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("latin1");
}

describe("addExecEntry", () => {
  it("adds the bug's entry right after the level's waited-for rc entry", () => {
    const r = add(DEBIAN);
    expect(r.status).toBe("added");
    if (r.status !== "added") return;
    const out = textOf(r.bytes).split("\n");
    expect(out.indexOf("l0u:0:exec:/lib/deinitramfs/deinit /sbin/halt -dhp")).toBe(
      out.indexOf("l0:0:wait:/etc/init.d/rc 0") + 1,
    );
    // Nothing else moved: removing the new line gives the original back.
    expect(out.filter((l) => !l.startsWith("l0u:")).join("\n")).toBe(DEBIAN);
    expect(r.after).toEqual({ line: 3, id: "l0" });
    // The result equals the original with the returned edits applied.
    expect(textOf(applyEdits(Buffer.from(DEBIAN, "latin1"), r.edits))).toBe(textOf(r.bytes));
  });

  it("goes after the last waited-for entry of the level, and uses 6 for reboot", () => {
    const text = [
      "l6u:6:wait:/sbin/telinit u",
      "l6:6:wait:/sbin/openrc reboot",
      "l6r:6:wait:/sbin/reboot -dk",
      "x:6:once:/bin/late",
      "",
    ].join("\n");
    const r = add(text, { runlevel: "6" });
    if (r.status !== "added") throw new Error(r.status);
    const out = textOf(r.bytes).split("\n");
    expect(out[3]).toMatch(/^[^:]+:6:exec:\/lib\/deinitramfs\/deinit \/sbin\/halt -dhp$/);
  });

  it("is idempotent: an identical exec entry is 'unchanged'", () => {
    const first = add(DEBIAN);
    if (first.status !== "added") throw new Error(first.status);
    const again = add(textOf(first.bytes));
    expect(again).toEqual({ status: "unchanged", line: 4, id: "l0u" });
  });

  it("chooses another free id when l0u is taken (Gentoo runs `telinit u` as l0u)", () => {
    const gentoo = readFileSync(bundled("sysvinit/etc-danil.inittab"));
    const doc = parse(gentoo, { dialect: "sysvinit" });
    const ids = new Set(doc.lines.filter(isEntry).map((e) => e.fields.id.value));
    expect(ids.has("l0u")).toBe(true);
    const r = addExecEntry(doc, DEINIT);
    if (r.status !== "added") throw new Error(r.status);
    expect(ids.has(r.id)).toBe(false);
    expect(r.id.length).toBeLessThanOrEqual(4);
    // After l0s (openrc's halt.sh), the last waited-for entry of runlevel 0.
    const out = textOf(r.bytes).split("\n");
    const at = out.findIndex((l) => l.startsWith(`${r.id}:`));
    expect(out[at - 1]).toMatch(/^l0s:0:wait:/);
  });

  it("does not take an id that a commented-out entry uses", () => {
    const r = add(`${DEBIAN}#l0u:0:exec:/old/deinit\n`);
    if (r.status !== "added") throw new Error(r.status);
    expect(r.id).not.toBe("l0u");
  });

  it("adds a newline first after a last line without one (an init before 3.14 reads that line)", () => {
    const r = add("id:2:initdefault:\nl0:0:wait:/etc/init.d/rc 0", {}, "sysvinit@3.06");
    if (r.status !== "added") throw new Error(r.status);
    expect(textOf(r.bytes)).toBe(
      "id:2:initdefault:\nl0:0:wait:/etc/init.d/rc 0\nl0u:0:exec:/lib/deinitramfs/deinit /sbin/halt -dhp\n",
    );
  });

  it("refuses stock sysvinit without allowExec, saying why (exit 1)", () => {
    const err = (() => {
      try {
        add(DEBIAN, { allowExec: false });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(InittabError);
    expect((err as InittabError).code).toBe("not-applicable");
    expect((err as Error).message).toMatch(/unknown action field/);
  });

  it("refuses BusyBox even with allowExec, pointing to its restart action", () => {
    expect(() => add("::sysinit:/etc/init.d/rcS\n::shutdown:/bin/umount -a -r\n", {}, "busybox")).toThrow(/restart/);
  });

  it("refuses a file without a waited-for entry in the level", () => {
    expect(() => add("id:2:initdefault:\nl0:0:once:/etc/init.d/rc 0\n")).toThrow(/no waited-for entry/);
    // 3.14 drops a last line without a newline: the rc entry is not there for init.
    expect(() => add("id:2:initdefault:\nl0:0:wait:/etc/init.d/rc 0")).toThrow(/init skips 1 line/);
  });

  it("refuses a different exec entry for the level, and one placed before the rc entry", () => {
    expect(() => add(`${DEBIAN}zz:0:exec:/other/deinit\n`)).toThrow(/already has an exec entry/);
    const before = DEBIAN.replace("l0:0:wait", "l0u:0:exec:/lib/deinitramfs/deinit /sbin/halt -dhp\nl0:0:wait");
    expect(() => add(before)).toThrow(/before the waited-for entry/);
  });

  it("refuses unusable programs and arguments with exit 2", () => {
    for (const [opts, re] of [
      [{ program: "deinit" }, /absolute path/],
      [{ program: "/bin/a b" }, /blank/],
      [{ args: ["two words"] }, /blank/],
      [{ args: ["#x"] }, /'#'/],
      [{ args: ["a\nb"] }, /control character/],
      [{ args: [""] }, /empty/],
      [{ args: Array.from({ length: 14 }, (_, i) => `a${i}`) }, /15 words/],
    ] as const) {
      try {
        add(DEBIAN, opts);
        expect.unreachable(JSON.stringify(opts));
      } catch (e) {
        expect(e).toBeInstanceOf(InittabError);
        expect((e as InittabError).code).toMatch(/^invalid-(?:option|entry)$/);
        expect((e as Error).message).toMatch(re);
      }
    }
  });

  it("respects the dialect's process and line limits", () => {
    const doc = parse(DEBIAN, { dialect: SYSVINIT_2_88 });
    expect(() => addExecEntry(doc, { ...DEINIT, args: ["x".repeat(130)] })).toThrow(/at most 127/);
    expect(() => add(DEBIAN, { args: ["x".repeat(250)] })).toThrow(/at most 254/);
  });

  it("notes that a command with shell metacharacters goes through /bin/sh", () => {
    const r = add(DEBIAN, { args: ["--opt=1"] });
    if (r.status !== "added") throw new Error(r.status);
    expect(r.notes.join()).toMatch(/\/bin\/sh/);
    const plain = add(DEBIAN);
    if (plain.status !== "added") throw new Error(plain.status);
    expect(plain.notes).toEqual([]);
  });
});
