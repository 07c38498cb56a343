/** Read and parse the inittabs a command names, with the global dialect. */
import { statSync } from "node:fs";
import { parse, type Document } from "../document/index.js";
import { readInputs, type InputDocument } from "../inputs/index.js";
import { inFlags } from "./errors.js";
import {
  defaultInittab,
  effectiveDialect,
  fileOptions,
  prepareForInputs,
  readInput,
  type GlobalOptions,
} from "./io.js";

export interface Loaded {
  path: string;
  bytes: Uint8Array;
  doc: Document;
}

/** Load FILE (default /etc/inittab or DIR/etc/inittab) and parse it. */
export function loadInittab(
  file: string | undefined,
  globals: GlobalOptions,
  dialect = effectiveDialect(globals),
): Loaded {
  const path = file ?? defaultInittab(globals);
  const bytes = readInput(path, globals);
  return { path, bytes, doc: parse(bytes, { dialect }) };
}

/**
 * Every inittab behind FILE (default /etc/inittab or DIR/etc/inittab): a file, `-`, a directory,
 * a package or rootfs archive (docs/packages.md). What cannot be read is reported on stderr, one
 * line each; `failed` says whether anything was. `collection`: FILE is a directory or an archive,
 * whose output names each inittab (however many it holds).
 */
export async function loadInittabs(
  file: string | undefined,
  globals: GlobalOptions,
): Promise<{ docs: InputDocument[]; failed: boolean; collection: boolean }> {
  const path = file ?? defaultInittab(globals);
  const docs: InputDocument[] = [];
  let failed = false;
  let collection = isDirectory(path);
  prepareForInputs([path], globals);
  const options = { dialect: effectiveDialect(globals), ...fileOptions(globals) };
  for await (const item of readInputs([path], options)) {
    if (item.kind === "error") {
      process.stderr.write(`inittab: ${inFlags(item.error.message)}\n`);
      failed = true;
    } else if (item.kind === "note") {
      process.stderr.write(`inittab: ${item.message}\n`);
    } else {
      if (item.set.archive) collection = true;
      docs.push(...(item.set.main ? [item.set.main] : []), ...item.set.tabs);
    }
  }
  return { docs, failed, collection };
}

function isDirectory(path: string): boolean {
  try {
    return path !== "-" && statSync(path).isDirectory();
  } catch {
    return false;
  }
}
