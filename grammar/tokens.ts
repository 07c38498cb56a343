/**
 * The inittab token vocabulary and the two lexers (sysvinit, BusyBox).
 *
 * The lexers run over a *binary string*: one JavaScript char per input byte (latin1), so a
 * token's offsets are byte offsets and every byte, valid UTF-8 or not, lands in exactly one
 * token. Nothing is SKIPPED and every mode ends in a catch-all, so lexing cannot fail.
 *
 * Modes follow how init splits a line: the id runs to the 1st `:`, the runlevels to the 2nd,
 * the action to the 3rd, and the process is the rest of the line, colons included. Each
 * colon is a mode *transition* (pop + push), so the mode stack never grows.
 */
import { createToken, Lexer, type TokenType } from "chevrotain";

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

/** A whole-line comment. sysvinit: `#` after optional blanks; BusyBox: `#` in column 1. */
export const Comment = createToken({
  name: "Comment",
  pattern: /#(?:[^\r\n]|\r(?!\n))*/,
  start_chars_hint: ["#"],
});

/**
 * BusyBox only: a `#` anywhere ends the logical line (even in the process). A backslash before
 * the newline continues the line, so it continues the comment too: the next physical line is
 * swallowed. Also used for BusyBox whole-line comments, for the same reason.
 */
export const BusyBoxComment = createToken({
  name: "BusyBoxComment",
  pattern: /#(?:[^\r\n\\]|\r(?!\n)|\\(?!\n)|\\\n)*/,
  line_breaks: true,
  start_chars_hint: ["#"],
});

/** BusyBox only: backslash-newline, which joins two physical lines into one logical line. */
export const Continuation = createToken({
  name: "Continuation",
  pattern: /\\\n/,
  line_breaks: true,
  start_chars_hint: ["\\"],
});

// The mode stack is `lineStart` plus at most one field mode: the 1st colon pushes, the 2nd and
// 3rd replace the field mode, the newline pops back to `lineStart`.
const colon = (name: string, next: string, replace: boolean): TokenType =>
  createToken({ name, pattern: /:/, ...(replace ? { pop_mode: true } : {}), push_mode: next, start_chars_hint: [":"] });

/** The three significant colons; a colon after the third is part of the process. */
export const Colon1 = colon("Colon1", "runlevels", false);
export const Colon2 = colon("Colon2", "action", true);
export const Colon3 = colon("Colon3", "process", true);

// Field text. sysvinit: any byte but `:` and the line end. BusyBox also stops at `#` and at a
// backslash-newline. A CR is data unless it is followed by LF (then it belongs to Newline).
const SYSV_FIELD = /(?:[^:\r\n]|\r(?!\n))+/;
const SYSV_PROCESS = /(?:[^\r\n]|\r(?!\n))+/;
const BB_FIELD = /(?:[^:#\r\n\\]|\r(?!\n)|\\(?!\n))+/;
const BB_PROCESS = /(?:[^#\r\n\\]|\r(?!\n)|\\(?!\n))+/;

const text = (name: string, pattern: RegExp): TokenType =>
  createToken({ name, pattern, line_breaks: false });

export const IdText = text("IdText", SYSV_FIELD);
export const RunlevelsText = text("RunlevelsText", SYSV_FIELD);
export const ActionText = text("ActionText", SYSV_FIELD);
export const ProcessText = text("ProcessText", SYSV_PROCESS);
export const BbIdText = createToken({ name: "BbIdText", pattern: BB_FIELD, categories: IdText });
export const BbRunlevelsText = createToken({ name: "BbRunlevelsText", pattern: BB_FIELD, categories: RunlevelsText });
export const BbActionText = createToken({ name: "BbActionText", pattern: BB_FIELD, categories: ActionText });
export const BbProcessText = createToken({ name: "BbProcessText", pattern: BB_PROCESS, categories: ProcessText });

/** Every token type the parser knows (both dialects share one parser). */
export const allTokens: TokenType[] = [
  Newline, NewlineAtStart, NewlineInField, Indent, Comment, BusyBoxComment, Continuation, Colon1, Colon2, Colon3,
  IdText, RunlevelsText, ActionText, ProcessText,
  BbIdText, BbRunlevelsText, BbActionText, BbProcessText,
];

/** Which lexer to use: the two inits disagree on comments, `#`, blanks and continuations. */
export type Syntax = "sysvinit" | "busybox";

function sysvinitLexer(): Lexer {
  return new Lexer(
    {
      defaultMode: "lineStart",
      modes: {
        lineStart: [NewlineAtStart, Indent, Comment, Colon1, IdText],
        runlevels: [NewlineInField, Colon2, RunlevelsText],
        action: [NewlineInField, Colon3, ActionText],
        process: [NewlineInField, ProcessText],
      },
    },
    { positionTracking: "onlyOffset", ensureOptimizations: false },
  );
}

function busyboxLexer(): Lexer {
  return new Lexer(
    {
      defaultMode: "lineStart",
      modes: {
        lineStart: [NewlineAtStart, BusyBoxComment, Continuation, Colon1, BbIdText],
        runlevels: [NewlineInField, BusyBoxComment, Continuation, Colon2, BbRunlevelsText],
        action: [NewlineInField, BusyBoxComment, Continuation, Colon3, BbActionText],
        process: [NewlineInField, BusyBoxComment, Continuation, BbProcessText],
      },
    },
    { positionTracking: "onlyOffset", ensureOptimizations: false },
  );
}

const lexers: Partial<Record<Syntax, Lexer>> = {};

/** The lexer for a syntax, built once. */
export function lexerFor(syntax: Syntax): Lexer {
  return (lexers[syntax] ??= syntax === "busybox" ? busyboxLexer() : sysvinitLexer());
}
