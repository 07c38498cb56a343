/**
 * The dialects layer: one table per init and version (limits, actions, how lines are read), the
 * names users type for them, `auto` detection from a file's content, and which table reads the
 * inittab of an init package of a given version.
 */
import { BUSYBOX } from "./busybox.js";
import { SYSVINIT_2_88, SYSVINIT_3_06, SYSVINIT_3_14 } from "./sysvinit.js";
import type { Dialect } from "./types.js";

export type { ActionInfo, Dialect, LongLinePolicy } from "./types.js";
export { BUSYBOX, BUSYBOX_ACTIONS } from "./busybox.js";
export { EXEC_ACTION, SYSVINIT_2_88, SYSVINIT_3_06, SYSVINIT_3_14, SYSVINIT_ACTIONS } from "./sysvinit.js";
export { detectDialect, type Detection } from "./detect.js";
export {
  dialectForVersion,
  hintFromPackage,
  INIT_PACKAGES,
  upstreamMajorMinor,
  type DialectHint,
  type PackageRef,
} from "./packages.js";

/** Every dialect, by canonical name. */
export const DIALECTS: Readonly<Record<string, Dialect>> = {
  "sysvinit@2.88": SYSVINIT_2_88,
  "sysvinit@3.06": SYSVINIT_3_06,
  "sysvinit@3.14": SYSVINIT_3_14,
  busybox: BUSYBOX,
};

/** Names accepted by `--dialect`, besides `auto`. */
const ALIASES: Readonly<Record<string, string>> = {
  sysvinit: "sysvinit@3.14",
  "sysvinit@2.88dsf": "sysvinit@2.88",
  "busybox@1.35": "busybox",
};

/** Every sysvinit table, oldest first: what a check whose version is assumed compares. */
export const SYSVINIT_TABLES: readonly Dialect[] = Object.entries(DIALECTS)
  .filter(([n]) => n.startsWith("sysvinit@"))
  .map(([, d]) => d);

export const DIALECT_NAMES = ["auto", "sysvinit", ...Object.keys(DIALECTS)] as const;

/** A dialect by the name a user gave, or undefined when there is none such. */
export function dialectByName(name: string): Dialect | undefined {
  const key = ALIASES[name] ?? name;
  return DIALECTS[key];
}
export { resolveAction, effectiveRunlevels, holdsBackLaterEntries, RUNLEVEL_COLUMNS } from "./semantics.js";
