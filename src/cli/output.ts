/** Where a generator's output goes (`tmpfs`, `initctl encode`): stdout, or a file through the safe writer. */
import { binaryToText } from "../base/bytes.js";
import { InittabError, isInittabError } from "../base/errors.js";
import { diffLabel, escapeDiff, unifiedDiff } from "../edit/diff.js";
import type { diagnosticJson } from "../report/machine.js";
import { EDIT_SCHEMA_URL, EDIT_SCHEMA_VERSION } from "../report/schemas.js";
import { safeWriteFile, validateBytes } from "../write/index.js";
import { EXIT_STATUS, fsError, inFlags, usageError } from "./errors.js";
import { displayPath, fileOptions, lockOptions, readInput, writeFileBytes, type GlobalOptions } from "./io.js";
import { backupSuffix, type WriteFlags } from "./write-options.js";

/**
 * The outcome of a command that writes a file, as `--json` prints it (docs/schemas/edit.v1.json):
 * the edit commands, and the generators with `-o FILE`.
 */
export interface WriteJson {
  $schema: string;
  schemaVersion: number;
  command: string;
  file: string;
  changed: boolean;
  written: boolean;
  operations: Array<{ operation: string; changed: boolean; message: string }>;
  diff: string;
  diagnostics: ReturnType<typeof diagnosticJson>[];
  backup: string | null;
  reloaded: string | null;
  error?: { code: string; exitStatus: number; message: string };
}

/** An outcome before anything is done: nothing changed, nothing written. */
export function writeJson(command: string, file: string): WriteJson {
  return {
    $schema: EDIT_SCHEMA_URL,
    schemaVersion: EDIT_SCHEMA_VERSION,
    command,
    file,
    changed: false,
    written: false,
    operations: [],
    diff: "",
    diagnostics: [],
    backup: null,
    reloaded: null,
  };
}

/** Print the outcome; on a failure, with the error as the CLI reports it. */
export function printWriteJson(json: WriteJson, err?: InittabError): void {
  if (err) json.error = { code: err.code, exitStatus: EXIT_STATUS[err.code], message: inFlags(err.message) };
  process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
}

/**
 * A generator's output with `--json` (needs -o FILE): the outcome on stdout, the output in FILE.
 * `text`: the output is an inittab, whose change the outcome shows as a diff.
 */
export async function writeOutputJson(
  o: WriteFlags,
  bytes: Uint8Array,
  globals: GlobalOptions,
  command: string,
  text: boolean,
): Promise<boolean> {
  const output = o.output!;
  const json = writeJson(command, displayPath(output));
  try {
    if (o.validate !== undefined) validateBytes(o.validate, bytes, output, "inittab");
    const current = currentBytes(output, globals);
    json.changed = !Buffer.from(current).equals(Buffer.from(bytes));
    const message = json.changed ? (o.check || o.diff ? "would change" : "written") : "unchanged";
    json.operations = [{ operation: command, changed: json.changed, message }];
    if (text && json.changed) json.diff = binaryToText(unifiedDiff(current, bytes, diffLabel(output)));
    if (!o.check && !o.diff) {
      const done = await install(o, bytes, globals);
      json.written = true;
      json.backup = done.backup ?? null;
    }
  } catch (err) {
    if (err instanceof InittabError) printWriteJson(json, err);
    throw err;
  }
  printWriteJson(json);
  return !(o.check && json.changed);
}

/** What FILE holds now: empty when it does not exist (under --root, read inside the image). */
function currentBytes(output: string, globals: GlobalOptions): Uint8Array {
  try {
    return readInput(output, globals);
  } catch (err) {
    if (!isInittabError(err, "io-error") || err.errno !== "ENOENT") throw err;
    return new Uint8Array();
  }
}

/** Install the output through the safe writer, with the lock and backup the options ask for. */
async function install(o: WriteFlags, bytes: Uint8Array, globals: GlobalOptions): Promise<{ backup?: string }> {
  try {
    return await safeWriteFile(o.output!, bytes, {
      ...fileOptions(globals),
      ...lockOptions(o),
      ...(backupSuffix(o) !== undefined ? { backup: backupSuffix(o)! } : {}),
    });
  } catch (err) {
    if (err instanceof InittabError) throw err;
    throw fsError(displayPath(o.output!), err);
  }
}

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
    const current = currentBytes(o.output, globals);
    const same = Buffer.from(current).equals(Buffer.from(bytes));
    if (o.diff) {
      const diff = same ? "" : unifiedDiff(current, bytes, diffLabel(o.output));
      process.stdout.write(process.stdout.isTTY ? escapeDiff(diff) : Buffer.from(diff, "latin1"));
      return true;
    }
    process.stdout.write(`${shown}: ${same ? "unchanged" : "would change"}\n`);
    return same;
  }
  const done = await install(o, bytes, globals);
  process.stderr.write(
    `wrote ${shown}${done.backup !== undefined ? ` (the previous version is ${displayPath(done.backup)})` : ""}\n`,
  );
  return true;
}
