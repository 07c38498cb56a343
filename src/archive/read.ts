/**
 * readArchive: recognise an archive by its magic bytes, stream through it member by member,
 * and return its inittabs (bytes), its package metadata, a dialect hint, and an index of every
 * member for image lookups. Nothing is written to disk; memory holds the index, the inittabs
 * (each capped) and one chunk per stream layer.
 */
import { closeSync, createReadStream, fstatSync, openSync } from "node:fs";
import { arMembers } from "./ar.js";
import { decompress, type Codec } from "./codecs.js";
import { cpioMembers } from "./cpio.js";
import { readFull } from "./read-fd.js";
import { archiveError, ArchiveFault, quoteName } from "./errors.js";
import { IMAGE_METADATA_PATHS } from "../base/image.js";
import { ArchiveImage, type IndexEntry } from "./image.js";
import { Budget, DEFAULT_LIMITS, formatBytes, type ArchiveLimits } from "./limits.js";
import type { Member } from "./members.js";
import {
  hintFromImage,
  hintFromPackage,
  packageFromControl,
  packageFromPkgInfo,
  packageFromRpm,
  parseControl,
  parsePkgInfo,
  type DialectHint,
  type PackageInfo,
} from "./metadata.js";
import { candidateRole, normalizeMemberPath, type CandidateRole } from "./paths.js";
import { ByteReader, collect, drain, type Chunks } from "./reader.js";
import { readRpmHeaders } from "./rpm.js";
import { classifyHead, HEAD_BYTES, isTarHeader } from "./sniff.js";
import { tarMembers } from "./tar.js";

export type ArchiveFormat = "deb" | "ipk" | "apk" | "rpm" | "tar" | "cpio";

export interface ReadArchiveOptions {
  /** How messages name the input (default: the path, or `<stdin>` for a stream). */
  name?: string;
  limits?: Partial<ArchiveLimits>;
  /** The `xz` program for xz streams with SHA-256 checks (rpm payloads); false: never run one. */
  xzProgram?: string | false;
}

export interface InittabCandidate {
  /** Normal form: `/etc/inittab`. */
  path: string;
  role: CandidateRole;
  /** The file's bytes; undefined when they could not be read (`note` says why). */
  bytes?: Uint8Array;
  /** For a member that is a link: the path whose bytes these are. */
  linkTo?: string;
  note?: string;
}

export interface ArchiveContents {
  /** The archive as messages name it. */
  name: string;
  format: ArchiveFormat;
  /** `.deb`, `.tar.xz`, `.rpm`, … for messages. */
  label: string;
  /** The layers the inittabs were found under, outermost first: `ar`, `data.tar.xz`, `xz`, `tar`. */
  chain: string[];
  /** A package (deb, ipk, apk, rpm) or a file tree (tar, cpio). */
  kind: "package" | "image";
  /** A file tree with /bin, /sbin or /usr/bin: programs named in its inittab can be looked up in it. */
  looksLikeRootfs: boolean;
  package?: PackageInfo;
  dialectHint?: DialectHint;
  /** Sorted by path. */
  candidates: InittabCandidate[];
  /** Every member of the package's data or of the tree (not a package's control files). */
  image: ArchiveImage;
}

interface Context {
  name: string;
  limits: ArchiveLimits;
  budget: Budget;
  xzProgram: string | false;
  label: string | undefined;
  format: ArchiveFormat | undefined;
  chain: string[];
  package: PackageInfo | undefined;
  collector: Collector;
}

const CODEC_SUFFIX: Record<Codec, string> = { gzip: "gz", xz: "xz", zstd: "zst", bzip2: "bz2" };

/**
 * Read an archive from a path or a stream of bytes (stdin). Throws an InittabError with a
 * one-line message naming the input when it cannot be used (`details.reason`: errors.ts).
 */
