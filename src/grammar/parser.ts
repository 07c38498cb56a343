/**
 * The inittab grammar: one parser for both syntaxes (the lexer decides which tokens occur).
 * docs/grammar/inittab.ebnf is the readable form of this file and of tokens.ts.
 *
 *   inittab  := line*
 *   line     := Newline | Indent lineBody? Newline? | lineBody Newline?
 *   lineBody := Comment | tail | entry tail?
 *   tail     := BusyBoxComment | NulTail
 *   entry    := ( IdText | Continuation )+ fields? | fields
 *   fields   := Colon1 ( RunlevelsText | Continuation )*
 *               ( Colon2 ( ActionText | Continuation )* ( Colon3 ( ProcessText | Continuation )* )? )?
 *
 * Every token sequence the lexers produce is a sentence of this grammar, so the parser does not
 * fail on real input. What the parse yields is where each line ends: the document builder reads
 * the fields off the line's tokens. It is an embedded-actions parser, so no concrete syntax tree
 * is built: the tree's nodes cost more than lexing and parsing together (profiled on a
 * 22,000-line file), and nothing read them but their end offsets.
 */
import type { IToken } from "chevrotain";
import { chevrotain } from "./chevrotain.js";
import {
  allTokens,
  ActionText,
  BusyBoxComment,
  Colon1,
  Colon2,
  Colon3,
  Comment,
  Continuation,
  IdText,
  Indent,
  Newline,
  NulTail,
  ProcessText,
  RunlevelsText,
  lexerFor,
  type Syntax,
} from "./tokens.js";
import { withJoinMarks } from "./busybox-lines.js";

export class InittabParser extends chevrotain.EmbeddedActionsParser {
  /** Where each line parsed so far ends (exclusive offset into the parsed text). */
  private lineEnds: number[] = [];

  /**
   * @param options.validate run chevrotain's grammar validations (ambiguities, left recursion…).
   * They cost a good part of the CLI's start-up and can only fail when the grammar itself is
   * wrong, so the shared instance skips them and test/grammar/validate.test.ts runs them.
   */
  constructor(options: { validate?: boolean } = {}) {
    // No error recovery: the grammar accepts every token sequence, and should it ever fail, the
    // document builder falls back to splitting the chunk at its newlines (build.ts).
    super(allTokens, { maxLookahead: 2, skipValidations: options.validate !== true });
    this.performSelfAnalysis();
  }

  /** Parse the current input; returns the end offset of every line, in order. */
  public lines(): number[] {
    this.lineEnds = [];
    this.inittab();
    return this.lineEnds;
  }

  public inittab = this.RULE("inittab", () => {
    this.MANY(() => {
      this.SUBRULE(this.line);
      this.ACTION(() => {
        const last = this.LA(0);
        this.lineEnds.push(last.startOffset + last.image.length);
      });
    });
  });

  public line = this.RULE("line", () => {
    this.OR([
      { ALT: () => this.CONSUME(Newline) },
      {
        ALT: () => {
          this.CONSUME(Indent);
          this.OPTION(() => this.SUBRULE(this.lineBody));
          this.OPTION2(() => this.CONSUME2(Newline));
        },
      },
      {
        ALT: () => {
          this.SUBRULE2(this.lineBody);
          this.OPTION3(() => this.CONSUME3(Newline));
        },
      },
    ]);
  });

  public lineBody = this.RULE("lineBody", () => {
    this.OR([
      { ALT: () => this.CONSUME(Comment) },
      { ALT: () => this.SUBRULE(this.tail) },
      {
        ALT: () => {
          this.SUBRULE(this.entry);
          this.OPTION(() => this.SUBRULE2(this.tail));
        },
      },
    ]);
  });

  /** What ends a line's fields early: BusyBox's `#` comment, or a NUL (the end of init's C string). */
  public tail = this.RULE("tail", () => {
    this.OR([{ ALT: () => this.CONSUME(BusyBoxComment) }, { ALT: () => this.CONSUME(NulTail) }]);
  });

  /** id:runlevels:action:process, split at the first three colons; any part may be missing. */
  public entry = this.RULE("entry", () => {
    this.OR([
      {
        ALT: () => {
          this.AT_LEAST_ONE(() =>
            this.OR2([{ ALT: () => this.CONSUME(IdText) }, { ALT: () => this.CONSUME(Continuation) }]),
          );
          this.OPTION(() => this.SUBRULE(this.fields));
        },
      },
      { ALT: () => this.SUBRULE2(this.fields) },
    ]);
  });

  /** Field text; BusyBox may break a field over physical lines with backslash-newline. */
  public fields = this.RULE("fields", () => {
    this.CONSUME(Colon1);
    this.MANY(() => this.OR([{ ALT: () => this.CONSUME(RunlevelsText) }, { ALT: () => this.CONSUME(Continuation) }]));
    this.OPTION(() => {
      this.CONSUME(Colon2);
      this.MANY2(() => this.OR2([{ ALT: () => this.CONSUME(ActionText) }, { ALT: () => this.CONSUME2(Continuation) }]));
      this.OPTION2(() => {
        this.CONSUME(Colon3);
        this.MANY3(() =>
          this.OR3([{ ALT: () => this.CONSUME(ProcessText) }, { ALT: () => this.CONSUME3(Continuation) }]),
        );
      });
    });
  });
}

let instance: InittabParser | undefined;

/** The one parser instance (chevrotain parsers are meant to be built once and reused). */
export function parserInstance(): InittabParser {
  return (instance ??= new InittabParser());
}

export interface ParsedLines {
  /** Every token of the input, in order; their images concatenate to the input. */
  tokens: IToken[];
  /** The end offset (exclusive) of each grammar `line`, in order. */
  lineEnds: number[];
  /** Parser errors (not expected on lexer output; kept so a caller can fall back). */
  errors: string[];
}

/**
 * Lex and parse a binary string (one char per byte) with the given syntax.
 * Never throws and never drops a character.
 */
export function parseLines(binary: string, syntax: Syntax): ParsedLines {
  const lexer = lexerFor(syntax);
  const lexed = syntax === "busybox" ? withJoinMarks(binary, () => lexer.tokenize(binary)) : lexer.tokenize(binary);
  if (lexed.errors.length > 0) {
    // Cannot happen: every mode ends in a catch-all. Fail loudly rather than lose bytes.
    throw new Error(`inittab lexer lost input at offset ${lexed.errors[0]?.offset}`);
  }
  const parser = parserInstance();
  parser.input = lexed.tokens;
  const lineEnds = parser.lines();
  return { tokens: lexed.tokens, lineEnds, errors: parser.errors.map((e) => e.message) };
}
