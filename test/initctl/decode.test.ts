import { describe, expect, it } from "vitest";
import { InittabError } from "../../src/base/index.js";
import { decodeRequest, encodeRequest, hostEndian, type Endian, type InitRequest } from "../../src/initctl/index.js";

const ENDIANS: Endian[] = ["little", "big"];

describe("decode(encode(x)) round-trips every command in both byte orders", () => {
  const requests: InitRequest[] = [
    ...[..."0123456789SsQqAaBbCcUu"].map((runlevel, i): InitRequest => ({
      command: "RUNLVL",
      runlevel,
      sleeptime: i * 1000,
    })),
    { command: "SETENV", vars: ["INIT_FOO=bar", "INIT_BAZ", "INIT_EMPTY=", "INIT_EQ=a=b"] },
    { command: "POWERFAIL", sleeptime: 3 },
    { command: "POWERFAILNOW", sleeptime: 0 },
    { command: "POWEROK", sleeptime: 2147483647 },
  ];
  for (const endian of ENDIANS) {
    for (const req of requests) {
      const label = req.command === "RUNLVL" ? `RUNLVL ${req.runlevel}` : req.command;
      it(`${label}, ${endian}-endian`, () => {
        const d = decodeRequest(encodeRequest(req, { endian }));
        expect(d.endian).toBe(endian);
        expect(d.foreignEndian).toBe(endian !== hostEndian());
        expect(d.magic).toBe(0x03091969);
        expect(d.command).toBe(req.command);
        expect(d.handled).toBe(true);
        if (req.command === "RUNLVL") {
          expect(d.cmd).toBe(1);
          expect(d.runlevelChar).toBe(req.runlevel);
          expect(d.sleeptime).toBe(req.sleeptime);
          expect(d.nonZeroDataBytes).toBe(0);
        } else if (req.command === "SETENV") {
          expect(d.cmd).toBe(6);
          expect(d.env).toEqual(req.vars);
          expect(d.envUnterminated).toBe(false);
          expect(d.runlevel).toBe(0);
          expect(d.sleeptime).toBe(0);
        } else {
          expect(d.cmd).toBe({ POWERFAIL: 2, POWERFAILNOW: 3, POWEROK: 4 }[req.command]);
          expect(d.sleeptime).toBe(req.sleeptime);
        }
      });
    }
  }
});

/** A request built field by field from the struct table of docs/internals/initctl.md (not with the encoder). */
function raw(endian: Endian, cmd: number, runlevel = 0, sleeptime = 0): { bytes: Uint8Array; view: DataView } {
  const bytes = new Uint8Array(384);
  const view = new DataView(bytes.buffer);
  const little = endian === "little";
  view.setUint32(0, 0x03091969, little);
  view.setInt32(4, cmd, little);
  view.setInt32(8, runlevel, little);
  view.setInt32(12, sleeptime, little);
  return { bytes, view };
}

describe("decodeRequest", () => {
  for (const endian of ENDIANS) {
    it(`reads the BSD struct at initreq.h's offsets (${endian}-endian)`, () => {
      const { bytes, view } = raw(endian, 5);
      const put = (offset: number, s: string) => bytes.set(Buffer.from(s, "latin1"), 16 + offset);
      put(0, "gen12345"); // gen_id[8], no NUL: exactly fills the field
      put(8, "tty7");
      put(24, "host.example");
      put(88, "vt100");
      view.setInt32(16 + 104, 15, endian === "little");
      view.setInt32(16 + 108, 4242, endian === "little");
      put(112, "/sbin/getty");
      put(240, "RESERVED-IGNORED");
      const d = decodeRequest(bytes);
      expect(d.command).toBe("BSD");
      expect(d.handled).toBe(false);
      expect(d.endian).toBe(endian);
      expect(d.bsd).toEqual({
        gen_id: "gen12345",
        tty_id: "tty7",
        host: "host.example",
        term_type: "vt100",
        signal: 15,
        pid: 4242,
        exec_name: "/sbin/getty",
      });
    });
  }

  it("names the commands init does not handle, and unknown codes", () => {
    expect(decodeRequest(raw("little", 0).bytes)).toMatchObject({ command: "START", handled: false });
    expect(decodeRequest(raw("little", 7).bytes)).toMatchObject({ command: "UNSETENV", handled: false });
    const unknown = decodeRequest(raw("little", 99).bytes);
    expect(unknown.command).toBeUndefined();
    expect(unknown.handled).toBe(false);
    expect(unknown.cmd).toBe(99);
  });

  it("stops reading SETENV data where init does", () => {
    const a = raw("little", 6);
    a.bytes.set(Buffer.from("INIT_A=1\0\0INIT_B=2\0", "latin1"), 16);
    expect(decodeRequest(a.bytes).env).toEqual(["INIT_A=1"]);
    const b = raw("little", 6);
    b.bytes.fill(0x41, 16); // 368 bytes, no NUL at all
    const d = decodeRequest(b.bytes);
    expect(d.env).toEqual([]);
    expect(d.envUnterminated).toBe(true);
  });

  it("counts stray bytes in the union of a runlevel request", () => {
    const r = raw("little", 1, 0x55, 3);
    r.bytes[100] = 1;
    r.bytes[383] = 0xff;
    expect(decodeRequest(r.bytes).nonZeroDataBytes).toBe(2);
  });

  it("refuses a wrong size with the size in the message", () => {
    for (const n of [0, 383, 385, 768]) {
      expect(() => decodeRequest(new Uint8Array(n))).toThrow(InittabError);
      expect(() => decodeRequest(new Uint8Array(n))).toThrow(new RegExp(`${n} bytes.*384`));
    }
  });

  it("refuses a wrong magic, naming the magic", () => {
    const r = raw("little", 1, 0x55, 3);
    r.view.setUint32(0, 0x03091968, hostEndian() === "little");
    expect(() => decodeRequest(r.bytes)).toThrow(/magic 0x03091968/);
    expect(() => decodeRequest(new Uint8Array(384))).toThrow(InittabError);
  });

  it("detects the other byte order from a byte-swapped magic and decodes with it", () => {
    const other: Endian = hostEndian() === "little" ? "big" : "little";
    const d = decodeRequest(raw(other, 1, 0x33, 7).bytes);
    expect(d.endian).toBe(other);
    expect(d.foreignEndian).toBe(true);
    expect(d.runlevelChar).toBe("3");
    expect(d.sleeptime).toBe(7);
  });
});