export async function readArchive(input: string | Chunks, options: ReadArchiveOptions = {}): Promise<ArchiveContents> {
  const name = options.name ?? (typeof input === "string" ? input : "<stdin>");
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const budget = new Budget(limits);
  const ctx: Context = {
    name,
    limits,
    budget,
    xzProgram: options.xzProgram ?? "xz",
    label: undefined,
    format: undefined,
    chain: [],
    package: undefined,
    collector: new Collector(budget, limits),
  };
  const reader = new ByteReader(countInput(sourceOf(input), budget), "the file");
  try {
    await readTop(reader, ctx);
  } catch (err) {
    if (err instanceof ArchiveFault) throw archiveError(name, err.code, ctx.label, err.detail);
    if (isFsError(err)) throw archiveError(name, "unreadable", undefined, fsReason(err), err.code);
    throw err;
  } finally {
    reader.close();
  }
  const format = ctx.format!;
  const kind = format === "tar" || format === "cpio" ? "image" : "package";
  const image = ctx.collector.image;
  const candidates = ctx.collector.finish();
  const looksLikeRootfs =
    kind === "image" && ["/bin", "/sbin", "/usr/bin"].some((p) => image.lookup(p).kind === "found");
  const dialectHint =
    hintFromPackage(ctx.package, candidates.length > 0) ?? (kind === "image" ? hintFromImage(image) : undefined);
  return {
    name,
    format,
    label: ctx.label ?? `.${format}`,
    chain: ctx.chain,
    kind,
    looksLikeRootfs,
    ...(ctx.package ? { package: ctx.package } : {}),
    ...(dialectHint ? { dialectHint } : {}),
    candidates,
    image,
  };
}

/** Files up to this size are read in one call: a package is often a few KiB, and a stream's
 * asynchronous reads would cost more than its bytes. */
const WHOLE_FILE_BYTES = 1024 * 1024;

/** The bytes of a path (a small file read whole, else streamed) or of a stream. */
async function* sourceOf(input: string | Chunks): AsyncGenerator<Uint8Array> {
  if (typeof input !== "string") {
    yield* input;
    return;
  }
  const bytes = readSmallFile(input);
  if (bytes) yield bytes;
  else yield* createReadStream(input, { highWaterMark: 256 * 1024 });
}

/** The whole file when it is a regular file of at most WHOLE_FILE_BYTES (else undefined). */
function readSmallFile(path: string): Uint8Array | undefined {
  const fd = openSync(path, "r");
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > WHOLE_FILE_BYTES) return undefined;
    return readFull(fd, Buffer.allocUnsafe(st.size));
  } finally {
    closeSync(fd);
  }
}

async function* countInput(source: Chunks, budget: Budget): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    budget.input(chunk.length);
    yield chunk;
  }
}

async function readTop(reader: ByteReader, ctx: Context): Promise<void> {
  const head = await reader.peek(HEAD_BYTES);
  const cls = classifyHead(head);
  switch (cls.kind) {
    case "text":
      throw new ArchiveFault("unknown-format", "it is text (check it as an inittab instead)");
    case "binary":
      throw new ArchiveFault("unknown-format", `it is ${cls.what}`);
    case "encrypted":
      throw new ArchiveFault("encrypted", `it is ${cls.what}; decrypt it first`);
    case "compressed":
      return readCompressed(reader, cls.codec, ctx);
    case "archive":
      switch (cls.format) {
        case "ar":
          return readAr(reader, ctx);
        case "rpm":
          return readRpm(reader, ctx);
        case "tar":
          ctx.label = ".tar";
          ctx.chain.push("tar");
          return readTarTree(tarMembers(reader.rest(), "the tar archive"), ctx);
        case "cpio":
          ctx.label = ".cpio";
          ctx.format = "cpio";
          ctx.chain.push("cpio");
          return readTree(cpioMembers(reader), ctx);
        case "apk-v3":
          ctx.label = ".apk";
          throw new ArchiveFault("unsupported", "Alpine's apk v3 (ADB) format is not read yet, only apk v2 (gzip tar)");
      }
  }
}

/** A compressed stream at the top: a tarball (maybe an apk or ipk) or a cpio archive (an initramfs). */
async function readCompressed(reader: ByteReader, codec: Codec, ctx: Context): Promise<void> {
  ctx.label = `.${CODEC_SUFFIX[codec]}`;
  ctx.chain.push(codec);
  const inner = new ByteReader(
    decompress(codec, reader.rest(), decompressOptions(ctx, `the ${codec} stream`)),
    `the ${codec} stream`,
  );
  try {
    const head = await inner.peek(HEAD_BYTES);
    if (isTarHeader(head)) {
      ctx.label = `.tar.${CODEC_SUFFIX[codec]}`;
      ctx.chain.push("tar");
      return await readTarTree(tarMembers(inner.rest(), `the ${codec} stream`), ctx);
    }
    const cls = classifyHead(head);
    if (cls.kind === "archive" && cls.format === "cpio") {
      ctx.label = `.cpio.${CODEC_SUFFIX[codec]}`;
      ctx.format = "cpio";
      ctx.chain.push("cpio");
      return await readTree(cpioMembers(inner), ctx);
    }
    const what =
      cls.kind === "text"
        ? "text"
        : cls.kind === "archive"
          ? cls.what
          : cls.kind === "compressed"
            ? `${cls.codec}-compressed data`
            : cls.what.replace(/^an? /, "");
    throw new ArchiveFault("unknown-format", `it holds ${what}, not a tar or cpio archive`);
  } finally {
    inner.close();
  }
}

