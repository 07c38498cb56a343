/**
 * The inittab token vocabulary and the two lexers (sysvinit, BusyBox).
 *
 * The lexers run over a *binary string*: one JavaScript char per input byte (latin1), so a
 * token's offsets are byte offsets and every byte, valid UTF-8 or not, lands in exactly one
 * token. Nothing is SKIPPED and every mode ends in a catch-all, so lexing cannot fail.
 *
 * Modes follow how init splits a line: the id runs to the 1st `:`, the runlevels to the 2nd,
 * the action to the 3rd, and the process is the rest of the line, colons included. The 1st
 * colon pushes a field mode, the 2nd and 3rd replace it (pop + push) and the line end pops it,
 * so the mode stack never holds more than two modes.
 *
 * A NUL byte: both inits hold a line as a C string, so a NUL ends what they see of it, and the
 * rest of the line is dead text (`NulTail`). sysvinit reads the physical line with fgets: the
 * tail runs to its newline. BusyBox 1.35 reads with getline (which keeps the bytes after a NUL)
 * and joins backslash-newlines before it tokenises, so a NUL acts exactly like `#`: the tail
 * runs to the end of the logical line, and a line that starts with a NUL is skipped like an
 * empty one. Checked on Debian's busybox 1.35 as PID 1: `::sysinit:/bin/echo one<NUL>::sysinit:
 * /bin/echo two` ran only `echo one`; `<NUL>junk` was skipped silently; `  <NUL>` was a "Bad
 * inittab entry"; a line with a NUL and a final backslash swallowed the next line.
 */
import type { Lexer as LexerType, TokenType } from "chevrotain";
import { chevrotain } from "./chevrotain.js";
import { continuationPattern, fieldTextPattern, restOfLinePattern } from "./busybox-lines.js";
import { physicalRestPattern, sysvinitTextPattern } from "./sysvinit-patterns.js";

const { createToken, Lexer } = chevrotain;

/** Line terminator: LF, or CR LF. A CR not followed by LF is data, as it is to init. */
export const Newline = createToken({ name: "Newline", pattern: Lexer.NA });
/** A terminator met before the first colon: the mode is still `lineStart`. */
export const NewlineAtStart = createToken({
  name: "NewlineAtStart",
  pattern: /\r?\n/,
  line_breaks: true,
  categories: Newline,
});
/** A terminator met inside a field mode: back to `lineStart`. */
export const NewlineInField = createToken({
  name: "NewlineInField",
  pattern: /\r?\n/,
  line_breaks: true,
  categories: Newline,
  pop_mode: true,
});

/** sysvinit only: spaces and tabs before the id, which init skips. */
export const Indent = createToken({ name: "Indent", pattern: /[ \t]+/ });

/**
 * sysvinit's whole-line comment: `#` after optional blanks, to the end of the physical line.
 * (Custom pattern, like every sysvinit text token: a regular expression for "any byte but the
 * line end" overflows V8's stack on a line of megabytes; see sysvinit-patterns.ts.)
 */
export const Comment = createToken({
  name: "Comment",
  pattern: physicalRestPattern(0x23),
  start_chars_hint: ["#"],
});

/**
 * BusyBox only: a `#` anywhere ends the logical line (even in the process). BusyBox joins
 * continued lines before it looks for `#`, so a comment that ends in a backslash swallows the
 * next physical line. Also used for BusyBox whole-line comments, for the same reason.
 * (Custom pattern: see busybox-lines.ts for how backslashes and newlines pair up.)
 */
export const BusyBoxComment = createToken({
  name: "BusyBoxComment",
  pattern: restOfLinePattern(0x23),
  line_breaks: true,
  start_chars_hint: ["#"],
});

/**
 * BusyBox only: the bytes BusyBox's line joining removes, the dropped backslashes and the
 * newlines it reads past (`\\\n`; `\\\\\n\n` when the joined line is empty; …): two or
 * more physical lines become one logical line. A backslash that ends the file is dropped the
 * same way, so it is a continuation too and never part of a field. (Custom pattern:
 * busybox-lines.ts.)
 */
export const Continuation = createToken({
  name: "Continuation",
  pattern: continuationPattern,
  line_breaks: true,
  start_chars_hint: ["\\"],
});

/**
 * A NUL and the rest of the physical line (sysvinit). init's C string ends at the NUL, so none
 * of it is part of any field (3.14 even drops the line and the next; the rules say so).
 */
export const NulTail = createToken({
  name: "NulTail",
  pattern: physicalRestPattern(0x00),
  start_chars_hint: ["\x00"],
});

/**
 * BusyBox: a NUL and the rest of the logical line, exactly like a `#` comment: a continuation
 * inside it still joins (and so swallows) the next physical line. (Custom pattern.)
 */
export const BbNulTail = createToken({
  name: "BbNulTail",
  pattern: restOfLinePattern(0x00),
  line_breaks: true,
  categories: NulTail,
  start_chars_hint: ["\x00"],
});

