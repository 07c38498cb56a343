/**
 * Debian packages for the conformance harness, fetched with apt-get through a private apt
 * configuration, and unpacked into one scratch system root per Debian release.
 *
 * The machine's own apt state is never touched: each release gets its own directory under
 * the cache with its own sources list (naming that release's suite on the Debian mirror the
 * machine's sources already use), its own lists, cache and configuration. `APT_CONFIG` points
 * apt at that configuration, which also turns off the machine's apt.conf.d, preferences and
 * trusted keys, so nothing of the host's apt setup changes what is fetched.
 *
 * Trust: the private sources list is signed-by the machine's Debian archive keyring
 * (/usr/share/keyrings/debian-archive-keyring.gpg, package debian-archive-keyring). Debian 12's
 * keyring already holds the Debian 13 archive keys, so trixie's InRelease verifies with the keys
 * the machine already trusts; apt then checks every .deb against the signed index. No key is
 * fetched over the network and no signature check is relaxed: a release whose index does not
 * verify is not available.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, promises as fs } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The Debian archive keyring every private sources list is signed by. */
export const DEBIAN_KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg";

/** A Debian package that could not be had, and whether installing or fetching could fix it. */
export class PackageUnavailable extends Error {
  constructor(
    message: string,
    readonly installable: boolean,
  ) {
    super(message);
  }
}

export interface UnpackedRelease {
  suite: string;
  /** Every requested package unpacked into one tree, with merged-/usr links where needed. */
  root: string;
  /** Package name → version, as apt fetched it. */
  versions: Record<string, string>;
}

/**
 * The URI of the Debian mirror the machine's own sources use for its release's main component
 * (`apt-get indextargets`, which reads sources.list and sources.list.d in either format).
 */
