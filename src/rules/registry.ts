/**
 * The rule registry: every code `inittab check` can report, as data. It drives the docs pages
 * (docs/rules/<code>.md), SARIF rule metadata, `check --list-rules` and suppression checks, so a
 * code exists exactly when it is listed here.
 */
import { REPOSITORY_URL } from "../base/version.js";
import type { DropCause } from "../init/index.js";
import type { Severity } from "./types.js";

export type RuleGroup =
  /** How sysvinit reads and runs the file (docs/internals/sysvinit.md). */
  | "sysvinit"
  /** How BusyBox init reads and runs the file (BusyBox init/init.c; docs/internals/busybox.md). */
  | "busybox"
  /** The proposed sysvinit `exec` action, validated under --allow-exec (bug #33517). */
  | "exec"
  /** Programs and ttys inside a system image (--root). */
  | "root"
  /** The dummy inittab of a pivot-and-`telinit U` shutdown (--profile tmpfs; docs/internals/sysvinit.md). */
  | "tmpfs"
  /** The checker's own directives (suppression comments). */
  | "directive"
  /** Reported by the edit commands' validation gate, not by `check`. */
  | "edit";

export interface RuleMeta {
  code: RuleCode;
  /** Default severity; a few rules lower or raise it by version (the message says why). */
  severity: Severity;
  group: RuleGroup;
  /** Short title, for --list-rules, SARIF `shortDescription` and the docs page heading. */
  title: string;
  /** `--fix` can repair it (the safe fixes only). */
  fixable?: boolean;
}

/**
 * Where the docs pages are published. One constant, so the scheme stays stable: every helpUri
 * is `${DOCS_BASE_URL}<code>.md`, the same file as docs/rules/<code>.md in the repository.
 */
export const DOCS_BASE_URL = `${REPOSITORY_URL}/blob/main/docs/rules/`;

const r = <C extends string>(code: C, severity: Severity, group: RuleGroup, title: string, fixable = false) =>
  fixable ? { code, severity, group, title, fixable } : { code, severity, group, title };

