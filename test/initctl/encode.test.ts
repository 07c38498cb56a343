import { describe, expect, it } from "vitest";
import { InittabError } from "../../src/base/index.js";
import { encodeRequest, type InitRequest } from "../../src/initctl/index.js";
import { SYSVINIT_2_88 } from "../../src/dialects/index.js";

/**
 * The captures of docs/internals/initctl.md (telinit's bytes, captured on x86_64): bytes 0-15 as the table
 * prints them, then the union. The "…" of the table stands for the same leading bytes as the
 * `telinit U` row (`69 19 09 03  01 00 00 00`), written out here.
 */
function capture(head: string, data = ""): Uint8Array {
  const bytes = head
    .trim()
    .split(/\s+/)
    .map((h) => parseInt(h, 16));
  expect(bytes).toHaveLength(16);
  const out = new Uint8Array(384);
  out.set(bytes, 0);
  out.set(Buffer.from(data, "latin1"), 16);
  return out;
}

const CAPTURES: Array<{ name: string; request: InitRequest; dialect?: typeof SYSVINIT_2_88; expected: Uint8Array }> = [
  {
    name: "telinit U",
    request: { command: "RUNLVL", runlevel: "U" },
    expected: capture("69 19 09 03  01 00 00 00  55 00 00 00  03 00 00 00"),
  },
  {
    name: "telinit u",
    request: { command: "RUNLVL", runlevel: "u" },
    expected: capture("69 19 09 03  01 00 00 00  75 00 00 00  03 00 00 00"),
  },
  {
    name: "telinit q",
    request: { command: "RUNLVL", runlevel: "q" },
    expected: capture("69 19 09 03  01 00 00 00  71 00 00 00  03 00 00 00"),
  },
  {
    name: "telinit 3",
    request: { command: "RUNLVL", runlevel: "3" },
    expected: capture("69 19 09 03  01 00 00 00  33 00 00 00  03 00 00 00"),
  },
  {
    name: "telinit S",
    request: { command: "RUNLVL", runlevel: "S" },
    expected: capture("69 19 09 03  01 00 00 00  53 00 00 00  03 00 00 00"),
  },
  {
    name: "telinit -t 7 3",
    request: { command: "RUNLVL", runlevel: "3", sleeptime: 7 },
    expected: capture("69 19 09 03  01 00 00 00  33 00 00 00  07 00 00 00"),
  },
  {
    name: "telinit -e INIT_FOO=bar -e INIT_BAZ",
    request: { command: "SETENV", vars: ["INIT_FOO=bar", "INIT_BAZ"] },
    expected: capture("69 19 09 03  06 00 00 00  00 00 00 00  00 00 00 00", "INIT_FOO=bar\0INIT_BAZ\0"),
  },
  {
    // -t is ignored with -e: sleeptime stays 0.
    name: "telinit -t 9 -e INIT_X=1",
    request: { command: "SETENV", vars: ["INIT_X=1"] },
    expected: capture("69 19 09 03  06 00 00 00  00 00 00 00  00 00 00 00", "INIT_X=1\0"),
  },
  {
    name: "telinit U (2.88dsf)",
    request: { command: "RUNLVL", runlevel: "U" },
    dialect: SYSVINIT_2_88,
    expected: capture("69 19 09 03  01 00 00 00  55 00 00 00  05 00 00 00"),
  },
];

describe("encodeRequest matches telinit's captured bytes (docs/internals/initctl.md)", () => {
  for (const c of CAPTURES) {
    it(c.name, () => {
      const bytes = encodeRequest(c.request, { endian: "little", ...(c.dialect ? { dialect: c.dialect } : {}) });
      expect(bytes).toHaveLength(384);
      expect(Buffer.from(bytes).toString("hex")).toBe(Buffer.from(c.expected).toString("hex"));
    });
  }

  it("writes every int in big-endian order when asked (same struct, other host order)", () => {
    const bytes = encodeRequest({ command: "RUNLVL", runlevel: "U" }, { endian: "big" });
    expect(Buffer.from(bytes.subarray(0, 16)).toString("hex")).toBe("03091969" + "00000001" + "00000055" + "00000003");
    expect(bytes.subarray(16).every((b) => b === 0)).toBe(true);
  });

  it("gives power requests telinit's sleeptime (init applies it) and the power command codes", () => {
    const codes = { POWERFAIL: 2, POWERFAILNOW: 3, POWEROK: 4 } as const;
    for (const [command, code] of Object.entries(codes)) {
      const bytes = encodeRequest({ command: command as keyof typeof codes }, { endian: "little" });
      expect([...bytes.subarray(0, 16)]).toEqual([0x69, 0x19, 0x09, 0x03, code, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0]);
    }
  });
});

