/**
 * `--reload`: ask the running init to re-read the file, only when it is the live init of that
 * file (live.ts decides). sysvinit gets the request `telinit q` sends, written to the very FIFO
 * PID 1 holds open; BusyBox gets SIGHUP, which its init treats as "re-read inittab". Whatever
 * the options, nothing is signalled or written to unless liveInit said yes.
 */
import { InittabError } from "../base/errors.js";
import type { Dialect } from "../dialects/index.js";
import { encodeRequest, sendRequest } from "../initctl/index.js";
import { liveInit, type LiveInit, type LiveOptions } from "./live-init.js";

export type ReloadOptions = LiveOptions;

/**
 * Ask the init that reads `file` to re-read it; resolves to what was done ("asked init to
 * re-read (request q on /run/initctl)"). `reload-skipped` when no running init reads the file
 * (with the reason), `reload-failed` when asking it failed.
 */
export async function reloadInit(dialect: Dialect, file: string, options: ReloadOptions = {}): Promise<string> {
  const live = liveInit(dialect, file, options);
  if ("refused" in live) throw new InittabError("reload-skipped", `not reloading: ${live.refused}`, { path: file });
  return askToReread(live, dialect, file);
}

/**
 * Ask the init liveInit found (`live`, not refused) to re-read `file`: for a caller that shows
 * something between finding the init and asking it (the CLI prints the plan of the re-read).
 */
export async function askToReread(
  live: Exclude<LiveInit, { refused: string }>,
  dialect: Dialect,
  file: string,
): Promise<string> {
  if (live.kind === "sysvinit") {
    const fifo = live.fifo!;
    // `telinit q`: a RUNLVL request with the character as typed; sleeptime from the dialect.
    const request = encodeRequest({ command: "RUNLVL", runlevel: "q" }, { dialect });
    try {
      await sendRequest(request, { fifo: fifo.open });
    } catch (err) {
      const why = (err as Error).message;
      throw new InittabError("reload-failed", `could not ask init to re-read: ${why}`, { path: file });
    }
    return `asked init to re-read (request q on ${fifo.name})`;
  }
  try {
    process.kill(live.pid, "SIGHUP");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === "EPERM"
        ? "permission denied (run as root)"
        : code === "ESRCH"
          ? "no such process"
          : (err as Error).message;
    throw new InittabError("reload-failed", `could not send SIGHUP to process ${live.pid}: ${why}`, { path: file });
  }
  return `asked init to re-read (SIGHUP to process ${live.pid})`;
}
