/**
 * The checker: runs every rule over an inittab (and its inittab.d files) and returns diagnostics
 * that say what the target init will do. `dropped` comes from the simulator alone: a diagnostic
 * is dropped exactly when init logs its line as bad and skips it, and it is the one diagnostic
 * that explains that drop.
 */
import { InittabError } from "../base/errors.js";
import { buildView, parseBinary, type Document } from "../document/index.js";
import { simulateInit } from "../init/index.js";
import { makeReporter, type CheckContext, type CheckedFile, type Finding } from "./context.js";
import { CheckIndex } from "./lookup.js";
import type { CheckOptions, Diagnostic } from "./types.js";
import { checkLines } from "./sysvinit/lines.js";
import { checkDuplicateIds, checkIds } from "./sysvinit/ids.js";
import { checkRunlevels } from "./sysvinit/runlevels.js";
import { checkActions } from "./sysvinit/actions.js";
import { checkProcesses, checkWaits } from "./sysvinit/process.js";
import { checkInitdefault, checkSulogin } from "./sysvinit/initdefault.js";
import { checkInittabD } from "./sysvinit/inittabd.js";
import { checkBusyBoxLines } from "./busybox/lines.js";
import { checkBusyBoxEntries } from "./busybox/entries.js";
import { checkExec } from "./exec.js";
import { checkRoot, devIsPopulated } from "./root.js";
import { checkTmpfsProfile } from "./profiles/tmpfs.js";
import { applySuppressions } from "./suppress.js";
import { settleDrops } from "./drops.js";
import { checkByteOrderMark } from "./bom.js";
import { checkGettyTtys } from "./ttys.js";

export type { CheckOptions, Diagnostic, Severity } from "./types.js";
export {
  RULES,
  RULE_BY_CODE,
  ruleMeta,
  helpUri,
  isRuleCode,
  DOCS_BASE_URL,
  type RuleMeta,
  type RuleGroup,
  type RuleCode,
} from "./registry.js";
export { fixSources, compatibleFixes, type FixResult, type CheckSources } from "./fix.js";

/** Profiles `--profile` accepts. */
export const PROFILES = ["tmpfs"] as const;

export interface InittabSource {
  /** How the file is named in diagnostics and output. */
  path: string;
  doc: Document;
}

/** What init reads together: /etc/inittab and the /etc/inittab.d/*.tab files. */
export interface InittabSet {
  main?: InittabSource;
  /** In the order init reads them (readdir order is unspecified; any order is one possibility). */
  tabs?: InittabSource[];
  /** The inittab.d directory and every name in it, when it was listed (for names init ignores). */
  tabDir?: { path: string; names: string[] };
}

export interface FileReport {
  path: string;
  role: "inittab" | "tab" | "other";
  /** The parsed file; undefined for a file reported on without being read. */
  doc: Document | undefined;
  diagnostics: Diagnostic[];
}

/**
 * Check one document on its own, as `/etc/inittab` without inittab.d files.
 *
 * @throws InittabError `unknown-profile` for an unknown `options.profile`.
 */
export function checkDocument(doc: Document, options: CheckOptions = {}): Diagnostic[] {
  return checkSet({ main: { path: "/etc/inittab", doc } }, options)[0]?.diagnostics ?? [];
}

/**
 * Check an inittab with its inittab.d files, as init reads them together: one report per file
 * (main first, then the tabs, then files reported on without being read). Each diagnostic says
 * what the target init does; `dropped` is true exactly when init logs the line as bad and skips it.
 *
 * @throws InittabError `unknown-profile` for an unknown `options.profile`.
 * @example
 * const [report] = checkSet({ main: { path: "/etc/inittab", doc } }, { allowExec: false });
 * for (const d of report.diagnostics) console.log(d.line, d.code, d.message);
 */