/**
 * A tar archive's members. Its first member tells what it is: `debian-binary` makes it an
 * .ipk (OpenWrt's gzip tar of debian-binary, data.tar.gz, control.tar.gz); `.PKGINFO` or a
 * `.SIGN.*` signature makes it an Alpine .apk (gzip streams of signature, control and data
 * tar segments); anything else, a file tree.
 */
async function readTarTree(members: AsyncIterable<Member>, ctx: Context): Promise<void> {
  let mode: "undecided" | "ipk" | "apk" | "tree" = "undecided";
  for await (const m of members) {
    const path = normalizeMemberPath(m.name);
    if (mode === "undecided") {
      if (path === "/debian-binary") {
        mode = "ipk";
        ctx.format = "ipk";
        ctx.label = ".ipk";
      } else if (path === "/.PKGINFO" || path.startsWith("/.SIGN.")) {
        mode = "apk";
        ctx.format = "apk";
        ctx.label = ".apk";
      } else {
        mode = "tree";
        ctx.format = "tar";
      }
    }
    if (mode === "ipk") await ipkMember(m, path, ctx);
    else if (mode === "apk" && m.type === "file" && /^\/\.[^/]+$/.test(path)) await apkControlMember(m, path, ctx);
    else await ctx.collector.member(m, path);
  }
  ctx.format ??= "tar";
}

async function readTree(members: AsyncIterable<Member>, ctx: Context): Promise<void> {
  for await (const m of members) await ctx.collector.member(m, normalizeMemberPath(m.name));
}

/** .deb, or .ipk in its ar form: debian-binary, control.tar.*, data.tar.* (deb(5)). */
async function readAr(reader: ByteReader, ctx: Context): Promise<void> {
  const isIpk = /\.ipk$/i.test(ctx.name);
  ctx.format = isIpk ? "ipk" : "deb";
  ctx.label = isIpk ? ".ipk" : ".deb";
  ctx.chain.push("ar");
  let first = true;
  let sawData = false;
  for await (const member of arMembers(reader)) {
    if (first) {
      first = false;
      if (member.name !== "debian-binary") {
        ctx.label = undefined;
        throw new ArchiveFault(
          "unknown-format",
          `it is an ar archive whose first member is ${quoteName(member.name)}, not debian-binary: ` +
            "no .deb or .ipk (a static library?)",
        );
      }
      const version = Buffer.from(
        await collect(member.body, 64, () => new ArchiveFault("corrupt", "debian-binary is too long")),
      ).toString("latin1");
      if (!/^2\.\d+\n/.test(version))
        throw new ArchiveFault("unsupported", `package format version ${quoteName(version.trim())} (only 2.x is read)`);
      continue;
    }
    if (/^control\.tar(\.|$)/.test(member.name)) {
      await readControlTar(member.body, member.name, ctx);
    } else if (/^data\.tar(\.|$)/.test(member.name)) {
      if (sawData) throw new ArchiveFault("corrupt", "it has two data.tar members");
      sawData = true;
      ctx.chain.push(member.name);
      await readTree(await packedTar(member.body, member.name, ctx, true), ctx);
    }
    // Other members (signatures such as _gpgbuilder) hold no files.
  }
  if (first) throw new ArchiveFault("corrupt", "the ar archive is empty");
  if (!sawData) throw new ArchiveFault("corrupt", "it has no data.tar member");
}

