/**
 * Archives for the tests, built from test/corpus files: tar with tar-stream (the library the
 * reader uses to read them, so every tar test also has one built by GNU tar), gzip with
 * node:zlib, ar, cpio and apk by small writers here, and the rest with the system's tools (xz,
 * zstd, bzip2, ar, tar, dpkg-deb, rpmbuild) when installed; a test whose tool is missing skips
 * with one line.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import tarStream from "tar-stream";
import { corpus, type CorpusFile } from "../support/corpus.js";

export function has(tool: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${tool}`], { stdio: "ignore" }).status === 0;
}

/** A skip reason when a tool is missing, written once as one line. */
export function missing(...tools: string[]): string | undefined {
  const absent = tools.filter((t) => !has(t));
  if (absent.length === 0) return undefined;
  const reason = `${absent.join(", ")} not installed`;
  process.stderr.write(`archive tests: skipped what needs ${reason}\n`);
  return reason;
}

/** A temporary directory, removed by the returned function. */
export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "inittab-archive-"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function run(cmd: string, args: string[], options: { cwd?: string; input?: Uint8Array } = {}): Buffer {
  const r = spawnSync(cmd, args, { cwd: options.cwd, input: options.input, maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: exit ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/**
 * A noarch sysvinit 2.88dsf-1 package built by rpmbuild under `top`, holding `files` of `tree`,
 * with the payload compressor rpm names `payload` (w9.gzdio, w6.xzdio, ...); its path.
 */
export function rpmbuild(top: string, tree: string, files: readonly string[], payload: string): string {
  mkdirSync(top, { recursive: true });
  const spec = join(top, "sysvinit.spec");
  const lines = [
    "Name: sysvinit",
    "Version: 2.88dsf",
    "Release: 1",
    "Summary: test",
    "License: MIT",
    "BuildArch: noarch",
    "AutoReqProv: no",
    "%global debug_package %{nil}",
    "%global __os_install_post %{nil}",
    "%description",
    "test",
    "%install",
    `cp -a ${tree}/. %{buildroot}/`,
    "%files",
    ...files,
    "",
  ];
  writeFileSync(spec, lines.join("\n"));
  run("rpmbuild", ["--quiet", "-bb", "--define", `_topdir ${top}`, "--define", `_binary_payload ${payload}`, spec]);
  return join(top, "RPMS", "noarch", "sysvinit-2.88dsf-1.noarch.rpm");
}

export interface TreeEntry {
  /** As stored in the archive: `./etc/inittab`. */
  name: string;
  type?: "file" | "directory" | "symlink" | "link";
  data?: Uint8Array;
  linkname?: string;
  mode?: number;
  /** cpio only: hard links share an inode; the data comes with the last of them. */
  inode?: number;
  links?: number;
}

/** The bundled corpus as a file tree: the first sysvinit file as /etc/inittab, all as templates. */
export function corpusTree(): { entries: TreeEntry[]; expected: Map<string, Uint8Array> } {
  const files = corpus().filter((f) => !f.external);
  const entries: TreeEntry[] = [
    { name: "./", type: "directory" },
    { name: "./etc/", type: "directory" },
    { name: "./bin/", type: "directory" },
    { name: "./bin/busybox", data: new Uint8Array([0x7f, 0x45, 0x4c, 0x46]), mode: 0o755 },
    { name: "./sbin/init", type: "symlink", linkname: "../bin/busybox" },
  ];
  const expected = new Map<string, Uint8Array>();
  const add = (path: string, file: CorpusFile): void => {
    const data = new Uint8Array(readFileSync(file.path));
    entries.push({ name: `.${path}`, data, mode: 0o644 });
    expected.set(path, data);
  };
  add(
    "/etc/inittab",
    files.find((f) => f.family === "sysvinit")!,
  );
  for (const f of files) add(`/usr/share/corpus/${f.name}`, f);
  return { entries, expected };
}

/** A tar archive made with tar-stream's packer, ending with its two zero blocks unless `segment`. */
export async function tarBytes(entries: readonly TreeEntry[], options: { segment?: boolean } = {}): Promise<Buffer> {
  const pack = tarStream.pack();
  const out: Buffer[] = [];
  pack.on("data", (c: unknown) => {
    out.push(c as Buffer);
  });
  const done = new Promise<void>((resolve, reject) => {
    pack.on("end", () => resolve());
    pack.on("error", reject);
  });
  for (const e of entries) {
    const type = e.type ?? "file";
    const header = {
      name: e.name,
      type,
      mode: e.mode ?? (type === "directory" ? 0o755 : 0o644),
      mtime: new Date(0),
      ...(e.linkname !== undefined ? { linkname: e.linkname } : {}),
    };
    await new Promise<void>((resolve, reject) => {
      const done = (err?: Error | null): void => (err ? reject(err) : resolve());
      if (type === "file") pack.entry(header, Buffer.from(e.data ?? new Uint8Array(0)), done);
      else pack.entry(header, done);
    });
  }
  pack.finalize();
  await done;
  const all = Buffer.concat(out);
  // An apk's signature and control segments are tar streams cut before their end blocks.
  return options.segment ? all.subarray(0, all.length - 1024) : all;
}

/** ar, as dpkg-deb writes it: "!<arch>\n", 60-byte headers, names ending in "/" (GNU). */
export function arBytes(members: readonly { name: string; data: Uint8Array }[], style: "gnu" | "bsd" = "gnu"): Buffer {
  const parts: Buffer[] = [Buffer.from("!<arch>\n", "latin1")];
  for (const m of members) {
    let name = style === "gnu" ? `${m.name}/` : m.name;
    let data = Buffer.from(m.data);
    if (style === "bsd" && m.name.length > 16) {
      name = `#1/${m.name.length}`;
      data = Buffer.concat([Buffer.from(m.name, "latin1"), data]);
    }
    const header =
      name.padEnd(16) +
      "0".padEnd(12) +
      "0".padEnd(6) +
      "0".padEnd(6) +
      "100644".padEnd(8) +
      String(data.length).padEnd(10) +
      "`\n";
    parts.push(Buffer.from(header, "latin1"), data);
    if (data.length % 2 === 1) parts.push(Buffer.from("\n"));
  }
  return Buffer.concat(parts);
}

/** A cpio newc archive (as rpm payloads and initramfs images are). */
export function cpioBytes(entries: readonly TreeEntry[]): Buffer {
  const parts: Buffer[] = [];
  let ino = 1;
  const hex = (n: number): string => n.toString(16).padStart(8, "0");
  const pad = (n: number): Buffer => Buffer.alloc((4 - (n % 4)) % 4);
  const put = (name: string, mode: number, data: Buffer, inode = ino++, links = 1): void => {
    const nameBytes = Buffer.from(name + "\0", "utf8");
    const fields = [inode, mode, 0, 0, links, 0, data.length, 0, 0, 0, 0, nameBytes.length, 0];
    const header = Buffer.from("070701" + fields.map(hex).join(""), "latin1");
    parts.push(header, nameBytes, pad(110 + nameBytes.length), data, pad(data.length));
  };
  for (const e of entries) {
    const type = e.type ?? "file";
    const perm = e.mode ?? (type === "directory" ? 0o755 : 0o644);
    if (type === "directory") put(e.name.replace(/\/$/, "") || ".", 0o040000 | perm, Buffer.alloc(0));
    else if (type === "symlink") put(e.name, 0o120000 | 0o777, Buffer.from(e.linkname ?? "", "utf8"));
    else put(e.name, 0o100000 | perm, Buffer.from(e.data ?? new Uint8Array(0)), e.inode, e.links);
  }
  put("TRAILER!!!", 0, Buffer.alloc(0));
  return Buffer.concat(parts);
}

export const gzip = (data: Uint8Array): Buffer => gzipSync(data);

/** Compress with a system tool (xz, zstd, bzip2, gzip), reading stdin. */
export function compressWith(tool: "xz" | "zstd" | "bzip2" | "gzip", data: Uint8Array, args: string[] = []): Buffer {
  return run(tool, [...(tool === "zstd" ? ["-q"] : []), "-c", ...args], { input: data });
}

/** deb822 control text. */
export function control(fields: Record<string, string>): Buffer {
  return Buffer.from(
    Object.entries(fields)
      .map(([k, v]) => `${k}: ${v}\n`)
      .join(""),
    "utf8",
  );
}

/** Write a tree's entries under `dir` (files, directories, symlinks). */
export function writeTree(dir: string, entries: readonly TreeEntry[]): void {
  for (const e of entries) {
    const path = join(dir, e.name);
    const type = e.type ?? "file";
    if (type === "directory") mkdirSync(path, { recursive: true });
    else {
      mkdirSync(dirname(path), { recursive: true });
      if (type === "symlink") symlinkSync(e.linkname!, path);
      else writeFileSync(path, e.data ?? new Uint8Array(0), { mode: e.mode ?? 0o644 });
    }
  }
}

/** Read an archive given as bytes, the way stdin is read. */
export function chunksOf(bytes: Uint8Array, size = 65536): AsyncIterable<Uint8Array> {
  return (async function* () {
    for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
  })();
}
