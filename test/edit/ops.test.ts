import { describe, expect, it } from "vitest";
import { InittabError } from "../../src/base/index.js";
import { parse, type Document } from "../../src/document/index.js";
import { toBinary } from "../../src/base/index.js";
import {
  addEntry,
  commentEntry,
  type EditResult,
  removeEntries,
  setFields,
  uncommentEntry,
} from "../../src/edit/index.js";
import { applyEditsBinary } from "../../src/document/index.js";

const SYSV = [
  "# /etc/inittab",
  "id:3:initdefault:",
  "si::sysinit:/etc/init.d/rcS",
  "l0:0:wait:/etc/init.d/rc 0",
  "1:2345:respawn:/sbin/getty 38400 tty1",
  "#T0:23:respawn:/sbin/getty -L ttyS0 9600 vt100",
  "# T1:23:respawn:/sbin/getty -L ttyS1 9600 vt100",
  "# end",
  "",
].join("\n");

const BB = [
  "::sysinit:/etc/init.d/rcS",
  "console::respawn:/sbin/getty -L  console 0 vt100 # GENERIC_SERIAL",
  "tty1::respawn:/sbin/getty 38400 tty1",
  "tty2::askfirst:-/bin/sh",
  "::sysinit:/bin/mount -o remount,rw /",
  "#::sysinit:/sbin/swapon -a",
  "::shutdown:/bin/umount -a -r",
  "",
].join("\n");

const sysv = (s = SYSV): Document => parse(s, { dialect: "sysvinit" });
const bb = (s = BB): Document => parse(s, { dialect: "busybox" });

/** The result's bytes as a string (test inputs are ASCII or checked as binary). */
function apply(doc: Document, r: EditResult): string {
  return applyEditsBinary(doc.source, r.edits);
}

function refusal(fn: () => unknown): InittabError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InittabError) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}