/** The members of a (compressed) tar stream held in a package member, found by its magic. */
async function packedTar(
  body: Chunks,
  what: string,
  ctx: Context,
  recordChain: boolean,
): Promise<AsyncIterable<Member>> {
  const reader = new ByteReader(body, what);
  const head = await reader.peek(HEAD_BYTES);
  const cls = classifyHead(head);
  if (cls.kind === "compressed") {
    if (recordChain) ctx.chain.push(cls.codec, "tar");
    return tarMembers(decompress(cls.codec, reader.rest(), decompressOptions(ctx, what)), what);
  }
  if (head.length > 0 && !isTarHeader(head) && !head.every((b) => b === 0)) {
    if (/\.lzma$/.test(what))
      throw new ArchiveFault("unsupported", `${what}: lzma (LZMA-alone) compression is not read`);
    throw new ArchiveFault("corrupt", `${what} is neither a tar archive nor a compressed stream`);
  }
  if (recordChain) ctx.chain.push("tar");
  return tarMembers(reader.rest(), what);
}

/** control.tar.*: its `control` file names the package. */
async function readControlTar(body: Chunks, what: string, ctx: Context): Promise<void> {
  for await (const m of await packedTar(body, what, ctx, false)) {
    if (m.type !== "file" || normalizeMemberPath(m.name) !== "/control") continue;
    const bytes = await collect(
      m.body,
      ctx.limits.maxMetadataBytes,
      () => new ArchiveFault("too-big", `${what}: control is over ${formatBytes(ctx.limits.maxMetadataBytes)}`),
    );
    ctx.package = packageFromControl(parseControl(bytes)) ?? ctx.package;
  }
}

/** A member of an .ipk's outer tar. */
async function ipkMember(m: Member, path: string, ctx: Context): Promise<void> {
  const name = path.slice(1);
  if (/^control\.tar(\.|$)/.test(name)) return readControlTar(m.body, name, ctx);
  if (/^data\.tar(\.|$)/.test(name)) {
    ctx.chain.push(name);
    return readTree(await packedTar(m.body, name, ctx, true), ctx);
  }
}

/** An apk's control segment: .PKGINFO names the package; signatures and scripts are skipped. */
async function apkControlMember(m: Member, path: string, ctx: Context): Promise<void> {
  if (path !== "/.PKGINFO") return;
  const bytes = await collect(
    m.body,
    ctx.limits.maxMetadataBytes,
    () => new ArchiveFault("too-big", `.PKGINFO is over ${formatBytes(ctx.limits.maxMetadataBytes)}`),
  );
  ctx.package = packageFromPkgInfo(parsePkgInfo(bytes)) ?? ctx.package;
}

/** .rpm: lead, signature, header (name, version, arch), then the compressed cpio payload. */
async function readRpm(reader: ByteReader, ctx: Context): Promise<void> {
  ctx.format = "rpm";
  ctx.label = ".rpm";
  ctx.chain.push("rpm");
  const tags = await readRpmHeaders(reader, ctx.limits.maxRpmHeaderBytes);
  ctx.package = packageFromRpm(tags);
  const head = await reader.peek(HEAD_BYTES);
  const cls = classifyHead(head);
  let payload = reader;
  if (cls.kind === "compressed") {
    ctx.chain.push(cls.codec);
    payload = new ByteReader(
      decompress(cls.codec, reader.rest(), decompressOptions(ctx, "the payload")),
      "the payload",
    );
  } else if (!(cls.kind === "archive" && cls.format === "cpio")) {
    if (head[0] === 0x5d && head[1] === 0x00 && head[2] === 0x00)
      throw new ArchiveFault("unsupported", "its payload uses lzma (LZMA-alone) compression, which is not read");
    throw new ArchiveFault("corrupt", "its payload is neither a cpio archive nor a compressed stream");
  }
  ctx.chain.push("cpio");
  try {
    await readTree(cpioMembers(payload), ctx);
  } finally {
    if (payload !== reader) payload.close();
  }
}

function decompressOptions(ctx: Context, what: string) {
  return { budget: ctx.budget, xzProgram: ctx.xzProgram, what };
}

/** Builds the image index and keeps the inittabs' bytes, member by member. */
class Collector {
  readonly image = new ArchiveImage();
  private readonly files = new Map<string, InittabCandidate>();
  private readonly links = new Map<string, CandidateRole>();
  /** cpio hard links: an inode whose data comes with a later link, and the candidates waiting for it. */
  private readonly waiting = new Map<number, string[]>();

  constructor(
    private readonly budget: Budget,
    private readonly limits: ArchiveLimits,
  ) {}

