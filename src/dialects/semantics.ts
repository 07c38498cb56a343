/**
 * What an entry means to init, computed from the dialect tables: the action it resolves to and
 * the runlevels (and boot phases `#` sysinit, `*` boot) in which it runs.
 */
import type { ActionInfo, Dialect } from "./types.js";

/** The action table entry init resolves a field to, or undefined when init rejects it. */
export function resolveAction(dialect: Dialect, action: string): { name: string; info: ActionInfo } | undefined {
  const name = dialect.actionsCaseInsensitive ? action.toLowerCase() : action;
  const info = Object.hasOwn(dialect.actions, name) ? dialect.actions[name] : undefined;
  return info ? { name, info } : undefined;
}

/** Runlevel columns in the order `ls --matrix` shows them. */
export const RUNLEVEL_COLUMNS = [
  "#",
  "*",
  "S",
  "0",
  "1",
  "2",
  "3",
  "4",
  "5",
  "6",
  "7",
  "8",
  "9",
  "a",
  "b",
  "c",
] as const;

/**
 * The runlevels an entry runs in, as init stores and tests them (docs/internals/sysvinit.md):
 * sysinit → `#`, boot/bootwait → `*`; empty → 0-9 (power and ctrlaltdel: S and 0-9);
 * otherwise the field's characters, where `s` never matches and A-C/a-c are the on-demand
 * letters (both cases). Returned in RUNLEVEL_COLUMNS terms (`a` for A or a).
 */
export function effectiveRunlevels(dialect: Dialect, action: string, runlevels: string): Set<string> {
  const out = new Set<string>();
  const resolved = resolveAction(dialect, action);
  if (!dialect.usesRunlevels) {
    // BusyBox: no runlevels at all; sysinit/wait/once run at boot, the rest on events or forever.
    return out;
  }
  if (resolved?.info.bootPhase) {
    out.add(resolved.info.bootPhase);
    return out;
  }
  if (runlevels === "") {
    if (resolved?.info.power) out.add("S");
    for (const c of "0123456789") out.add(c);
    return out;
  }
  for (const c of runlevels) {
    if (c >= "0" && c <= "9") out.add(c);
    else if (c === "S" || c === "#" || c === "*") out.add(c);
    else if ("ABCabc".includes(c)) out.add(c.toLowerCase());
  }
  return out;
}

/**
 * Whether an entry of this action holds back the entries after it in its runlevel: init starts
 * a level's entries in list order and stops at a running waited-for one (start_if_needed).
 * Power, ctrlaltdel and kbrequest entries don't count: they are moved to the front of the list
 * and start out flagged as already run, so they only run when their signal re-arms them
 * (docs/internals/sysvinit.md). Boot-phase actions run before any runlevel.
 */
export function holdsBackLaterEntries(info: ActionInfo): boolean {
  return info.spawns && info.waited && !info.bootPhase && !info.power && info.triggered !== true;
}
