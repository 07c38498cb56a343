/** tar archives (ustar, GNU, pax) through tar-stream, as Members. */
import tarStream from "tar-stream";
import { drained } from "../base/drain.js";
import { ArchiveFault } from "./errors.js";
import type { Member, MemberType } from "./members.js";
import type { Chunks } from "./reader.js";

const TYPES: Record<string, MemberType> = {
  file: "file",
  "contiguous-file": "file",
  directory: "dir",
  symlink: "symlink",
  link: "hardlink",
};

/** The members of the tar stream `source`; `what` names it in messages (`data.tar.xz`). */
export async function* tarMembers(source: Chunks, what: string): AsyncGenerator<Member> {
  const extract = tarStream.extract();
  let stopped = false;
  const feeding = feed(source, extract, () => stopped);
  // A failure of the source (a truncated xz stream under the tar) reaches the reading side as
  // the extractor's error; keep the original fault.
  let sourceFault: unknown;
  feeding.catch((err: unknown) => {
    sourceFault = err;
    extract.destroy(err instanceof Error ? err : new Error(String(err)));
  });
  try {
    for await (const entry of extract) {
      const h = entry.header;
      const type = TYPES[h.type] ?? "other";
      // The consumer gets a view that cannot end the entry early: destroying a tar-stream entry
      // destroys the whole extractor. What it leaves is read here, through the same iterator.
      const chunks = entry[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
      let ended = false;
      const next = async (): Promise<IteratorResult<Uint8Array>> => {
        if (ended) return { done: true, value: undefined };
        let r: IteratorResult<Uint8Array>;
        try {
          r = await chunks.next();
        } catch (err) {
          // The consumer reading the entry sees the archive's fault, not tar-stream's.
          ended = true;
          throw tarFault(sourceFault ?? err, what);
        }
        if (r.done) ended = true;
        return r;
      };
      yield {
        name: h.name,
        type,
        mode: h.mode & 0o7777,
        size: type === "file" ? h.size : 0,
        ...(type === "symlink" || type === "hardlink" ? { linkTarget: h.linkname } : {}),
        body: { [Symbol.asyncIterator]: () => ({ next, return: async () => ({ done: true, value: undefined }) }) },
      };
      while (!ended) await next();
    }
  } catch (err) {
    throw tarFault(sourceFault ?? err, what);
  } finally {
    stopped = true;
    if (!extract.destroyed) extract.destroy();
  }
  await feeding.catch(() => {});
  if (sourceFault) throw tarFault(sourceFault, what);
}

async function feed(source: Chunks, extract: tarStream.Extract, stopped: () => boolean): Promise<void> {
  for await (const chunk of source) {
    if (stopped() || extract.destroyed) return;
    if (!extract.write(chunk)) await drained(extract);
  }
  if (!stopped() && !extract.destroyed) extract.end(null);
}

function tarFault(err: unknown, what: string): ArchiveFault {
  if (err instanceof ArchiveFault) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (/unexpected end/i.test(message))
    return new ArchiveFault("truncated", `${what} ends early (tar: unexpected end of data)`);
  if (/invalid tar header/i.test(message))
    return new ArchiveFault("corrupt", `${what}: tar: a member header is damaged`);
  return new ArchiveFault("corrupt", `${what}: tar: ${message}`);
}
