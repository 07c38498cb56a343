import { describe, expect, it } from "vitest";
import { InittabError } from "../../src/base/index.js";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { corpusOf } from "../support/corpus.js";
import { SYSVINIT_3_14 } from "../../src/dialects/index.js";
import { isEntry, parse, type Document, type Entry } from "../../src/document/index.js";
import { generateTmpfsInittab, type ShutdownLevel } from "../../src/generate/index.js";
import { checkDocument } from "../../src/rules/index.js";

const SAMPLES = fileURLToPath(new URL("../../samples/", import.meta.url));

const DEBIAN = `# /etc/inittab: init(8) configuration.
id:2:initdefault:
si::sysinit:/etc/init.d/rcS
~~:S:wait:/sbin/sulogin
l0:0:wait:/etc/init.d/rc 0
l1:1:wait:/etc/init.d/rc 1
l2:2:wait:/etc/init.d/rc 2
l6:6:wait:/etc/init.d/rc 6
z6:6:respawn:/sbin/sulogin
ca:12345:ctrlaltdel:/sbin/shutdown -t1 -a -r now
pf::powerwait:/etc/init.d/powerfail start
kb::kbrequest:/bin/echo "Keyboard Request"
1:2345:respawn:/sbin/getty 38400 tty1
od:0A:ondemand:/sbin/getty 38400 tty9
bw::bootwait:/etc/init.d/bootmisc
`;

function gen(text: string | Uint8Array, runlevel: ShutdownLevel = "0", dialect = "sysvinit") {
  return generateTmpfsInittab(parse(text, { dialect }), { runlevel });
}

function lines(bytes: Uint8Array): string[] {
  const text = Buffer.from(bytes).toString("latin1");
  expect(text.endsWith("\n")).toBe(true);
  return text.slice(0, -1).split("\n");
}

function entries(bytes: Uint8Array): Entry[] {
  return parse(bytes, { dialect: "sysvinit" }).lines.filter(isEntry);
}

const SPAWNS_NEVER = new Set(["initdefault", "off"]);
const FORBIDDEN = new Set(["sysinit", "boot", "bootwait", "respawn", "ondemand"]);

/** The properties every dummy needs (docs/internals/sysvinit.md), checked on its bytes. */
function expectDummyShape(bytes: Uint8Array, level: string): void {
  const text = Buffer.from(bytes).toString("latin1");
  expect(text.includes("\r")).toBe(false);
  expect(text.includes("\0")).toBe(false);
  for (const l of lines(bytes)) expect(Buffer.byteLength(l, "latin1")).toBeLessThanOrEqual(254);
  const doc = parse(bytes, { dialect: "sysvinit" });
  for (const l of doc.lines) expect(["entry", "comment"]).toContain(l.kind);
  const es = doc.lines.filter(isEntry);
  const initdefaults = es.filter((e) => e.fields.action.value.toLowerCase() === "initdefault");
  expect(initdefaults.map((e) => e.fields.runlevels.value)).toEqual(["7"]);
  expect(es.some((e) => e.fields.runlevels.value.includes("S"))).toBe(true);
  for (const e of es) {
    const action = e.fields.action.value.toLowerCase();
    expect(FORBIDDEN.has(action), e.raw).toBe(false);
    // Whatever can start runs only in the shutdown level.
    if (!SPAWNS_NEVER.has(action)) expect(e.fields.runlevels.value).toBe(level);
  }
  const ids = es.map((e) => e.fields.id.value);
  expect(new Set(ids).size).toBe(ids.length);
  expectChecksClean(doc);
}

/** `inittab check` and `inittab check --profile tmpfs` find nothing to warn about. */
function expectChecksClean(doc: Document): void {
  const shown = (ds: ReturnType<typeof checkDocument>) => ds.map((d) => `${d.code} line ${d.line}: ${d.message}`);
  expect(shown(checkDocument(doc).filter((d) => d.severity !== "info"))).toEqual([]);
  expect(
    shown(checkDocument(doc, { profile: "tmpfs" }).filter((d) => d.severity !== "info" || d.code.startsWith("TMP"))),
  ).toEqual([]);
}

