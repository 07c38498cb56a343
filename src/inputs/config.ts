/**
 * The configuration file, `.inittab.json`: which rules to report, from which severity a check
 * fails, which dialect the files of a tree are for. It is found from the checked file's directory
 * upwards (the first one wins), like .shellcheckrc or .hadolint.yaml; the command line's flags
 * override what it says. The schema is docs/schemas/config.v1.json.
 */
import { readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { escapeText } from "../base/bytes.js";
import { InittabError } from "../base/errors.js";
import { errnoReason } from "../base/errno.js";
import { DIALECT_NAMES } from "../dialects/index.js";
import { isRuleCode, RULES, type RuleCode } from "../rules/index.js";
import type { Severity } from "../rules/types.js";

export const CONFIG_FILE_NAME = ".inittab.json";

/** A config file is small; anything bigger is not one. */
const MAX_CONFIG_BYTES = 64 * 1024;

export const FAIL_ON = ["error", "warning", "info"] as const;
export type FailOn = (typeof FAIL_ON)[number];

export interface InittabConfig {
  /** Where it was read (for messages). */
  path: string;
  dialect?: string;
  disable?: RuleCode[];
  enable?: RuleCode[];
  failOn?: FailOn;
  maxWarnings?: number;
  allowExec?: boolean;
}

const KEYS = new Set(["$schema", "dialect", "disable", "enable", "failOn", "maxWarnings", "allowExec"]);

function bad(path: string, why: string): InittabError {
  return new InittabError("invalid-option", `${escapeText(path)}: ${why}`, { path });
}

/**
 * Codes from a list of comma-separated words; `all` is every code. An unknown code is an error
 * naming where it was given (`--disable`, or the config file's `disable`).
 */
export function ruleCodes(words: readonly string[], where: string): RuleCode[] {
  const out: RuleCode[] = [];
  for (const word of words
    .flatMap((w) => w.split(","))
    .map((w) => w.trim())
    .filter((w) => w !== "")) {
    if (word === "all") out.push(...RULES.map((r) => r.code));
    else if (isRuleCode(word.toUpperCase().replace(/B$/, "b")))
      out.push(word.toUpperCase().replace(/B$/, "b") as RuleCode);
    else
      throw new InittabError(
        "invalid-option",
        `${where}: "${escapeText(word)}" is not a rule code (see \`inittab check --list-rules\`)`,
      );
  }
  return out;
}

/** Read and validate one config file. */
export function readConfig(path: string): InittabConfig {
  let text: string;
  try {
    if (statSync(path).size > MAX_CONFIG_BYTES)
      throw bad(path, `larger than ${MAX_CONFIG_BYTES} bytes: not a config file`);
    text = readFileSync(path, "utf8");
  } catch (err) {
    if (err instanceof InittabError) throw err;
    throw new InittabError("io-error", `${escapeText(path)}: ${errnoReason(err)}`, { path });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw bad(path, `not valid JSON (${(err as Error).message})`);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) throw bad(path, "must hold a JSON object");
  const o = data as Record<string, unknown>;
  for (const k of Object.keys(o))
    if (!KEYS.has(k)) throw bad(path, `unknown setting "${escapeText(k)}" (known: ${[...KEYS].join(", ")})`);
  const config: InittabConfig = { path };
  const list = (k: "disable" | "enable"): RuleCode[] | undefined => {
    const v = o[k];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || !v.every((x) => typeof x === "string"))
      throw bad(path, `"${k}" must be a list of rule codes`);
    return ruleCodes(v, `${escapeText(path)}: "${k}"`);
  };
  const disable = list("disable");
  if (disable) config.disable = disable;
  const enable = list("enable");
  if (enable) config.enable = enable;
  if (o["dialect"] !== undefined) {
    if (typeof o["dialect"] !== "string" || !(DIALECT_NAMES as readonly string[]).includes(o["dialect"])) {
      throw bad(path, `"dialect" must be one of ${DIALECT_NAMES.join(", ")}`);
    }
    config.dialect = o["dialect"];
  }
  if (o["failOn"] !== undefined) {
    if (!(FAIL_ON as readonly unknown[]).includes(o["failOn"]))
      throw bad(path, `"failOn" must be one of ${FAIL_ON.join(", ")}`);
    config.failOn = o["failOn"] as FailOn;
  }
  if (o["maxWarnings"] !== undefined) {
    const n = o["maxWarnings"];
    if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0)
      throw bad(path, '"maxWarnings" must be a non-negative integer');
    config.maxWarnings = n;
  }
  if (o["allowExec"] !== undefined) {
    if (typeof o["allowExec"] !== "boolean") throw bad(path, '"allowExec" must be true or false');
    config.allowExec = o["allowExec"];
  }
  return config;
}

/**
 * The config that applies to a checked path: the first `.inittab.json` in its directory or
 * above. `-` (stdin) looks from the working directory. Lookups are cached per directory.
 */
export class ConfigFinder {
  private readonly cache = new Map<string, InittabConfig | null>();

  find(checked: string): InittabConfig | undefined {
    const start = checked === "-" ? process.cwd() : resolve(checked);
    let dir = isDirectory(start) ? start : dirname(start);
    const visited: string[] = [];
    let found: InittabConfig | null = null;
    for (;;) {
      const cached = this.cache.get(dir);
      if (cached !== undefined) {
        found = cached;
        break;
      }
      visited.push(dir);
      const candidate = join(dir, CONFIG_FILE_NAME);
      if (isFile(candidate)) {
        found = readConfig(candidate);
        break;
      }
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
    for (const d of visited) this.cache.set(d, found);
    return found ?? undefined;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The codes to leave out: the config's disable, minus its enable, plus --disable, minus --enable. */
export function disabledCodes(
  config: InittabConfig | undefined,
  disable: readonly RuleCode[],
  enable: readonly RuleCode[],
): RuleCode[] {
  const off = new Set<RuleCode>(config?.disable ?? []);
  for (const c of config?.enable ?? []) off.delete(c);
  for (const c of disable) off.add(c);
  for (const c of enable) off.delete(c);
  return [...off];
}

/** Does a finding of this severity fail the check at `failOn`? */
export function fails(severity: Severity, failOn: FailOn): boolean {
  return FAIL_ON.indexOf(severity) <= FAIL_ON.indexOf(failOn);
}
