/**
 * Every rule: a minimal inittab that triggers it and a near miss that does not. For the rules
 * whose line init drops, the triggering diagnostic must also be the one marked `dropped`.
 */
import { describe, expect, it } from "vitest";
import { RULES } from "../../src/rules/index.js";
import { parse } from "../../src/document/index.js";
import { BASE, codes, diagnostics, type RunOptions } from "./support.js";

interface Case {
  code: string;
  bad: string;
  good: string;
  run?: RunOptions;
  /** The triggering diagnostic explains a line init drops. */
  dropped?: boolean;
  /** The good example needs other options than the bad one. */
  goodRun?: RunOptions;
  severity?: "error" | "warning" | "info";
}

const v306 = { dialect: "sysvinit@3.06" };
const v288 = { dialect: "sysvinit@2.88" };
const bb = { dialect: "busybox" };
const exec = { options: { allowExec: true } };
const tmpfs = { options: { profile: "tmpfs" } };
const LIVE =
  "id:2:initdefault:\nl0:0:wait:/etc/init.d/rc 0\nl6:6:wait:/etc/init.d/rc 6\n" + "1:2345:respawn:/sbin/getty tty1\n";
const running = { path: "/etc/inittab", doc: parse(LIVE, { dialect: "sysvinit" }) };
const withLive = { options: { profile: "tmpfs", running } };
const DUMMY = "id:7:initdefault:\nl0:0:wait:/etc/init.d/rc 0\nsu:S:off:\n";
const words = (n: number) => `/bin/echo ${Array.from({ length: n - 1 }, (_, i) => `w${i + 1}`).join(" ")}`;
const long = (bytes: number) => {
  const head = "ab:3:once:/bin/echo ";
  return head + "x".repeat(bytes - head.length);
};

