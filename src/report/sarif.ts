/**
 * SARIF 2.1.0, shaped for GitHub code scanning (SARIF 2.1.0; GitHub code scanning's upload rules): tool name and
 * version, the full rule metadata with https helpUris, artifact URIs relative to a
 * `%SRCROOT%` base (the working directory) declared in originalUriBaseIds, and never a made-up
 * `<stdin>` URI: standard input without --stdin-filename has an artifact location without a URI.
 * Columns are converted from bytes to UTF-16 code units, SARIF's default column kind.
 *
 * A finding in a member of a package or rootfs archive is located at the archive, the file of
 * the repository code scanning can show; the region counts the member's lines, and the member
 * is named in the message (`/etc/inittab:3: …`), in properties.member, and as an artifact nested
 * in the archive's (run.artifacts, parentIndex). docs/packages.md says why.
 */
import { isAbsolute, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { binaryToText } from "../base/index.js";
import { VERSION } from "../base/version.js";
import { helpUri, RULES } from "../rules/registry.js";
import type { Diagnostic } from "../rules/types.js";
import type { ReportedFile } from "./types.js";
import { stringifyJson } from "../base/bytes.js";

export interface SarifOptions {
  /** The tool version SARIF names (default: this package's). */
  version?: string;
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

/** Where a path given on the command line (or `-`) is, as an artifact location. */
function pathLocation(given: string, cwd: string, stdinName: string | undefined): Record<string, unknown> {
  let path = given;
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

/**
 * The archives with findings in their members, as run.artifacts: each archive, then its members
 * nested in it (parentIndex), each member's URI its path inside the archive (`/etc/inittab`).
 */
class ArchiveArtifacts {
  readonly list: Record<string, unknown>[] = [];
  private readonly archives = new Map<string, number>();
  private readonly members = new Map<string, number>();

  constructor(
    private readonly cwd: string,
    private readonly stdinName: string | undefined,
  ) {}

  /** The archive's location (with its artifact index), registering the member under it. */
  locate(member: NonNullable<ReportedFile["member"]>): Record<string, unknown> {
    const location = pathLocation(member.archive, this.cwd, this.stdinName);
    let index = this.archives.get(member.archive);
    if (index === undefined) {
      index = this.list.length;
      this.archives.set(member.archive, index);
      this.list.push({ location, roles: ["analysisTarget"] });
    }
    const key = `${index}\0${member.path}`;
    if (!this.members.has(key)) {
      this.members.set(key, this.list.length);
      const uri = member.path.split("/").map(encodeURIComponent).join("/");
      this.list.push({ location: { uri }, parentIndex: index, roles: ["analysisTarget"] });
    }
    return { ...location, index };
  }
}

/**
 * A file's artifact location. A member of an archive is located at the archive (the file
 * GitHub code scanning can find in the repository); its region counts the member's lines, and
 * the member is named in the message and in properties.member.
 */
function artifactLocation(
  file: ReportedFile,
  cwd: string,
  stdinName: string | undefined,
  archives: ArchiveArtifacts,
): Record<string, unknown> {
  return file.member ? archives.locate(file.member) : pathLocation(file.path, cwd, stdinName);
}

function region(file: ReportedFile, d: Diagnostic): Record<string, number> {
  const startColumn = utf16Column(file, d.start);
  const endColumn = utf16Column(file, d.end);
  return {
    startLine: d.line,
    startColumn,
    endLine: d.endLine,
    endColumn: d.endLine === d.line ? Math.max(endColumn, startColumn) : endColumn,
  };
}

export function formatSarif(files: readonly ReportedFile[], options: SarifOptions = {}): string {
  const cwd = options.cwd ?? process.cwd();
  const index = new Map(RULES.map((r, i) => [r.code, i]));
  const archives = new ArchiveArtifacts(cwd, options.stdinName);
  const results = files.flatMap((file) =>
    file.diagnostics.map((d) => ({
      ruleId: d.code,
      ruleIndex: index.get(d.code) ?? 0,
      level: LEVEL[d.severity],
      message: { text: file.member ? `${file.member.path}:${d.line}: ${d.message}` : d.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: artifactLocation(file, cwd, options.stdinName, archives),
            region: region(file, d),
          },
        },
      ],
      properties: {
        dropped: d.dropped,
        dialect: file.dialect,
        ...(file.member ? { member: file.member.path } : {}),
        ...(d.versions ? { versions: d.versions } : {}),
      },
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
            version: options.version ?? VERSION,
            semanticVersion: options.version ?? VERSION,
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
        ...(archives.list.length > 0 ? { artifacts: archives.list } : {}),
        results,
      },
    ],
  };
  return `${stringifyJson(log)}\n`;
}
