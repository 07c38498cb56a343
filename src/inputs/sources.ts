/**
 * readInputs: every inittab behind the PATHs a command was given — files, directories,
 * packages and rootfs archives (found by their first bytes), standard input — read, parsed and
 * grouped into the sets init reads together, one set at a time. An input that cannot be used is
 * one error item (a one-line message naming it), and the others are still read.
 *
 * A member of an archive is named `ARCHIVE!/member/path` (docs/packages.md). With `--dialect
 * auto`, a package's metadata decides its dialect before the file's content does, and the
 * detection says so; a rootfs archive comes with its file tree, for the checks of programs and
 * ttys inside it.
 */
import { createReadStream } from "node:fs";
import { escapeText } from "../base/bytes.js";
import { InittabError } from "../base/errors.js";
import type { Image } from "../base/image.js";
import type { DialectHint } from "../dialects/packages.js";
import { dialectByName, type Dialect } from "../dialects/index.js";
import { parse, type Document } from "../document/index.js";
import { archiveErrorReason } from "../archive/errors.js";
import { type ArchiveLimits } from "../archive/limits.js";
import { DEFAULT_MAX_BYTES, tooBig, tooManyLines } from "../base/limits.js";
import { formatMemberPath } from "../archive/paths.js";
import type { ArchiveContents, ArchiveFormat } from "../archive/read.js";
import type { PackageInfo } from "../archive/metadata.js";
import type { Codec } from "../archive/magic.js";
import { classifyHead, HEAD_BYTES } from "../archive/sniff.js";
import { groupCandidates, type MemberGroup } from "./archive-sets.js";
import { collectPath, defaultGroup, readHead, type CheckGroup, type Found } from "./collect.js";
import { fsInputError, noInittabError, notInittabError } from "./errors.js";
import { displayPath, readInput } from "./read.js";

export interface ReadInputsOptions {
  /**
   * `--dialect`: a name, or `auto` (package metadata first, then each file's content); or, per
   * set, a function of the path the set was found under (a file, an archive, `-`), for settings
   * that depend on where a file is (a configuration file above it).
   */
  dialect: string | ((anchor: string) => string);
  /** How reports name standard input (`--stdin-filename`); `<stdin>` without it. */
  stdinName?: string;
  /**
   * The image every path is confined to (`--root`): with no PATH, DIR/etc/inittab and
   * DIR/etc/inittab.d; PATHs and the links they meet are resolved inside it, as chroot would.
   */
  root?: string;
  /** The largest file read, in bytes (`--max-size`; the library's default when absent). */
  maxBytes?: number;
  /** Limits of archive reads (docs/packages.md). */
  limits?: Partial<ArchiveLimits>;
  /** Standard input's bytes (default: file descriptor 0). */
  stdin?: AsyncIterable<Uint8Array>;
}

/** An archive a set was read from. */
export interface ArchiveInput {
  /** The archive as given: a path, or `-` for standard input. */
  path: string;
  /** How output names it: the path escaped for a terminal, or standard input's name. */
  display: string;
  format: ArchiveFormat;
  /** `.deb`, `.tar.xz`, … */
  label: string;
  package?: PackageInfo;
  dialectHint?: DialectHint;
  /** A root file system's tree: programs and ttys its inittab names are looked up in it. */
  image?: Image;
}

/** One parsed inittab of a set. */
export interface InputDocument {
  /** How findings name it: the path as given, `-`, or `ARCHIVE!/member` for a member. */
  path: string;
  /** The same for people: escaped, standard input by its name. */
  display: string;
  doc: Document;
  /** A member of `set.archive`: its path inside the archive (such a file is never written). */
  member?: string;
}

/** What init reads together: an inittab and its inittab.d files (either may be absent). */
export interface InputSet {
  main?: InputDocument;
  tabs: InputDocument[];
  /** The inittab.d directory (named as the documents are) and every regular file name in it. */
  tabDir?: { path: string; names: string[] };
  archive?: ArchiveInput;
}

export type InputItem =
  | { kind: "set"; set: InputSet }
  | { kind: "error"; error: InittabError }
  /** Something a search passed over that a person may want to know about (one line). */
  | { kind: "note"; message: string };