const CASES: Case[] = [
  { code: "IT001", bad: `${BASE}${long(255)}\n`, good: `${BASE}${long(254)}\n`, dropped: true },
  { code: "IT001", bad: `${BASE}${long(300)}\n`, good: `${BASE}${long(255)}\n`, run: v306 },
  {
    code: "IT002",
    bad: `${BASE}a1:3:once:/bin/true`,
    good: `${BASE}a1:3:once:/bin/true\n`,
    dropped: true,
    severity: "error",
  },
  { code: "IT002", bad: `${BASE}a1:3:once:/bin/true`, good: `${BASE}# a comment`, run: v306, severity: "info" },
  { code: "IT003", bad: `${BASE}a1:3:once:/bin/true\r\n`, good: `${BASE}a1:3:once:/bin/true\n` },
  { code: "IT003", bad: `${BASE}\r\n`, good: `${BASE}\n`, dropped: true },
  { code: "IT004", bad: `${BASE}a1:3:once:/bin/tr\0ue\n`, good: `${BASE}a1:3:once:/bin/true\n`, dropped: true },
  { code: "IT004", bad: `${BASE}a1:3:once:/bin/tr\0ue\n`, good: `${BASE}a1:3:once:/bin/true\n`, run: v306 },
  { code: "IT005", bad: "id:3:initdefault\n~~:S:wait:/sbin/sulogin\n", good: BASE, dropped: true },
  { code: "IT005", bad: `${BASE}a1\n`, good: `${BASE}a1:3:once:/bin/true\n`, dropped: true },
  { code: "IT006", bad: `${BASE}:3:once:/bin/true\n`, good: `${BASE}a:3:once:/bin/true\n`, dropped: true },
  { code: "IT007", bad: `${BASE}abcde:3:once:/bin/true\n`, good: `${BASE}abcd:3:once:/bin/true\n`, dropped: true },
  {
    code: "IT008",
    bad: `${BASE}a1:3:once:/bin/true\na1:4:once:/bin/true\n`,
    good: `${BASE}a1:3:once:/bin/true\na2:4:once:/bin/true\n`,
    dropped: true,
  },
  { code: "IT009", bad: `${BASE}~~:2:once:/bin/true\n`, good: BASE },
  {
    code: "IT010",
    bad: `${BASE}a1:012345678901:once:/bin/true\n`,
    good: `${BASE}a1:01234567890:once:/bin/true\n`,
    dropped: true,
  },
  { code: "IT011", bad: `${BASE}a1:3:bogus:/bin/true\n`, good: `${BASE}a1:3:once:/bin/true\n`, dropped: true },
  { code: "IT011", bad: `${BASE}a1:3: once:/bin/true\n`, good: `${BASE}a1:3:once:/bin/true\n`, dropped: true },
  {
    code: "IT011",
    bad: `${BASE}a1:3:${"x".repeat(33)}:/bin/true\n`,
    good: `${BASE}a1:3:wait:/bin/true\n`,
    dropped: true,
  },
  { code: "IT012", bad: `${BASE}a1:3:ONCE:/bin/true\n`, good: `${BASE}a1:3:once:/bin/true\n` },
  {
    code: "IT013",
    bad: `${BASE}a1:3:once:/bin/${"x".repeat(123)}\n`,
    good: `${BASE}a1:3:once:/bin/${"x".repeat(122)}\n`,
    run: v306,
    dropped: true,
  },
  { code: "IT014", bad: `${BASE}a1:3:once:\n`, good: `${BASE}a1:3:off:\n` },
  { code: "IT015", bad: `${BASE}a1:s:wait:/bin/true\n`, good: `${BASE}a1:S:wait:/bin/true\n` },
  { code: "IT016", bad: `${BASE}a1:3x:once:/bin/true\n`, good: `${BASE}a1:3:once:/bin/true\n` },
  { code: "IT016", bad: `${BASE}a1:#:once:/bin/true\n`, good: `${BASE}a1::sysinit:/bin/true\n` },
  {
    code: "IT016",
    bad: `${BASE}t2:#:respawn:/sbin/getty 38400 tty2\n`,
    good: `${BASE}t2:2345:respawn:/sbin/getty 38400 tty2\n`,
    severity: "error",
  },
  { code: "IT017", bad: `${BASE}a1:3:sysinit:/bin/true\n`, good: `${BASE}a1::sysinit:/bin/true\n` },
  { code: "IT018", bad: `${BASE}a1::once:/bin/true\n`, good: `${BASE}a1::ctrlaltdel:/sbin/reboot\n` },
  { code: "IT019", bad: "~~:S:wait:/sbin/sulogin\n", good: BASE },
  { code: "IT019", bad: "id:3:initdefault\n~~:S:wait:/sbin/sulogin\n", good: BASE },
  { code: "IT020", bad: "id:A:initdefault:\n~~:S:wait:/sbin/sulogin\n", good: BASE },
  {
    code: "IT021",
    bad: "id:35:initdefault:\n~~:S:wait:/sbin/sulogin\n",
    good: "id:5:initdefault:\n~~:S:wait:/sbin/sulogin\n",
  },
  { code: "IT021", bad: `${BASE}i2:5:initdefault:\n`, good: BASE },
  { code: "IT022", bad: "id:0:initdefault:\n~~:S:wait:/sbin/sulogin\n", good: BASE },
  { code: "IT022b", bad: "id:S:initdefault:\n~~:S:wait:/sbin/sulogin\n", good: BASE },
  {
    code: "IT023",
    bad: "id:3:initdefault:\nca::ctrlaltdel:/sbin/reboot\n",
    good: `${BASE}ca::ctrlaltdel:/sbin/reboot\n`,
  },
  { code: "IT023b", bad: "id:3:initdefault:\n", good: BASE },
  { code: "IT024", bad: `${BASE}a1:3:once: +/bin/true\n`, good: `${BASE}a1:3:once:+/bin/true\n` },
  { code: "IT025", bad: `${BASE}a1:3:once:@/bin/true\n`, good: `${BASE}a1:3:once:/bin/true\n`, run: v288 },
  { code: "IT026", bad: `${BASE}a1:3:once:/bin/true > /dev/null\n`, good: `${BASE}a1:3:once:/bin/true\n` },
  { code: "IT026b", bad: `${BASE}a1:3:once:/bin/a; /bin/b\n`, good: `${BASE}a1:3:once:/bin/a | /bin/b\n`, run: v306 },
  { code: "IT027", bad: `${BASE}a1:3:once:${words(15)}\n`, good: `${BASE}a1:3:once:${words(14)}\n` },
  { code: "IT028", bad: `${BASE}a1:3:once:/bin/echo a # b\n`, good: `${BASE}a1:3:once:/bin/echo a b\n` },
  {
    code: "IT029",
    bad: `${BASE}g1:3:wait:/sbin/getty 38400 tty1\nb1:3:once:/bin/true\n`,
    good: `${BASE}g1:3:respawn:/sbin/getty 38400 tty1\nb1:3:once:/bin/true\n`,
  },
  {
    code: "IT030",
    bad: BASE,
    good: BASE,
    run: { tabs: { "a.tab": "a1:3:once:/bin/a\na2:3:once:/bin/b\n" } },
    goodRun: { tabs: { "a.tab": "# one\na1:3:once:/bin/a\n" } },
  },
  {
    code: "IT030b",
    bad: BASE,
    good: BASE,
    run: { tabs: { "a.tab": "t1:3:once:/bin/a\n", "b.tab": "t1:3:once:/bin/b\n" } },
    goodRun: { tabs: { "a.tab": "t1:3:once:/bin/a\n", "b.tab": "t2:3:once:/bin/b\n" } },
    dropped: true,
  },
  {
    code: "IT030c",
    bad: BASE,
    good: BASE,
    run: { tabs: { "a.tab": "t1:3:once:/bin/a\n" }, tabDirNames: ["b.tab~"] },
    goodRun: { tabs: { "a.tab": "t1:3:once:/bin/a\n" }, tabDirNames: [] },
  },
  {
    code: "IT031",
    bad: BASE,
    good: BASE,
    run: { tabs: { "a.tab": "" } },
    goodRun: { tabs: { "a.tab": "t1:3:once:/bin/a\n" } },
  },
  {
    code: "IT032",
    bad: BASE,
    good: BASE,
    run: { dialect: "sysvinit@2.88", tabs: { "a.tab": "t1:3:once:/bin/a\n" } },
    goodRun: { tabs: { "a.tab": "t1:3:once:/bin/a\n" } },
  },
  {
    code: "IT033",
    bad: `${BASE}l0u:0:exec:/sbin/halt\n`,
    good: `${BASE}l0u:0:exec:/sbin/halt\n`,
    goodRun: exec,
    dropped: true,
  },
  { code: "EX001", bad: `${BASE}l0u:3:exec:/sbin/halt\n`, good: `${BASE}l0u:0:exec:/sbin/halt\n`, run: exec },
  { code: "EX001", bad: `${BASE}l0u::exec:/sbin/halt\n`, good: `${BASE}l0u:06:exec:/sbin/halt\n`, run: exec },
  {
    code: "EX002",
    bad: "id:6:initdefault:\n~~:S:wait:/sbin/sulogin\nl6u:6:exec:/sbin/reboot\n",
    good: `${BASE}l6u:6:exec:/sbin/reboot\n`,
    run: exec,
  },
  {
    code: "EX003",
    bad: `${BASE}e1:0:exec:/sbin/halt\ne2:0:exec:/sbin/halt\n`,
    good: `${BASE}e1:0:exec:/sbin/halt\ne2:6:exec:/sbin/reboot\n`,
    run: exec,
  },
  {
    code: "EX004",
    bad: `${BASE}l0u:0:exec:/sbin/halt\nl0:0:wait:/etc/init.d/rc 0\n`,
    good: `${BASE}l0:0:wait:/etc/init.d/rc 0\nl0u:0:exec:/sbin/halt\n`,
    run: exec,
  },
  { code: "EX005", bad: `${BASE}l0u:0:exec:halt -p\n`, good: `${BASE}l0u:0:exec:/sbin/halt -p\n`, run: exec },
  { code: "EX005", bad: `${BASE}l0u:0:exec:\n`, good: `${BASE}l0u:0:exec:/sbin/halt -p\n`, run: exec },
  {
    code: "EX006",
    bad: `${BASE}r1:0:respawn:/bin/logger\nl0u:0:exec:/sbin/halt\n`,
    good: `${BASE}r1:3:respawn:/bin/logger\nl0u:0:exec:/sbin/halt\n`,
    run: exec,
  },
  { code: "TMP001", bad: "l0:0:wait:/etc/init.d/rc 0\nsu:S:off:\n", good: DUMMY, run: tmpfs },
  { code: "TMP001", bad: "id:S:initdefault:\nl0:0:wait:/etc/init.d/rc 0\nsu:S:off:\n", good: DUMMY, run: tmpfs },
  { code: "TMP001", bad: "id:0:initdefault:\nl0:0:wait:/etc/init.d/rc 0\nsu:S:off:\n", good: DUMMY, run: tmpfs },
  {
    code: "TMP001",
    bad: "id:3:initdefault:\nl0:0:wait:/etc/init.d/rc 0\nl3:3:wait:/etc/init.d/rc 3\nsu:S:off:\n",
    good: DUMMY,
    run: tmpfs,
  },
  { code: "TMP002", bad: `${DUMMY}si::sysinit:/etc/init.d/rcS\n`, good: DUMMY, run: tmpfs },
  { code: "TMP003", bad: `${DUMMY}1:2345:respawn:/sbin/getty 38400 tty1\n`, good: DUMMY, run: tmpfs },
  { code: "TMP004", bad: "id:7:initdefault:\nsu:S:off:\n", good: DUMMY, run: tmpfs },
  { code: "TMP005", bad: `${DUMMY}x0:0:once:/bin/echo late\n`, good: DUMMY, run: tmpfs },
  { code: "TMP006", bad: "id:7:initdefault:\nl0:0:wait:/etc/init.d/rc 0\n", good: DUMMY, run: tmpfs },
  { code: "TMP007", bad: DUMMY.replace(/\n/g, "\r\n"), good: DUMMY, run: tmpfs },
  { code: "TMP008", bad: DUMMY.replace("l0:0:wait", "x0:0:wait"), good: DUMMY.replace("rc 0", "rc0"), run: withLive },
  {
    code: "TMP008",
    bad: DUMMY.replace("l0:0:wait", "l0:0:once"),
    good: DUMMY.replace("/etc/init.d/rc 0", "/bin/true"),
    run: withLive,
  },
  { code: "TMP008", bad: "id:7:initdefault:\nsu:S:off:\n", good: DUMMY, run: withLive, severity: "error" },
  {
    code: "TMP007",
    bad: DUMMY.slice(0, -1),
    good: DUMMY,
    run: { dialect: "sysvinit@3.06", options: { profile: "tmpfs" } },
  },
  { code: "BB001", bad: "::sysinit\n", good: "::sysinit:/bin/true\n", run: bb, dropped: true },
  { code: "BB002", bad: "::SYSINIT:/bin/true\n", good: "::sysinit:/bin/true\n", run: bb, dropped: true },
  { code: "BB003", bad: "::initdefault:/bin/true\n", good: "::sysinit:/bin/true\n", run: bb, dropped: true },
  { code: "BB004", bad: "::bogus:/bin/true\n", good: "::once:/bin/true\n", run: bb, dropped: true },
  { code: "BB005", bad: "::sysinit:/bin/echo a#b\n", good: "::sysinit:/bin/echo a # b\n", run: bb },
  {
    code: "BB006",
    bad: "  # indented\n::sysinit:/bin/true\n",
    good: "# comment\n::sysinit:/bin/true\n",
    run: bb,
    dropped: true,
  },
  { code: "BB006", bad: "  \n::sysinit:/bin/true\n", good: "\n::sysinit:/bin/true\n", run: bb, dropped: true },
  { code: "BB007", bad: "::sysinit:\n", good: "::sysinit:/bin/true\n", run: bb, dropped: true },
  {
    code: "BB008",
    bad: "S0::respawn:/sbin/getty -L ttyS0 115200\n",
    good: "ttyS0::respawn:/sbin/getty -L ttyS0 115200\n",
    run: bb,
  },
  {
    code: "BB009",
    bad: "tty1:2345:respawn:/sbin/getty 38400 tty1\n",
    good: "tty1::respawn:/sbin/getty 38400 tty1\n",
    run: bb,
  },
  {
    code: "BB010",
    bad: "tty1::respawn:/sbin/getty 38400 tty1\ntty1::askfirst:/sbin/getty 38400 tty1\n",
    good: "tty1::respawn:/sbin/getty 38400 tty1\ntty2::askfirst:/sbin/getty 38400 tty1\n",
    run: bb,
  },
  { code: "BB011", bad: "::restart:/sbin/init\n::restart:/bin/sh\n", good: "::restart:/sbin/init\n", run: bb },
  { code: "BB012", bad: "::sysinit:/bin/true\r\n", good: "::sysinit:/bin/true\n", run: bb },
  { code: "BB012", bad: "\r\n::sysinit:/bin/true\n", good: "\n::sysinit:/bin/true\n", run: bb, dropped: true },
  { code: "BB013", bad: "::sysinit:/bin/mount -a; /bin/mkdir /x\n", good: "::sysinit:/bin/mount -a\n", run: bb },
  { code: "BB014", bad: "::sysinit:/bin/true", good: "::sysinit:/bin/true\n", run: bb },
  { code: "IT035", bad: `\ufeff# comment\n${BASE}`, good: `# comment\n${BASE}`, dropped: true },
  { code: "IT035", bad: `\ufeff${BASE}`, good: BASE, dropped: true },
  { code: "IT035", bad: `\ufeffa:3:once:/bin/true\n${BASE}`, good: `a:3:once:/bin/true\n${BASE}` },
  {
    code: "IT036",
    bad: `${BASE}T0:23:respawn:/sbin/getty -L ttyS0 115200 vt100\nT1:2:respawn:/sbin/agetty -L 115200 /dev/ttyS0 vt100\n`,
    good: `${BASE}T0:3:respawn:/sbin/getty -L ttyS0 115200 vt100\nT1:2:respawn:/sbin/agetty -L 115200 /dev/ttyS0 vt100\n`,
  },
  {
    code: "IT036",
    bad: `${BASE}1:2345:respawn:/sbin/getty 38400 tty1\n2::respawn:/sbin/mingetty tty1\n`,
    good: `${BASE}1:2345:respawn:/sbin/getty 38400 tty1\n2:2345:respawn:/sbin/getty 38400 tty2\n`,
  },
  { code: "BB015", bad: "\ufeff::sysinit:/bin/true\n", good: "::sysinit:/bin/true\n", run: bb },
  {
    code: "BB015",
    bad: "\ufeff# comment\n::sysinit:/bin/true\n",
    good: "# comment\n::sysinit:/bin/true\n",
    run: bb,
    dropped: true,
  },
  {
    code: "BB016",
    bad: "ttyS0::respawn:/sbin/getty -L ttyS0 115200 vt100\nttyS0::respawn:/sbin/getty -L ttyS0 9600 vt100\n",
    good: "ttyS0::respawn:/sbin/getty -L ttyS0 115200 vt100\ntty1::respawn:/sbin/getty 38400 tty1\n",
    run: bb,
  },
  {
    code: "SUP001",
    bad: `${BASE}# inittab-disable-next-line IT012\na1:3:once:/bin/true\n`,
    good: `${BASE}# inittab-disable-next-line IT012\na1:3:ONCE:/bin/true\n`,
  },
  {
    code: "SUP002",
    bad: `${BASE}# inittab-disable IT999\n`,
    good: `${BASE}# inittab-disable IT012\na1:3:ONCE:/bin/true\n`,
  },
];

