/** The text format's code frame: a very long line is shown as a window around the span. */
import { describe, expect, it } from "vitest";
import { codeFrame } from "../../src/report/text.js";
import { checkAll } from "../rules/support.js";

function frames(text: string, dialect = "sysvinit@3.14"): Array<{ code: string; frame: string }> {
  const [report] = checkAll(text, { dialect });
  const file = {
    path: "/etc/inittab",
    display: "/etc/inittab",
    dialect,
    detection: ["given"],
    doc: report!.doc,
    diagnostics: report!.diagnostics,
  };
  return report!.diagnostics.map((d) => ({ code: d.code, frame: codeFrame(file, d, false) }));
}

describe("code frames", () => {
  it("a short line is shown whole", () => {
    const [f] = frames("id:3:initdefault:\n~~:S:wait:/sbin/sulogin\nab:3:bogus:/x\n").filter((x) => x.code === "IT011");
    expect(f!.frame).toBe("  3 | ab:3:bogus:/x\n    |      ^^^^^\n");
  });

  it("a 100 kB line is clipped to a window around the span, carets still under it", () => {
    const text = `id:3:initdefault:\n~~:S:wait:/sbin/sulogin\nab:3:once:/bin/echo ${"x".repeat(100_000)}zz\n`;
    const [f] = frames(text).filter((x) => x.code === "IT001");
    const [shown, carets] = f!.frame.split("\n");
    expect(shown!.length).toBeLessThan(300);
    expect(shown).toMatch(/^ {2}3 \| …x+…$/);
    // The span starts at byte 254 of the line: 60 bytes of context after the "…".
    expect(carets!.indexOf("^") - "  3 | ".length).toBe(61);
  });

  it("the start of a long line needs no leading ellipsis", () => {
    const text = `id:3:initdefault:\n~~:S:wait:/sbin/sulogin\nabcde:3:once:/bin/echo ${"x".repeat(1000)}\n`;
    const f = frames(text, "sysvinit@3.06").find((x) => x.code === "IT007")!;
    expect(f.frame.split("\n")[0]).toMatch(/^ {2}3 \| abcde:3:once:\/bin\/echo x+…$/);
    expect(f.frame.split("\n")[1]).toBe("    | ^^^^^");
  });
});
