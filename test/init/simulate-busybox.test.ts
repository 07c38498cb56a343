import { describe, expect, it } from "vitest";
import { parse } from "../../src/index.js";
import { simulateInit, ttyPath } from "../../src/init/index.js";

const bb = (text: string) => simulateInit(parse(text, { dialect: "busybox" }));

describe("BusyBox merging of identical (tty, command) pairs", () => {
  it("merges the same tty spelled with and without /dev/, keeping the later line's action", () => {
    const p = bb("tty2::respawn:/sbin/getty 38400 tty2\n/dev/tty2::once:/sbin/getty 38400 tty2\n");
    expect(p.entries.map((e) => [e.line, e.action])).toEqual([[2, "once"]]);
    expect(p.merged).toEqual([{ line: 1, intoLine: 2, intoStart: 37 }]);
  });

  it("does not merge entries whose terminal path exceeds BusyBox's 31-byte buffer", () => {
    const tty = "ttyVERYLONGNAMEDSERIALPORT0";
    expect(ttyPath(tty).length).toBeGreaterThan(31);
    const p = bb(`${tty}::respawn:/bin/sh\n${tty}::respawn:/bin/sh\n`);
    expect(p.entries).toHaveLength(2);
    expect(p.merged).toEqual([]);
  });

  it("drops extra leading slashes the way concat_path_file does", () => {
    expect(ttyPath("//ttyS0")).toBe("/dev/ttyS0");
    expect(ttyPath("/dev/ttyS0")).toBe("/dev/ttyS0");
    expect(ttyPath("")).toBe("");
  });
});
