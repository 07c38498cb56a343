import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import {
  closeSync,
  constants,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../initctl/cli-harness.js";
import { hostEndian } from "../../src/initctl/index.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "inittab-initctl-cli-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Bytes 0-15 of a runlevel request from docs/internals/initctl.md, for this machine's byte order. */
function head(cmd: number, runlevel: number, sleeptime: number): string {
  const b = Buffer.alloc(16);
  const le = hostEndian() === "little";
  const put = (v: number, o: number) => (le ? b.writeInt32LE(v, o) : b.writeInt32BE(v, o));
  put(0x03091969, 0);
  put(cmd, 4);
  put(runlevel, 8);
  put(sleeptime, 12);
  return b.toString("hex");
}

describe("inittab initctl encode", () => {
  it("writes telinit U's 384 bytes to stdout (telinit's bytes, little-endian capture)", async () => {
    const r = await runCli(["initctl", "encode", "U", "--endian", "little"]);
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBe(384);
    expect(r.stdout.subarray(0, 16).toString("hex")).toBe("69190903" + "01000000" + "55000000" + "03000000");
    expect(r.stdout.subarray(16).every((b) => b === 0)).toBe(true);
  });

  it("uses this machine's byte order by default", async () => {
    const r = await runCli(["initctl", "encode", "q"]);
    expect(r.stdout.subarray(0, 16).toString("hex")).toBe(head(1, 0x71, 3));
  });

  it("--sleeptime and --legacy set the TERM-to-KILL delay", async () => {
    expect((await runCli(["initctl", "encode", "3", "--sleeptime", "7"])).stdout.subarray(0, 16).toString("hex")).toBe(
      head(1, 0x33, 7),
    );
    expect((await runCli(["initctl", "encode", "U", "--legacy"])).stdout.subarray(0, 16).toString("hex")).toBe(
      head(1, 0x55, 5),
    );
    expect(
      (await runCli(["-d", "sysvinit@2.88", "initctl", "encode", "U"])).stdout.subarray(0, 16).toString("hex"),
    ).toBe(head(1, 0x55, 5));
  });

  it("-e builds SETENV with runlevel 0 and sleeptime 0, even with --sleeptime", async () => {
    const r = await runCli([
      "initctl",
      "encode",
      "-e",
      "INIT_FOO=bar",
      "-e",
      "INIT_BAZ",
      "--sleeptime",
      "9",
      "--endian",
      "little",
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout.subarray(0, 16).toString("hex")).toBe("69190903" + "06000000" + "00000000" + "00000000");
    expect(r.stdout.subarray(16, 16 + 22).toString("latin1")).toBe("INIT_FOO=bar\0INIT_BAZ\0");
    expect(r.stdout.subarray(16 + 22).every((b) => b === 0)).toBe(true);
    expect(r.stderr).toMatch(/sleeptime 0/);
  });

  it("writes -o FILE", async () => {
    const out = join(dir, "reload-init.bin");
    const r = await runCli(["initctl", "encode", "U", "-o", out]);
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBe(0);
    expect(readFileSync(out).subarray(0, 16).toString("hex")).toBe(head(1, 0x55, 3));
  });

  it("refuses to replace a FIFO with -o (that would destroy init's /run/initctl)", async () => {
    const p = join(dir, "initctl");
    execFileSync("mkfifo", [p]);
    const r = await runCli(["initctl", "encode", "U", "-o", p]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/FIFO/);
    expect(statSync(p).isFIFO()).toBe(true);
  });

  it("refuses to write binary to a terminal", async () => {
    const r = await runCli(["initctl", "encode", "U"], { stdoutIsTTY: true });
    expect(r.code).toBe(2);
    expect(r.stdout.length).toBe(0);
    expect(r.stderr).toMatch(/terminal.*-o FILE or a pipe/);
  });

  it.each([["X"], ["UU"], ["n"], ["7x"], [""]])("refuses runlevel %j with a usage error", async (rl) => {
    const r = await runCli(["initctl", "encode", rl]);
    expect(r.code).toBe(2);
    expect(r.stdout.length).toBe(0);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("refuses bad -e data, a runlevel with -e, no request at all, and a bad sleeptime", async () => {
    for (const argv of [
      ["initctl", "encode", "-e", "FOO=1"],
      ["initctl", "encode", "-e", `INIT_A=${"x".repeat(400)}`],
      ["initctl", "encode", "3", "-e", "INIT_A=1"],
      ["initctl", "encode"],
      ["initctl", "encode", "3", "--sleeptime", "-1"],
      ["initctl", "encode", "3", "--sleeptime", "3s"],
      ["initctl", "encode", "3", "--endian", "middle"],
      ["-d", "busybox", "initctl", "encode", "3"],
    ]) {
      const r = await runCli(argv);
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.stdout.length, argv.join(" ")).toBe(0);
    }
  });
});

describe("inittab initctl decode", () => {
  async function encoded(args: string[]): Promise<string> {
    const p = join(dir, "req.bin");
    const r = await runCli(["initctl", "encode", ...args, "-o", p]);
    expect(r.code).toBe(0);
    return p;
  }

  it("describes a request in words", async () => {
    const r = await runCli(["initctl", "decode", await encoded(["U"])]);
    expect(r.code).toBe(0);
    const text = r.stdout.toString("utf8");
    expect(text).toMatch(/magic\s+0x03091969/);
    expect(text).toMatch(/INIT_CMD_RUNLVL/);
    expect(text).toMatch(/'U'.*re-execute/);
    expect(text).toMatch(/sleeptime\s+3 s/);
  });

  it("--json gives the fields, env strings included", async () => {
    const r = await runCli(["initctl", "decode", "--json", await encoded(["-e", "INIT_X=1", "--endian", "big"])]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout.toString("utf8"));
    expect(j).toMatchObject({
      magic: "0x03091969",
      endian: "big",
      cmd: 6,
      command: "SETENV",
      runlevel: 0,
      sleeptime: 0,
      env: ["INIT_X=1"],
    });
  });

  it("escapes control characters from the file", async () => {
    const p = join(dir, "req.bin");
    const b = Buffer.alloc(384);
    const le = hostEndian() === "little";
    (le ? b.writeUInt32LE.bind(b) : b.writeUInt32BE.bind(b))(0x03091969, 0);
    (le ? b.writeInt32LE.bind(b) : b.writeInt32BE.bind(b))(6, 4);
    b.write("INIT_X=\x1b[31mred\0", 16, "latin1");
    writeFileSync(p, b);
    const r = await runCli(["initctl", "decode", p]);
    expect(r.code).toBe(0);
    expect(r.stdout.includes(0x1b)).toBe(false);
    expect(r.stdout.toString("utf8")).toMatch(/INIT_X=\\x1b\[31mred/);
  });

  it("a wrong size or magic is a one-line error naming the file, exit 2", async () => {
    const short = join(dir, "short.bin");
    writeFileSync(short, Buffer.alloc(100));
    const zero = join(dir, "zero.bin");
    writeFileSync(zero, Buffer.alloc(384));
    for (const [p, re] of [
      [short, /short\.bin: not an initctl request: 100 bytes/],
      [zero, /zero\.bin: not an initctl request: magic 0x00000000/],
      [join(dir, "absent.bin"), /absent\.bin: no such file/],
    ] as const) {
      const r = await runCli(["initctl", "decode", p]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(re);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
  });
});

describe("inittab initctl send", () => {
  it("delivers the request to a FIFO with a reader", async () => {
    const p = join(dir, "initctl");
    execFileSync("mkfifo", [p]);
    const fd = openSync(p, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const r = await runCli(["initctl", "send", "q", "--fifo", p]);
      expect(r.code).toBe(0);
      const buf = Buffer.alloc(1000);
      const n = readSync(fd, buf, 0, buf.length, null);
      expect(n).toBe(384);
      expect(buf.subarray(0, 16).toString("hex")).toBe(head(1, 0x71, 3));
    } finally {
      closeSync(fd);
    }
  });

  it("refuses a regular file and leaves it untouched", async () => {
    const p = join(dir, "initctl");
    writeFileSync(p, "keep me");
    const r = await runCli(["initctl", "send", "U", "--fifo", p]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not init's FIFO/);
    expect(readFileSync(p, "utf8")).toBe("keep me");
  });

  it("reports a FIFO nobody reads, without waiting", async () => {
    const p = join(dir, "initctl");
    execFileSync("mkfifo", [p]);
    const t0 = Date.now();
    const r = await runCli(["initctl", "send", "-e", "INIT_X=1", "--fifo", p]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`inittab: no init is listening on ${p}\n`);
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it("validates the request before touching the FIFO", async () => {
    const p = join(dir, "initctl");
    writeFileSync(p, "keep me");
    const r = await runCli(["initctl", "send", "Z", "--fifo", p]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad runlevel/);
  });
});

describe("review regressions (initctl)", () => {
  it("decode refuses a FIFO (say /run/initctl) at once instead of blocking or stealing init's requests", async () => {
    const fifo = join(dir, "initctl");
    execFileSync("mkfifo", [fifo]);
    const r = await runCli(["initctl", "decode", fifo]);
    expect(r.code).toBe(2);
    expect(r.stdout.length).toBe(0);
    expect(r.stderr).toBe(`inittab: ${fifo}: is not a regular file (a FIFO; to read one, use - and redirect it)\n`);
    const dev = await runCli(["initctl", "decode", "/dev/zero"]);
    expect(dev.code).toBe(2);
    expect(dev.stderr).toBe("inittab: /dev/zero: is not a regular file\n");
  });

  it("encode -e refuses a value the command line could not carry as bytes (U+FFFD), instead of sending EF BF BD", async () => {
    const r = await runCli(["initctl", "encode", "-e", "INIT_X=\uFFFD"]);
    expect(r.code).toBe(2);
    expect(r.stdout.length).toBe(0);
    expect(r.stderr).toMatch(/^inittab: -e "INIT_X=.*": not valid UTF-8/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    // Valid UTF-8 is sent as its bytes, as telinit does.
    const ok = await runCli(["initctl", "encode", "-e", "INIT_X=caf\u00e9"]);
    expect(ok.code).toBe(0);
    expect(ok.stdout.subarray(16, 28).toString("latin1")).toBe("INIT_X=caf\xc3\xa9");
  });
});