  async member(m: Member, path: string): Promise<void> {
    this.budget.member();
    const entry: IndexEntry = { type: m.type, mode: m.mode, size: m.size };
    if (m.type === "symlink") entry.linkTarget = m.linkTarget ?? "";
    if (m.type === "hardlink") entry.linkTarget = normalizeMemberPath(m.linkTarget ?? "");
    this.image.add(path, entry);
    // A later member of the same path replaces an earlier one, as on extraction.
    this.files.delete(path);
    this.links.delete(path);
    const role = candidateRole(path);
    if (m.type === "symlink" || m.type === "hardlink") {
      if (role) this.links.set(path, role);
      return;
    }
    if (m.type !== "file") return;
    if (role) {
      const bytes = await this.read(m, path);
      if (bytes.length === 0 && (m.links ?? 1) > 1 && m.inode !== undefined) {
        this.wait(m.inode, path);
        this.files.set(path, { path, role, note: "a hard link whose data never came" });
      } else {
        this.files.set(path, { path, role, bytes });
        this.image.keep(path, bytes);
      }
      return;
    }
    const waiting = m.inode !== undefined && m.size > 0 ? this.waiting.get(m.inode) : undefined;
    const metadata = isImageMetadataPath(path) && m.size <= this.limits.maxImageFileBytes;
    if (!waiting && !metadata) return;
    const bytes = await this.read(m, path, metadata ? this.limits.maxImageFileBytes : undefined);
    if (metadata) this.image.keep(path, bytes);
    if (waiting) {
      this.waiting.delete(m.inode!);
      for (const p of waiting) {
        const c = this.files.get(p);
        if (c) {
          this.files.set(p, { path: p, role: c.role, bytes, linkTo: path });
          this.image.keep(p, bytes);
        }
      }
    }
  }

  private wait(inode: number, path: string): void {
    const list = this.waiting.get(inode);
    if (list) list.push(path);
    else this.waiting.set(inode, [path]);
  }

  /** A member's bytes, at most `max` (an inittab's limit unless given). */
  private async read(m: Member, path: string, max = this.limits.maxCandidateBytes): Promise<Uint8Array> {
    const tooBig = (): ArchiveFault =>
      new ArchiveFault(
        "too-big",
        `member ${quoteName(path)} is ${formatBytes(m.size)}, over the ${formatBytes(max)} limit for an inittab`,
      );
    if (m.size > max) {
      await drain(m.body);
      throw tooBig();
    }
    return collect(m.body, max, tooBig);
  }

  /** The candidates, links resolved to the bytes of what they point at. */
  finish(): InittabCandidate[] {
    const out = [...this.files.values()];
    for (const [path, role] of this.links) {
      const entry = this.image.get(path)!;
      let target: string | undefined;
      let note: string | undefined;
      if (entry.type === "hardlink") {
        target = entry.linkTarget;
      } else {
        const r = this.image.lookup(path);
        if (r.kind === "found") target = r.path;
        else
          note =
            r.kind === "loop"
              ? "its symbolic links loop"
              : `a symbolic link to ${quoteName(entry.linkTarget ?? "")}, which is not in the archive`;
      }
      const bytes = target !== undefined ? this.files.get(target)?.bytes : undefined;
      if (bytes) out.push({ path, role, bytes, linkTo: target! });
      else
        out.push({
          path,
          role,
          ...(target !== undefined ? { linkTo: target } : {}),
          note: note ?? `a link to ${quoteName(target!)}, which was not read (only members named like inittabs are)`,
        });
    }
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
}

/**
 * The files of IMAGE_METADATA_PATHS, kept for Image.read; under a merged /usr (/sbin a link to
 * usr/sbin) the archive stores /sbin/init as /usr/sbin/init.
 */
function isImageMetadataPath(path: string): boolean {
  if (IMAGE_METADATA_PATHS.includes(path)) return true;
  return /^\/usr\/(?:s?bin|lib)\//.test(path) && IMAGE_METADATA_PATHS.includes(path.slice(4));
}

function isFsError(err: unknown): err is NodeJS.ErrnoException {
  return (
    err instanceof Error &&
    typeof (err as NodeJS.ErrnoException).code === "string" &&
    typeof (err as NodeJS.ErrnoException).syscall === "string"
  );
}

/** "no such file or directory" from "ENOENT: no such file or directory, open 'x'". */
function fsReason(err: NodeJS.ErrnoException): string {
  return /^[A-Z]+: ([^,]+)/.exec(err.message)?.[1] ?? err.message;
}
