/** Errors the CLI turns into one line on stderr and an exit code (never a stack trace). */
import { errnoReason } from "../write/errors.js";

/** Unusable input or arguments: exit 2. */
export class UsageError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** A Node system error as "<path>: <reason>", e.g. "/etc/inittab: no such file or directory". */
export function describeFsError(path: string, err: unknown): string {
  return `${path}: ${errnoReason(err)}`;
}
