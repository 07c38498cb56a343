/** inittab: read, check and safely edit /etc/inittab. The public API. */
export * from "./document/index.js";
export * from "./dialects/index.js";
export * from "./edit/index.js";
export * from "./rules/index.js";
export * from "./write/index.js";
export * from "./generate/index.js";
export * from "./initctl/index.js";
export {
  planReload, settledProcesses, simulateInit, type InitPrediction, type PlanEntry, type PlanKeep, type PlanStart,
  type PlanStop, type ProcessState, type ReloadPlan, type ReloadPlanOptions, type SimulatedEntry,
} from "./init/index.js";
export { formatPlanJson, formatPlanText, type PlanContext } from "./report/index.js";
export {
  matchProcesses, planOnSystem, readInitChildren, readLiveSystem, readRunlevel, type LiveSystem, type RunlevelReading,
} from "./system/index.js";