/** Codes a file check never reports on its own: the edit gate's, and the fallback (see drops.test.ts). */
const NOT_FILE_RULES = new Set(["IT034", "IT000"]);
/** The --root rules need an image on disk (root.test.ts). */
const IMAGE_RULES = new Set(["RT001", "RT002", "RT003"]);

describe("every rule triggers on its example and not on the near miss", () => {
  for (const c of CASES) {
    it(`${c.code}: ${JSON.stringify(c.bad).slice(0, 70)}${c.run?.dialect ? ` (${c.run.dialect})` : ""}`, () => {
      const bad = diagnostics(c.bad, c.run).filter((d) => d.code === c.code);
      expect(bad.length, `no ${c.code} in ${JSON.stringify(c.bad)}`).toBeGreaterThan(0);
      if (c.dropped) expect(bad.some((d) => d.dropped)).toBe(true);
      else expect(bad.every((d) => !d.dropped)).toBe(true);
      if (c.severity) expect(bad[0]!.severity).toBe(c.severity);
      const good = diagnostics(c.good, c.goodRun ?? c.run).filter((d) => d.code === c.code);
      expect(good, `unexpected ${c.code} in ${JSON.stringify(c.good)}`).toEqual([]);
    });
  }

  it("covers every registered code", () => {
    const tested = new Set(CASES.map((c) => c.code));
    const missing = RULES.map((r) => r.code).filter(
      (code) => !tested.has(code) && !NOT_FILE_RULES.has(code) && !IMAGE_RULES.has(code),
    );
    expect(missing).toEqual([]);
  });
});

