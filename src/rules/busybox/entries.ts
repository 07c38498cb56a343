/**
 * What BusyBox init makes of the entries it accepts (BusyBox init/init.c; docs/internals/busybox.md): the id is the tty
 * (BB008), runlevels are ignored (BB009), identical (tty, command) pairs are merged (BB010), only
 * the first restart counts (BB011), and shell commands run as `sh -c "exec <cmd>"` (BB013).
 */
import type { CheckContext, CheckedFile } from "../context.js";
import { analyseCommand, chainsCommands } from "../../init/command.js";
import { ttyPath } from "../../init/index.js";
import { entryAt, entryView } from "../lookup.js";
import { quote } from "../wording.js";

/** Names that are terminals (or /dev/null) on Linux and the BSDs, with or without /dev/. */
const DEVICE_NAME =
  /^(?:(?:[A-Za-z0-9_]+\/)*tty[A-Za-z0-9_.-]*|console|hvc\d+|hvsi\d+|xvc\d+|null|rfcomm\d+|ircomm\d+|sclp_line\d+|pts\/\d+|vc\/\d+|tts\/\d+|3270\/tty\d+|cu[A-Za-z0-9.]+|std(?:in|out|err)|kmsg)$/;

/**
 * What a sysvinit id looks like (1-4 bytes: `S0`, `1`, `id`, `si`). Other names that are not
 * known terminals may still be devices of some board (`duart0`); only --root can tell.
 */
const SYSVINIT_ID = /^[A-Za-z0-9~]{1,4}$/;

export function checkBusyBoxEntries(ctx: CheckContext, file: CheckedFile, devChecked: boolean): void {
  const sim = ctx.sim;
  for (const v of file.view) {
    const line = v.line;
    if (line.kind !== "entry" || v.unread) continue;
    const f = line.fields as Required<typeof line.fields>;
    // A line BusyBox rejects never runs: what its fields would mean is moot.
    if (entryAt(ctx, file, line.start) === undefined) continue;
    const id = f.id.value;
    if (id !== "" && !devChecked) {
      const name = id.startsWith("/dev/") ? id.slice(5) : id;
      if (/^[ \t]/.test(id) || /[ \t]$/.test(id)) {
        ctx.report(
          file,
          "BB008",
          f.id,
          `BusyBox does not trim the id: it opens ${quote(ttyPath(id))} as this entry's terminal, which does not exist, so the command never runs`,
        );
      } else if (!DEVICE_NAME.test(name) && (SYSVINIT_ID.test(name) || /[^A-Za-z0-9_./+-]/.test(name))) {
        ctx.report(
          file,
          "BB008",
          f.id,
          `BusyBox reads the first field as the entry's terminal, not as an id: it opens ${quote(ttyPath(id))}, and unless that device exists the command never runs; leave the field empty for the console, or name the tty (e.g. "ttyS0")`,
        );
      }
    }
    if (f.runlevels.value !== "") {
      ctx.report(
        file,
        "BB009",
        f.runlevels,
        `BusyBox ignores the runlevels field: this entry runs whatever ${quote(f.runlevels.value)} says`,
      );
    }
    const cmd = analyseCommand(file.doc.dialect, f.process.value);
    if (cmd.shell && file.doc.dialect.shellForm === "sh -c exec" && chainsCommands(cmd.body)) {
      ctx.report(
        file,
        "BB013",
        f.process,
        `BusyBox runs this as /bin/sh -c "exec <command>": the shell replaces itself with the first command, so the commands after ";", "&&" or "||" never run; put them in a script`,
      );
    }
  }
  for (const m of sim.merged) {
    const later = entryView(file, m.intoStart);
    if (!later) continue;
    ctx.report(
      file,
      "BB010",
      { start: later.line.start, end: later.line.contentEnd },
      `same tty and command as line ${m.line}: BusyBox keeps one entry, with this line's action, and the command runs once`,
    );
  }
  const restarts = sim.entries.filter((e) => e.action === "restart");
  for (const e of restarts.slice(1)) {
    const v = entryView(file, e.start);
    ctx.report(
      file,
      "BB011",
      v?.line.fields.action ?? { start: e.start, end: e.end },
      `BusyBox execs only the first restart entry (line ${restarts[0]!.line}) on SIGQUIT: this one never runs`,
    );
  }
}
