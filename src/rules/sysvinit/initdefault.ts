/**
 * The boot runlevel and single-user mode (init.c get_init_default; docs/internals/sysvinit.md): initdefault missing
 * (IT019), invalid (IT020), several (IT021), 0/6 (IT022) or S (IT022b); the synthetic sulogin
 * entry suppressed (IT023) or added (IT023b). Judged from the simulator's prediction, which
 * reads the whole set (inittab plus inittab.d) the way init does.
 */
import type { CheckContext, CheckedFile } from "../context.js";
import type { SimulatedEntry } from "../../init/simulate.js";
import { entryView, fileOf } from "../lookup.js";
import { quote } from "../wording.js";

function runlevelsField(
  file: CheckedFile,
  e: SimulatedEntry,
): { start: number; end: number; value: string } | undefined {
  const v = entryView(file, e.start);
  const f = v?.line.fields.runlevels;
  return f ? { start: f.start, end: f.end, value: f.value } : undefined;
}

export function checkInitdefault(ctx: CheckContext): void {
  const main = ctx.main;
  if (!main || !main.doc.dialect.usesRunlevels) return;
  const sim = ctx.sim;
  const initdefaults = sim.entries.filter((e) => e.action === "initdefault");
  const first = initdefaults[0];
  if (!first) {
    const droppedOnes = main.view.filter(
      (v) =>
        v.line.fields.action &&
        v.line.fields.action.value.toLowerCase() === "initdefault" &&
        v.line.kind !== "comment" &&
        v.unread === undefined,
    );
    const why = droppedOnes.length > 0 ? ` (the initdefault line ${droppedOnes[0]!.line.line} is itself rejected)` : "";
    ctx.report(
      main,
      "IT019",
      { start: 0, end: 0 },
      `init finds no initdefault entry${why}: at boot it stops at the console prompt "Enter runlevel:" and waits, unless the kernel command line names a runlevel; add one such as "id:3:initdefault:"`,
    );
    return;
  }
  const file = fileOf(ctx, first.path) ?? main;
  const field = runlevelsField(file, first);
  const at = field ?? { start: first.start, end: first.end };
  if (sim.defaultRunlevel === null) {
    const logged = sim.initdefaultMessage ? ` (init logs "${sim.initdefaultMessage}")` : "";
    ctx.report(
      file,
      "IT020",
      at,
      `init cannot boot into the runlevel this initdefault names${logged}: it takes the highest character of ${quote(field?.value ?? first.runlevels)}, which must be 0-9 or S, and otherwise stops at the console prompt "Enter runlevel:"`,
    );
  }
  for (const extra of initdefaults.slice(1)) {
    const xfile = fileOf(ctx, extra.path) ?? main;
    const xfield = runlevelsField(xfile, extra);
    ctx.report(
      xfile,
      "IT021",
      xfield ?? { start: extra.start, end: extra.end },
      `init uses only the first initdefault entry (${first.path === extra.path ? "" : `${file.path} `}line ${first.line}); this one is ignored`,
    );
  }
  const raw = field?.value ?? "";
  if (sim.defaultRunlevel !== null) {
    if (raw === "") {
      ctx.report(
        file,
        "IT021",
        at,
        `empty runlevels in initdefault make init boot into runlevel 9, which usually runs nothing; name one level, e.g. "3"`,
      );
    } else if (new Set(raw).size > 1) {
      ctx.report(
        file,
        "IT021",
        at,
        `init boots into one level only, the highest character of ${quote(raw)} ("S" beats digits): ${sim.defaultRunlevel}; name just that one`,
      );
    }
    if (sim.defaultRunlevel === "0" || sim.defaultRunlevel === "6") {
      const what = sim.defaultRunlevel === "0" ? "halts" : "reboots";
      ctx.report(file, "IT022", at, `initdefault ${sim.defaultRunlevel}: init ${what} right after every boot`);
    } else if (sim.defaultRunlevel === "S") {
      ctx.report(
        file,
        "IT022b",
        at,
        `initdefault S: init stays in single-user mode, and each time that mode "ends" it consults initdefault again and re-runs the entries whose runlevels are exactly S, in an endless loop`,
      );
    }
  }
}

export function checkSulogin(ctx: CheckContext): void {
  const main = ctx.main;
  if (!main || !main.doc.dialect.usesRunlevels) return;
  const sim = ctx.sim;
  if (sim.syntheticSulogin) {
    const onlyInTabs = sim.entries.some((e) => e.path !== undefined && e.runlevels.includes("S"));
    ctx.report(
      main,
      "IT023b",
      { start: 0, end: 0 },
      `no entry of this file runs in single-user mode (S), so init adds "~~:S:wait:/sbin/sulogin"${onlyInTabs ? " (an S entry in inittab.d does not count: init decides before it reads inittab.d)" : ""}`,
    );
    return;
  }
  // Entries that name S themselves stop the fallback as intended; only the S that init gives
  // a power entry with empty runlevels does it by accident.
  const mainEntries = sim.entries.filter((e) => e.path === undefined && e.runlevels.includes("S"));
  const named = mainEntries.filter((e) => {
    const f = runlevelsField(main, e);
    return f !== undefined && f.value.includes("S");
  });
  if (named.length > 0 || mainEntries.length === 0) return;
  const culprit = mainEntries[0]!;
  const f = runlevelsField(main, culprit);
  ctx.report(
    main,
    "IT023",
    f ? { start: f.start, end: f.start } : { start: culprit.start, end: culprit.end },
    `this ${culprit.action} entry has empty runlevels, which init stores as S0123456789: so init does not add its fallback "~~:S:wait:/sbin/sulogin", and single-user mode (S) runs nothing, since this entry only runs on its event; add an S entry (e.g. "~~:S:wait:/sbin/sulogin") or give this entry runlevels`,
  );
}
