/**
 * docs/grammar/inittab.ebnf says exactly what src/grammar/tokens.ts and src/grammar/parser.ts do: the same
 * parser rules (compared with the parser's own serialized grammar), the same token patterns,
 * categories and mode changes, and the same lexer modes in the same order.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ISerializedGast, TokenType } from "chevrotain";
import { describe, expect, it } from "vitest";
import { allTokens, LEXER_MODES, parserInstance } from "../../src/grammar/index.js";

const ebnf = readFileSync(fileURLToPath(new URL("../../docs/grammar/inittab.ebnf", import.meta.url)), "utf8");
// Comments are `(* ... *)`, possibly over several lines.
const text = ebnf.replace(/\(\*[\s\S]*?\*\)/g, "");
const lines = text.split("\n");

/** A serialized production as EBNF, in the notation the file uses. */
function render(defs: ISerializedGast[]): string {
  return defs.map(item).join(" ");
}
function item(g: ISerializedGast): string {
  const def = (g as { definition?: ISerializedGast[] }).definition ?? [];
  switch (g.type) {
    case "Terminal":
    case "NonTerminal":
      return nameOf(g);
    case "Option":
      return quantified(def, "?");
    case "Repetition":
      return quantified(def, "*");
    case "RepetitionMandatory":
      return quantified(def, "+");
    case "Alternation":
      return `( ${alternatives(def)} )`;
    default:
      throw new Error(`no EBNF for ${g.type}`);
  }
}
function alternatives(alts: ISerializedGast[]): string {
  return alts.map((a) => render((a as { definition: ISerializedGast[] }).definition)).join(" | ");
}
function quantified(def: ISerializedGast[], q: string): string {
  const atom = def.length === 1 && (def[0]!.type === "Terminal" || def[0]!.type === "NonTerminal");
  return atom
    ? `${item(def[0]!)}${q}`
    : `( ${def.length === 1 && def[0]!.type === "Alternation" ? alternatives((def[0] as { definition: ISerializedGast[] }).definition) : render(def)} )${q}`;
}
function ruleBody(rule: ISerializedGast): string {
  const def = (rule as { definition: ISerializedGast[] }).definition;
  // A rule that is one choice is written without the parentheses.
  return def.length === 1 && def[0]!.type === "Alternation"
    ? alternatives((def[0] as { definition: ISerializedGast[] }).definition)
    : render(def);
}

const nameOf = (g: ISerializedGast): string => (g as unknown as { name: string }).name;
const squash = (s: string) => s.trim().replace(/\s+/g, " ");

describe("parser rules", () => {
  const fileRules = new Map<string, string>();
  for (const l of lines) {
    const m = /^(\w+)\s*::=\s*(.*)$/.exec(l);
    if (m) fileRules.set(m[1]!, squash(m[2]!));
  }
  const productions = parserInstance().getSerializedGastProductions();

  it("names the same rules", () => {
    expect([...fileRules.keys()].sort()).toEqual(productions.map(nameOf).sort());
  });

  it.each(productions.map((p) => [nameOf(p), p] as const))("%s", (name, p) => {
    expect(fileRules.get(name)).toBe(ruleBody(p));
  });
});

describe("tokens", () => {
  interface FileToken {
    pattern?: string;
    categories: string[];
    push?: string;
    pop: boolean;
  }
  const fileTokens = new Map<string, FileToken>();
  let current: FileToken | undefined;
  for (const l of lines) {
    const t = /^token (\w+)\s*(?:=\s*(?:\/(.*)\/|(custom)\s*$))?/.exec(l);
    if (t) {
      const pattern = t[2] ?? t[3];
      current = { categories: [], pop: false, ...(pattern !== undefined ? { pattern } : {}) };
      fileTokens.set(t[1]!, current);
      continue;
    }
    const attr = /^\s+(category|push|pop)\s*(\w*)\s*$/.exec(l);
    if (attr && current) {
      if (attr[1] === "category") current.categories.push(attr[2]!);
      else if (attr[1] === "push") current.push = attr[2]!;
      else current.pop = true;
      continue;
    }
    if (l.trim() !== "") current = undefined;
  }

  it("lists every token type once", () => {
    expect([...fileTokens.keys()].sort()).toEqual(allTokens.map((t) => t.name).sort());
  });

  it.each(allTokens.map((t) => [t.name, t] as const))("%s", (name, t: TokenType) => {
    const f = fileTokens.get(name)!;
    // Newline is a category only (its pattern is chevrotain's Lexer.NA): it matches nothing
    // itself. A function pattern is written `custom`.
    const source = t.PATTERN instanceof RegExp ? t.PATTERN.source : "custom";
    const pattern = source === "NOT_APPLICABLE" ? undefined : source;
    expect(f.pattern).toBe(pattern);
    expect(f.categories).toEqual((t.CATEGORIES ?? []).map((c) => c.name));
    expect(f.push).toBe(t.PUSH_MODE);
    expect(f.pop).toBe(t.POP_MODE === true);
  });
});

describe("lexer modes", () => {
  const fileModes = new Map<string, string[]>();
  for (const l of lines) {
    const m = /^mode (\w+)\.(\w+)\s*=\s*(.*)$/.exec(l);
    if (m)
      fileModes.set(
        `${m[1]}.${m[2]}`,
        m[3]!.split("/").map((s) => s.trim()),
      );
  }
  const expected = new Map<string, string[]>();
  for (const [syntax, def] of Object.entries(LEXER_MODES)) {
    expect(def.defaultMode).toBe("lineStart");
    for (const [mode, tokens] of Object.entries(def.modes))
      expected.set(
        `${syntax}.${mode}`,
        tokens.map((t) => t.name),
      );
  }

  it("has every mode of both syntaxes, with the tokens in the order the lexer tries them", () => {
    expect(Object.fromEntries(fileModes)).toEqual(Object.fromEntries(expected));
  });
});
