/** What a command module gets from the CLI: the global options and a way to set the exit status. */
import type { GlobalOptions } from "./io.js";

export interface CliContext {
  /** The global options, read when a command runs. */
  globals(): GlobalOptions;
  /** Set the process exit code (the highest wins). */
  exit(code: number): void;
}