export async function machineMirror(): Promise<string> {
  const osRelease = await fs.readFile("/etc/os-release", "utf8").catch(() => "");
  const codename = /^VERSION_CODENAME=["']?([a-z]+)/m.exec(osRelease)?.[1];
  if (!codename) throw new PackageUnavailable("no VERSION_CODENAME in /etc/os-release: not a Debian release", false);
  const format = "$(REPO_URI)\t$(RELEASE)\t$(COMPONENT)\t$(TARGET_OF)";
  const { stdout } = await run("apt-get", ["indextargets", "--format", format]).catch((e: Error) => {
    throw new PackageUnavailable(`apt-get indextargets failed: ${e.message.split("\n")[0]}`, true);
  });
  for (const line of stdout.split("\n")) {
    const [uri, release, component, targetOf] = line.split("\t");
    if (uri && release === codename && component === "main" && targetOf === "deb") return uri;
  }
  throw new PackageUnavailable(`the machine's apt sources name no ${codename} main mirror`, false);
}

/** The apt configuration file of a private state directory: nothing from /etc/apt is read. */
function aptConfig(dir: string): string {
  const empty = path.join(dir, "empty");
  return [
    `Dir::Etc::main "/dev/null";`,
    `Dir::Etc::parts "${empty}";`,
    `Dir::Etc::SourceList "${path.join(dir, "sources.list")}";`,
    `Dir::Etc::SourceParts "${empty}";`,
    `Dir::Etc::Preferences "/dev/null";`,
    `Dir::Etc::PreferencesParts "${empty}";`,
    `Dir::Etc::Trusted "/dev/null";`,
    `Dir::Etc::TrustedParts "${empty}";`,
    `Dir::State "${path.join(dir, "state")}";`,
    `Dir::State::Lists "${path.join(dir, "lists")}";`,
    `Dir::State::status "/dev/null";`,
    `Dir::Cache "${path.join(dir, "cache")}";`,
    `Dir::Cache::pkgcache "";`,
    `Dir::Cache::srcpkgcache "";`,
    `Dir::Log "${path.join(dir, "log")}";`,
    `Acquire::Languages "none";`,
    `Acquire::GzipIndexes "true";`,
    `Acquire::Retries "3";`,
    "",
  ].join("\n");
}

/**
 * Run apt-get with the private configuration in `dir`, holding `dir`'s lock: test files run in
 * parallel processes and apt's own lock would fail the second one instead of making it wait.
 */
async function aptGet(dir: string, args: string[], cwd: string): Promise<void> {
  await run("flock", ["--wait", "600", path.join(dir, "flock"), "apt-get", "-q", ...args], {
    cwd,
    timeout: 600_000,
    env: {
      PATH: process.env["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin",
      APT_CONFIG: path.join(dir, "apt.conf"),
      LANG: "C",
    },
  });
}

/** apt runs its download methods as _apt: a download directory must be theirs to write. */
async function giveToApt(dir: string): Promise<void> {
  const passwd = await fs.readFile("/etc/passwd", "utf8").catch(() => "");
  const uid = /^_apt:[^:]*:(\d+):(\d+):/m.exec(passwd);
  if (uid) await fs.chown(dir, Number(uid[1]), Number(uid[2]));
}

/** Another test process may be running apt on the file: it sees the old or the new one, whole. */
async function writeAtomically(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}`;
  await fs.writeFile(tmp, text);
  await fs.rename(tmp, file);
}

const updated = new Map<string, Promise<void>>();

/** The private apt state for one suite, its index fetched once per process. */
async function privateApt(cacheDir: string, suite: string): Promise<string> {
  const dir = path.join(cacheDir, "apt", suite);
  let done = updated.get(dir);
  if (!done) {
    done = (async () => {
      if (!existsSync(DEBIAN_KEYRING)) {
        throw new PackageUnavailable(`${DEBIAN_KEYRING} missing (apt-get install debian-archive-keyring)`, true);
      }
      const mirror = await machineMirror();
      for (const d of ["empty", "state", "lists/partial", "cache/archives/partial", "log"]) {
        await fs.mkdir(path.join(dir, d), { recursive: true });
      }
      const source = `deb [signed-by=${DEBIAN_KEYRING}] ${mirror} ${suite} main\n`;
      await writeAtomically(path.join(dir, "sources.list"), source);
      await writeAtomically(path.join(dir, "apt.conf"), aptConfig(dir));
      await aptGet(dir, ["update"], dir).catch((e: { stderr?: string; message: string }) => {
        throw new PackageUnavailable(`apt-get update of ${suite} failed: ${lastLine(e.stderr || e.message)}`, true);
      });
    })();
    updated.set(dir, done);
  }
  await done;
  return dir;
}

const unpacked = new Map<string, Promise<UnpackedRelease>>();

/**
 * `packages` of Debian `suite`, unpacked together into one tree under `cacheDir`, fetched the
 * first time and reused after (the tree's name is a hash of the suite and the package names).
 * Throws PackageUnavailable when apt cannot fetch them.
 */
export function unpackRelease(cacheDir: string, suite: string, packages: readonly string[]): Promise<UnpackedRelease> {
  const names = [...new Set(packages)].sort();
  const key = createHash("sha256")
    .update(`${suite}\0${names.join("\0")}`)
    .digest("hex")
    .slice(0, 12);
  const root = path.join(cacheDir, "debian", `${suite}-${key}`);
  let result = unpacked.get(root);
  if (!result) {
    result = unpackOnce(cacheDir, suite, names, root);
    unpacked.set(root, result);
  }
  return result;
}

async function unpackOnce(
  cacheDir: string,
  suite: string,
  names: readonly string[],
  root: string,
): Promise<UnpackedRelease> {
  const stamp = path.join(root, ".versions.json");
  if (existsSync(stamp)) return { suite, root, versions: JSON.parse(await fs.readFile(stamp, "utf8")) };
  const dir = await privateApt(cacheDir, suite);
  // Download and unpack into a private directory, then rename: another test process may do
  // the same at the same time, and neither may see a half-unpacked tree.
  await fs.mkdir(path.dirname(root), { recursive: true });
  const tmp = await fs.mkdtemp(`${root}.tmp-`);
  try {
    const debs = path.join(tmp, "debs");
    await fs.mkdir(debs);
    await giveToApt(debs);
    await aptGet(dir, ["download", ...names], debs).catch((e: { stderr?: string; message: string }) => {
      const why = lastLine(e.stderr || e.message);
      throw new PackageUnavailable(`apt-get download ${names.join(" ")} from ${suite} failed: ${why}`, true);
    });
    const tree = path.join(tmp, "root");
    await fs.mkdir(tree);
    const versions: Record<string, string> = {};
    for (const file of (await fs.readdir(debs)).filter((f) => f.endsWith(".deb")).sort()) {
      const deb = path.join(debs, file);
      const { stdout } = await run("dpkg-deb", ["--showformat", "${Package}\t${Version}", "--show", deb]);
      const [name, version] = stdout.trim().split("\t");
      versions[name!] = version!;
      await run("dpkg-deb", ["--extract", deb, tree]);
    }
    const missing = names.filter((n) => !(n in versions));
    if (missing.length > 0) {
      throw new PackageUnavailable(`apt-get download gave no ${missing.join(", ")} from ${suite}`, true);
    }
    await mergeUsr(tree);
    await fs.writeFile(path.join(tree, ".versions.json"), `${JSON.stringify(versions)}\n`);
    await fs.rename(tree, root).catch((e: NodeJS.ErrnoException) => {
      // Another process finished the same tree first; theirs is as good.
      if (e.code !== "ENOTEMPTY" && e.code !== "EEXIST") throw e;
    });
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
  return { suite, root, versions: JSON.parse(await fs.readFile(stamp, "utf8")) };
}

/**
 * Debian 13's packages ship their files under /usr only (/usr/lib64/ld-linux-x86-64.so.2 for
 * the loader the binaries name as /lib64/…); a Debian 13 system links /bin, /sbin, /lib and
 * /lib64 to their /usr twins. Do the same where the unpacked tree has no top-level directory.
 */
async function mergeUsr(tree: string): Promise<void> {
  for (const name of ["bin", "sbin", "lib", "lib64"]) {
    if (!existsSync(path.join(tree, name)) && existsSync(path.join(tree, "usr", name))) {
      await fs.symlink(path.join("usr", name), path.join(tree, name));
    }
  }
}

/**
 * `file` (a path inside `root`) with every symlink resolved as if `root` were `/`: an absolute
 * link target is taken inside `root`, never on the host. Throws when it leaves `root` or loops.
 */
export async function resolveInside(root: string, file: string): Promise<string> {
  const parts = path
    .relative(root, file)
    .split(path.sep)
    .filter((p) => p !== "" && p !== ".");
  const resolved: string[] = [];
  for (let hops = 0; parts.length > 0;) {
    const part = parts.shift()!;
    if (part === "..") {
      resolved.pop();
      continue;
    }
    const here = path.join(root, ...resolved, part);
    const st = await fs.lstat(here);
    if (!st.isSymbolicLink()) {
      resolved.push(part);
      continue;
    }
    if (++hops > 40) throw new Error(`too many symlinks resolving ${file}`);
    const target = await fs.readlink(here);
    if (path.isAbsolute(target)) resolved.length = 0;
    parts.unshift(...target.split("/").filter((p) => p !== "" && p !== "."));
  }
  return path.join(root, ...resolved);
}

/**
 * The program interpreter an ELF executable names (PT_INTERP), e.g. `/lib64/ld-linux-x86-64.so.2`,
 * or undefined for a static executable.
 */
export async function elfInterpreter(file: string): Promise<string | undefined> {
  const elf = await fs.readFile(file);
  if (elf.readUInt32BE(0) !== 0x7f454c46 || elf[4] !== 2 || elf[5] !== 1) {
    throw new Error(`${file}: not a 64-bit little-endian ELF file`);
  }
  const phoff = Number(elf.readBigUInt64LE(0x20));
  const phentsize = elf.readUInt16LE(0x36);
  const phnum = elf.readUInt16LE(0x38);
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * phentsize;
    if (elf.readUInt32LE(ph) !== 3) continue; // PT_INTERP
    const offset = Number(elf.readBigUInt64LE(ph + 8));
    const size = Number(elf.readBigUInt64LE(ph + 32));
    return elf
      .subarray(offset, offset + size)
      .toString("latin1")
      .replace(/\0.*$/s, "");
  }
  return undefined;
}

/**
 * The files a dynamically linked `binary` inside `root` needs to start, as (file in `root`,
 * path where the binary's loader looks for it): the loader itself at the binary's PT_INTERP
 * path and every library the release's own loader resolves with `--list`, searching only the
 * release's multiarch directories. Nothing of the host's libraries is used.
 */
export async function runtimeFiles(root: string, binary: string): Promise<Array<{ from: string; to: string }>> {
  const interp = await elfInterpreter(binary);
  if (interp === undefined) return [];
  const loader = await resolveInside(root, path.join(root, interp));
  const libraryPath = ["lib", "usr/lib"].map((d) => path.join(root, d, "x86_64-linux-gnu")).join(":");
  const { stdout } = await run(loader, ["--library-path", libraryPath, "--list", binary]).catch(
    (e: { stdout?: string; stderr?: string; message: string }) => {
      throw new Error(`${loader} --list ${binary}: ${lastLine(e.stderr || e.message)}`);
    },
  );
  const files = [{ from: loader, to: interp.replace(/^\/+/, "") }];
  for (const line of stdout.split("\n")) {
    const m = /^\s*(\S+) => (.*?) \(0x[0-9a-f]+\)$/.exec(line);
    if (!m || m[1] === interp) continue;
    if (m[2] === "not found" || !m[2]!.startsWith(`${root}/`)) {
      throw new Error(`${binary} needs ${m[1]}, not in the release's packages`);
    }
    files.push({ from: await resolveInside(root, m[2]!), to: path.relative(root, m[2]!) });
  }
  return files;
}

function lastLine(text: string): string {
  const lines = text
    .trim()
    .split("\n")
    .filter((l) => l.trim() !== "");
  return (lines[lines.length - 1] ?? "").slice(0, 200);
}
