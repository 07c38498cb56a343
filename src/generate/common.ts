/** What the root-unmount generators share. */

/** The shutdown runlevels: 0 (halt) and 6 (reboot). Only these make sense for a final switch. */
export type ShutdownLevel = "0" | "6";

/** Lines init skips may be the ones the user means (a dropped rc entry): say so. */
export function droppedHint(count: number): string {
  return count === 0 ? "" : ` (init skips ${count} line${count === 1 ? "" : "s"} of this file; \`inittab check\` says why)`;
}