/**
 * The sets behind `paths` (none: the default /etc/inittab set, under `root` if given), in the
 * order given, each directory's in the order of its search.
 */
export async function* readInputs(paths: readonly string[], options: ReadInputsOptions): AsyncGenerator<InputItem> {
  if (paths.length === 0) {
    yield* groupItems(defaultGroup(options.root), options);
    return;
  }
  for (const path of paths) {
    let yielded = false;
    let failed = false;
    for await (const found of screened(collectPath(path, options.root))) {
      for await (const item of foundItems(found, options)) {
        if (item.kind === "set") yielded = true;
        else failed = true;
        yield item;
      }
    }
    if (!yielded && !failed) {
      yield {
        kind: "error",
        error: noInittabError(
          displayPath(path),
          path,
          "no inittab files found (looked for inittab, *.inittab and inittab.d/*.tab, " +
            "and for packages and archives holding them)",
        ),
      };
    }
  }
}

/** Compressed files told apart ahead of their turn, several at a time: each waits on a decoder. */
const SCREEN_AHEAD = 8;

/**
 * A search's findings, without the compressed files that hold no archive (a gzip'd man page,
 * a compressed kernel module), told from their first bytes.
 */
async function* screened(found: readonly Found[]): AsyncGenerator<Found> {
  const verdicts: Array<Promise<boolean> | undefined> = [];
  const screen = (i: number): void => {
    const f = found[i];
    if (f?.kind !== "archive" || f.codec === undefined || verdicts[i] !== undefined) return;
    const codec = f.codec;
    verdicts[i] = peekArchive(f.path, codec).catch(() => false);
  };
  for (let i = 0; i < found.length; i++) {
    for (let ahead = i; ahead < Math.min(found.length, i + SCREEN_AHEAD); ahead++) screen(ahead);
    if (verdicts[i] !== undefined && !(await verdicts[i])) continue;
    yield found[i]!;
  }
}

/** Whether a compressed file holds a tar or cpio archive: its first 16 KiB, then 256 KiB if need be. */
async function peekArchive(path: string, codec: Codec): Promise<boolean> {
  const { holdsArchive, PEEK_FIRST_BYTES, PEEK_INPUT_BYTES } = await import("../archive/peek.js");
  let head = readHead(path, PEEK_FIRST_BYTES);
  let verdict = head && (await holdsArchive(head, codec));
  if (verdict === undefined && head?.length === PEEK_FIRST_BYTES) {
    head = readHead(path, PEEK_INPUT_BYTES);
    verdict = head && (await holdsArchive(head, codec));
  }
  return verdict === true;
}

async function* foundItems(found: Found, options: ReadInputsOptions): AsyncGenerator<InputItem> {
  switch (found.kind) {
    case "error":
      yield found;
      return;
    case "group":
      yield* groupItems(found.group, options);
      return;
    case "archive":
      yield* archiveItems(found.path, found.path, displayPath(found.path), found.found, options);
      return;
    case "stdin":
      yield* stdinItems(options);
      return;
    case "link": {
      const why = found.dangling
        ? "a symbolic link to nothing (its target does not exist)"
        : "a symbolic link, not followed inside a searched directory (name it to check its target)";
      const message = `${displayPath(found.path)}: skipped: ${why}`;
      if (found.dangling) yield { kind: "error", error: new InittabError("io-error", message, { path: found.path }) };
      else yield { kind: "note", message };
    }
  }
}