// The mode stack is `lineStart` plus at most one field mode: the 1st colon pushes, the 2nd and
// 3rd replace the field mode, the newline pops back to `lineStart`.
const colon = (name: string, next: string, replace: boolean): TokenType =>
  createToken({ name, pattern: /:/, ...(replace ? { pop_mode: true } : {}), push_mode: next, start_chars_hint: [":"] });

/** The three significant colons; a colon after the third is part of the process. */
export const Colon1 = colon("Colon1", "runlevels", false);
export const Colon2 = colon("Colon2", "action", true);
export const Colon3 = colon("Colon3", "process", true);

// Field text. sysvinit: any byte but `:`, NUL and the line end (sysvinit-patterns.ts). BusyBox
// also stops at `#` and at a continuation (busybox-lines.ts). A CR is data unless it is followed
// by LF (then it belongs to Newline).
const SYSV_FIELD = sysvinitTextPattern(true);
const SYSV_PROCESS = sysvinitTextPattern(false);
const BB_FIELD = fieldTextPattern(true);
const BB_PROCESS = fieldTextPattern(false);

const text = (name: string, pattern: ReturnType<typeof sysvinitTextPattern>): TokenType =>
  createToken({ name, pattern, line_breaks: false });

export const IdText = text("IdText", SYSV_FIELD);
export const RunlevelsText = text("RunlevelsText", SYSV_FIELD);
export const ActionText = text("ActionText", SYSV_FIELD);
export const ProcessText = text("ProcessText", SYSV_PROCESS);
export const BbIdText = createToken({ name: "BbIdText", pattern: BB_FIELD, categories: IdText, line_breaks: false });
export const BbRunlevelsText = createToken({
  name: "BbRunlevelsText",
  pattern: BB_FIELD,
  categories: RunlevelsText,
  line_breaks: false,
});
export const BbActionText = createToken({
  name: "BbActionText",
  pattern: BB_FIELD,
  categories: ActionText,
  line_breaks: false,
});
export const BbProcessText = createToken({
  name: "BbProcessText",
  pattern: BB_PROCESS,
  categories: ProcessText,
  line_breaks: false,
});

/** Every token type the parser knows (both dialects share one parser). */
export const allTokens: TokenType[] = [
  Newline,
  NewlineAtStart,
  NewlineInField,
  Indent,
  Comment,
  BusyBoxComment,
  Continuation,
  NulTail,
  BbNulTail,
  Colon1,
  Colon2,
  Colon3,
  IdText,
  RunlevelsText,
  ActionText,
  ProcessText,
  BbIdText,
  BbRunlevelsText,
  BbActionText,
  BbProcessText,
];

/** Which lexer to use: the two inits disagree on comments, `#`, blanks, NUL and continuations. */
export type Syntax = "sysvinit" | "busybox";

/** The lexer definition of each syntax: token types per mode, in match order. */
export const LEXER_MODES: Readonly<Record<Syntax, { defaultMode: string; modes: Record<string, TokenType[]> }>> = {
  sysvinit: {
    defaultMode: "lineStart",
    modes: {
      lineStart: [NewlineAtStart, Indent, Comment, Colon1, NulTail, IdText],
      runlevels: [NewlineInField, Colon2, NulTail, RunlevelsText],
      action: [NewlineInField, Colon3, NulTail, ActionText],
      process: [NewlineInField, NulTail, ProcessText],
    },
  },
  busybox: {
    defaultMode: "lineStart",
    modes: {
      // Continuation first: a newline BusyBox joins past is not a line end.
      lineStart: [Continuation, NewlineAtStart, BusyBoxComment, BbNulTail, Colon1, BbIdText],
      runlevels: [Continuation, NewlineInField, BusyBoxComment, BbNulTail, Colon2, BbRunlevelsText],
      action: [Continuation, NewlineInField, BusyBoxComment, BbNulTail, Colon3, BbActionText],
      process: [Continuation, NewlineInField, BusyBoxComment, BbNulTail, BbProcessText],
    },
  },
};

const lexers: Partial<Record<Syntax, LexerType>> = {};

/**
 * A lexer for a syntax. `lexerFor` builds it once and skips chevrotain's definition checks,
 * which cost a good part of the CLI's start-up and can only fail when the token definitions
 * themselves are wrong; test/grammar/validate.test.ts builds both with the checks on.
 */
export function createLexer(syntax: Syntax, options: { validate?: boolean } = {}): LexerType {
  return new Lexer(LEXER_MODES[syntax], {
    positionTracking: "onlyOffset",
    ensureOptimizations: false,
    skipValidations: options.validate !== true,
  });
}

/** The lexer for a syntax, built once. */
export function lexerFor(syntax: Syntax): LexerType {
  return (lexers[syntax] ??= createLexer(syntax));
}