describe("a byte order mark", () => {
  it("is one finding in place of what the first line would give, and --fix's edit removes exactly its bytes", () => {
    const found = diagnostics(`\ufeff# /etc/inittab: init(8) configuration.\n${BASE}`);
    expect(found.map((d) => d.code)).toEqual(["IT035"]);
    expect(found[0]!.message).toContain("byte order mark");
    expect(found[0]!.fix).toEqual([{ start: 0, end: 3, text: "" }]);
  });

  it("keeps whole-file consequences: the initdefault on line 1 is lost, so IT019 stays", () => {
    expect(codes("\ufeffid:3:initdefault:\n~~:S:wait:/sbin/sulogin\n").sort()).toEqual(["IT019", "IT035"]);
  });
});

describe("messages say what init does", () => {
  it("quotes init's own log message for a dropped line", () => {
    const [d] = diagnostics(`${BASE}abcde:3:once:/bin/true\n`).filter((x) => x.code === "IT007");
    expect(d!.message).toContain("init ignores this line");
    expect(d!.message).toContain('"id field too long (max 4 characters)"');
  });

  it("IT005: init logs the last failing check, not the first", () => {
    // 2 colons and a 5-byte id: init's later "id too long" check overwrites "missing process field".
    const ds = diagnostics(`${BASE}abcde:3:once\n`);
    expect(ds.find((d) => d.code === "IT005")!.message).toContain('"id field too long (max 4 characters)"');
    expect(ds.find((d) => d.code === "IT007")!.dropped).toBe(true);
    expect(ds.find((d) => d.code === "IT005")!.dropped).toBe(false);
  });

  it("a field rule on a line dropped for another problem names what init really logs", () => {
    // ":::": the empty id is checked first, but the empty action overwrites its message.
    const empty = diagnostics(`${BASE}:::\n`);
    const it006 = empty.find((d) => d.code === "IT006")!;
    expect(it006.dropped).toBe(false);
    expect(it006.message).not.toContain('"missing id field"');
    expect(it006.message).toContain('"missing action field"');
    expect(empty.find((d) => d.code === "IT011")!.message).toContain('(init logs "missing action field")');
    // A BusyBox line read by sysvinit: the id-length check comes after the action lookup would.
    const bbLine = diagnostics(`${BASE}ttyS0::askfirst:-/bin/sh\n`, { dialect: "sysvinit@3.06" });
    const it011 = bbLine.find((d) => d.code === "IT011")!;
    expect(it011.message).not.toContain("unknown action field");
    expect(it011.message).toContain('"id field too long (max 4 characters)"');
    // 3.14: a too-long line is dropped before its fields are checked.
    const long = diagnostics(`${BASE}abcde:3:once:/bin/echo ${"x".repeat(260)}\n`);
    expect(long.find((d) => d.code === "IT007")!.message).toContain(
      'before it looks at the fields, and logs "Error detected in /etc/inittab at line 3. Possibly too long."',
    );
  });

  it("IT005: a long line of blanks split by 3.06 is not called the last line", () => {
    // init 3.06 logs "/etc/inittab[4]: missing action field" for the first 255 blanks (conformance).
    const d = diagnostics(`${BASE}${" ".repeat(300)}\nab:3:once:/bin/true\n`, v306).find((x) => x.code === "IT005")!;
    expect(d.dropped).toBe(true);
    expect(d.message).not.toContain("last line");
    expect(d.message).toContain("bytes 1-255 of this 301-byte line");
    expect(d.message).toContain('(init logs "missing action field")');
  });

  it("IT005 hints at the missing trailing colon of an initdefault", () => {
    const d = diagnostics("id:3:initdefault\n").find((x) => x.code === "IT005")!;
    expect(d.message).toContain('end the line with "initdefault:"');
  });

  it("the exec message names --allow-exec", () => {
    const d = diagnostics(`${BASE}l0u:0:exec:/lib/deinitramfs/deinit /sbin/halt -dhp\n`).find(
      (x) => x.code === "IT033",
    )!;
    expect(d.message).toMatch(/^no released sysvinit knows the action `exec`; init ignores this line/);
    expect(d.message).toContain("pass --allow-exec if your init carries the exec patch");
  });

  it("field values in messages are escaped, never raw control bytes", () => {
    const ds = diagnostics(`${BASE}a\x1b[2J:3:once:/bin/true\n`);
    const d = ds.find((x) => x.code === "IT007")!;
    expect(d.message).not.toMatch(/[\x00-\x1f\x7f]/);
    expect(d.message).toContain("\\x1b");
  });

  it("IT011 suggests the nearest action", () => {
    const d = diagnostics(`${BASE}a1:3:respwan:/bin/true\n`).find((x) => x.code === "IT011")!;
    expect(d.message).toContain('did you mean "respawn"');
  });

  it("IT011 points BusyBox actions read as sysvinit at --dialect", () => {
    const d = diagnostics(`${BASE}a1:3:askfirst:/bin/sh\n`).find((x) => x.code === "IT011")!;
    expect(d.message).toContain("BusyBox action");
  });
});