/** Every rule, in the order --list-rules and the docs index show them. */
const RULE_LIST = [
  // sysvinit: reading lines
  r("IT000", "error", "sysvinit", "init rejects this line (no more specific rule explains it)"),
  r("IT001", "error", "sysvinit", "line longer than 254 bytes: dropped (3.14) or split into pieces (<= 3.13)"),
  r("IT002", "error", "sysvinit", "last line has no newline: 3.14 drops it", true),
  r("IT003", "error", "sysvinit", "carriage return (CRLF): part of the command, or a bad line", true),
  r("IT004", "error", "sysvinit", "NUL byte: init stops reading the line there"),
  r("IT005", "error", "sysvinit", "fewer than three colons: missing action or process field"),
  // ids
  r("IT006", "error", "sysvinit", "empty id: missing id field"),
  r("IT007", "error", "sysvinit", "id longer than 4 characters"),
  r("IT008", "error", "sysvinit", "duplicate id: init keeps the first entry and drops this one"),
  r("IT009", "warning", "sysvinit", "id `~~` is init's own and skips the duplicate check"),
  // runlevels
  r("IT010", "error", "sysvinit", "runlevels field longer than 11 characters"),
  // actions
  r("IT011", "error", "sysvinit", "action empty, too long or unknown (no trimming: ` once` is unknown)", true),
  r("IT012", "info", "sysvinit", "action not in lower case (accepted, compared case-insensitively)", true),
  // process
  r("IT013", "error", "sysvinit", "process longer than 127 bytes (<= 3.13)"),
  r("IT014", "error", "sysvinit", "empty process on an action that spawns: the child crashes"),
  r("IT015", "warning", "sysvinit", "lowercase `s` in runlevels never matches single-user mode", true),
  r("IT016", "warning", "sysvinit", "runlevel character that never matches (or `#`/`*`: a boot phase)"),
  r("IT017", "info", "sysvinit", "runlevels given for sysinit, boot or bootwait are ignored"),
  r("IT018", "warning", "sysvinit", "empty runlevels mean 0-9, not S"),
  // initdefault
  r("IT019", "error", "sysvinit", "no initdefault: boot stops at `Enter runlevel:`"),
  r("IT020", "error", "sysvinit", "invalid initdefault level: init prompts `Enter runlevel:`"),
  r("IT021", "warning", "sysvinit", "several initdefault entries, or several (or no) levels in one"),
  r("IT022", "warning", "sysvinit", "initdefault 0 or 6: halts or reboots right after boot"),
  r("IT022b", "warning", "sysvinit", "initdefault S: stays in single-user mode, S-only entries loop"),
  r("IT023", "warning", "sysvinit", "synthetic sulogin suppressed by an empty-runlevels power entry"),
  r("IT023b", "info", "sysvinit", "no entry for runlevel S: init adds `~~:S:wait:/sbin/sulogin`"),
  r("IT024", "warning", "sysvinit", "blank before a `+` or `@` prefix: the prefix is not recognised"),
  r("IT025", "warning", "sysvinit", "`@` prefix before 3.02: part of the program name"),
  r("IT026", "info", "sysvinit", "shell metacharacters: init runs the process through /bin/sh"),
  r("IT026b", "warning", "sysvinit", 'chained commands under `sh -c "exec ..."` (<= 3.10): only the first runs'),
  r("IT027", "warning", "sysvinit", "more than 14 words: the rest are dropped"),
  r("IT028", "info", "sysvinit", "`#` in a command run without a shell ends the arguments"),
  r("IT029", "warning", "sysvinit", "waited-for entry that may never exit holds back later entries"),
  // inittab.d
  r("IT030", "warning", "sysvinit", "inittab.d file with more than one entry line: only the first is used"),
  r("IT030b", "warning", "sysvinit", "inittab.d files whose outcome depends on readdir order"),
  r("IT030c", "info", "sysvinit", "file in inittab.d not named *.tab: ignored"),
  r("IT031", "error", "sysvinit", "inittab.d file without an entry: can crash PID 1"),
  r("IT032", "warning", "sysvinit", "inittab.d files that the target init does not read"),
  // exec
  r("IT033", "error", "sysvinit", "action `exec`: no released sysvinit knows it"),
  r("IT034", "warning", "edit", "edit makes a re-read stop the process of an entry that may be running"),
  // the file as a whole, and gettys
  r("IT035", "error", "sysvinit", "UTF-8 byte order mark at the start: part of line 1 to init", true),
  r("IT036", "warning", "sysvinit", "two gettys on one tty in a shared runlevel: they fight for the line"),
  // tmpfs profile
  r("TMP001", "warning", "tmpfs", "shutdown dummy: initdefault missing, S, 0, 6 or a level in use"),
  r("TMP002", "warning", "tmpfs", "shutdown dummy: sysinit, boot or bootwait entry"),
  r("TMP003", "warning", "tmpfs", "shutdown dummy: respawn or ondemand entry"),
  r("TMP004", "warning", "tmpfs", "shutdown dummy: no rc entry for the shutdown level"),
  r("TMP005", "warning", "tmpfs", "shutdown dummy: extra entry in the shutdown level"),
  r("TMP006", "info", "tmpfs", "shutdown dummy: no S entry, init adds /sbin/sulogin"),
  r("TMP007", "warning", "tmpfs", "shutdown dummy: CR, missing final newline or a line over 254 bytes"),
  r("TMP008", "error", "tmpfs", "shutdown dummy: a re-read would stop the running shutdown entry"),
  // exec under --allow-exec
  r("EX001", "error", "exec", "exec runlevels must be 0 and/or 6"),
  r("EX002", "error", "exec", "exec in the initdefault runlevel"),
  r("EX003", "error", "exec", "more than one exec entry for a runlevel"),
  r("EX004", "error", "exec", "exec placed before a waited-for entry of its runlevel"),
  r("EX005", "error", "exec", "exec process empty or not an absolute path"),
  r("EX006", "warning", "exec", "respawn or ondemand entries in an exec runlevel"),
  // --root
  r("RT001", "error", "root", "program not found in the image"),
  r("RT002", "error", "root", "program in the image is not executable"),
  r("RT003", "error", "root", "BusyBox tty missing from the image's /dev"),
  // BusyBox
  r("BB001", "error", "busybox", "not 4 fields: Bad inittab entry"),
  r("BB002", "error", "busybox", "action in the wrong case: BusyBox compares action names exactly"),
  r("BB003", "error", "busybox", "sysvinit-only action (initdefault, off, ...) is a bad entry"),
  r("BB004", "error", "busybox", "unknown action: Bad inittab entry"),
  r("BB005", "warning", "busybox", "`#` cuts the command: BusyBox ends the line at any `#`"),
  r("BB006", "error", "busybox", "indented comment or blank-only line is a bad entry"),
  r("BB007", "error", "busybox", "empty command: Bad inittab entry"),
  r("BB008", "error", "busybox", "id is not a tty: BusyBox opens /dev/<id> and the command never runs"),
  r("BB009", "info", "busybox", "runlevels field is ignored"),
  r("BB010", "warning", "busybox", "same tty and command as an earlier line: merged into one entry"),
  r("BB011", "warning", "busybox", "only the first restart entry is used"),
  r("BB012", "error", "busybox", "carriage return (CRLF): part of the command, or a bad line", true),
  r("BB013", "warning", "busybox", 'chained commands under `sh -c "exec ..."`: only the first runs'),
  r("BB014", "info", "busybox", "missing final newline (accepted by BusyBox)", true),
  r("BB015", "error", "busybox", "UTF-8 byte order mark at the start: part of line 1 to init", true),
  r("BB016", "warning", "busybox", "two gettys on one tty: they fight for the line"),
  // directives
  r("SUP001", "warning", "directive", "suppression comment that suppresses nothing"),
  r("SUP002", "warning", "directive", "suppression comment names an unknown code"),
] as const;