/** Files on disk: read, checked to be text, parsed. */
function* groupItems(group: CheckGroup, options: ReadInputsOptions): Generator<InputItem> {
  const errors: InittabError[] = [];
  const read = (path: string): Uint8Array | undefined => {
    try {
      const bytes = readInput(path, {
        ...(options.root !== undefined ? { root: options.root } : {}),
        ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {}),
      });
      const cls = classifyHead(bytes.subarray(0, HEAD_BYTES));
      if (cls.kind !== "text") throw notInittabError(displayPath(path), path, cls);
      return bytes;
    } catch (err) {
      if (!(err instanceof InittabError)) throw err;
      errors.push(err);
      return undefined;
    }
  };
  const main = group.main !== undefined ? read(group.main) : undefined;
  const tabs = group.tabs.flatMap((path) => {
    const bytes = read(path);
    return bytes ? [{ path, display: displayPath(path), bytes }] : [];
  });
  for (const error of errors) yield { kind: "error", error };
  const set = parseSet(
    main && group.main !== undefined ? { path: group.main, display: displayPath(group.main), bytes: main } : undefined,
    tabs,
    dialectFor(options, group.main ?? group.tabs[0] ?? "."),
    undefined,
  );
  if (group.tabDir) set.tabDir = group.tabDir;
  if (set.main || set.tabs.length > 0) yield { kind: "set", set };
}

function dialectFor(options: ReadInputsOptions, anchor: string): string {
  return typeof options.dialect === "string" ? options.dialect : options.dialect(anchor);
}

/** Standard input: an inittab or an archive, told by its first bytes; the head is read again after. */
async function* stdinItems(options: ReadInputsOptions): AsyncGenerator<InputItem> {
  const name = options.stdinName ?? "<stdin>";
  const shown = options.stdinName !== undefined ? escapeText(options.stdinName) : displayPath("-");
  const source = options.stdin ?? createReadStream("<stdin>", { fd: 0, autoClose: false, highWaterMark: 256 * 1024 });
  let sniffed: { head: Uint8Array; rest: AsyncIterable<Uint8Array> };
  try {
    sniffed = await sniffStream(source);
  } catch (err) {
    yield { kind: "error", error: fsInputError("-", err) };
    return;
  }
  const cls = classifyHead(sniffed.head);
  if (cls.kind !== "text") {
    yield* archiveItems(sniffed.rest, "-", shown, false, { ...options, stdinName: name });
    return;
  }
  // The same limit as a file's (--max-size), checked as the bytes come.
  const max = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of sniffed.rest) {
      size += chunk.length;
      if (size > max) {
        yield { kind: "error", error: tooBig(shown, "-", undefined, max) };
        return;
      }
      chunks.push(chunk);
    }
  } catch (err) {
    yield { kind: "error", error: fsInputError("-", err) };
    return;
  }
  const bytes = new Uint8Array(Buffer.concat(chunks));
  const lines = tooManyLines(shown, "-", bytes, max);
  if (lines) {
    yield { kind: "error", error: lines };
    return;
  }
  yield { kind: "set", set: parseSet({ path: "-", display: shown, bytes }, [], dialectFor(options, "-"), undefined) };
}

/** The first HEAD_BYTES of a stream (all of it when shorter), and the whole stream again. */
async function sniffStream(
  source: AsyncIterable<Uint8Array>,
): Promise<{ head: Uint8Array; rest: AsyncIterable<Uint8Array> }> {
  const it = source[Symbol.asyncIterator]();
  const seen: Uint8Array[] = [];
  let length = 0;
  let done = false;
  while (length < HEAD_BYTES) {
    const next = await it.next();
    if (next.done) {
      done = true;
      break;
    }
    seen.push(next.value);
    length += next.value.length;
  }
  const head = new Uint8Array(Buffer.concat(seen)).subarray(0, HEAD_BYTES);
  async function* rest(): AsyncGenerator<Uint8Array> {
    try {
      yield* seen;
      if (done) return;
      for (;;) {
        const next = await it.next();
        if (next.done) return;
        yield next.value;
      }
    } finally {
      // Stopped early (an archive refused): let the source go.
      await it.return?.();
    }
  }
  return { head, rest: rest() };
}

/**
 * An archive's sets. `found`: met in a directory search, where a file that is no archive after
 * all (a gzip'd text, a static library) is passed over and one without inittabs is no error.
 */
