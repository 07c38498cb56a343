/**
 * How init turns a process field into a program and arguments (sysvinit spawn() in init.c;
 * BusyBox init_exec() in init/init.c; docs/internals/sysvinit.md, docs/internals/busybox.md).
 * Shared by the process rules and the --root checks.
 */
import type { Dialect } from "../dialects/index.js";

export interface Command {
  /** The process field as given (binary string). */
  process: string;
  /** Bytes taken off the front as prefixes (`+`, `@`, BusyBox `-`). */
  prefix: string;
  /** What is left after the prefixes: what init runs. */
  body: string;
  /** `@` (3.02+): never given to a shell. */
  noShell: boolean;
  /** init hands the command to /bin/sh -c (metacharacters, and no `@`). */
  shell: boolean;
  /** Without a shell: the words init passes to execvp, at most maxWords. */
  words: string[];
  /** Without a shell: the text after the last word kept, when the word limit cut it off. */
  cutAfterLimit: string;
  /** Without a shell: a `#` ended the argument list at this offset of `body`. */
  hashAt: number | undefined;
  /** Without a shell: the `#` started a word, which gives an extra empty argument. */
  hashEmptyArg: boolean;
}

/** The prefixes and the split, as this init does them. */
export function analyseCommand(dialect: Dialect, process: string): Command {
  let i = 0;
  let noShell = false;
  if (dialect.family === "busybox") {
    // A leading `-` asks for a login shell / controlling tty; BusyBox strips it before exec.
    if (process.startsWith("-")) i = 1;
  } else {
    if (dialect.plusPrefix && process[i] === "+") i++;
    if (dialect.atPrefix && process[i] === "@") {
      noShell = true;
      i++;
    }
  }
  const prefix = process.slice(0, i);
  const body = process.slice(i);
  const shell = !noShell && hasMetachar(body, dialect.shellMetachars);
  const cmd: Command = {
    process,
    prefix,
    body,
    noShell,
    shell,
    words: [],
    cutAfterLimit: "",
    hashAt: undefined,
    hashEmptyArg: false,
  };
  if (shell) return cmd;
  if (dialect.family === "busybox") {
    // strsep on blanks, empty words skipped; no word limit and no `#` (it ended the line already).
    cmd.words = body.split(/[ \t]/).filter((w) => w !== "");
    return cmd;
  }
  splitLikeSysvinit(body, dialect.maxWords ?? Infinity, cmd);
  return cmd;
}

export function hasMetachar(text: string, metachars: string): boolean {
  for (const c of text) if (metachars.includes(c)) return true;
  return false;
}

/**
 * spawn()'s word loop: skip blanks, take a word up to a blank or `#`; a `#` (or the end) stops
 * the loop after that word — so a `#` at the start of a word yields an empty argument — and at
 * most maxWords words are taken, the rest being dropped without a word.
 */
function splitLikeSysvinit(body: string, maxWords: number, cmd: Command): void {
  let i = 0;
  const n = body.length;
  while (cmd.words.length < maxWords) {
    while (i < n && (body[i] === " " || body[i] === "\t")) i++;
    if (i >= n) return;
    const start = i;
    while (i < n && body[i] !== " " && body[i] !== "\t" && body[i] !== "#") i++;
    cmd.words.push(body.slice(start, i));
    if (i >= n) return;
    if (body[i] === "#") {
      cmd.hashAt = i;
      cmd.hashEmptyArg = i === start;
      return;
    }
    i++;
  }
  const rest = body.slice(i);
  if (/[^ \t]/.test(rest)) cmd.cutAfterLimit = rest;
}

/**
 * Whether a shell command line runs more than one command in sequence (`;`, `&&`, `||` outside
 * quotes and brackets). Under `sh -c "exec <process>"` the shell replaces itself with the first
 * command, so nothing after such a separator ever runs.
 */
export function chainsCommands(text: string): boolean {
  let quote: string | undefined;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === "\\") {
      i++;
      continue;
    }
    if (c === "'" || c === '"' || c === "`") quote = c;
    else if (c === "(" || c === "{") depth++;
    else if ((c === ")" || c === "}") && depth > 0) depth--;
    else if (depth === 0) {
      const two = text.slice(i, i + 2);
      if (two === "&&" || two === "||" || c === ";") {
        const after = text.slice(i + (c === ";" ? 1 : 2));
        if (/[^ \t;]/.test(after)) return true;
      }
    }
  }
  return false;
}

/** The PATH init gives its children (sysvinit init.h; BusyBox's default root PATH). */
export const INIT_PATH = ["/sbin", "/usr/sbin", "/bin", "/usr/bin"] as const;

const SHELL_WORDS = new Set([
  "!",
  "{",
  "}",
  "[",
  "[[",
  "case",
  "do",
  "done",
  "elif",
  "else",
  "esac",
  "fi",
  "for",
  "function",
  "if",
  "in",
  "select",
  "then",
  "time",
  "until",
  "while",
  ".",
  ":",
  "alias",
  "bg",
  "break",
  "builtin",
  "cd",
  "command",
  "continue",
  "declare",
  "eval",
  "exit",
  "export",
  "fg",
  "getopts",
  "hash",
  "jobs",
  "let",
  "local",
  "read",
  "readonly",
  "return",
  "set",
  "shift",
  "source",
  "times",
  "trap",
  "type",
  "typeset",
  "ulimit",
  "umask",
  "unalias",
  "unset",
  "wait",
]);

/**
 * The program a command runs, when it can be told without running a shell: the first word
 * without a shell; with a shell, the first word only when it is a plain word (no quoting,
 * expansion, assignment, redirection or shell keyword), looking through a leading `exec`.
 * undefined when it cannot be told.
 */
export function programOf(cmd: Command): string | undefined {
  if (!cmd.shell) return cmd.words[0] === "" ? undefined : cmd.words[0];
  const words = cmd.body.trim().split(/[ \t]+/);
  let k = 0;
  if (words[k] === "exec") k++;
  const first = words[k];
  if (first === undefined || first === "") return undefined;
  if (!/^[A-Za-z0-9_./+,@%-]+$/.test(first)) return undefined;
  if (SHELL_WORDS.has(first)) return undefined;
  return first;
}