/** A rule code: a code that is not in the registry does not compile. */
export type RuleCode = (typeof RULE_LIST)[number]["code"];

export const RULES: readonly RuleMeta[] = RULE_LIST;

export const RULE_BY_CODE: ReadonlyMap<string, RuleMeta> = new Map(RULES.map((m) => [m.code, m]));

/** Whether a string (from a suppression comment, a config file, the command line) is a rule code. */
export function isRuleCode(code: string): code is RuleCode {
  return RULE_BY_CODE.has(code);
}

export function ruleMeta(code: RuleCode): RuleMeta {
  return RULE_BY_CODE.get(code)!;
}

/** The docs page of a code, as a stable https URL. */
export function helpUri(code: RuleCode): string {
  return `${DOCS_BASE_URL}${encodeURIComponent(code)}.md`;
}

/**
 * Which rules say why init drops a line, for each reason the model gives (DropCause). A finding
 * that explains a drop names its cause, and must be of one of these rules: the table is checked
 * when the finding is made, so a rule and the model cannot drift apart unnoticed.
 */
export const DROP_CAUSE_RULES: Readonly<Record<DropCause, readonly RuleCode[]>> = {
  // A byte order mark (IT035, BB015) can make line 1 fail in any of these ways.
  "too-long": ["IT001", "IT002", "IT004", "IT035"],
  "missing-id": ["IT006", "IT035"],
  "missing-runlevel": ["IT005", "IT035"],
  "missing-process": ["IT005", "IT035"],
  "missing-action": ["IT003", "IT004", "IT005", "IT011", "IT035"],
  "id-too-long": ["IT007", "IT035"],
  "rlevel-too-long": ["IT010", "IT035"],
  "process-too-long": ["IT013", "IT035"],
  "action-too-long": ["IT011", "IT035"],
  "unknown-action": ["IT011", "IT033", "IT035"],
  "duplicate-id": ["IT008", "IT030b"],
  "bad-entry": ["BB001", "BB002", "BB003", "BB004", "BB006", "BB007", "BB012", "BB015"],
};
