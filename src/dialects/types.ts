/**
 * A dialect is data: which lexer reads the file and every limit and rule of the init that will
 * read it. Rules consult these tables; they never test a dialect's name.
 */
import type { Syntax } from "../grammar/index.js";

/** What one action means to init. */
export interface ActionInfo {
  /** init starts a process for it (initdefault and off never spawn). */
  spawns: boolean;
  /** Later entries wait until it exits (start_if_needed stops at a WAITING entry). */
  waited: boolean;
  /** Restarted whenever it exits. */
  respawns: boolean;
  /** Power and ctrlaltdel actions: empty runlevels mean `S0123456789`, not `0123456789`. */
  power: boolean;
  /** Runs in the sysinit (`#`) or boot (`*`) phase; the runlevels field is ignored. */
  bootPhase?: "#" | "*";
  /**
   * Created already flagged as executed: only a signal or power request re-arms it (power
   * actions and ctrlaltdel: SIGPWR/SIGINT/initctl; kbrequest: SIGWINCH), never entering a
   * runlevel (docs/internals/sysvinit.md).
   */
  triggered?: boolean;
}

export type LongLinePolicy =
  /** 3.14: a line of 255+ bytes (without its newline) is dropped, "Possibly too long". */
  | "drop"
  /** <= 3.13: fgets splits it every 255 bytes and each piece is parsed as a line. */
  | "split"
  /** BusyBox: getline, no limit. */
  | "none";

export interface Dialect {
  /** Canonical name: `sysvinit@3.14`, `busybox`. */
  name: string;
  family: "sysvinit" | "busybox";
  version: string;
  /** Which grammar variant reads the file. */
  syntax: Syntax;
  actions: Readonly<Record<string, ActionInfo>>;
  /** sysvinit compares action names with strcasecmp; BusyBox with strcmp. */
  actionsCaseInsensitive: boolean;
  /** Ids: sysvinit keys entries on a unique id of at most 4 bytes; BusyBox reads a tty name. */
  idIsTty: boolean;
  maxIdLength: number | null;
  maxRunlevelsLength: number | null;
  maxActionLength: number | null;
  /** Longest accepted process field, or null where the line limit binds first. */
  maxProcessLength: number | null;
  /** init's message when the process is longer than maxProcessLength. */
  processTooLongMessage: string | null;
  /** sysvinit reads with fgets into a buffer of this size (so at most size-1 bytes per read). */
  lineBufferBytes: number | null;
  /** Longest line, in bytes, without its newline; null = unlimited. */
  maxLineBytes: number | null;
  longLines: LongLinePolicy;
  /** 3.14 drops a last line with no newline unless it is a comment (blanks alone are dropped too). */
  dropsFinalLineWithoutNewline: boolean;
  /** The runlevels field matters at all (BusyBox ignores it). */
  usesRunlevels: boolean;
  /** `@` prefix: never use a shell (3.02+). */
  atPrefix: boolean;
  /** `+` prefix: no utmp/wtmp record. */
  plusPrefix: boolean;
  /** /etc/inittab.d/*.tab is read (2.97+). */
  inittabD: boolean;
  /** How a command with shell metacharacters is run. */
  shellForm: "sh -c exec" | "sh -c";
  /** Non-shell commands are split into at most this many words (the rest is dropped). */
  maxWords: number | null;
  /** Characters that send a command to /bin/sh. */
  shellMetachars: string;
  /** The initctl FIFO telinit writes to. */
  fifoPath: string | null;
  /** telinit's default sleeptime (seconds between TERM and KILL). */
  telinitSleeptime: number | null;
  /** How to make the running init re-read the file. */
  reloadHint: string;
  /** What a re-read does that the file cannot tell (a build option); null where it does not apply. */
  reload: {
    /** BusyBox FEATURE_KILL_REMOVED: the process of a removed respawn/askfirst line gets TERM. */
    killRemoved: boolean | null;
    /** BusyBox FEATURE_KILL_DELAY: seconds from TERM to KILL; 0 sends TERM only. */
    killDelay: number | null;
  };
}
