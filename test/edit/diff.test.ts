import { describe, expect, it } from "vitest";
import { resolve } from "node:path";
import { diffLabel, escapeDiff, unifiedDiff } from "../../src/edit/index.js";

describe("unifiedDiff", () => {
  it("is empty for equal bytes and starts at --- otherwise", () => {
    const a = Buffer.from("a\nb\n");
    expect(unifiedDiff(a, a, "etc/inittab")).toBe("");
    expect(unifiedDiff(a, Buffer.from("a\nc\n"), "etc/inittab")).toBe(
      "--- a/etc/inittab\n+++ b/etc/inittab\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n",
    );
  });

  it("keeps the bytes: CR and invalid UTF-8 are in the patch as they are in the file", () => {
    const d = unifiedDiff(Buffer.from("x\r\n\xff\n", "latin1"), Buffer.from("x\r\n\xfe\n", "latin1"), "f");
    expect(d).toContain(" x\r\n-\xff\n+\xfe\n");
    expect(escapeDiff(d)).toContain(" x\\r\n-\\xff\n+\\xfe\n");
  });
});

describe("diffLabel", () => {
  it.each([
    ["etc/inittab", undefined, "etc/inittab"],
    ["./etc/inittab", undefined, "etc/inittab"],
    ["/etc/inittab", undefined, "etc/inittab"],
    ["/img/etc/inittab", "/img", "etc/inittab"],
    ["/elsewhere/inittab", "/img", "elsewhere/inittab"],
    // git apply and patch refuse "a/../x": a path that climbs out is named absolutely.
    ["../x/inittab", undefined, resolve("../x/inittab").slice(1)],
    ["etc/../../inittab", undefined, resolve("../inittab").slice(1)],
  ])("%s (root %s) → %s", (file, root, label) => {
    expect(diffLabel(file, root)).toBe(label);
  });
});
