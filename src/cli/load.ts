/** Read and parse one inittab for a command, with the global dialect. */
import { parse, type Document } from "../document/index.js";
import { defaultInittab, readInput, type GlobalOptions } from "./io.js";

export interface Loaded {
  path: string;
  bytes: Uint8Array;
  doc: Document;
}

/** Load FILE (default /etc/inittab or DIR/etc/inittab) and parse it. */
export function loadInittab(file: string | undefined, globals: GlobalOptions, dialect = globals.dialect): Loaded {
  const path = file ?? defaultInittab(globals);
  const bytes = readInput(path, globals);
  return { path, bytes, doc: parse(bytes, { dialect }) };
}
