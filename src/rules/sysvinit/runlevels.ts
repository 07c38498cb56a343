/**
 * The runlevels field (init.c read_inittab; docs/internals/sysvinit.md): too long (IT010),
 * lowercase `s` (IT015), characters that never match (IT016), ignored for boot-phase actions (IT017), empty (IT018).
 */
import type { CheckContext, CheckedFile } from "../context.js";
import type { Edit } from "../../document/edits.js";
import { initLogs } from "../lookup.js";
import { initLength, NEWLINE_KEPT, quote } from "../wording.js";
import { lookupAction } from "../../init/index.js";

/** Characters init ever compares the current runlevel with (`s` is IT015's). */
const MATCHING = "0123456789SABCabc";

export function checkRunlevels(ctx: CheckContext, file: CheckedFile): void {
  const dialect = file.doc.dialect;
  for (const v of file.parsed) {
    const line = v.line;
    const field = line.fields.runlevels;
    if (!field) continue;
    const length = initLength(line, "runlevels");
    if (dialect.maxRunlevelsLength !== null && length > dialect.maxRunlevelsLength) {
      ctx.report(
        file,
        "IT010",
        field,
        `init ignores this line: the runlevels field ${quote(field.value)} is ${length} bytes long${length > field.value.length ? NEWLINE_KEPT : ""}, more than ${dialect.maxRunlevelsLength} ${initLogs(ctx, file, field.start, "rlevel-too-long", `rlevel field too long (max ${dialect.maxRunlevelsLength} characters)`)}`,
        { cause: "rlevel-too-long" },
      );
    }
    if (line.kind !== "entry") continue;
    const action = lookupAction(dialect, line.fields.action?.value ?? "", ctx);
    if (!action) continue;
    const value = field.value;
    if (action.info.bootPhase) {
      if (value !== "") {
        ctx.report(
          file,
          "IT017",
          field,
          `init ignores the runlevels of a ${action.name} entry: it runs in the ${action.info.bootPhase === "#" ? "sysinit" : "boot"} phase whatever this field says`,
        );
      }
      continue;
    }
    if (action.name === "initdefault") continue; // IT020/IT021 judge its levels
    if (value === "") {
      if (!action.info.power && action.name !== "off") {
        ctx.report(
          file,
          "IT018",
          { start: field.start, end: field.start },
          `empty runlevels mean 0123456789 to init, not S: this ${action.name} entry applies in every numbered runlevel, including 0 (halt) and 6 (reboot), but never in single-user mode (S)`,
        );
      }
      continue;
    }
    const fixes: Edit[] = [];
    for (let i = 0; i < value.length; i++) {
      if (value[i] === "s") fixes.push({ start: field.start + i, end: field.start + i + 1, text: "S" });
    }
    if (fixes.length > 0 && action.name !== "off") {
      ctx.report(
        file,
        "IT015",
        field,
        `init compares runlevels case-sensitively here: the lowercase "s" never matches single-user mode, which is always "S"`,
        { fix: fixes },
      );
    }
    const strange = [...new Set([...value].filter((c) => c !== "s" && !MATCHING.includes(c)))];
    if (strange.length > 0 && action.name !== "off") {
      const phases = strange.filter((c) => c === "#" || c === "*");
      const others = strange.filter((c) => c !== "#" && c !== "*");
      const parts: string[] = [];
      if (others.length > 0)
        parts.push(
          `${others.map((c) => quote(c)).join(", ")} never ${others.length === 1 ? "matches" : "match"} a runlevel`,
        );
      if (phases.includes("#")) parts.push(`"#" makes it run in the sysinit phase`);
      if (phases.includes("*")) parts.push(`"*" makes it run in the boot phase`);
      // init leaves the sysinit and boot phases only when nothing it started there still runs
      // (boot_transitions), so a process restarted for ever keeps the boot from going on.
      const holdsBoot = phases.length > 0 && action.info.respawns;
      if (holdsBoot)
        parts.push(
          `init does not leave that phase while the entry runs, and a ${action.name} entry is restarted whenever it exits, so the boot never reaches a runlevel`,
        );
      ctx.report(
        file,
        "IT016",
        field,
        `runlevels ${quote(value)}: ${parts.join("; ")} (init accepts any character but only compares 0-9, S and A-C)`,
        holdsBoot ? { severity: "error" } : undefined,
      );
    }
  }
}