describe("addEntry", () => {
  it("adds after the last entry by default, with the file's terminator", () => {
    const doc = sysv();
    const r = addEntry(doc, "ab:2:respawn:/bin/x");
    expect(r.changed).toBe(true);
    expect(r.message).toBe("added ab after 1");
    expect(apply(doc, r)).toBe(SYSV.replace("tty1\n", "tty1\nab:2:respawn:/bin/x\n"));
  });

  it("places before/after an entry, or before the first entry", () => {
    const doc = sysv();
    expect(apply(doc, addEntry(doc, "ab:2:once:/x", { after: "id" }))).toBe(
      SYSV.replace("initdefault:\n", "initdefault:\nab:2:once:/x\n"),
    );
    expect(apply(doc, addEntry(doc, "ab:2:once:/x", { before: "l0" }))).toBe(SYSV.replace("l0:", "ab:2:once:/x\nl0:"));
    const first = addEntry(doc, "ab:2:once:/x", { first: true });
    expect(first.message).toBe("added ab before the first entry");
    expect(apply(doc, first)).toBe(SYSV.replace("id:3", "ab:2:once:/x\nid:3"));
    expect(refusal(() => addEntry(doc, "ab:2:once:/x", { after: "zz" })).code).toBe("no-such-entry");
    expect(refusal(() => addEntry(doc, "ab:2:once:/x", { after: "id", first: true })).code).toMatch(
      /^invalid-(?:option|entry)$/,
    );
  });

  it("an identical entry changes nothing; another entry with the id is refused unless replace", () => {
    const doc = sysv();
    const same = addEntry(doc, "l0:0:wait:/etc/init.d/rc 0", { after: "id" });
    expect(same).toEqual({ changed: false, edits: [], message: "unchanged: l0 (line 4) is already present" });
    const e = refusal(() => addEntry(doc, "l0:06:wait:/etc/init.d/rc 0"));
    expect(e.code).toBe("entry-exists");
    expect(e.code).not.toMatch(/^invalid-/);
    expect(e.message).toContain("`replace`");
    const r = addEntry(doc, "l0:06:wait:/etc/init.d/rc 0", { replace: true, first: true });
    expect(r.message).toBe("replaced l0 on line 4");
    expect(apply(doc, r)).toBe(SYSV.replace("l0:0:", "l0:06:")); // in place, position kept
  });

  it("uses CRLF in a CRLF file, and gives a last line without newline its terminator first", () => {
    const crlf = sysv("id:3:initdefault:\r\nl0:0:wait:/x\r\n");
    expect(apply(crlf, addEntry(crlf, "ab:2:once:/y"))).toBe("id:3:initdefault:\r\nl0:0:wait:/x\r\nab:2:once:/y\r\n");
    const nonl = sysv("id:3:initdefault:\nl0:0:wait:/x");
    expect(apply(nonl, addEntry(nonl, "ab:2:once:/y"))).toBe("id:3:initdefault:\nl0:0:wait:/x\nab:2:once:/y\n");
    const empty = sysv("");
    expect(apply(empty, addEntry(empty, "id:3:initdefault:"))).toBe("id:3:initdefault:\n");
    const onlyComment = sysv("# nothing yet");
    expect(apply(onlyComment, addEntry(onlyComment, "id:3:initdefault:", { first: true }))).toBe(
      "# nothing yet\nid:3:initdefault:\n",
    );
  });

  it("keeps every other byte, invalid UTF-8 and stray CRs included", () => {
    const src = Buffer.concat([
      Buffer.from("# caf\xe9 \xff\n", "latin1"),
      Buffer.from("id:3:initdefault:\r\nl0:0:wait:/x \x1b\n", "latin1"),
    ]);
    const doc = parse(src, { dialect: "sysvinit" });
    const out = apply(doc, addEntry(doc, "zz:2:once:/é"));
    expect(out).toBe(`${toBinary(src)}${toBinary("zz:2:once:/é")}\n`);
  });

  it("refuses text that is not one entry line (exit 2)", () => {
    const doc = sysv();
    for (const [text, why] of [
      ["ab:2:once:/x\nzz:2:once:/y", /line feed/],
      ["ab:2:once:/x\r", /carriage return/],
      ["ab:2:once:/x\0", /NUL/],
      ["ab:2:once", /not an entry: missing process field/],
      ["# ab:2:once:/x", /comment/],
    ] as const) {
      const e = refusal(() => addEntry(doc, text));
      expect(e.code).toMatch(/^invalid-(?:option|entry)$/);
      expect(e.message).toMatch(why);
    }
  });

  it("escapes control characters of the file and the text in messages", () => {
    const doc = sysv("a\x1b:2:once:/x\n");
    const e = refusal(() => addEntry(doc, "a\x1b:3:once:/x"));
    expect(e.message).toContain("a\\x1b");
    expect(e.message).not.toContain("\x1b");
  });

  it("BusyBox: identical (tty, command) is the same entry; two respawners on one tty are one slot", () => {
    const doc = bb();
    expect(addEntry(doc, "tty1::respawn:/sbin/getty 38400 tty1").changed).toBe(false);
    // /dev/ is optional in the tty: the same tty.
    expect(refusal(() => addEntry(doc, "/dev/tty1::respawn:/sbin/getty 115200 tty1")).code).toBe("entry-exists");
    // Another run-once command on the console is a new entry, not a conflict.
    const r = addEntry(doc, "::sysinit:/bin/hostname -F /etc/hostname", { after: { action: "sysinit", match: "rcS" } });
    expect(apply(doc, r)).toBe(BB.replace("rcS\n", "rcS\n::sysinit:/bin/hostname -F /etc/hostname\n"));
    expect(r.message).toBe("added ::sysinit after ::sysinit");
  });

  it("BusyBox: a trailing backslash would swallow the next line: refused", () => {
    const doc = bb();
    expect(refusal(() => addEntry(doc, "tty3::respawn:/bin/sh \\", { first: true })).message).toMatch(/one line/);
  });

  it("BusyBox: replace the GENERIC_SERIAL line, found by its marker, keeping it repeatable", () => {
    const doc = bb();
    const line = "ttyS0::respawn:/sbin/getty -L ttyS0 115200 vt100 # GENERIC_SERIAL";
    const r = addEntry(doc, line, { replace: true, target: { match: "# GENERIC_SERIAL" } });
    const out = apply(doc, r);
    expect(out).toBe(BB.replace(/^console::respawn.*$/m, line));
    const again = addEntry(bb(out), line, { replace: true, target: { match: "# GENERIC_SERIAL" } });
    expect(again.changed).toBe(false);
  });

  it("replace with a target: a commented-out placeholder becomes the entry where it is", () => {
    const doc = sysv();
    const r = addEntry(doc, "T0:2345:respawn:/sbin/getty -L ttyS0 115200 vt100", {
      replace: true,
      target: { match: "ttyS0 9600" },
    });
    expect(r.message).toBe("replaced the commented-out line 6 with T0");
    const out = apply(doc, r);
    expect(out).toBe(
      SYSV.replace(
        "#T0:23:respawn:/sbin/getty -L ttyS0 9600 vt100",
        "T0:2345:respawn:/sbin/getty -L ttyS0 115200 vt100",
      ),
    );
    // Again: the target no longer matches, the id's slot holds the same entry.
    expect(
      addEntry(sysv(out), "T0:2345:respawn:/sbin/getty -L ttyS0 115200 vt100", {
        replace: true,
        target: { match: "ttyS0 9600" },
      }).changed,
    ).toBe(false);
    // Without replace the placeholder is left alone and the entry is added.
    expect(apply(doc, addEntry(doc, "T0:2345:respawn:/x", { target: { match: "ttyS0 9600" } }))).toContain(
      "tty1\nT0:2345:respawn:/x\n#T0:",
    );
    expect(refusal(() => addEntry(doc, "T9:2:once:/x", { replace: true, target: { match: "getty -L" } })).code).toBe(
      "ambiguous-selector",
    );
  });

  it("sysvinit: refuses to create a duplicate id through a replace target", () => {
    const doc = sysv();
    expect(refusal(() => addEntry(doc, "l0:2:once:/x", { replace: true, target: { match: "getty" } })).message).toMatch(
      /already used on line 4/,
    );
  });
});

