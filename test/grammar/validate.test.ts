/**
 * chevrotain's own checks of the grammar, which the shared lexers and parser skip at start-up:
 * token definitions (unreachable or empty patterns, bad modes) and parser rules (ambiguity,
 * left recursion, duplicate productions).
 */
import { describe, expect, it, vi } from "vitest";
import { createLexer, InittabParser, type Syntax } from "../../src/grammar/index.js";

describe("grammar validations", () => {
  it.each(["sysvinit", "busybox"] as Syntax[])("the %s lexer definition has no errors or warnings", (syntax) => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const lexer = createLexer(syntax, { validate: true });
      expect(lexer.lexerDefinitionErrors).toEqual([]);
      // Warnings (e.g. a pattern that can never be reached) are printed, not thrown.
      expect(warn).not.toHaveBeenCalled();
      expect(error).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
      error.mockRestore();
    }
  });

  it("the parser passes chevrotain's grammar validations", () => {
    // With validations on, performSelfAnalysis throws on any definition error.
    expect(() => new InittabParser({ validate: true })).not.toThrow();
  });
});
