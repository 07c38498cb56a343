/** collectGroups: the inittab files on disk behind some paths, grouped as init reads them. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { collectGroups } from "../../src/inputs/index.js";
import { gzip, tarBytes, tempDir } from "../archive/support.js";

const work = tempDir();
afterAll(() => work.remove());

it("an inittab with its inittab.d, a *.inittab alone, archives left to readInputs, - as given", async () => {
  const put = (name: string, bytes: Uint8Array | string): string => {
    const path = join(work.dir, name);
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, bytes);
    return path;
  };
  put("etc/inittab", "id:3:initdefault:\n");
  put("etc/inittab.d/a.tab", "a1:3:once:/bin/a\n");
  put("etc/inittab.d/notes.txt", "x\n");
  put("boards/serial.inittab", "S0:2345:respawn:/sbin/getty -L ttyS0\n");
  const rootfs = await tarBytes([{ name: "./etc/inittab", data: Buffer.from("id:3:initdefault:\n") }]);
  put("pool/rootfs.tar.gz", gzip(rootfs));
  const at = (p: string): string => join(work.dir, p);
  expect(collectGroups([work.dir, "-", at("etc/inittab.d/a.tab")])).toEqual([
    { main: at("boards/serial.inittab"), tabs: [] },
    {
      main: at("etc/inittab"),
      tabs: [at("etc/inittab.d/a.tab")],
      tabDir: { path: at("etc/inittab.d"), names: ["a.tab", "notes.txt"] },
    },
    { main: "-", tabs: [] },
    { tabs: [at("etc/inittab.d/a.tab")] },
  ]);
  expect(() => collectGroups([at("nothere")])).toThrow(/ENOENT/);
});
