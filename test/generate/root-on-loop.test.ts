/**
 * samples/root-on-loop/ is a worked example: its generated files must be what the tools make
 * from its live inittab today, and the request file must be telinit's own bytes for `telinit U`.
 */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "../../src/document/index.js";
import { addExecEntry, generateTmpfsInittab } from "../../src/generate/index.js";
import { encodeRequest } from "../../src/initctl/index.js";

const dir = fileURLToPath(new URL("../../samples/root-on-loop/", import.meta.url));
const read = (name: string) => readFileSync(dir + name);

describe("samples/root-on-loop", () => {
  const live = read("live.inittab");

  it("tmpfs.inittab is what `inittab tmpfs --from live.inittab` makes", () => {
    const r = generateTmpfsInittab(parse(live, { dialect: "sysvinit" }), { sourceName: "live.inittab" });
    expect(Buffer.from(r.bytes).toString("latin1")).toBe(read("tmpfs.inittab").toString("latin1"));
  });

  it("live-exec.inittab is live.inittab plus the exec entry, and adding it again changes nothing", () => {
    const options = { program: "/lib/deinitramfs/deinit", args: ["/sbin/halt", "-dhp"], allowExec: true };
    const r = addExecEntry(parse(live, { dialect: "sysvinit" }), options);
    if (r.status !== "added") throw new Error(r.status);
    expect(Buffer.from(r.bytes).toString("latin1")).toBe(read("live-exec.inittab").toString("latin1"));
    expect(addExecEntry(parse(read("live-exec.inittab"), { dialect: "sysvinit" }), options).status).toBe("unchanged");
  });

  it("reload-init.bin is telinit U as telinit writes it (captured on x86_64), and what the encoder makes", () => {
    const bin = read("reload-init.bin");
    const expected = Buffer.alloc(384);
    Buffer.from([0x69, 0x19, 0x09, 0x03, 0x01, 0, 0, 0, 0x55, 0, 0, 0, 0x03, 0, 0, 0]).copy(expected);
    expect(bin.equals(expected)).toBe(true);
    expect(Buffer.from(encodeRequest({ command: "RUNLVL", runlevel: "U" }, { endian: "little" })).equals(bin)).toBe(
      true,
    );
  });
});