describe("generateTmpfsInittab on a Debian-style file", () => {
  it("starts from a file the tmpfs profile rejects (so a clean check of the dummy means something)", () => {
    const codes = checkDocument(parse(DEBIAN, { dialect: "sysvinit" }), { profile: "tmpfs" }).map((d) => d.code);
    expect(codes).toEqual(expect.arrayContaining(["TMP001", "TMP002", "TMP003", "TMP005"]));
  });

  it("keeps the running rc entry, adds initdefault 7 and an S entry, nothing else", () => {
    const r = gen(DEBIAN);
    expectDummyShape(r.bytes, "0");
    const body = lines(r.bytes).filter((l) => !l.startsWith("#"));
    expect(body).toEqual(["id:7:initdefault:", "su:S:off:", "l0:0:wait:/etc/init.d/rc 0"]);
    expect(r.kept).toEqual([{ line: 5, id: "l0", action: "wait" }]);
  });

  it("keeps rc 6 for reboot", () => {
    const body = lines(gen(DEBIAN, "6").bytes).filter((l) => !l.startsWith("#"));
    expect(body).toEqual(["id:7:initdefault:", "su:S:off:", "l6:6:wait:/etc/init.d/rc 6"]);
  });

  it("starts with a comment saying what the file is for and where it came from", () => {
    const r = generateTmpfsInittab(parse(DEBIAN, { dialect: "sysvinit" }), { sourceName: "/mnt/old/etc/inittab" });
    const header = lines(r.bytes)
      .filter((l) => l.startsWith("#"))
      .join("\n");
    expect(header).toMatch(/shutdown tmpfs/);
    expect(header).toMatch(/telinit U/);
    expect(header).toMatch(/\/mnt\/old\/etc\/inittab/);
  });

  it("keeps the last wait entry of the level, narrowed to the level, and nothing else of it", () => {
    const r = gen(
      [
        "id:3:initdefault:",
        "a0:0123456:once:/bin/early",
        "l0u:0:wait:/sbin/telinit u",
        "l0:0:WAIT:/etc/rc.d/rc 0",
        "h0:#0:wait:/bin/last",
        "x0::once:/bin/everywhere",
        "r0:0:respawn:/sbin/getty tty1",
        "",
      ].join("\n"),
    );
    expectDummyShape(r.bytes, "0");
    expect(r.kept).toEqual([{ line: 5, id: "h0", action: "wait" }]);
    expect(entries(r.bytes).map((e) => e.raw.trimEnd())).toEqual([
      "id:7:initdefault:",
      "su:S:off:",
      "h0:0:wait:/bin/last",
    ]);
  });

  it("keeps the entry named by keep, with the same id and (canonical) action", () => {
    const text = ["l0u:0:wait:/sbin/telinit u", "l0:0:WAIT:/sbin/openrc shutdown", "l0s:0:wait:/sbin/halt.sh", ""].join(
      "\n",
    );
    const r = generateTmpfsInittab(parse(text, { dialect: "sysvinit" }), { keep: "l0" });
    expect(entries(r.bytes).map((e) => e.raw.trimEnd())).toEqual([
      "id:7:initdefault:",
      "su:S:off:",
      "l0:0:wait:/sbin/openrc shutdown",
    ]);
    const doc = parse(`${text}x0:0:once:/bin/x\n1:2345:respawn:/sbin/getty tty1\n`, { dialect: "sysvinit" });
    expect(() => generateTmpfsInittab(doc, { keep: "zz" })).toThrow(/no entry with id "zz"/);
    expect(() => generateTmpfsInittab(doc, { keep: "x0" })).toThrow(/not a waited-for entry/);
    expect(() => generateTmpfsInittab(doc, { keep: "1" })).toThrow(/not a waited-for entry/);
    expect(() => generateTmpfsInittab(doc, { keep: "l0", runlevel: "6" })).toThrow(
      /not a waited-for entry of runlevel 6/,
    );
  });

  it("leaves out what init dropped: a second entry with the same id, an id longer than 4", () => {
    const r = gen(["id:3:initdefault:", "l0:0:wait:/etc/rc 0", "l0:0:wait:/other 0", "long0:0:wait:/x", ""].join("\n"));
    expect(r.kept.map((k) => k.line)).toEqual([2]);
    expect(entries(r.bytes).filter((e) => e.fields.id.value === "l0")).toHaveLength(1);
  });

  it("writes LF endings and drops the CR of a CRLF file from the process", () => {
    const r = gen("id:3:initdefault:\r\nl0:0:wait:/etc/rc 0\r\n");
    expectDummyShape(r.bytes, "0");
    expect(lines(r.bytes)).toContain("l0:0:wait:/etc/rc 0");
  });

  it("picks other ids for the added entries when the live file uses id and su for other actions", () => {
    const r = gen(
      ["id:2345:respawn:/sbin/getty tty1", "su:S:wait:/sbin/sulogin", "l0:0:wait:/etc/rc 0", ""].join("\n"),
    );
    expectDummyShape(r.bytes, "0");
    expect(r.initdefaultId).not.toBe("id");
    expect(r.sEntryId).not.toBe("su");
    const live = new Set(["id", "su", "l0"]);
    expect(live.has(r.initdefaultId) || live.has(r.sEntryId)).toBe(false);
  });

  it("keeps a live initdefault's id (same action: nothing for a re-read to kill)", () => {
    expect(gen(DEBIAN).initdefaultId).toBe("id");
  });

  it("escapes a source name that would otherwise break out of the comment", () => {
    const r = generateTmpfsInittab(parse(DEBIAN, { dialect: "sysvinit" }), { sourceName: "x\nr9:0:respawn:/bin/sh" });
    expectDummyShape(r.bytes, "0");
    expect(entries(r.bytes).some((e) => e.fields.id.value === "r9")).toBe(false);
  });

  it("shortens a long source name so the header lines stay within 254 bytes", () => {
    const r = generateTmpfsInittab(parse(DEBIAN, { dialect: "sysvinit" }), {
      sourceName: `/${"d/".repeat(200)}inittab`,
    });
    expectDummyShape(r.bytes, "0");
  });

  it("refuses a file with nothing that runs in the level", () => {
    expect(() => gen("id:3:initdefault:\n1:2345:respawn:/sbin/getty tty1\n")).toThrow(InittabError);
    expect(() => gen("id:3:initdefault:\n1:2345:respawn:/sbin/getty tty1\n")).toThrow(/runlevel 0/);
  });

  it("refuses BusyBox, pointing to its restart action", () => {
    expect(() => gen("::sysinit:/etc/init.d/rcS\n::restart:/sbin/init\n", "0", "busybox")).toThrow(/restart/);
  });

  it("refuses a kept entry longer than the dialect's line limit", () => {
    const narrow = { ...SYSVINIT_3_14, maxLineBytes: 20 };
    const doc = parse("id:3:initdefault:\nl0:0:wait:/etc/init.d/rc 0\n", { dialect: narrow });
    expect(() => generateTmpfsInittab(doc)).toThrow(/line 2.*26-byte line.*at most 20/);
  });
});

