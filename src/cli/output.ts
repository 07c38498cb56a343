/** Where a generator's output goes (`tmpfs`, `initctl encode`): stdout, or a file through the safe writer. */
import { InittabError, isInittabError } from "../base/errors.js";
import { diffLabel, escapeDiff, unifiedDiff } from "../edit/diff.js";
import { safeWriteFile, validateBytes } from "../write/index.js";
import { fsError, usageError } from "./errors.js";
import { displayPath, fileOptions, lockOptions, readInput, writeFileBytes, type GlobalOptions } from "./io.js";
import { backupSuffix, type WriteFlags } from "./write-options.js";

/**
 * Write a generator's output as the output options ask: to stdout (no -o, or -o -), to FILE
 * through the safe writer, or only compare it with FILE (--check) or show the change (--diff).
 * Returns false when --check found a difference (the caller exits 1).
 */
export async function writeOutput(
  o: WriteFlags,
  bytes: Uint8Array,
  globals: GlobalOptions,
  refuseTerminal?: string,
): Promise<boolean> {
  const label = o.output === undefined || o.output === "-" ? "<stdout>" : o.output;
  if (o.validate !== undefined) validateBytes(o.validate, bytes, label, "inittab");
  if (o.output === undefined || o.output === "-") {
    if (refuseTerminal !== undefined && process.stdout.isTTY) throw usageError(refuseTerminal);
    writeFileBytes(bytes);
    return true;
  }
  const shown = displayPath(o.output);
  if (o.check || o.diff) {
    let current: Uint8Array;
    try {
      // Under --root, resolved inside the image as every other path.
      current = readInput(o.output, globals);
    } catch (err) {
      if (!isInittabError(err, "io-error") || err.errno !== "ENOENT") throw err;
      current = new Uint8Array();
    }
    const same = Buffer.from(current).equals(Buffer.from(bytes));
    if (o.diff) {
      const diff = same ? "" : unifiedDiff(current, bytes, diffLabel(o.output));
      process.stdout.write(process.stdout.isTTY ? escapeDiff(diff) : Buffer.from(diff, "latin1"));
      return true;
    }
    process.stdout.write(`${shown}: ${same ? "unchanged" : "would change"}\n`);
    return same;
  }
  try {
    const done = await safeWriteFile(o.output, bytes, {
      ...fileOptions(globals),
      ...lockOptions(o),
      ...(backupSuffix(o) !== undefined ? { backup: backupSuffix(o)! } : {}),
    });
    process.stderr.write(
      `wrote ${shown}${done.backup !== undefined ? ` (the previous version is ${displayPath(done.backup)})` : ""}\n`,
    );
  } catch (err) {
    if (err instanceof InittabError) throw err;
    throw fsError(shown, err);
  }
  return true;
}
