/** Helpers for the rule tests: check a text (and inittab.d files) with a dialect and options. */
import { parse } from "../../src/document/index.js";
import { checkSet, type CheckOptions, type Diagnostic, type FileReport } from "../../src/rules/index.js";

export interface RunOptions {
  dialect?: string;
  options?: CheckOptions;
  /** inittab.d files by name (read in this order). */
  tabs?: Record<string, string>;
  /** Names listed in inittab.d besides the tabs (for IT030c). */
  tabDirNames?: string[];
}

export function checkAll(main: string | Uint8Array | undefined, run: RunOptions = {}): FileReport[] {
  const dialect = run.dialect ?? "sysvinit@3.14";
  const mainDoc = main === undefined ? undefined : parse(main, { dialect });
  const tabDialect = mainDoc?.dialect ?? dialect;
  const tabs = Object.entries(run.tabs ?? {}).map(([name, text]) => ({
    path: `/etc/inittab.d/${name}`,
    doc: parse(text, { dialect: tabDialect }),
  }));
  return checkSet(
    {
      ...(mainDoc ? { main: { path: "/etc/inittab", doc: mainDoc } } : {}),
      tabs,
      ...(run.tabDirNames
        ? { tabDir: { path: "/etc/inittab.d", names: [...Object.keys(run.tabs ?? {}), ...run.tabDirNames] } }
        : {}),
    },
    run.options ?? {},
  );
}

/** Every diagnostic of every file. */
export function diagnostics(main: string | Uint8Array | undefined, run: RunOptions = {}): Diagnostic[] {
  return checkAll(main, run).flatMap((f) => f.diagnostics);
}

export function codes(main: string | Uint8Array | undefined, run: RunOptions = {}): string[] {
  return diagnostics(main, run).map((d) => d.code);
}

/** A sysvinit file with a valid initdefault and an S entry, so that only the line under test speaks. */
export const BASE = "id:3:initdefault:\n~~:S:wait:/sbin/sulogin\n";
