/**
 * Parallel writers (docs/reliability.md): 50 `inittab add` processes started at once on one
 * file, each adding its own id. The lock is taken before reading, so every one lands and none
 * is lost; the file stays whole and nothing is left beside it.
 */
import { afterAll, describe, expect, it } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "../../src/document/index.js";
import { isEntry } from "../../src/document/model.js";
import { buildTree, runCliAsync, strays, tempDir, removeTempDirs } from "../write/support.js";

const WRITERS = 50;

afterAll(removeTempDirs);

describe("concurrent adds", () => {
  it(`${WRITERS} processes adding distinct ids: all land, the file stays whole`, async () => {
    buildTree();
    const dir = tempDir("inittab-concurrent-");
    const file = join(dir, "inittab");
    const original = "id:3:initdefault:\nsi::sysinit:/etc/init.d/rcS\n";
    writeFileSync(file, original);
    const ids = Array.from({ length: WRITERS }, (_, i) => `c${i}`);
    // 50 processes on 2 cores take turns for the lock for a while: a timeout no run reaches.
    const runs = await Promise.all(
      ids.map((id) => {
        const entry = `${id}:2345:respawn:/sbin/getty 38400 tty${id}`;
        return runCliAsync(["add", entry, "-f", file, "--lock-timeout", "120"]);
      }),
    );
    for (const [i, r] of runs.entries()) expect(r.status, `${ids[i]}: ${r.stderr}`).toBe(0);
    const text = readFileSync(file, "utf8");
    const doc = parse(text, { dialect: "sysvinit" });
    const got = doc.lines.filter(isEntry).map((e) => e.fields.id.text);
    expect(got.slice(0, 2)).toEqual(["id", "si"]);
    expect([...got.slice(2)].sort()).toEqual([...ids].sort());
    expect(text.startsWith(original)).toBe(true);
    expect(strays(dir, ["inittab"])).toEqual([]);
  }, 180_000);
});
