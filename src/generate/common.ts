/** What the root-unmount generators share. */
import { holdsBackLaterEntries } from "../dialects/index.js";
import type { SimulatedEntry } from "../init/simulate.js";

/** The shutdown runlevels: 0 (halt) and 6 (reboot). Only these make sense for a final switch. */
export type ShutdownLevel = "0" | "6";

/** Lines init skips may be the ones the user means (a dropped rc entry): say so. */
export function droppedHint(count: number): string {
  return count === 0
    ? ""
    : ` (init skips ${count} line${count === 1 ? "" : "s"} of this file; \`inittab check\` says why)`;
}

/**
 * An entry that entering `level` starts and that later entries wait for: in sysvinit's table,
 * a `wait` entry of that level (not a boot-phase action, not one only a signal starts). The
 * proposed `exec` action is excluded: it is what goes after such an entry.
 */
export function isWaitedFor(e: SimulatedEntry, level: string): boolean {
  return e.action !== "exec" && holdsBackLaterEntries(e.info) && e.runlevels.includes(level);
}