describe("encodeRequest refuses what telinit refuses", () => {
  it("accepts exactly the characters of telinit's set", () => {
    for (const c of "0123456789SsQqAaBbCcUu") {
      expect(encodeRequest({ command: "RUNLVL", runlevel: c }, { endian: "little" })[8]).toBe(c.charCodeAt(0));
    }
    for (const bad of ["", "X", "N", "d", "UU", "10", "#", "*", " "]) {
      expect(() => encodeRequest({ command: "RUNLVL", runlevel: bad })).toThrow(InittabError);
    }
  });

  it("refuses variable names that init ignores, empty and NUL-carrying variables", () => {
    expect(() => encodeRequest({ command: "SETENV", vars: ["FOO=bar"] })).toThrow(/INIT_/);
    expect(() => encodeRequest({ command: "SETENV", vars: ["XINIT_A=1"] })).toThrow(/INIT_/);
    expect(() => encodeRequest({ command: "SETENV", vars: [""] })).toThrow(InittabError);
    expect(() => encodeRequest({ command: "SETENV", vars: ["INIT_A=\0x"] })).toThrow(/NUL/);
    expect(() => encodeRequest({ command: "SETENV", vars: [] })).toThrow(InittabError);
    // The name ends at the first `=`: a value may contain anything else, including `=`.
    expect(() => encodeRequest({ command: "SETENV", vars: ["INIT_A=B=C"] })).not.toThrow();
  });

  it("fits the variables, their NULs and the final NUL in 368 bytes, and no more", () => {
    // 366 bytes + its NUL + the final NUL = 368: fits exactly.
    const fits = `INIT_A=${"x".repeat(366 - 7)}`;
    const bytes = encodeRequest({ command: "SETENV", vars: [fits] }, { endian: "little" });
    expect(Buffer.from(bytes.subarray(16, 16 + 366)).toString("latin1")).toBe(fits);
    expect(bytes[16 + 366]).toBe(0);
    expect(bytes[16 + 367]).toBe(0);
    expect(() => encodeRequest({ command: "SETENV", vars: [`${fits}x`] })).toThrow(/too large/);
    // Several variables count their NULs: 2 × (182 + 1) + 1 = 367 fits, one byte more does not.
    const v = `INIT_${"y".repeat(177)}`;
    expect(() => encodeRequest({ command: "SETENV", vars: [v, v] })).not.toThrow();
    expect(() => encodeRequest({ command: "SETENV", vars: [v, `${v}yy`] })).toThrow(/too large/);
  });

  it("counts UTF-8 bytes, not characters", () => {
    const bytes = encodeRequest({ command: "SETENV", vars: ["INIT_É=é"] }, { endian: "little" });
    // I N I T _ C3 89 = C3 A9, its NUL, the final NUL: 12 bytes.
    expect([...bytes.subarray(16, 28)]).toEqual([0x49, 0x4e, 0x49, 0x54, 0x5f, 0xc3, 0x89, 0x3d, 0xc3, 0xa9, 0, 0]);
  });

  it("refuses sleeptimes that are not whole non-negative int32 seconds", () => {
    for (const s of [-1, 1.5, 2 ** 31, Number.NaN]) {
      expect(() => encodeRequest({ command: "RUNLVL", runlevel: "3", sleeptime: s })).toThrow(/sleeptime/);
    }
    expect(encodeRequest({ command: "RUNLVL", runlevel: "3", sleeptime: 0 }, { endian: "little" })[12]).toBe(0);
  });
});
