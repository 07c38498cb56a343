/**
 * `--reload`: ask the running init to re-read the file. An init with an initctl FIFO (sysvinit)
 * gets the request `telinit q` sends; one without (BusyBox) gets SIGHUP, which both inits treat
 * as "re-read inittab". Targets are injectable so tests never touch the real PID 1.
 */
import { InittabError } from "../base/errors.js";
import type { Dialect } from "../dialects/index.js";
import { defaultFifo, defaultFifoCandidates, encodeRequest, sendRequest } from "../initctl/index.js";

export interface ReloadOptions {
  /** The initctl FIFO (default: the dialect's, else the first that exists). */
  fifo?: string;
  /** The process to signal (default 1). */
  pid?: number;
  /** How to signal it (default process.kill). */
  kill?: (pid: number, signal: NodeJS.Signals) => void;
}


/** Ask init to re-read its inittab; resolves to what was done ("sent `q` to /run/initctl"). */
export async function reloadInit(dialect: Dialect, options: ReloadOptions = {}): Promise<string> {
  if (dialect.fifoPath !== null) {
    const fifo =
      options.fifo ?? defaultFifoOrThrow([dialect.fifoPath, ...defaultFifoCandidates().filter((p) => p !== dialect.fifoPath)]);
    // `telinit q`: a RUNLVL request with the character as typed; sleeptime from the dialect.
    const request = encodeRequest({ command: "RUNLVL", runlevel: "q" }, { dialect });
    try {
      await sendRequest(request, { fifo });
    } catch (err) {
      throw new InittabError("reload-failed", `could not ask init to re-read: ${(err as Error).message}`);
    }
    return `asked init to re-read (request q on ${fifo})`;
  }
  const pid = options.pid ?? 1;
  const kill = options.kill ?? ((p: number, s: NodeJS.Signals) => void process.kill(p, s));
  try {
    kill(pid, "SIGHUP");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "EPERM" ? "permission denied (run as root)" : code === "ESRCH" ? "no such process" : (err as Error).message;
    throw new InittabError("reload-failed", `could not send SIGHUP to process ${pid}: ${why}`);
  }
  return `asked init to re-read (SIGHUP to process ${pid})`;
}

function defaultFifoOrThrow(candidates: string[]): string {
  try {
    return defaultFifo(candidates);
  } catch (err) {
    throw new InittabError("reload-failed", `could not ask init to re-read: ${(err as Error).message}`);
  }
}
