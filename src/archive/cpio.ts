/**
 * cpio "newc" archives (magic 070701, or 070702 with checksums), as rpm payloads and Linux
 * initramfs images use them: a 110-byte ASCII header of 8-digit hex fields (ino, mode, uid,
 * gid, nlink, mtime, filesize, devmajor, devminor, rdevmajor, rdevminor, namesize, check), the
 * NUL-terminated name, the data; name and data each padded to 4 bytes; "TRAILER!!!" ends it.
 * A symlink's target is its data. (cpio(5); the kernel's Documentation/driver-api/early-userspace.)
 */
import { ArchiveFault, quoteName } from "./errors.js";
import type { Member, MemberType } from "./members.js";
import type { ByteReader } from "./reader.js";

const HEADER = 110;
const MAX_NAME = 4096;
/** A symlink target is read into memory: PATH_MAX bounds real ones. */
const MAX_LINK = 4096;

export const CPIO_NEWC = "070701";
export const CPIO_CRC = "070702";
/** rpm's stripped headers for payloads with files over 4 GiB (rpm ≥ 4.12): names live in the rpm header. */
export const CPIO_RPM_STRIPPED = "07070X";

const TYPES: Record<number, MemberType> = { 0o100000: "file", 0o040000: "dir", 0o120000: "symlink" };

const latin1 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");

export async function* cpioMembers(reader: ByteReader): AsyncGenerator<Member> {
  while (true) {
    const start = reader.position;
    const header = latin1(await reader.read(HEADER, "a cpio header"));
    const magic = header.slice(0, 6);
    if (magic === CPIO_RPM_STRIPPED) {
      throw new ArchiveFault("unsupported", "rpm's stripped cpio payload (files over 4 GiB) is not read");
    }
    if (magic !== CPIO_NEWC && magic !== CPIO_CRC) {
      if (magic === "070707")
        throw new ArchiveFault("unsupported", "old portable (odc) cpio format is not read, only newc");
      throw new ArchiveFault("corrupt", `cpio header at byte ${start} is damaged`);
    }
    const field = (i: number): number => {
      const hex = header.slice(6 + i * 8, 14 + i * 8);
      if (!/^[0-9a-fA-F]{8}$/.test(hex))
        throw new ArchiveFault("corrupt", `cpio header at byte ${start} has a bad field ${quoteName(hex)}`);
      return parseInt(hex, 16);
    };
    const inode = field(0);
    const mode = field(1);
    const links = field(4);
    const size = field(6);
    const nameSize = field(11);
    if (nameSize < 1 || nameSize > MAX_NAME)
      throw new ArchiveFault("corrupt", `cpio header at byte ${start} has a bad name size ${nameSize}`);
    const name = latin1(await reader.read(nameSize, "a cpio member name")).replace(/\0.*$/s, "");
    await reader.skip(pad4(HEADER + nameSize), "cpio padding");
    if (name === "TRAILER!!!") return;
    const type = TYPES[mode & 0o170000] ?? "other";
    const displayName = Buffer.from(name, "latin1").toString("utf8");
    if (type === "symlink") {
      if (size > MAX_LINK)
        throw new ArchiveFault("corrupt", `cpio symlink ${quoteName(displayName)} has a ${size}-byte target`);
      const target = Buffer.from(await reader.read(size, `cpio member ${quoteName(displayName)}`)).toString("utf8");
      await reader.skip(pad4(size), "cpio padding");
      yield { name: displayName, type, mode: mode & 0o7777, size: 0, linkTarget: target, inode, links, body: empty() };
      continue;
    }
    const section = reader.section(size, `cpio member ${quoteName(displayName)}`);
    yield { name: displayName, type, mode: mode & 0o7777, size, inode, links, body: section.chunks };
    await section.finish();
    await reader.skip(pad4(size), "cpio padding");
  }
}

function pad4(n: number): number {
  return (4 - (n % 4)) % 4;
}

async function* empty(): AsyncGenerator<Uint8Array> {}
