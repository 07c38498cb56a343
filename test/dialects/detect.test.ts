/**
 * `--dialect auto`: every clear case in the corpus goes the right way, and the evidence is
 * weighed as documented in src/dialects/detect.ts.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { detectDialect, type DetectionLine } from "../../src/dialects/detect.js";
import { parse } from "../../src/document/index.js";
import { corpusOf } from "../support/corpus.js";

const detect = (text: string) => parse(text, { dialect: "auto" }).detection;

describe("the corpus", () => {
  // Files under corpus/busybox are BusyBox inittabs, those under corpus/sysvinit sysvinit ones
  // (PROVENANCE.tsv); corpus/other holds other inits and is not counted.
  it.each(["busybox", "sysvinit"] as const)("detects every file in corpus/%s as that init", (family) => {
    const files = corpusOf(family);
    const wrong: string[] = [];
    for (const f of files) {
      const doc = parse(readFileSync(f.path), { dialect: "auto" });
      if (doc.dialect.family !== family)
        wrong.push(`${f.name} -> ${doc.dialect.name}: ${doc.detection.reasons.join("; ")}`);
    }
    expect(wrong).toEqual([]);
    expect(files.length).toBeGreaterThan(30);
  });
});

describe("weighing the evidence", () => {
  const line = (n: number, id: string, runlevels: string, action: string): DetectionLine => ({
    line: n,
    id,
    runlevels,
    action,
    colons: 3,
  });

  it("an action only one init knows decides", () => {
    expect(detect("::askfirst:-/bin/sh\n").dialect.name).toBe("busybox");
    expect(detect("id:2:initdefault:\n").dialect.name).toBe("sysvinit@3.14");
    // sysvinit compares actions ignoring case, BusyBox does not.
    expect(detect("a1:2:ONCE:/bin/true\n").dialect.family).toBe("sysvinit");
  });

  it("an id sysvinit would reject (empty, or over 4 bytes) points to BusyBox", () => {
    const stdout = detect("stdout::sysinit:/usr/src/app/entry.sh\nstdout::respawn:/usr/src/app/run.sh\n");
    expect(stdout.dialect.name).toBe("busybox");
    expect(stdout.reasons[0]).toMatch(/"stdout".*over 4 bytes/);
    expect(detect("::respawn:/sbin/getty 38400 tty1\n").dialect.name).toBe("busybox");
  });

  it("a short tty-shaped id is weak evidence: `tty1` is also a valid sysvinit id", () => {
    // Alone it tips the balance...
    expect(detectDialect([line(1, "tty1", "", "respawn")]).dialect.name).toBe("busybox");
    // ...but a runlevels field, which BusyBox ignores, weighs as much: a tie goes to sysvinit.
    const tie = detectDialect([line(1, "tty1", "2345", "respawn")]);
    expect(tie.dialect.name).toBe("sysvinit@3.14");
    expect(tie.reasons[0]).toMatch(/weigh the same/);
    // A long tty name is strong evidence and outweighs a runlevels field.
    expect(detectDialect([line(1, "ttyS0", "2345", "respawn")]).dialect.name).toBe("busybox");
  });

  it("lists the strongest evidence first, each kind once with its lines", () => {
    const d = detectDialect([
      line(1, "tty1", "", "respawn"),
      line(2, "", "", "respawn"),
      line(3, "", "", "askfirst"),
      ...[4, 5, 6, 7, 8].map((n) => line(n, "", "", "sysinit")),
    ]);
    expect(d.reasons).toEqual([
      'line 3: action "askfirst" exists only in BusyBox',
      "lines 2, 3, 4 and 4 more: empty id (BusyBox's console; sysvinit rejects it)",
      'line 1: id "tty1" is a tty name',
    ]);
  });

  it("says so when there is no evidence, and ignores lines that are not entries", () => {
    const d = detect("# nothing here\n\n::askfirst\n");
    expect(d.dialect.name).toBe("sysvinit@3.14");
    expect(d.reasons).toEqual(["no BusyBox evidence: defaulting to sysvinit"]);
  });
});
