/**
 * Which action init resolves a field to. The dialect's table, plus the proposed `exec` action
 * (sysvinit bug #33517) for an init that carries the patch: no released sysvinit knows it.
 */
import { EXEC_ACTION, resolveAction, type ActionInfo, type Dialect } from "../dialects/index.js";

export interface ResolvedAction {
  /** The table's name (sysvinit compares case-insensitively: `ONCE` is `once`). */
  name: string;
  info: ActionInfo;
}

export interface ActionOptions {
  /** The init carries the `exec` patch. */
  allowExec?: boolean;
}

/** The action init resolves `field` to, or undefined when init rejects it ("unknown action"). */
export function lookupAction(dialect: Dialect, field: string, options: ActionOptions = {}): ResolvedAction | undefined {
  const known = resolveAction(dialect, field);
  if (known || options.allowExec !== true || dialect.family !== "sysvinit") return known;
  const name = field.toLowerCase();
  return name === "exec" ? { name, info: EXEC_ACTION } : undefined;
}