/**
 * An independent reading of the entry that must survive: the last `wait` entry whose runlevels
 * field holds the level (or is empty, which means 0-9), among the entries init accepts — the
 * first with each id, an id of 1-4 bytes, runlevels of at most 11, a line of at most 254 bytes.
 */
function mustKeep(doc: Document, level: string): Entry[] {
  const seen = new Set<string>();
  let last: Entry | undefined;
  for (const e of doc.lines.filter(isEntry)) {
    const id = e.fields.id.value;
    if (seen.has(id)) continue;
    const action = e.fields.action.value.toLowerCase();
    const ok =
      id.length >= 1 && id.length <= 4 && e.fields.runlevels.value.length <= 11 && e.contentEnd - e.start <= 254;
    if (!ok || !SYSVINIT_ACTION_NAMES.has(action)) continue;
    seen.add(id);
    const rl = e.fields.runlevels.value;
    if (action === "wait" && (rl === "" || rl.includes(level))) last = e;
  }
  return last ? [last] : [];
}
const SYSVINIT_ACTION_NAMES = new Set(Object.keys(SYSVINIT_3_14.actions));

function inputs(): Array<{ name: string; path: string }> {
  const out: Array<{ name: string; path: string }> = [];
  for (const f of corpusOf("sysvinit")) out.push({ name: `corpus/${f.name}`, path: f.path });
  if (existsSync(SAMPLES)) {
    for (const f of readdirSync(SAMPLES).sort())
      if (f.endsWith(".inittab")) out.push({ name: `samples/${f}`, path: SAMPLES + f });
  }
  return out;
}

describe("the dummy derived from every sysvinit corpus file and sample", () => {
  const all = inputs();
  it("reads the corpus", () => {
    expect(all.filter((i) => i.name.startsWith("corpus/")).length).toBeGreaterThan(30);
  });
  for (const { name, path } of all) {
    it(name, () => {
      const doc = parse(readFileSync(path), { dialect: name.startsWith("samples/") ? "auto" : "sysvinit" });
      if (doc.dialect.family !== "sysvinit") return; // BusyBox samples: refused, tested above
      for (const level of ["0", "6"] as const) {
        const keep = mustKeep(doc, level);
        let r;
        try {
          r = generateTmpfsInittab(doc, { runlevel: level });
        } catch (err) {
          expect(err, `${name} ${level}`).toBeInstanceOf(InittabError);
          expect(keep, `${name} ${level}: refused although an entry runs there`).toEqual([]);
          continue;
        }
        expectDummyShape(r.bytes, level);
        expect(r.kept.map((k) => k.id)).toEqual(keep.map((e) => e.fields.id.value));
        const out = entries(r.bytes);
        for (const e of keep) {
          const twin = out.find((o) => o.fields.id.value === e.fields.id.value);
          expect(twin, `${name} ${level}: ${e.fields.id.value} kept`).toBeDefined();
          expect(twin!.fields.action.value.toLowerCase()).toBe(e.fields.action.value.toLowerCase());
        }
        // The re-read model agrees (TMP008 with the live file known); renaming the kept id breaks it.
        const running = { path, doc };
        const tmp008 = (bytes: Uint8Array | string) =>
          checkDocument(parse(bytes, { dialect: "sysvinit" }), { profile: "tmpfs", running }).filter(
            (d) => d.code === "TMP008",
          );
        expect(tmp008(r.bytes), `${name} ${level}`).toEqual([]);
        const id = r.kept[0]!.id;
        const renamed = Buffer.from(r.bytes).toString("latin1").replace(`\n${id}:${level}:`, `\nzz${level}q:${level}:`);
        expect(tmp008(renamed).length, `${name} ${level}: ${id} renamed`).toBe(1);
      }
    });
  }
});
