/** Suppression comments: explicit scopes, and unused or unknown directives reported. */
import { describe, expect, it } from "vitest";
import { BASE, codes, diagnostics } from "./support.js";

describe("suppression comments", () => {
  it("disable-next-line suppresses the listed codes on the next line only", () => {
    const text = `${BASE}# inittab-disable-next-line IT012,IT018\na1::ONCE:/bin/true\na2::ONCE:/bin/true\n`;
    const ds = diagnostics(text);
    expect(ds.filter((d) => d.line === 4)).toEqual([]);
    expect(
      ds
        .filter((d) => d.line === 5)
        .map((d) => d.code)
        .sort(),
    ).toEqual(["IT012", "IT018"]);
  });

  it("codes may be separated by blanks, and a reason may follow --", () => {
    const text = `${BASE}# inittab-disable-next-line IT012 IT018 -- vendor file, kept as shipped\na1::ONCE:/bin/true\n`;
    expect(codes(text)).toEqual([]);
  });

  it("disable applies to the whole file", () => {
    const text = `# inittab-disable IT023b\nid:3:initdefault:\n`;
    expect(codes(text)).toEqual([]);
    expect(codes(`id:3:initdefault:\n`)).toEqual(["IT023b"]);
  });

  it("a suppressed drop is gone from the output", () => {
    const text = `${BASE}# inittab-disable-next-line IT007\nabcde:3:once:/bin/true\n`;
    expect(codes(text)).toEqual([]);
  });

  it("reports a directive that suppresses nothing (SUP001), at the code", () => {
    const text = `${BASE}# inittab-disable-next-line IT012\na1:3:once:/bin/true\n`;
    const [d] = diagnostics(text);
    expect(d).toMatchObject({ code: "SUP001", line: 3, column: 29, endColumn: 34 });
  });

  it("reports an unknown code (SUP002) and a directive without codes", () => {
    expect(codes(`${BASE}# inittab-disable IT999\n`)).toEqual(["SUP002"]);
    expect(codes(`${BASE}# inittab-disable\n`)).toEqual(["SUP002"]);
  });

  it("does not call a --root or --allow-exec rule unused when its option is off", () => {
    expect(codes(`${BASE}# inittab-disable RT001 EX004\n`)).toEqual([]);
    expect(codes(`${BASE}# inittab-disable EX004\n`, { options: { allowExec: true } })).toEqual(["SUP001"]);
  });

  it("an ordinary comment mentioning the word is not a directive", () => {
    expect(codes(`${BASE}# see inittab-disable-next-line in the docs\n`)).toEqual([]);
  });

  it("works in BusyBox files (comments in column 1)", () => {
    const text = "# inittab-disable-next-line BB009\ntty1:2345:respawn:/sbin/getty 38400 tty1\n";
    expect(codes(text, { dialect: "busybox" })).toEqual([]);
  });
});
