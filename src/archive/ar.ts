/**
 * The `ar` container of .deb and .ipk packages, read as a stream: "!<arch>\n", then per member
 * a 60-byte header (name 16, mtime 12, uid 6, gid 6, mode 8, size 10, "`\n") and its data,
 * padded to an even length with "\n". Names are space-padded; GNU ar ends them with "/" and
 * keeps long ones in a "//" member, BSD ar writes "#1/LEN" and puts the name before the data.
 * (deb(5); dpkg's deb-split and ar code; the GNU and BSD variants as binutils documents them.)
 */
import { ArchiveFault, quoteName } from "./errors.js";
import type { ByteReader, Chunks } from "./reader.js";

export const AR_MAGIC = "!<arch>\n";
const HEADER = 60;
/** The GNU long-name table is read into memory: refuse absurd ones. */
const MAX_NAME_TABLE = 1024 * 1024;

export interface ArMember {
  name: string;
  size: number;
  mode: number;
  /** The member's data; consume it (or leave it: the reader skips what is left). */
  body: Chunks;
}

const latin1 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");

/** The members of an ar archive, in order. The reader must be at the "!<arch>\n" magic. */
export async function* arMembers(reader: ByteReader): AsyncGenerator<ArMember> {
  const magic = latin1(await reader.read(AR_MAGIC.length, "the ar magic"));
  if (magic !== AR_MAGIC) throw new ArchiveFault("corrupt", "not an ar archive");
  let longNames: string | undefined;
  while (!(await reader.atEnd())) {
    const header = latin1(await reader.read(HEADER, "an ar member header"));
    if (header.slice(58, 60) !== "`\n")
      throw new ArchiveFault("corrupt", `ar member header at byte ${reader.position - HEADER} is damaged`);
    const sizeField = header.slice(48, 58).trimEnd();
    if (!/^\d+$/.test(sizeField))
      throw new ArchiveFault(
        "corrupt",
        `ar member header at byte ${reader.position - HEADER} has a bad size ${quoteName(sizeField)}`,
      );
    const dataSize = Number(sizeField);
    let size = dataSize;
    const modeField = header.slice(40, 48).trim();
    const mode = /^[0-7]+$/.test(modeField) ? parseInt(modeField, 8) : 0o644;
    let name = header.slice(0, 16).trimEnd();
    if (/^#1\/\d+$/.test(name)) {
      const length = Number(name.slice(3));
      if (length > size) throw new ArchiveFault("corrupt", `ar member name is longer than its member`);
      name = latin1(await reader.read(length, "an ar member name")).replace(/\0+$/, "");
      size -= length;
    } else if (name === "//") {
      if (size > MAX_NAME_TABLE) throw new ArchiveFault("corrupt", `ar long-name table of ${size} bytes`);
      longNames = latin1(await reader.read(size, "the ar long-name table"));
      await skipPadding(reader, size);
      continue;
    } else if (/^\/\d+$/.test(name) && longNames !== undefined) {
      const at = Number(name.slice(1));
      const end = longNames.indexOf("/\n", at);
      name = longNames.slice(at, end < 0 ? undefined : end);
    } else if (name.endsWith("/") && name !== "/") {
      name = name.slice(0, -1);
    }
    const section = reader.section(size, `ar member ${quoteName(name)}`);
    yield { name, size, mode, body: section.chunks };
    // What the consumer left of the member: all of it, or the padding after a tar's end.
    await section.finish();
    await skipPadding(reader, dataSize);
  }
}

/** Members start at even offsets: an odd-sized one is followed by one "\n". */
async function skipPadding(reader: ByteReader, size: number): Promise<void> {
  if (size % 2 === 1 && !(await reader.atEnd())) await reader.skip(1, "ar padding");
}
