/**
 * Diagnostics: what `inittab check` reports and every formatter, the edit gate and the
 * generators consume. (Contract shared by rules/, edit/, generate/ and cli/.)
 */
import type { Document, Edit } from "../document/index.js";
import type { Image } from "../base/image.js";
import type { RuleCode } from "./registry.js";

export type Severity = "error" | "warning" | "info";

export interface Diagnostic {
  /** Stable rule code, e.g. `IT007`; docs/rules/<code>.md explains it. */
  code: RuleCode;
  severity: Severity;
  /** What init will do, e.g. "init ignores this line: the id is longer than 4 characters". */
  message: string;
  /** 1-based position (columns in bytes) of the first byte, and of the byte after the last. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Byte offsets into the file, end exclusive. */
  start: number;
  end: number;
  /** True exactly when the target init logs this line as bad and skips it. */
  dropped: boolean;
  /** A safe fix (CRLF→LF, final newline, action case, blanks around the action, s→S). */
  fix?: Edit[];
  /**
   * When the version was assumed and this finding does not hold in every sysvinit version: the
   * dialects (e.g. `sysvinit@3.14`) in which it does (rules/versions.ts).
   */
  versions?: string[];
}

export interface CheckOptions {
  /** Accept and fully validate the proposed `exec` action (sysvinit bug #33517). */
  allowExec?: boolean;
  /** Check programs and ttys inside this system image (an unpacked tree or a rootfs archive). */
  image?: Image;
  /** How findings name the image (its directory or archive), default "the image". */
  imageName?: string;
  /** Extra rule profile, e.g. `tmpfs` (the shutdown dummy inittab). */
  profile?: string;
  /**
   * Codes not to report (`--disable`, the config file). Applied after the suppression comments,
   * so a comment that names a disabled code is not reported as unused.
   */
  disable?: readonly RuleCode[];
  /**
   * The inittab init runs now (--profile tmpfs): the dummy must keep its running shutdown entry
   * so that a re-read of the dummy does not stop it. `path` names it in messages.
   */
  running?: { path: string; doc: Document };
}
