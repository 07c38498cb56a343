/**
 * /etc/inittab.d (sysvinit 2.97+, init.c read_inittab; docs/internals/sysvinit.md): only the first
 * entry line of each .tab file is used (IT030), the files come in unsorted readdir order (IT030b), only `*.tab` names
 * are read (IT030c), an empty file can crash PID 1 (IT031), older inits ignore the directory
 * (IT032). Duplicate ids across files are ids.ts's.
 */
import type { CheckContext } from "../context.js";
import { quote } from "../wording.js";

export function checkInittabD(ctx: CheckContext): void {
  const dialect = ctx.dialect;
  if (!dialect.inittabD) {
    for (const tab of ctx.tabs) {
      const who =
        dialect.family === "busybox"
          ? "BusyBox init does not read /etc/inittab.d"
          : `sysvinit ${dialect.version} does not read /etc/inittab.d (it came in 2.97)`;
      ctx.report(tab, "IT032", { start: 0, end: 0 }, `${who}: this file has no effect`);
    }
    return;
  }
  for (const tab of ctx.tabs) {
    const read = tab.view.filter(
      (v) => v.unread === undefined && (v.line.kind === "entry" || v.line.kind === "invalid"),
    );
    if (read.length === 0) {
      const what = tab.doc.source.length === 0 ? "is empty" : "has no entry, only comments or blank lines";
      ctx.report(
        tab,
        "IT031",
        { start: 0, end: 0 },
        `this inittab.d file ${what}: init reads nothing from it, and when the line init parsed before it was malformed, reading it crashes PID 1 ("PANIC: segmentation violation")`,
      );
    }
    const first = read[0];
    for (const v of tab.view) {
      if (v.unread !== "after-first-tab-entry" || (v.line.kind !== "entry" && v.line.kind !== "invalid")) continue;
      ctx.report(
        tab,
        "IT030",
        { start: v.line.start, end: v.line.contentEnd },
        `init reads only the first entry line of an inittab.d file (line ${first?.line.line ?? 1}); this line is ignored — put each entry in a .tab file of its own`,
      );
    }
  }
  // No initdefault in /etc/inittab, and several in inittab.d: which one counts depends on
  // the order readdir returns the files in.
  const tabDefaults = ctx.sim.entries.filter((e) => e.action === "initdefault");
  const mainHasOne = tabDefaults.some((e) => e.path === undefined);
  const inTabs = tabDefaults.filter((e) => e.path !== undefined);
  if (!mainHasOne && inTabs.length > 1) {
    for (const e of inTabs) {
      const tab = ctx.tabs.find((t) => t.path === e.path);
      if (!tab) continue;
      ctx.report(
        tab,
        "IT030b",
        { start: e.start, end: e.end },
        `${inTabs.length} inittab.d files hold an initdefault entry: init uses the one it reads first, and the order of inittab.d files is unspecified`,
      );
    }
  }
  if (ctx.tabDirNames && ctx.tabDirPath !== undefined) {
    for (const name of ctx.tabDirNames) {
      if (name.endsWith(".tab") && name.length >= 5) continue;
      const stub = ctx.stub(`${ctx.tabDirPath}/${name}`);
      ctx.report(
        stub,
        "IT030c",
        { start: 0, end: 0 },
        `init reads only files named *.tab in inittab.d: ${quote(name)} is ignored`,
      );
    }
  }
}