describe("setFields", () => {
  it("changes only the named fields' bytes", () => {
    const doc = sysv();
    const r = setFields(doc, "1", { runlevels: "23", process: "/sbin/agetty tty1 linux" });
    expect(r.edits).toHaveLength(2);
    expect(r.message).toBe("set runlevels, process of 1 (line 5)");
    expect(apply(doc, r)).toBe(
      SYSV.replace("1:2345:respawn:/sbin/getty 38400 tty1", "1:23:respawn:/sbin/agetty tty1 linux"),
    );
    for (const e of r.edits) expect(e.start).toBeGreaterThanOrEqual(doc.lines[4]!.start);
  });

  it("a value the entry already has is no change; setting it twice equals once", () => {
    const doc = sysv();
    expect(setFields(doc, "1", { action: "respawn" }).changed).toBe(false);
    const once = apply(doc, setFields(doc, "1", { action: "once" }));
    expect(setFields(sysv(once), "1", { action: "once" }).changed).toBe(false);
  });

  it("fills an empty field and changes the id", () => {
    const doc = sysv();
    expect(apply(doc, setFields(doc, "si", { runlevels: "S" }))).toBe(SYSV.replace("si::sysinit", "si:S:sysinit"));
    expect(apply(doc, setFields(doc, "l0", { id: "rc0" }))).toBe(SYSV.replace("l0:0:", "rc0:0:"));
    expect(refusal(() => setFields(doc, "l0", { id: "si" })).code).toBe("entry-exists");
  });

  it("refuses a value init would read differently (a colon in the action, a newline)", () => {
    const doc = sysv();
    const e = refusal(() => setFields(doc, "l0", { action: "wait:x" }));
    expect(e.code).toMatch(/^invalid-(?:option|entry)$/);
    expect(e.message).toMatch(/would not read back as given: init would read the action as "wait"/);
    expect(refusal(() => setFields(doc, "l0", { process: "a\nb" })).code).toMatch(/^invalid-(?:option|entry)$/);
    // A colon in the command is fine: the process runs to the end of the line.
    expect(apply(doc, setFields(doc, "l0", { process: "/bin/sh -c 'a:b'" }))).toContain("l0:0:wait:/bin/sh -c 'a:b'\n");
  });

  it("needs exactly one entry", () => {
    expect(refusal(() => setFields(sysv(), "zz", { action: "once" })).code).toBe("no-such-entry");
    const e = refusal(() => setFields(bb(), { action: "sysinit" }, { runlevels: "" }));
    expect(e.code).toBe("ambiguous-selector");
    expect(e.message).toMatch(/matches 2 entries \(lines 1, 5\)/);
  });

  it("BusyBox: keeps the blanks and the comment after the command; addressed by tty", () => {
    const doc = bb();
    const r = setFields(
      doc,
      { match: "GENERIC_SERIAL" },
      { id: "ttyS0", process: "/sbin/getty -L ttyS0 115200 vt100" },
    );
    expect(apply(doc, r)).toContain("\nttyS0::respawn:/sbin/getty -L ttyS0 115200 vt100 # GENERIC_SERIAL\n");
    expect(
      setFields(bb(apply(doc, r)), { tty: "/dev/ttyS0" }, { process: "/sbin/getty -L ttyS0 115200 vt100" }).changed,
    ).toBe(false);
    // `#` ends a BusyBox line: such a command would not read back.
    expect(refusal(() => setFields(doc, { tty: "tty1" }, { process: "/bin/a # b" })).code).toMatch(
      /^invalid-(?:option|entry)$/,
    );
  });

  it("--tty is for BusyBox only", () => {
    expect(refusal(() => setFields(sysv(), { tty: "tty1" }, { action: "once" })).message).toMatch(
      /addressed by their id/,
    );
  });
});