describe("EX004 and signal-triggered waited-for entries", () => {
  // ctrlaltdel and the power actions are waited for, but init moves them to the front of its
  // list and starts them flagged as already run: an exec line before them in the file does not
  // skip them, so it is not misplaced (Debian puts `ca` and `pf` after the rc lines).
  const file = (tail: string) => `${BASE}l0:0:wait:/etc/init.d/rc 0\nl0u:0:exec:/sbin/halt -dhp\n${tail}`;
  for (const tail of [
    "ca:12345:ctrlaltdel:/sbin/shutdown -t1 -a -r now\n",
    "pf::powerwait:/etc/init.d/powerfail start\n",
    "pn::powerfailnow:/etc/init.d/powerfail now\n",
    "po::powerokwait:/etc/init.d/powerfail stop\n",
    "kb::kbrequest:/bin/echo kb\n",
  ]) {
    it(`an exec entry before "${tail.trim()}" is not reported`, () => {
      expect(diagnostics(file(tail), exec).map((d) => d.code)).not.toContain("EX004");
    });
  }
  it("an exec entry before a plain wait entry of its level still is", () => {
    expect(diagnostics(file("l0s:0:wait:/etc/init.d/sendsigs\n"), exec).map((d) => d.code)).toContain("EX004");
  });
});
