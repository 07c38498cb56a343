/**
 * SARIF 2.1.0, shaped for GitHub code scanning (spec/ecosystem.md §5.7, §8): tool name and
 * version, the full rule metadata with https helpUris, artifact URIs relative to a
 * `%SRCROOT%` base (the working directory) declared in originalUriBaseIds, and never a made-up
 * `<stdin>` URI: standard input without --stdin-filename has an artifact location without a URI.
 * Columns are converted from bytes to UTF-16 code units, SARIF's default column kind.
 */
import { isAbsolute, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { binaryToText } from "../base/index.js";
import { helpUri, RULES } from "../rules/registry.js";
import type { Diagnostic } from "../rules/types.js";
import type { ReportedFile } from "./types.js";
import { stringifyJson } from "../base/bytes.js";

export interface SarifOptions {
  version: string;
  /** The directory relative URIs are resolved against (default: the working directory). */
  cwd?: string;
  /** The name stdin stands for (--stdin-filename), if any. */
  stdinName?: string;
}

const LEVEL = { error: "error", warning: "warning", info: "note" } as const;
const SRCROOT = "%SRCROOT%";

/** Byte column → UTF-16 column on the diagnostic's line. */
function utf16Column(file: ReportedFile, offset: number): number {
  const source = file.doc?.source;
  if (source === undefined) return 1;
  const lineStart = source.lastIndexOf("\n", offset - 1) + 1;
  return binaryToText(source.slice(lineStart, offset)).length + 1;
}

function artifactLocation(file: ReportedFile, cwd: string, stdinName: string | undefined): Record<string, unknown> {
  let path = file.path;
  if (path === "-") {
    if (stdinName === undefined) return { description: { text: "standard input" } };
    path = stdinName;
  }
  const abs = resolve(cwd, path);
  const rel = relative(cwd, abs);
  if (rel !== "" && !rel.startsWith("..") && !isAbsolute(rel)) {
    const uri = rel.split(sep).map(encodeURIComponent).join("/");
    return { uri, uriBaseId: SRCROOT };
  }
  return { uri: pathToFileURL(abs).href };
}

function region(file: ReportedFile, d: Diagnostic): Record<string, number> {
  const startColumn = utf16Column(file, d.start);
  const endColumn = utf16Column(file, d.end);
  return { startLine: d.line, startColumn, endLine: d.endLine, endColumn: d.endLine === d.line ? Math.max(endColumn, startColumn) : endColumn };
}

export function formatSarif(files: readonly ReportedFile[], options: SarifOptions): string {
  const cwd = options.cwd ?? process.cwd();
  const index = new Map(RULES.map((r, i) => [r.code, i]));
  const results = files.flatMap((file) =>
    file.diagnostics.map((d) => ({
      ruleId: d.code,
      ruleIndex: index.get(d.code) ?? 0,
      level: LEVEL[d.severity],
      message: { text: d.message },
      locations: [{ physicalLocation: { artifactLocation: artifactLocation(file, cwd, options.stdinName), region: region(file, d) } }],
      properties: { dropped: d.dropped, dialect: file.dialect },
    })),
  );
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "inittab",
            version: options.version,
            semanticVersion: options.version,
            informationUri: "https://github.com/inittab-tools/inittab",
            rules: RULES.map((r) => ({
              id: r.code,
              name: r.code,
              shortDescription: { text: r.title },
              helpUri: helpUri(r.code),
              help: { text: `${r.title}. See ${helpUri(r.code)}` },
              defaultConfiguration: { level: LEVEL[r.severity] },
              properties: { tags: ["inittab", r.group] },
            })),
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(cwd.endsWith(sep) ? cwd : cwd + sep).href } },
        columnKind: "utf16CodeUnits",
        results,
      },
    ],
  };
  return `${stringifyJson(log)}\n`;
}
