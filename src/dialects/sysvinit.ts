/**
 * sysvinit, by version (init.c read_inittab and spawn of each release; 3.06 and 3.14 checked against
 * Debian's binaries, docs/conformance.md). Only the differences that change how a
 * file is read or run are listed; everything else is the same from 2.88 to 3.14.
 */
import type { ActionInfo, Dialect } from "./types.js";

const a = (spawns: boolean, waited: boolean, respawns: boolean, power: boolean, bootPhase?: "#" | "*"): ActionInfo =>
  bootPhase ? { spawns, waited, respawns, power, bootPhase } : { spawns, waited, respawns, power };

/** The 15 actions of init.c's table, identical in every version. */
export const SYSVINIT_ACTIONS: Readonly<Record<string, ActionInfo>> = {
  respawn: a(true, false, true, false),
  wait: a(true, true, false, false),
  once: a(true, false, false, false),
  boot: a(true, false, false, false, "*"),
  bootwait: a(true, true, false, false, "*"),
  powerfail: { ...a(true, false, false, true), triggered: true },
  powerwait: { ...a(true, true, false, true), triggered: true },
  powerokwait: { ...a(true, true, false, true), triggered: true },
  ctrlaltdel: { ...a(true, true, false, true), triggered: true },
  off: a(false, false, false, false),
  ondemand: a(true, false, true, false),
  initdefault: a(false, false, false, false),
  sysinit: a(true, true, false, false, "#"),
  powerfailnow: { ...a(true, true, false, true), triggered: true },
  kbrequest: { ...a(true, false, false, false), triggered: true },
};

/**
 * The proposed `exec` action (sysvinit bug #33517): not in any released init. It is
 * known only under --allow-exec, for an init that carries the patch. It replaces PID 1, so it is
 * "waited" in the sense that nothing after it ever starts.
 */
export const EXEC_ACTION: ActionInfo = a(true, true, false, false);

const common = {
  family: "sysvinit",
  syntax: "sysvinit",
  actions: SYSVINIT_ACTIONS,
  actionsCaseInsensitive: true,
  idIsTty: false,
  maxIdLength: 4,
  maxRunlevelsLength: 11,
  maxActionLength: 32,
  maxLineBytes: 254,
  lineBufferBytes: 256,
  usesRunlevels: true,
  plusPrefix: true,
  maxWords: 14,
  shellMetachars: "~`!$^&*()=|\\{}[];\"'<>?",
  reloadHint: "telinit q",
  reload: { killRemoved: null, killDelay: null },
} as const;

export const SYSVINIT_2_88: Dialect = {
  ...common,
  name: "sysvinit@2.88",
  version: "2.88",
  maxProcessLength: 127,
  processTooLongMessage: "process field too long",
  longLines: "split",
  dropsFinalLineWithoutNewline: false,
  atPrefix: false,
  inittabD: false,
  shellForm: "sh -c exec",
  fifoPath: "/dev/initctl",
  telinitSleeptime: 5,
};

export const SYSVINIT_3_06: Dialect = {
  ...common,
  name: "sysvinit@3.06",
  version: "3.06",
  maxProcessLength: 127,
  processTooLongMessage: "process field too long (max 127 characters)",
  longLines: "split",
  dropsFinalLineWithoutNewline: false,
  atPrefix: true,
  inittabD: true,
  shellForm: "sh -c exec",
  fifoPath: "/run/initctl",
  telinitSleeptime: 3,
};

export const SYSVINIT_3_14: Dialect = {
  ...common,
  name: "sysvinit@3.14",
  version: "3.14",
  // The check is at 256 bytes, which the 254-byte line limit makes unreachable.
  maxProcessLength: null,
  processTooLongMessage: null,
  longLines: "drop",
  dropsFinalLineWithoutNewline: true,
  atPrefix: true,
  inittabD: true,
  shellForm: "sh -c",
  fifoPath: "/run/initctl",
  telinitSleeptime: 3,
};
