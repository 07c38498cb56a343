/**
 * The inittab grammar (one CstParser for both syntaxes; the lexer decides which tokens occur).
 * grammar/inittab.ebnf is the readable form of this file and of tokens.ts.
 *
 *   inittab  := line*
 *   line     := Newline | Indent lineBody? Newline? | lineBody Newline?
 *   lineBody := Comment | tail | entry tail?
 *   tail     := BusyBoxComment | NulTail
 *   entry    := id fieldsAfterId? | fieldsAfterId
 *   fieldsAfterId := Colon1 runlevels? ( Colon2 action? ( Colon3 process? )? )?
 *   id       := ( IdText | Continuation )+        (runlevels, action, process alike)
 *
 * Every token sequence the lexers produce is a sentence of this grammar, so the parser does not
 * fail on real input; recovery is still on, so that a line it cannot place costs only that line.
 */
import type { CstNode, IToken } from "chevrotain";
import { chevrotain } from "./chevrotain.js";
import {
  allTokens, ActionText, BusyBoxComment, Colon1, Colon2, Colon3, Comment, Continuation, IdText,
  Indent, Newline, NulTail, ProcessText, RunlevelsText, lexerFor, type Syntax,
} from "./tokens.js";

export class InittabParser extends chevrotain.CstParser {
  /**
   * @param options.validate run chevrotain's grammar validations (ambiguities, left recursion…).
   * They cost a good part of the CLI's start-up and can only fail when the grammar itself is
   * wrong, so the shared instance skips them and test/grammar/validate.test.ts runs them.
   */
  constructor(options: { validate?: boolean } = {}) {
    // Line nodes carry their offsets so that the document builder can cut the token vector
    // into lines without walking every node.
    super(allTokens, {
      recoveryEnabled: true,
      nodeLocationTracking: "onlyOffset",
      maxLookahead: 2,
      skipValidations: options.validate !== true,
    });
    this.performSelfAnalysis();
  }

  public inittab = this.RULE("inittab", () => {
    this.MANY(() => this.SUBRULE(this.line));
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

  public entry = this.RULE("entry", () => {
    this.OR([
      {
        ALT: () => {
          this.SUBRULE(this.id);
          this.OPTION(() => this.SUBRULE(this.fieldsAfterId));
        },
      },
      { ALT: () => this.SUBRULE2(this.fieldsAfterId) },
    ]);
  });

  public fieldsAfterId = this.RULE("fieldsAfterId", () => {
    this.CONSUME(Colon1);
    this.OPTION(() => this.SUBRULE(this.runlevels));
    this.OPTION2(() => {
      this.CONSUME(Colon2);
      this.OPTION3(() => this.SUBRULE(this.action));
      this.OPTION4(() => {
        this.CONSUME(Colon3);
        this.OPTION5(() => this.SUBRULE(this.process));
      });
    });
  });

  public id = this.RULE("id", () => {
    this.AT_LEAST_ONE(() => this.OR([{ ALT: () => this.CONSUME(IdText) }, { ALT: () => this.CONSUME(Continuation) }]));
  });

  public runlevels = this.RULE("runlevels", () => {
    this.AT_LEAST_ONE(() =>
      this.OR([{ ALT: () => this.CONSUME(RunlevelsText) }, { ALT: () => this.CONSUME(Continuation) }]),
    );
  });

  public action = this.RULE("action", () => {
    this.AT_LEAST_ONE(() =>
      this.OR([{ ALT: () => this.CONSUME(ActionText) }, { ALT: () => this.CONSUME(Continuation) }]),
    );
  });

  public process = this.RULE("process", () => {
    this.AT_LEAST_ONE(() =>
      this.OR([{ ALT: () => this.CONSUME(ProcessText) }, { ALT: () => this.CONSUME(Continuation) }]),
    );
  });
}

let instance: InittabParser | undefined;

/** The one parser instance (chevrotain parsers are meant to be built once and reused). */
export function parserInstance(): InittabParser {
  return (instance ??= new InittabParser());
}

export interface CstResult {
  /** Every token of the input, in order; their images concatenate to the input. */
  tokens: IToken[];
  cst: CstNode;
  /** Parser errors (not expected on lexer output; kept so a caller can fall back per line). */
  errors: string[];
}

/**
 * Lex and parse a binary string (one char per byte) with the given syntax.
 * Never throws and never drops a character.
 */
export function parseCst(binary: string, syntax: Syntax): CstResult {
  const lexed = lexerFor(syntax).tokenize(binary);
  if (lexed.errors.length > 0) {
    // Cannot happen: every mode ends in a catch-all. Fail loudly rather than lose bytes.
    throw new Error(`inittab lexer lost input at offset ${lexed.errors[0]?.offset}`);
  }
  const parser = parserInstance();
  parser.input = lexed.tokens;
  const cst = parser.inittab();
  return { tokens: lexed.tokens, cst, errors: parser.errors.map((e) => e.message) };
}
