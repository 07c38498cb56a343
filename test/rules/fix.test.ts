/** The safe fixes: edits on the original bytes, applied until none is left; nothing else changes. */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseBinary } from "../../src/document/index.js";
import { toBinary } from "../../src/base/index.js";
import { checkSet } from "../../src/rules/index.js";
import { compatibleFixes, fixSources } from "../../src/rules/fix.js";

function fix(text: string, dialect = "sysvinit@3.14"): string {
  const path = "/etc/inittab";
  const check = (sources: ReadonlyMap<string, string>) =>
    new Map(
      checkSet({ main: { path, doc: parseBinary(sources.get(path)!, { dialect }) } }).map((r) => [
        r.path,
        r.diagnostics,
      ]),
    );
  return fixSources(new Map([[path, toBinary(text)]]), check).sources.get(path)!;
}

describe("--fix", () => {
  it("applies each safe fix", () => {
    expect(fix("id:3:initdefault:\r\n")).toBe("id:3:initdefault:\n");
    expect(fix("id:3:initdefault:\nx:3:once:/bin/true")).toBe("id:3:initdefault:\nx:3:once:/bin/true\n");
    expect(fix("id:3:initdefault:\nx:3:Once:/bin/true\n")).toBe("id:3:initdefault:\nx:3:once:/bin/true\n");
    expect(fix("id:3:initdefault:\nx:3: once\t:/bin/true\n")).toBe("id:3:initdefault:\nx:3:once:/bin/true\n");
    expect(fix("id:3:initdefault:\nx:2s:wait:/bin/true\n")).toBe("id:3:initdefault:\nx:2S:wait:/bin/true\n");
    expect(fix("::sysinit:/etc/init.d/rcS\r\n# c\r\n::once:/bin/x", "busybox")).toBe(
      "::sysinit:/etc/init.d/rcS\n# c\n::once:/bin/x\n",
    );
  });

  it("resolves fixes that touch the same bytes over several passes", () => {
    // IT011 trims the blanks, then IT012 lower-cases what is left.
    expect(fix("id:3:initdefault:\nx:3: ONCE :/bin/true\r\n")).toBe("id:3:initdefault:\nx:3:once:/bin/true\n");
  });

  it("does not fix what is not safe", () => {
    const text = "id:3:initdefault:\nabcde:3:bogus:/bin/true\n:3:once:/bin/x\n";
    expect(fix(text)).toBe(text);
  });

  it("compatibleFixes takes no two overlapping edits", () => {
    const d = (start: number, end: number) => ({ fix: [{ start, end, text: "x" }] }) as never;
    expect(compatibleFixes([d(0, 3), d(2, 4), d(4, 5)]).count).toBe(2);
  });

  it("changes only bytes inside fixed fields or terminators, and leaves nothing to fix", () => {
    const line = fc.constantFrom(
      "id:3:initdefault:",
      "x1:s:ONCE:/bin/a",
      "x2:3: wait:/bin/b",
      "# Comment",
      "",
      "bad",
      "x3:3:respawn:/sbin/getty tty1",
      "abcde:3:once:/bin/c",
    );
    const file = fc
      .tuple(fc.array(fc.tuple(line, fc.constantFrom("\n", "\r\n")), { maxLength: 6 }), fc.boolean())
      .map(([ls, nl]) => {
        const t = ls.map(([l, e]) => l + e).join("");
        return nl || !t.endsWith("\n") ? t : t.replace(/\r?\n$/, "");
      });
    fc.assert(
      fc.property(file, (text) => {
        const out = fix(text);
        // Same lines, compared without CRs, blanks and case: only those may change.
        const norm = (s: string) => s.replace(/\r/g, "").replace(/[ \t]/g, "").toLowerCase().replace(/\n$/, "");
        expect(norm(out)).toBe(norm(text));
        expect(fix(out)).toBe(out);
      }),
      { numRuns: 150 },
    );
  });
});