export function checkSet(set: InittabSet, options: CheckOptions = {}): FileReport[] {
  if (options.profile !== undefined && !(PROFILES as readonly string[]).includes(options.profile)) {
    throw new InittabError("unknown-profile", `unknown profile "${options.profile}" (known: ${PROFILES.join(", ")})`);
  }
  const dialect = set.main?.doc.dialect ?? set.tabs?.[0]?.doc.dialect;
  if (!dialect) return [];
  const allowExec = options.allowExec === true;
  const readTabs = dialect.inittabD ? (set.tabs ?? []) : [];
  const sim = simulateInit(set.main?.doc ?? parseBinary("", { dialect }), { tabs: readTabs, allowExec });
  const index = new CheckIndex(sim);
  const makeFile = (path: string, doc: Document, role: CheckedFile["role"]): CheckedFile => {
    const view = buildView(doc, role);
    index.link({ path, role }, view);
    const parsed = view.filter((v) => v.unread === undefined && (v.line.kind === "entry" || v.line.kind === "invalid"));
    return { path, doc, role, view, parsed, diagnostics: [] };
  };
  const main = set.main ? makeFile(set.main.path, set.main.doc, "inittab") : undefined;
  const tabs = (set.tabs ?? []).map((t) => makeFile(t.path, t.doc, "tab"));
  const stubs: CheckedFile[] = [];
  const ctx: CheckContext = {
    dialect,
    options,
    main,
    tabs,
    tabDirNames: set.tabDir?.names,
    tabDirPath: set.tabDir?.path,
    sim,
    allowExec,
    index,
    report: makeReporter(),
    stub: (path) => {
      const existing = stubs.find((s) => s.path === path);
      if (existing) return existing;
      const stub = makeFile(path, parseBinary("", { dialect }), "tab");
      stubs.push(stub);
      return stub;
    },
  };

  const files = [...(main ? [main] : []), ...(dialect.inittabD ? tabs : [])];
  if (dialect.family === "busybox") {
    const devChecked = options.image !== undefined && devIsPopulated(options.image);
    for (const f of files) {
      checkBusyBoxLines(ctx, f);
      checkBusyBoxEntries(ctx, f, devChecked);
    }
  } else {
    for (const f of files) {
      checkLines(ctx, f);
      checkIds(ctx, f);
      checkRunlevels(ctx, f);
      checkActions(ctx, f);
      checkProcesses(ctx, f);
    }
    checkDuplicateIds(ctx);
    checkInitdefault(ctx);
    checkSulogin(ctx);
    checkWaits(ctx);
    checkExec(ctx);
  }
  checkInittabD(ctx);
  checkGettyTtys(ctx);
  if (options.image !== undefined) checkRoot(ctx, options.image);
  if (options.profile === "tmpfs") checkTmpfsProfile(ctx);
  // Last of the rules: a byte order mark takes the place of what the others said of line 1.
  for (const f of files) checkByteOrderMark(ctx, f);

  settleDrops(ctx);
  const all = [...(main ? [main] : []), ...tabs, ...stubs];
  for (const f of all) applySuppressions(ctx, f);
  const disabled = new Set<string>(options.disable ?? []);
  if (disabled.size > 0) for (const f of all) f.diagnostics = f.diagnostics.filter((d) => !disabled.has(d.code));
  return all.map((f) => ({
    path: f.path,
    role: stubs.includes(f) ? "other" : f.role,
    doc: stubs.includes(f) ? undefined : f.doc,
    diagnostics: f.diagnostics
      .sort((a, b) => a.start - b.start || a.end - b.end || a.code.localeCompare(b.code))
      .map(publicDiagnostic),
  }));
}

/** The finding without its drop cause; most have none and are returned as they are, not copied. */
function publicDiagnostic(f: Finding): Diagnostic {
  if (f.cause === undefined) return f;
  const { cause: _cause, ...d } = f;
  return d;
}
export { compareVersions, type VersionOutcomes } from "./versions.js";
