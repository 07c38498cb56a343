import { describe, expect, it } from "vitest";
import { InittabError } from "../../src/base/index.js";
import { readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { runValidator, splitCommand, validateArgv, validateBytes } from "../../src/write/index.js";

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
    expect(validateArgv("check --file=%s %s", "/etc/.inittab.1.ab.tmp")).toEqual([
      "check",
      "--file=/etc/.inittab.1.ab.tmp",
      "/etc/.inittab.1.ab.tmp",
    ]);
  });
  it("requires %s and a command", () => {
    expect(() => validateArgv("true", "f")).toThrow(/must contain %s/);
    expect(() => validateArgv("   ", "f")).toThrow(/empty/);
  });
});

describe("validateBytes (content that is printed, not installed)", () => {
  it("runs the command on a private copy named like the target, then removes it", () => {
    const before = readdirSync(tmpdir()).filter((n) => n.startsWith("inittab-validate-"));
    // The copy holds the bytes and is called "inittab" (validators may look at the name).
    validateBytes(
      'sh -c \'test "$(basename "$1")" = inittab && grep -q ^ab: "$1"\' sh %s',
      Buffer.from("ab:2:once:/x\n"),
      "/etc/inittab",
    );
    expect(() => validateBytes("false %s", Buffer.from("x"), "/etc/inittab")).toThrow(
      /`validate`: false exited with status 1/,
    );
    // stdin has no name: the copy is "inittab".
    validateBytes('sh -c \'test "$(basename "$1")" = inittab\' sh %s', Buffer.from("x"), "<stdin>", "inittab");
    expect(() => validateBytes("", Buffer.from("x"), "f")).toThrow(/empty/);
    expect(readdirSync(tmpdir()).filter((n) => n.startsWith("inittab-validate-"))).toEqual(before);
  });

  it("escapes the command name in its messages", () => {
    try {
      runValidator("/nonexistent/\x1b[31mx %s", "/dev/null", "f");
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(InittabError);
      expect((err as Error).message).toBe(
        "f: `validate`: cannot run /nonexistent/\\x1b[31mx: command not found; nothing was written",
      );
    }
  });
});