async function* archiveItems(
  input: string | AsyncIterable<Uint8Array>,
  path: string,
  shown: string,
  found: boolean,
  options: ReadInputsOptions,
): AsyncGenerator<InputItem> {
  // The readers and codecs load only when an archive is met: checking an inittab never pays for them.
  const { readArchive } = await import("../archive/read.js");
  const name = typeof input === "string" ? input : (options.stdinName ?? "<stdin>");
  let contents: ArchiveContents;
  try {
    contents = await readArchive(input, { name, ...(options.limits ? { limits: options.limits } : {}) });
  } catch (err) {
    if (!(err instanceof InittabError)) throw err;
    if (!(found && archiveErrorReason(err) === "unknown-format")) yield { kind: "error", error: err };
    return;
  }
  const archive: ArchiveInput = {
    path,
    display: shown,
    format: contents.format,
    label: contents.label,
    ...(contents.package ? { package: contents.package } : {}),
    ...(contents.dialectHint ? { dialectHint: contents.dialectHint } : {}),
    ...(contents.looksLikeRootfs ? { image: contents.image } : {}),
  };
  const { groups, unread } = groupCandidates(contents);
  for (const c of unread) {
    const error = noInittabError(memberDisplay(archive, c.path), path, `not read: ${escapeText(c.note ?? "")}`);
    yield { kind: "error", error };
  }
  if (groups.length === 0 && unread.length === 0 && !found) {
    const what =
      `no inittab in this ${contents.label} ` +
      "(looked for /etc/inittab, /etc/inittab.d/*.tab, any other …/inittab and *.inittab)";
    yield { kind: "error", error: noInittabError(shown, path, what) };
  }
  const dialect = dialectFor(options, path);
  for (const group of groups) yield { kind: "set", set: memberSet(group, archive, dialect) };
}

function memberDisplay(archive: ArchiveInput, member: string): string {
  return formatMemberPath(archive.display, escapeText(member));
}

function memberSet(group: MemberGroup, archive: ArchiveInput, dialect: string): InputSet {
  const source = (c: { path: string; bytes?: Uint8Array }): RawSource => ({
    path: formatMemberPath(archive.path, c.path),
    display: memberDisplay(archive, c.path),
    bytes: c.bytes!,
    member: c.path,
  });
  const set = parseSet(group.main && source(group.main), group.tabs.map(source), dialect, archive.dialectHint);
  if (group.tabDir) {
    set.tabDir = { path: formatMemberPath(archive.path, group.tabDir.member), names: group.tabDir.names };
  }
  set.archive = archive;
  return set;
}

interface RawSource {
  path: string;
  display: string;
  bytes: Uint8Array;
  member?: string;
}

/**
 * Parse a set. With `auto`, a package's hint decides the main file's dialect, else its content;
 * inittab.d files are read by the init that reads the main file (sysvinit's, when none).
 */
function parseSet(
  main: RawSource | undefined,
  tabs: readonly RawSource[],
  dialect: string,
  hint: DialectHint | undefined,
): InputSet {
  const auto = dialect === "auto";
  const withReason = (doc: Document, reason: string): Document => ({
    ...doc,
    detection: { dialect: doc.dialect, reasons: [reason] },
  });
  const document = (raw: RawSource, doc: Document): InputDocument => ({
    path: raw.path,
    display: raw.display,
    doc,
    ...(raw.member !== undefined ? { member: raw.member } : {}),
  });
  let mainDoc: InputDocument | undefined;
  if (main) {
    const doc =
      auto && hint
        ? withReason(parse(main.bytes, { dialect: hint.dialect }), hint.reason)
        : parse(main.bytes, { dialect });
    mainDoc = document(main, doc);
  }
  let tabDialect: Dialect | string = dialect;
  let tabReason: string | undefined;
  if (mainDoc) {
    tabDialect = mainDoc.doc.dialect;
    tabReason = `an inittab.d file is read by the init that reads ${mainDoc.display}`;
  } else if (auto) {
    tabDialect = dialectByName(hint?.dialect ?? "sysvinit")!;
    tabReason = hint?.reason ?? "inittab.d is read by sysvinit";
  }
  const tabDocs = tabs.map((t) => {
    const doc = parse(t.bytes, { dialect: tabDialect });
    return document(t, tabReason !== undefined ? withReason(doc, tabReason) : doc);
  });
  return { ...(mainDoc ? { main: mainDoc } : {}), tabs: tabDocs };
}
