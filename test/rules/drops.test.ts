/**
 * `dropped` comes from the simulator alone. For any input: every line the simulator says init
 * drops is explained by exactly one dropped diagnostic, from a specific rule (never the IT000
 * fallback), and no other diagnostic is dropped.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parse } from "../../src/document/index.js";
import { checkSet } from "../../src/rules/index.js";
import { simulateInit } from "../../src/init/index.js";
import { settleDrops } from "../../src/rules/drops.js";
import { makeReporter, type CheckContext, type CheckedFile } from "../../src/rules/context.js";
import { buildView } from "../../src/document/index.js";
import { CheckIndex } from "../../src/rules/lookup.js";
import { BASE, diagnostics } from "./support.js";

const ids = ["a", "ab", "abcd", "abcde", "~~", "", " x", "l0"];
const runlevels = ["", "3", "s", "S", "012345678901", "2345", "#", "06"];
const actions = [
  "once",
  "ONCE",
  " once",
  "bogus",
  "exec",
  "initdefault",
  "respawn",
  "wait",
  "off",
  "sysinit",
  "askfirst",
  "restart",
  "x".repeat(33),
  "",
];
const processes = [
  "/bin/true",
  "",
  "/bin/echo a # b",
  `/bin/${"x".repeat(130)}`,
  "a; b",
  "+@/bin/x",
  " /bin/y",
  "/bin/tr\0ue",
];
const lineEnds = ["\n", "\n", "\n", "\r\n"];

const field = (pool: string[]) => fc.constantFrom(...pool);
const entryLine = fc
  .tuple(field(ids), field(runlevels), field(actions), field(processes), fc.integer({ min: 0, max: 4 }))
  .map(([id, rl, action, proc, colons]) => [id, rl, action, proc].slice(0, Math.max(1, colons)).join(":"));
const oddLine = fc.constantFrom(
  "# comment",
  "  # indented",
  "",
  "  ",
  "\r",
  "a\0b",
  "tty1::respawn:/sbin/getty 38400 tty1",
  `zz:3:once:/bin/echo ${"y".repeat(250)}`,
  `# ${"c".repeat(300)}`,
);
const fileArb = fc
  .tuple(fc.array(fc.tuple(fc.oneof(entryLine, oddLine), field(lineEnds)), { maxLength: 8 }), fc.boolean())
  .map(([lines, finalNewline]) => {
    let text = lines.map(([l, e]) => l + e).join("");
    if (!finalNewline && text.endsWith("\n")) text = text.slice(0, -1);
    return text;
  });

function agreesWithSimulator(text: string, dialect: string, allowExec: boolean): void {
  const doc = parse(text, { dialect });
  const sim = simulateInit(doc, { allowExec });
  const [report] = checkSet({ main: { path: "/etc/inittab", doc } }, { allowExec });
  const ds = report!.diagnostics;
  expect(
    ds.filter((d) => d.code === "IT000"),
    `IT000 for ${JSON.stringify(text)}`,
  ).toEqual([]);
  const dropped = ds.filter((d) => d.dropped);
  expect(dropped.length, JSON.stringify(text)).toBe(sim.dropped.length);
  for (const drop of sim.dropped) {
    const inside = dropped.filter((d) => d.start >= drop.start && d.start <= drop.end);
    expect(inside.length, `${JSON.stringify(text)}: ${drop.message}`).toBeGreaterThanOrEqual(1);
  }
}

describe("dropped agrees with the simulator", () => {
  for (const dialect of ["sysvinit@3.14", "sysvinit@3.06", "sysvinit@2.88", "busybox"]) {
    it(`${dialect}: every drop has a specific explanation`, () => {
      fc.assert(
        fc.property(fileArb, fc.boolean(), (text, allowExec) => agreesWithSimulator(text, dialect, allowExec)),
        { numRuns: 400 },
      );
    });
  }
});

describe("IT000, the fallback", () => {
  it("reports a drop no rule explained, as dropped", () => {
    const doc = parse("a1:3:once:/bin/true\n", { dialect: "sysvinit@3.14" });
    const view = buildView(doc, "inittab");
    const file: CheckedFile = { path: "/etc/inittab", doc, role: "inittab", view, parsed: view, diagnostics: [] };
    const sim = simulateInit(doc);
    // A drop the rules did not see (as if the simulator knew more than the rules).
    sim.dropped.push({
      line: 1,
      endLine: 1,
      initLine: 1,
      message: "/etc/inittab[1]: something new",
      cause: "bad-entry",
      start: 0,
      end: 20,
    });
    const ctx = {
      main: file,
      tabs: [],
      sim,
      index: new CheckIndex(sim),
      report: makeReporter(),
    } as unknown as CheckContext;
    settleDrops(ctx);
    expect(file.diagnostics.map((d) => [d.code, d.dropped, d.line])).toEqual([["IT000", true, 1]]);
    expect(file.diagnostics[0]!.message).toContain("something new");
  });

  it("is not reported when a rule explains the drop", () => {
    expect(diagnostics(`${BASE}abcde:3:once:/bin/true\n`).map((d) => d.code)).not.toContain("IT000");
  });
});

describe("init's reading, by version", () => {
  // A 291-byte line; <= 3.13 runs its tail as an entry of its own.
  const tail = "zz:3:once:/bin/echo CONTINUATION-RAN";
  const head = "a1:3:once:/bin/echo ";
  const line = head + "x".repeat(291 - head.length - tail.length) + tail;
  const text = `${BASE}${line}\n`;

  it("3.06 splits a long line: the first piece is dropped, the tail is a phantom entry", () => {
    const ds = diagnostics(text, { dialect: "sysvinit@3.06" });
    const it001 = ds.find((d) => d.code === "IT001")!;
    expect(it001.message).toContain("phantom entry");
    expect(it001.message).toContain("CONTINUATION-RAN");
    // The first piece's process is longer than 127 bytes: that is why init drops it.
    expect(ds.find((d) => d.code === "IT013")?.dropped).toBe(true);
    expect(ds.every((d) => d.line === 3 || d.line === 1)).toBe(true);
  });

  it("3.06: a duplicate id in the phantom piece is reported at its column", () => {
    const dup = `${BASE}zz:3:once:/bin/true\n${line}\n`;
    const d = diagnostics(dup, { dialect: "sysvinit@3.06" }).find((x) => x.code === "IT008")!;
    expect(d.dropped).toBe(true);
    expect(d.line).toBe(4);
    expect(d.column).toBe(256);
  });

  it("3.14 drops the whole line and runs no tail", () => {
    const ds = diagnostics(text, { dialect: "sysvinit@3.14" });
    expect(ds.filter((d) => d.dropped).map((d) => d.code)).toEqual(["IT001"]);
    expect(ds.find((d) => d.code === "IT001")!.message).toContain("Possibly too long");
  });

  it("3.14: a NUL hides the newline, so the next line is thrown away too", () => {
    const ds = diagnostics(`${BASE}a1:3:once:/bin/x\0y\nb1:3:once:/bin/true\n`, { dialect: "sysvinit@3.14" });
    const nul = ds.filter((d) => d.code === "IT004");
    expect(nul.map((d) => [d.line, d.dropped])).toEqual([
      [3, true],
      [4, false],
    ]);
  });

  it("3.06: a NUL only cuts the command", () => {
    const ds = diagnostics(`${BASE}a1:3:once:/bin/x\0y\nb1:3:once:/bin/true\n`, { dialect: "sysvinit@3.06" });
    expect(ds.filter((d) => d.code === "IT004").map((d) => [d.line, d.dropped])).toEqual([[3, false]]);
  });

  it("inittab.d: only the first entry line of a .tab counts, and duplicates across files drop the later", () => {
    const reports = checkSet({
      main: { path: "/etc/inittab", doc: parse(`${BASE}m1:3:once:/bin/true\n`, { dialect: "sysvinit@3.14" }) },
      tabs: [{ path: "/etc/inittab.d/a.tab", doc: parse("m1:3:once:/bin/other\n", { dialect: "sysvinit@3.14" }) }],
    });
    const tab = reports.find((r) => r.path === "/etc/inittab.d/a.tab")!;
    const d = tab.diagnostics.find((x) => x.code === "IT008")!;
    expect(d.dropped).toBe(true);
    expect(d.message).toContain("/etc/inittab line 3");
  });
});
