import { describe, expect, it } from "vitest";
import { splitCommand, validateArgv } from "../../src/write/index.js";

describe("splitCommand (shell-like words, no expansion)", () => {
  it.each([
    ["visudo -cf %s", ["visudo", "-cf", "%s"]],
    ["  a\t b  ", ["a", "b"]],
    ["sh -c 'test -s \"$1\"' sh %s", ["sh", "-c", 'test -s "$1"', "sh", "%s"]],
    ['grep -q "a b\\"c" %s', ["grep", "-q", 'a b"c', "%s"]],
    ["a\\ b %s", ["a b", "%s"]],
    ["'' %s", ["", "%s"]],
    ["x$HOME;rm %s", ["x$HOME;rm", "%s"]],
  ])("%s", (command, words) => {
    expect(splitCommand(command)).toEqual(words);
  });

  it("refuses unterminated quotes", () => {
    expect(() => splitCommand("a 'b")).toThrow(/unterminated single quote/);
    expect(() => splitCommand('a "b')).toThrow(/unterminated double quote/);
  });
});

describe("validateArgv", () => {
  it("puts the file where %s is, in any word", () => {
    expect(validateArgv("check --file=%s %s", "/etc/.inittab.1.ab.tmp")).toEqual(["check", "--file=/etc/.inittab.1.ab.tmp", "/etc/.inittab.1.ab.tmp"]);
  });
  it("requires %s and a command", () => {
    expect(() => validateArgv("true", "f")).toThrow(/must contain %s/);
    expect(() => validateArgv("   ", "f")).toThrow(/empty/);
  });
});
