/** BusyBox init (init/init.c parse_inittab; one table for 1.35 and 1.37, checked against Debian's binaries of both). */
import type { ActionInfo, Dialect } from "./types.js";

const a = (spawns: boolean, waited: boolean, respawns: boolean): ActionInfo => ({
  spawns,
  waited,
  respawns,
  power: false,
});

export const BUSYBOX_ACTIONS: Readonly<Record<string, ActionInfo>> = {
  sysinit: a(true, true, false),
  wait: a(true, true, false),
  once: a(true, false, false),
  respawn: a(true, false, true),
  askfirst: a(true, false, true),
  ctrlaltdel: a(true, false, false),
  shutdown: a(true, true, false),
  restart: a(true, false, false),
};

export const BUSYBOX: Dialect = {
  name: "busybox",
  family: "busybox",
  version: "1.35",
  syntax: "busybox",
  actions: BUSYBOX_ACTIONS,
  actionsCaseInsensitive: false,
  idIsTty: true,
  maxIdLength: null,
  maxRunlevelsLength: null,
  maxActionLength: null,
  maxProcessLength: null,
  processTooLongMessage: null,
  lineBufferBytes: null,
  maxLineBytes: null,
  longLines: "none",
  dropsFinalLineWithoutNewline: false,
  usesRunlevels: false,
  atPrefix: false,
  plusPrefix: false,
  inittabD: false,
  shellForm: "sh -c exec",
  maxWords: null,
  shellMetachars: "~`!$^&*()=|\\{}[];\"'<>?",
  fifoPath: null,
  telinitSleeptime: null,
  reloadHint: "kill -HUP 1",
  // Build options, so not in the file: upstream's defaults are off and 0. Debian's 1.35 and 1.37
  // builds kill a removed respawn line's process with TERM and fork no KILL helper (measured by
  // the re-read tests, docs/reload.md); other builds are told with `killRemoved`.
  reload: { killRemoved: true, killDelay: 0 },
};
