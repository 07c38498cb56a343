/**
 * 20 `inittab add` processes started at once on one file, each adding its own id: the lock is
 * taken before reading, so every one of them lands and none is lost.
 */
import { afterAll, describe, expect, it } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "../../src/document/index.js";
import { isEntry } from "../../src/document/model.js";
import { buildTree, runCliAsync, strays, tempDir, removeTempDirs } from "../write/support.js";

afterAll(removeTempDirs);

describe("concurrent adds", () => {
  it("20 processes adding distinct ids: all land, the file stays whole", async () => {
    buildTree();
    const dir = tempDir("inittab-concurrent-");
    const file = join(dir, "inittab");
    const original = "id:3:initdefault:\nsi::sysinit:/etc/init.d/rcS\n";
    writeFileSync(file, original);
    const ids = Array.from({ length: 20 }, (_, i) => `c${i}`);
    const runs = await Promise.all(ids.map((id) => runCliAsync(["add", `${id}:2345:respawn:/sbin/getty 38400 tty${id}`, "-f", file])));
    for (const [i, r] of runs.entries()) expect(r.status, `${ids[i]}: ${r.stderr}`).toBe(0);
    const text = readFileSync(file, "utf8");
    const doc = parse(text, { dialect: "sysvinit" });
    const got = doc.lines.filter(isEntry).map((e) => e.fields.id.text);
    expect(got.slice(0, 2)).toEqual(["id", "si"]);
    expect([...got.slice(2)].sort()).toEqual([...ids].sort());
    expect(text.startsWith(original)).toBe(true);
    expect(strays(dir, ["inittab"])).toEqual([]);
  }, 60_000);
});