describe("removeEntries", () => {
  it("removes whole lines with their terminators; absent ids are no change", () => {
    const doc = sysv();
    const r = removeEntries(doc, ["l0", "1", "zz"]);
    expect(r.message).toBe("removed l0 (line 4), 1 (line 5)");
    expect(apply(doc, r)).toBe(SYSV.replace("l0:0:wait:/etc/init.d/rc 0\n1:2345:respawn:/sbin/getty 38400 tty1\n", ""));
    expect(removeEntries(sysv(apply(doc, r)), ["l0", "1"]).changed).toBe(false);
  });

  it("removes a last line without newline and keeps the previous terminator", () => {
    const doc = sysv("id:3:initdefault:\r\nl0:0:wait:/x");
    expect(apply(doc, removeEntries(doc, "l0"))).toBe("id:3:initdefault:\r\n");
  });

  it("BusyBox: every entry the selector picks (a line with a continuation goes whole)", () => {
    const src = "::sysinit:/a\ntty1::respawn:/bin/x \\\n  --long-option\n::shutdown:/b\n";
    const doc = bb(src);
    expect(apply(doc, removeEntries(doc, { tty: "tty1" }))).toBe("::sysinit:/a\n::shutdown:/b\n");
    expect(apply(bb(), removeEntries(bb(), { match: "remount,rw /" }))).toBe(
      BB.replace("::sysinit:/bin/mount -o remount,rw /\n", ""),
    );
  });
});

