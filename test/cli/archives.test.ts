/**
 * `inittab check`, `ls` and `parse` on packages and rootfs archives: every kind built from the
 * test corpus reports for each member the findings `check` reports on the extracted file (its
 * path named `ARCHIVE!/member`), a real sysvinit-core .deb as dpkg-deb extracts it, unusable
 * input exits 2 with one line naming the file, a rootfs archive is the image its programs are
 * looked up in, and memory stays bounded on a large archive read through the CLI.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { createGzip, gzipSync } from "node:zlib";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli } from "./in-process.js";
import { runCli } from "../write/support.js";
import {
  arBytes,
  compressWith,
  control,
  corpusTree,
  cpioBytes,
  gzip,
  has,
  missing,
  rpmbuild,
  run,
  tarBytes,
  tempDir,
  writeTree,
  type TreeEntry,
} from "../archive/support.js";
import { bigTar } from "../support/big-tar.js";

interface JsonFile {
  path: string;
  archive?: string;
  member?: string;
  dialect: string;
  diagnostics: Array<{ code: string; line: number; column: number; message: string; severity: string }>;
}

let work: ReturnType<typeof tempDir>;
beforeAll(() => {
  work = tempDir();
});
afterAll(() => work.remove());

const text = (s: string): Buffer => Buffer.from(s);
const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(2000, 0)]);

function save(name: string, bytes: Uint8Array): string {
  const path = join(work.dir, name);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, bytes);
  return path;
}

async function checkJson(...args: string[]): Promise<{ status: number; files: JsonFile[]; stderr: string }> {
  const r = await cli(...args.slice(0, -1), "check", "-f", "json", args.at(-1)!);
  return { status: r.status, files: (JSON.parse(r.stdout) as { files: JsonFile[] }).files, stderr: r.stderr };
}

/**
 * The corpus as a file tree (every corpus file a template under /usr/share/corpus, the first
 * sysvinit one as /etc/inittab), with an inittab.d beside it: a .tab that repeats an id of the
 * main file (IT008 across files) and a name init ignores (IT030c). `rootfs`: with /bin/busybox
 * and /sbin/init linked to it, a root file system.
 */
