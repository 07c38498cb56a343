/**
 * Inputs over the size limit are refused before they are read whole: exit 2, one line naming
 * the file, its size and the limit, from every command; `--max-size` sets the limit.
 */
import { closeSync, ftruncateSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { readInput } from "../../src/inputs/index.js";
import { isInittabError } from "../../src/base/errors.js";
import { parseSize } from "../../src/base/limits.js";
import { cli } from "../cli/in-process.js";
import { removeTempDirs, runCli, tempDir } from "../write/support.js";

afterAll(removeTempDirs);
afterEach(() => vi.restoreAllMocks());

/** A sparse file of `size` bytes: reading it whole would take that much memory. */
function sparse(size: number): string {
  const path = join(tempDir("inittab-big-"), "inittab");
  const fd = openSync(path, "w");
  ftruncateSync(fd, size);
  closeSync(fd);
  return path;
}

describe("the size limit", () => {
  it("a 1 GiB file: every command refuses it at once, exit 2, one line with its size and the limit", async () => {
    const path = sparse(1024 ** 3);
    const line = `inittab: ${path}: is 1 GiB (1073741824 bytes), over the limit of 16 MiB (--max-size)\n`;
    for (const args of [
      ["check", path],
      ["ls", path],
      ["parse", path],
      ["add", "ab:2:once:/x", "-f", path],
      ["rm", "ab", "-f", path, "--diff"],
      ["tmpfs", "--from", path],
      ["initctl", "decode", path],
    ]) {
      const before = process.memoryUsage().rss;
      const r = await cli(...args);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr, args.join(" ")).toBe(line);
      // Nothing near a gigabyte was allocated to find that out.
      expect(process.memoryUsage().rss - before).toBeLessThan(256 * 1024 * 1024);
    }
  });

  it("--max-size raises or lowers it; a bad size is a usage error", async () => {
    const dir = tempDir("inittab-size-");
    const path = join(dir, "inittab");
    const content = `ab:2:once:/bin/echo ${"x".repeat(69)}\n`.repeat(20); // 1,800 bytes, 20 lines
    writeFileSync(path, content);
    const small = await cli("--max-size", "1K", "ls", path);
    expect(small.status).toBe(2);
    expect(small.stderr).toBe(`inittab: ${path}: is 1.8 KiB (1800 bytes), over the limit of 1 KiB (--max-size)\n`);
    expect((await cli("--max-size", "2k", "ls", path)).status).toBe(0);
    expect((await cli("--max-size=1800", "ls", path)).status).toBe(0);
    const bad = await cli("--max-size", "lots", "ls", path);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('inittab: --max-size: "lots" is not a size (bytes, or with K, M or G)\n');
    const add = await cli("--max-size", "1K", "add", "ab:2:once:/x", "-f", path);
    expect(add.status).toBe(2);
    expect(readFileSync(path, "utf8")).toBe(content);
  });

  it("standard input is read up to the limit, then refused", () => {
    const r = runCli(["--max-size", "64K", "parse", "-"], { input: "#".repeat(200_000) });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("inittab: <stdin>: is more than 64 KiB, over the limit of 64 KiB (--max-size)\n");
    const ok = runCli(["--max-size", "64K", "ls", "-"], { input: "id:3:initdefault:\n" });
    expect(ok.status).toBe(0);
  });

  it("the library: readInput refuses with too-big before reading, details say size and limit", () => {
    const path = sparse(32 * 1024 * 1024);
    let err: unknown;
    try {
      readInput(path);
    } catch (e) {
      err = e;
    }
    expect(isInittabError(err, "too-big")).toBe(true);
    expect((err as { details: unknown }).details).toEqual({ limit: 16 * 1024 * 1024, size: 32 * 1024 * 1024 });
    expect(readInput(path, { maxBytes: 64 * 1024 * 1024 }).length).toBe(32 * 1024 * 1024);
  });

  it("at most one line per 32 bytes of the limit (16 MiB of `a:` lines took 4 GB and aborted)", async () => {
    const dir = tempDir("inittab-lines-");
    const path = join(dir, "inittab");
    writeFileSync(path, "a:\n".repeat(600_000)); // 1.8 MB, 600,000 broken lines
    for (const args of [
      ["check", path],
      ["ls", path],
      ["add", "ab:2:once:/x", "-f", path],
    ]) {
      const r = await cli(...args);
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(
        `inittab: ${path}: has 600,000 lines, over the limit of 524,288 (one per 32 bytes of --max-size, 16 MiB)\n`,
      );
    }
    expect(readInput(path, { maxBytes: 32 * 1024 * 1024 }).length).toBe(1_800_000);
    const small = await cli("--max-size", "64", "ls", join(dir, "two"));
    expect(small.status).toBe(2);
    writeFileSync(join(dir, "three"), "a:\nb:\nc:\n");
    expect((await cli("--max-size", "64", "ls", join(dir, "three"))).stderr).toMatch(
      /has 3 lines, over the limit of 2 \(one per 32 bytes of --max-size, 64 bytes\)/,
    );
  });

  it("parses sizes as users write them", () => {
    expect([
      parseSize("16M"),
      parseSize("16MiB"),
      parseSize("1g"),
      parseSize("512"),
      parseSize("0"),
      parseSize("1.5M"),
    ]).toEqual([16 * 1024 * 1024, 16 * 1024 * 1024, 1024 ** 3, 512, undefined, undefined]);
  });
});
