/** Settling `dropped`: which diagnostic explains each line the simulator says init drops. */
import { lowerBound } from "../base/index.js";
import type { CheckContext, CheckedFile, Finding } from "./context.js";
import { printable } from "./wording.js";

/**
 * Mark, for each line the simulator says init drops, the one diagnostic that explains it (same
 * cause, inside the dropped range). A drop no rule explains still gets reported (IT000), so
 * that the output never hides a line init skips.
 */
export function settleDrops(ctx: CheckContext): void {
  // Candidates by file, in offset order (stable: report order among equal offsets).
  const candidates = new Map<CheckedFile, Finding[]>();
  for (const file of [...(ctx.main ? [ctx.main] : []), ...ctx.tabs]) {
    candidates.set(
      file,
      file.diagnostics.filter((d) => d.cause !== undefined).sort((a, b) => a.start - b.start),
    );
  }
  for (const drop of ctx.sim.dropped) {
    const file = drop.path === undefined ? ctx.main : ctx.tabs.find((t) => t.path === drop.path);
    if (!file) continue;
    // A record ends after its newline; one without (the last line) also owns the point at its end.
    const openEnd = file.doc.source[drop.end - 1] !== "\n";
    const inside = (at: number) => at >= drop.start && (at < drop.end || (openEnd && at === drop.end));
    const list = candidates.get(file) ?? [];
    let explains: Finding | undefined;
    for (let i = lowerBound(list, drop.start, (f) => f.start); i < list.length && inside(list[i]!.start); i++) {
      const d = list[i]!;
      if (!d.dropped && d.cause === drop.cause) {
        explains = d;
        break;
      }
    }
    if (explains) {
      explains.dropped = true;
      continue;
    }
    const lineEnd = file.doc.source.indexOf("\n", drop.start);
    const end = Math.min(drop.end, lineEnd === -1 ? drop.end : lineEnd);
    ctx.report(
      file,
      "IT000",
      { start: drop.start, end },
      `init ignores this line (init logs "${printable(drop.message)}")`,
      { cause: drop.cause },
    );
    file.diagnostics[file.diagnostics.length - 1]!.dropped = true;
  }
}