function corpusEntries(rootfs: boolean): TreeEntry[] {
  const { entries } = corpusTree();
  const main = Buffer.from(entries.find((e) => e.name === "./etc/inittab")!.data!).toString("latin1");
  const firstId = /^([^#:\n][^:\n]*):/m.exec(main)![1]!;
  const tree = entries.filter((e) => rootfs || !["./bin/", "./bin/busybox", "./sbin/init"].includes(e.name));
  return [
    ...tree,
    { name: "./etc/inittab.d/", type: "directory" },
    { name: "./etc/inittab.d/extra.tab", data: text(`${firstId}:3:once:/bin/true\nx9:3:once:/sbin/x9\n`) },
    { name: "./etc/inittab.d/README", data: text("init reads only *.tab here\n") },
  ];
}

/**
 * The findings on an archive's members are those on the extracted files (read with `args`),
 * member by member: paths, and the paths messages name, mapped from the tree to the archive.
 */
async function expectSameAsExtracted(archive: string, tree: string, args: string[] = []): Promise<JsonFile[]> {
  const fromArchive = await checkJson(archive);
  const fromTree = await checkJson(...args, tree);
  expect(fromArchive.stderr, archive).toBe("");
  const mapped = (s: string): string =>
    s.split(`${tree}/`).join(`${archive}!/`).split(`"${tree}"`).join(`"${archive}"`);
  const expected = fromTree.files.map((f) => ({
    path: mapped(f.path),
    dialect: f.dialect,
    diagnostics: f.diagnostics.map((d) => ({ ...d, message: mapped(d.message) })),
  }));
  const got = fromArchive.files.map(({ archive: a, member, ...f }) => {
    expect(a).toBe(archive);
    expect(`${a}!${member}`).toBe(f.path);
    return { path: f.path, dialect: f.dialect, diagnostics: f.diagnostics };
  });
  const byPath = (x: { path: string }, y: { path: string }): number => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0);
  expect(got.sort(byPath)).toEqual(expected.sort(byPath));
  expect(fromArchive.status).toBe(fromTree.status);
  return fromArchive.files;
}

describe("every kind of archive built from the corpus: the findings on the extracted files", () => {
  const files = corpusEntries(false);
  let tree: string;
  let tar: Buffer;
  beforeAll(async () => {
    tree = join(work.dir, "files");
    writeTree(tree, files);
    tar = await tarBytes(files);
  });

  it("the test's premise: the extracted files have findings, across files too (IT008, IT030c)", async () => {
    const r = await checkJson(tree);
    expect(r.files.length).toBeGreaterThan(90);
    const codes = new Set(r.files.flatMap((f) => f.diagnostics.map((d) => d.code)));
    for (const code of ["IT008", "IT030c", "IT007", "IT023"]) expect(codes, code).toContain(code);
  });

  it("tarballs: plain and gzip", async () => {
    await expectSameAsExtracted(save("files.tar", tar), tree);
    await expectSameAsExtracted(save("files.tar.gz", gzip(tar)), tree);
  });

  for (const tool of ["xz", "zstd", "bzip2"] as const) {
    it.skipIf(missing(tool))(`tarball: ${tool}`, async () => {
      const suffix = { xz: "xz", zstd: "zst", bzip2: "bz2" }[tool];
      await expectSameAsExtracted(save(`files.tar.${suffix}`, compressWith(tool, tar)), tree);
    });
  }

  it("cpio (an initramfs), gzip", async () => {
    await expectSameAsExtracted(save("initrd.cpio.gz", gzip(cpioBytes(files))), tree);
  });

  it.skipIf(missing("xz"))(
    ".deb of sysvinit-core 3.06: its members read as sysvinit@3.06, as the package says",
    async () => {
      const deb = arBytes([
        { name: "debian-binary", data: text("2.0\n") },
        {
          name: "control.tar.gz",
          data: gzip(
            await tarBytes([{ name: "./control", data: control({ Package: "sysvinit-core", Version: "3.06-4" }) }]),
          ),
        },
        { name: "data.tar.xz", data: compressWith("xz", tar) },
      ]);
      const got = await expectSameAsExtracted(save("sysvinit-core_3.06-4_amd64.deb", deb), tree, [
        "-d",
        "sysvinit@3.06",
      ]);
      expect(new Set(got.map((f) => f.dialect))).toEqual(new Set(["sysvinit@3.06"]));
    },
  );

  it(".ipk, OpenWrt's gzip tar form, of base-files: read as BusyBox", async () => {
    const ipk = gzip(
      await tarBytes([
        { name: "./debian-binary", data: text("2.0\n") },
        { name: "./data.tar.gz", data: gzip(tar) },
        {
          name: "./control.tar.gz",
          data: gzip(
            await tarBytes([{ name: "./control", data: control({ Package: "base-files", Version: "1555" }) }]),
          ),
        },
      ]),
    );
    await expectSameAsExtracted(save("base-files_1555_mips_24kc.ipk", ipk), tree, ["-d", "busybox"]);
  });

  it(".apk (Alpine v2) of busybox: read as BusyBox", async () => {
    const pkginfo = text("pkgname = busybox\npkgver = 1.36.1-r2\narch = x86_64\n");
    const apk = Buffer.concat([
      gzip(await tarBytes([{ name: ".SIGN.RSA.key.rsa.pub", data: new Uint8Array(64) }], { segment: true })),
      gzip(await tarBytes([{ name: ".PKGINFO", data: pkginfo }], { segment: true })),
      gzip(tar),
    ]);
    await expectSameAsExtracted(save("busybox-1.36.1-r2.apk", apk), tree, ["-d", "busybox"]);
  });

  it.skipIf(missing("rpmbuild"))(".rpm of sysvinit 2.88 (rpmbuild): read as sysvinit@2.88", async () => {
    const files = ["/etc/inittab", "/etc/inittab.d", "/usr/share/corpus"];
    const rpm = rpmbuild(join(work.dir, "rpmbuild"), tree, files, "w9.gzdio");
    await expectSameAsExtracted(rpm, tree, ["-d", "sysvinit@2.88"]);
  });
});

describe("a rootfs archive is an image", () => {
  it("the corpus rootfs: the same findings as --root on the unpacked tree, programs looked up inside", async () => {
    const files = corpusEntries(true);
    const tree = join(work.dir, "rootfs");
    writeTree(tree, files);
    // /sbin/init is BusyBox's: the image says which init reads it, as -d busybox does for the tree.
    const got = await expectSameAsExtracted(save("rootfs.tar.gz", gzip(await tarBytes(files))), tree, [
      "--root",
      tree,
      "-d",
      "busybox",
    ]);
    expect(got.some((f) => f.diagnostics.some((d) => d.code === "RT001"))).toBe(true);
  });

  it("a missing program is RT001 on ARCHIVE!/etc/inittab; one reached through its links is found", async () => {
    const inittab =
      "id:3:initdefault:\n~~:S:wait:/sbin/sulogin\n" +
      "T0:23:respawn:/sbin/getty -L ttyS0 115200\nx1:3:once:/usr/sbin/missingd\n";
    const dir = join(work.dir, "rt");
    const archive = save(
      "rt/rootfs.tar.gz",
      gzip(
        await tarBytes([
          { name: "./bin/busybox", data: ELF, mode: 0o755 },
          { name: "./sbin/getty", type: "symlink", linkname: "../bin/busybox" },
          { name: "./sbin/sulogin", type: "symlink", linkname: "/bin/busybox" },
          { name: "./etc/inittab", data: text(inittab) },
        ]),
      ),
    );
    const before = readdirSync(dir);
    const r = await cli("check", "-f", "gnu", archive);
    expect(r.stdout).toBe(
      `${archive}!/etc/inittab:4:11: error: init cannot run "/usr/sbin/missingd" in "${archive}": ` +
        "it does not exist in the image [RT001]\n",
    );
    expect(r.status).toBe(1);
    // Nothing unpacked beside it.
    expect(readdirSync(dir)).toEqual(before);
  });
});

describe("path notation in every format", () => {
  const BAD = "id:3:initdefault:\n~~:S:wait:/sbin/sulogin\nabcde:3:once:/bin/true\n";
  let pkg: string;
  beforeAll(async () => {
    const data = gzip(await tarBytes([{ name: "./usr/share/sysvinit/inittab", data: text(BAD) }]));
    pkg = save(
      "pool/sysvinit-core_3.06-4_amd64.deb",
      arBytes([
        { name: "debian-binary", data: text("2.0\n") },
        {
          name: "control.tar.gz",
          data: gzip(
            await tarBytes([{ name: "./control", data: control({ Package: "sysvinit-core", Version: "3.06-4" }) }]),
          ),
        },
        { name: "data.tar.gz", data },
      ]),
    );
  });

  it("text, gnu, github and json name ARCHIVE!/member; text says the package decided the dialect", async () => {
    const member = `${pkg}!/usr/share/sysvinit/inittab`;
    const textOut = (await cli("check", pkg)).stdout;
    expect(textOut).toContain(
      `${member} (read as sysvinit@3.06, detected: ` +
        "package sysvinit-core 3.06-4 (from its control) is for sysvinit 3.06)\n",
    );
    expect(textOut).toContain(`${member}:3:1: error IT007 `);
    expect((await cli("check", "-f", "gnu", pkg)).stdout).toMatch(
      new RegExp(`^${escape(member)}:3:1: error: .*\\[IT007\\]$`, "m"),
    );
    const github = (await cli("check", "-f", "github", pkg)).stdout;
    expect(github).toContain(`::error file=${member.replace(/:/g, "%3A").replace(/,/g, "%2C")},line=3,`);
    const [file] = (await checkJson(pkg)).files;
    expect(file).toMatchObject({
      path: member,
      archive: pkg,
      member: "/usr/share/sysvinit/inittab",
      dialect: "sysvinit@3.06",
    });
  });

  it("sarif: valid 2.1.0; the archive is the artifact (under %SRCROOT%), the member nested in it, named", async () => {
    const schemaPath = join(process.cwd(), "node_modules/@microsoft/sarif-multitool-linux/sarif-2.1.0.json");
    const schema = JSON.parse(readFileSync(schemaPath, "utf8"));
    delete schema.$schema;
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    (addFormats as unknown as (a: Ajv2020) => void)(ajv);
    const validate = ajv.compile(schema);
    const r = runCli(["check", "-f", "sarif", "pool"], { cwd: work.dir });
    const log = JSON.parse(r.stdout);
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const runLog = log.runs[0];
    expect(runLog.artifacts).toEqual([
      { location: { uri: "pool/sysvinit-core_3.06-4_amd64.deb", uriBaseId: "%SRCROOT%" }, roles: ["analysisTarget"] },
      { location: { uri: "/usr/share/sysvinit/inittab" }, parentIndex: 0, roles: ["analysisTarget"] },
    ]);
    const result = runLog.results.find((x: { ruleId: string }) => x.ruleId === "IT007");
    expect(result.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: "pool/sysvinit-core_3.06-4_amd64.deb", uriBaseId: "%SRCROOT%", index: 0 },
      region: { startLine: 3, startColumn: 1, endLine: 3, endColumn: 6 },
    });
    expect(result.message.text).toMatch(/^\/usr\/share\/sysvinit\/inittab:3: init ignores this line/);
    expect(result.properties).toMatchObject({ member: "/usr/share/sysvinit/inittab", dialect: "sysvinit@3.06" });
  });

  it("ls and parse: each inittab of an archive under its name", async () => {
    const ls = await cli("ls", pkg);
    expect(ls.stdout.split("\n")[0]).toBe(`${pkg}!/usr/share/sysvinit/inittab:`);
    expect(ls.stdout).toMatch(/^id +3 +initdefault$/m);
    const lsJson = JSON.parse((await cli("ls", "--json", pkg)).stdout);
    expect(lsJson).toMatchObject([{ path: `${pkg}!/usr/share/sysvinit/inittab`, dialect: "sysvinit@3.06" }]);
    expect(lsJson[0].entries.map((e: { id: string }) => e.id)).toEqual(["id", "~~", "abcde"]);
    const parsed = JSON.parse((await cli("parse", pkg)).stdout);
    expect(parsed).toHaveLength(1);
    expect(parsed[0]).toMatchObject({ path: `${pkg}!/usr/share/sysvinit/inittab`, dialect: "sysvinit@3.06" });
    expect(parsed[0].lines.map((l: { kind: string }) => l.kind)).toEqual(["entry", "entry", "entry"]);
    expect(parsed[0].lines.at(-1).end).toBe(BAD.length);
  });

  it("--fix leaves an archive alone and says so", async () => {
    const r = await cli("check", "--fix", pkg);
    expect(r.stderr).toBe("fixed 0 files\n"); // IT007 has no fix: nothing to say
    const crlf = save("crlf.tar", await tarBytes([{ name: "./etc/inittab", data: text("id:3:initdefault:\r\n") }]));
    const before = readFileSync(crlf);
    const fixed = await cli("check", "--fix", crlf);
    expect(fixed.stderr).toContain(`inittab: ${crlf}: not fixed: its inittabs are inside an archive`);
    expect(readFileSync(crlf).equals(before)).toBe(true);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

describe("unusable input: exit 2, one line naming the file", () => {
  async function oneLine(path: string, reason: RegExp): Promise<void> {
    for (const format of ["text", "json"]) {
      const r = await cli("check", "-f", format, path);
      expect(r.status, `${path} ${format}`).toBe(2);
      const lines = r.stderr.split("\n").filter((l) => l !== "");
      expect(lines, `${path} ${format}`).toHaveLength(1);
      expect(lines[0]!.startsWith(`inittab: ${path}: `)).toBe(true);
      expect(lines[0]).toMatch(reason);
      if (format === "json") expect(JSON.parse(r.stdout).files).toEqual([]);
      else expect(r.stdout).toBe("");
    }
  }

  it("an unknown binary file, by what it is", async () => {
    await oneLine(save("prog", ELF), /: not an inittab or a known archive: it is an ELF executable or library$/);
    await oneLine(
      save("noise.bin", Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24))),
      /binary data/,
    );
    await oneLine(
      save("secret.gpg", text("-----BEGIN PGP MESSAGE-----\n\nhQEMA\n")),
      /: encrypted: .*decrypt it first$/,
    );
  });

  it("a corrupt, a truncated archive, an unsafe member path", async () => {
    const tar = await tarBytes([{ name: "./etc/inittab", data: text("id:3:initdefault:\n".repeat(400)) }]);
    const damaged = Buffer.from(tar);
    damaged[200] = damaged[200]! ^ 0xff; // inside the first header: its checksum fails
    const gz = gzip(tar);
    await oneLine(save("damaged.tar.gz", gzip(damaged)), /: corrupt \.tar\.gz: /);
    await oneLine(save("cut.tar.gz", gz.subarray(0, gz.length - 40)), /: truncated \.(tar\.)?gz: .*ends early/);
    await oneLine(
      save("up.tar", await tarBytes([{ name: "../etc/inittab", data: text("x") }])),
      /: unsafe \.tar: member "\.\.\/etc\/inittab"/,
    );
  });

  it("through bin/inittab.js: no stack trace, and the other inputs are still checked", () => {
    const ok = save("ok.inittab", text("id:3:initdefault:\n~~:S:wait:/sbin/sulogin\n"));
    const r = spawnSync(process.execPath, [join(process.cwd(), "bin", "inittab.js"), "check", save("a.out", ELF), ok], {
      encoding: "utf8",
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `inittab: ${join(work.dir, "a.out")}: not an inittab or a known archive: it is an ELF executable or library\n`,
    );
    expect(r.stdout).toBe("no problems in 1 file\n");
  });
});

describe("a directory of packages", () => {
  it("every package and loose inittab in one call; other files passed over; a broken package one line", async () => {
    const dir = join(work.dir, "repo");
    const deb = arBytes([
      { name: "debian-binary", data: text("2.0\n") },
      {
        name: "control.tar.gz",
        data: gzip(
          await tarBytes([{ name: "./control", data: control({ Package: "busybox", Version: "1:1.36.1-6" }) }]),
        ),
      },
      {
        name: "data.tar.gz",
        data: gzip(await tarBytes([{ name: "./etc/inittab", data: text("::sysinit:/etc/init.d/rcS\n") }])),
      },
    ]);
    const pkginfo = text("pkgname = alpine-baselayout\npkgver = 3.4.3-r1\n");
    const apk = Buffer.concat([
      gzip(await tarBytes([{ name: ".PKGINFO", data: pkginfo }], { segment: true })),
      gzip(await tarBytes([{ name: "./etc/inittab", data: text("::sysinit:/sbin/openrc sysinit\n") }])),
    ]);
    save("repo/debian/pool/main/b/busybox_1.36.1-6_amd64.deb", deb);
    save("repo/alpine/main/x86_64/alpine-baselayout-3.4.3-r1.apk", apk);
    save("repo/alpine/main/x86_64/APKINDEX.tar.gz", gzip(await tarBytes([{ name: "APKINDEX", data: text("P:x\n") }])));
    save("repo/images/rootfs.tar.zst.broken", deb.subarray(0, 300));
    save("repo/boards/serial.inittab", text("S0:2345:respawn:/sbin/getty -L ttyS0\n"));
    save("repo/docs/inittab.5.gz", gzipSync(text(".TH INITTAB 5\n")));
    save("repo/bin/tool", ELF);
    const r = await checkJson(dir);
    expect(r.files.map((f) => [f.path.slice(dir.length + 1), f.dialect])).toEqual([
      ["alpine/main/x86_64/alpine-baselayout-3.4.3-r1.apk!/etc/inittab", "busybox"],
      ["boards/serial.inittab", "sysvinit@3.14"],
      ["debian/pool/main/b/busybox_1.36.1-6_amd64.deb!/etc/inittab", "busybox"],
    ]);
    expect(r.stderr).toBe(
      `inittab: ${join(dir, "images/rootfs.tar.zst.broken")}: ` +
        "truncated .deb: the file ends early (in an ar member header)\n",
    );
    expect(r.status).toBe(2);
  });
});

describe("the samples", () => {
  it("a search of samples/ passes over the binary initctl request in it (neither inittab nor archive)", async () => {
    const r = await cli("check", "samples");
    expect(readdirSync("samples/root-on-loop")).toContain("reload-init.bin");
    expect(r.stderr).toBe("");
    expect(r.stdout).not.toContain("reload-init.bin");
  });
});

describe("standard input", () => {
  it("a package on stdin is named <stdin>!/member, or by --stdin-filename", async () => {
    const tar = gzip(
      await tarBytes([{ name: "./etc/inittab", data: text("id:3:initdefault:\nabcde:3:once:/bin/true\n") }]),
    );
    const plain = runCli(["check", "-f", "gnu", "-"], { input: tar });
    expect(plain.stdout).toMatch(/^<stdin>!\/etc\/inittab:2:1: error: .*\[IT007\]$/m);
    expect(plain.status).toBe(1);
    const named = runCli(["check", "-f", "gnu", "--stdin-filename", "rootfs.tar.gz", "-"], { input: tar });
    expect(named.stdout).toMatch(/^rootfs\.tar\.gz!\/etc\/inittab:2:1: error: /m);
    const binary = runCli(["check", "-"], { input: ELF });
    expect(binary.status).toBe(2);
    expect(binary.stderr).toBe(
      "inittab: <stdin>: not an inittab or a known archive: it is an ELF executable or library\n",
    );
  });
});

describe("a real Debian package: sysvinit-core", () => {
  let deb: string | undefined;
  let skip: string | undefined;
  beforeAll(() => {
    if (!has("apt-get") || !has("dpkg-deb")) {
      skip = "apt-get or dpkg-deb not installed";
    } else {
      const dir = join(work.dir, "apt");
      mkdirSync(dir);
      const r = spawnSync("apt-get", ["download", "sysvinit-core"], { cwd: dir, encoding: "utf8", timeout: 120_000 });
      const name = readdirSync(dir).find((n) => n.endsWith(".deb"));
      if (r.status === 0 && name) {
        deb = join(dir, name);
      } else {
        const why = (r.stderr || r.error?.message || "").trim().split("\n").pop();
        skip = `apt-get download sysvinit-core failed (offline?): ${why}`;
      }
    }
    if (skip) process.stderr.write(`cli archive tests: skipped the real Debian package: ${skip}\n`);
  });

  it("check reports for usr/share/sysvinit/inittab what it reports on the file dpkg-deb extracts", async (ctx) => {
    if (skip) return ctx.skip();
    const extracted = join(work.dir, "extracted");
    run("dpkg-deb", ["-x", deb!, extracted]);
    const member = "/usr/share/sysvinit/inittab";
    const version = run("dpkg-deb", ["-f", deb!, "Version"]).toString().trim();
    // Through the installed command, as CI would run it.
    const r = spawnSync(process.execPath, [join(process.cwd(), "bin", "inittab.js"), "check", "-f", "json", deb!], {
      encoding: "utf8",
    });
    expect(r.stderr).toBe("");
    const files = (JSON.parse(r.stdout) as { files: JsonFile[] }).files;
    const file = files.find((f) => f.member === member)!;
    expect(file.path).toBe(`${deb}!${member}`);
    expect(file.dialect).toMatch(/^sysvinit@/);
    const fromFile = (await checkJson("-d", file.dialect, join(extracted, member))).files[0]!;
    expect(file.diagnostics).toEqual(fromFile.diagnostics);
    // The package decided the dialect, and says so.
    const parsed = JSON.parse((await cli("parse", deb!)).stdout) as Array<{ path: string; detection: string[] }>;
    expect(parsed.find((p) => p.path === `${deb}!${member}`)!.detection).toEqual([
      expect.stringMatching(
        new RegExp(`^package sysvinit-core ${escape(version)} \\(from its control\\) is for sysvinit `),
      ),
    ]);
    const lsOut = await cli("ls", "--json", deb!);
    expect(JSON.parse(lsOut.stdout)[0]).toMatchObject({ path: `${deb}!${member}`, dialect: file.dialect });
  });
});

describe("memory", () => {
  /** The CLI's exit status, peak RSS (MiB) and stdout, reading `input` on stdin; python3 measures it alone. */
  async function measured(input: Readable): Promise<{ status: string; rssMiB: number; stdout: string }> {
    const script =
      "import resource,subprocess,sys\n" +
      "r=subprocess.run(sys.argv[1:],stdout=subprocess.PIPE,stderr=subprocess.PIPE)\n" +
      "sys.stderr.buffer.write(r.stderr)\n" +
      "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.stdout.decode())\n";
    const bin = join(process.cwd(), "bin", "inittab.js");
    const child = spawn("python3", ["-c", script, process.execPath, bin, "check", "-f", "gnu", "-"]);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    const done = new Promise<number | null>((resolve) => child.on("close", resolve));
    input.pipe(child.stdin);
    expect(await done, Buffer.concat(err).toString()).toBe(0);
    const [status, rssKiB, ...rest] = Buffer.concat(out).toString().split(" ");
    return { status: status!, rssMiB: Number(rssKiB) / 1024, stdout: rest.join(" ") };
  }

  /** Its id of 5 bytes is the IT007 the check must find after the large member. */
  const BIG_TAR_INITTAB = "id:3:initdefault:\nabcde:3:once:/bin/true\n";

  it.skipIf(missing("python3"))(
    "512 MiB on stdin, plain tar and tar.gz, a small inittab at the end: the CLI's peak RSS stays far below it",
    async () => {
      const big = 512 * 1024 * 1024;
      for (const [label, input] of [
        // The archive itself is large: it is not buffered.
        ["tar", Readable.from(bigTar(big, BIG_TAR_INITTAB))],
        // The decompressed stream is large: neither it nor the large member is buffered.
        ["tar.gz", Readable.from(bigTar(big, BIG_TAR_INITTAB)).pipe(createGzip({ level: 1 }))],
      ] as const) {
        const r = await measured(input);
        expect(r.status, label).toBe("1");
        expect(r.stdout, label).toMatch(/^<stdin>!\/etc\/inittab:2:1: error: .*\[IT007\]$/m);
        process.stderr.write(
          `cli archive memory: inittab check - peak RSS ${r.rssMiB.toFixed(0)} MiB, 512 MiB ${label}\n`,
        );
        expect(r.rssMiB, label).toBeLessThan(200);
      }
    },
    120_000,
  );
});