describe("commentEntry / uncommentEntry", () => {
  it("comments with a # before the first non-blank byte and round-trips", () => {
    const src = "id:3:initdefault:\n  l0:0:wait:/x\n";
    const doc = sysv(src);
    const commented = apply(doc, commentEntry(doc, "l0"));
    expect(commented).toBe("id:3:initdefault:\n  #l0:0:wait:/x\n");
    const d2 = sysv(commented);
    expect(commentEntry(d2, "l0")).toMatchObject({
      changed: false,
      message: "unchanged: l0 (line 2) already commented out",
    });
    const back = uncommentEntry(d2, "l0");
    expect(back.message).toBe("uncommented l0 (line 2)");
    expect(apply(d2, back)).toBe(src);
  });

  it("uncomments the usual forms: #T0 and # T1", () => {
    const doc = sysv();
    expect(apply(doc, uncommentEntry(doc, "T0"))).toBe(SYSV.replace("#T0:", "T0:"));
    expect(apply(doc, uncommentEntry(doc, "T1"))).toBe(SYSV.replace("# T1:", "T1:"));
    expect(apply(doc, uncommentEntry(doc, { match: "getty -L" }))).toBe(
      SYSV.replace("#T0:", "T0:").replace("# T1:", "T1:"),
    );
  });

  it("uncommenting an active entry is no change; nothing to act on is refused", () => {
    const doc = sysv();
    expect(uncommentEntry(doc, "l0").changed).toBe(false);
    expect(refusal(() => uncommentEntry(doc, "zz")).code).toBe("no-such-entry");
    expect(refusal(() => commentEntry(doc, "zz")).code).toBe("no-such-entry");
    // "# end" and "# /etc/inittab" are prose, never entries.
    expect(refusal(() => uncommentEntry(doc, { match: "end" })).code).toBe("no-such-entry");
  });

  it("refuses to uncomment into a clash with an active entry of that id", () => {
    const doc = sysv("T0:2:respawn:/sbin/getty tty0\n#T0:23:respawn:/sbin/getty -L ttyS0 9600 vt100\n");
    expect(refusal(() => uncommentEntry(doc, { match: "ttyS0" })).code).toBe("entry-exists");
  });

  it("BusyBox: the Buildroot remount toggle, both ways, repeatable", () => {
    const doc = bb();
    const off = apply(doc, commentEntry(doc, { match: "remount,rw /" }));
    expect(off).toBe(BB.replace("::sysinit:/bin/mount -o remount,rw /", "#::sysinit:/bin/mount -o remount,rw /"));
    expect(commentEntry(bb(off), { match: "remount,rw /" }).changed).toBe(false);
    const on = apply(bb(off), uncommentEntry(bb(off), { match: "remount,rw /" }));
    expect(on).toBe(BB);
    expect(uncommentEntry(bb(on), { match: "remount,rw /" }).changed).toBe(false);
    expect(apply(doc, uncommentEntry(doc, { match: "swapon" }))).toBe(
      BB.replace("#::sysinit:/sbin/swapon", "::sysinit:/sbin/swapon"),
    );
  });

  it("BusyBox: a commented line with a continuation comes back whole", () => {
    const src = "::sysinit:/a\ntty1::respawn:/bin/x \\\n  --opt\n::shutdown:/b\n";
    const doc = bb(src);
    const off = apply(doc, commentEntry(doc, { tty: "tty1" }));
    expect(off).toBe("::sysinit:/a\n#tty1::respawn:/bin/x \\\n  --opt\n::shutdown:/b\n");
    expect(apply(bb(off), uncommentEntry(bb(off), { tty: "tty1" }))).toBe(src);
  });
});

describe("set on BusyBox: no move into another entry's slot (review regression)", () => {
  it("refuses a rename onto a tty whose slot is taken (add refuses the same); a rename to a free tty repeats as unchanged", () => {
    // Found by the property test (seed 2113549265): tty1::respawn renamed to /dev/tty2, next to
    // tty2::askfirst, gave two respawning programs on one tty, and the second run said "no entry".
    const doc = bb();
    const e = refusal(() => setFields(doc, { tty: "tty1", action: "respawn" }, { id: "/dev/tty2" }));
    expect(e.code).toBe("entry-exists");
    expect(e.message).toMatch(/^\/dev\/tty2::respawn would take the slot of tty2::askfirst \(line 4\)/);
    // As add does for the same line.
    expect(refusal(() => addEntry(doc, "/dev/tty2::respawn:/sbin/getty 38400 tty1")).code).toBe("entry-exists");
    // Two entries with the same tty and command (BusyBox merges them) likewise.
    expect(refusal(() => setFields(doc, { tty: "", match: "remount" }, { process: "/etc/init.d/rcS" })).code).toBe(
      "entry-exists",
    );
    // A free tty: done, and the same command again is unchanged.
    const r = setFields(doc, { tty: "tty1", action: "respawn" }, { id: "tty3" });
    expect(r.changed).toBe(true);
    const after = bb(apply(doc, r));
    expect(setFields(after, { tty: "tty1", action: "respawn" }, { id: "tty3" }).changed).toBe(false);
    // An entry already sharing a slot may still be edited otherwise (the clash is not new).
    const two = bb("tty1::respawn:/sbin/getty tty1\ntty1::askfirst:-/bin/sh\n");
    expect(setFields(two, { tty: "tty1", action: "askfirst" }, { process: "-/bin/ash" }).changed).toBe(true);
  });
});
