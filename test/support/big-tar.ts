/**
 * A tar stream made chunk by chunk, never whole in memory: one large member of zeros, then
 * /etc/inittab. The memory tests read it through the archive reader (in a child process, which
 * imports this module bundled) and through the CLI.
 */

/** A ustar header for a regular file. */
function header(name: string, size: number): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0);
  h.write("0000644\0", 100);
  h.write("0000000\0", 108);
  h.write("0000000\0", 116);
  h.write(size.toString(8).padStart(11, "0") + "\0", 124);
  h.write("00000000000\0", 136);
  h.write("0", 156);
  h.write("ustar\0" + "00", 257);
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, "0") + "\0 ", 148);
  return h;
}

/** `./var/lib/big.img` of `size` zero bytes, then `./etc/inittab` holding `inittab`, then the end. */
export function* bigTar(size: number, inittab: string): Generator<Buffer> {
  yield header("./var/lib/big.img", size);
  const chunk = Buffer.alloc(1 << 20);
  for (let left = size; left > 0; left -= chunk.length) yield left >= chunk.length ? chunk : chunk.subarray(0, left);
  const bytes = Buffer.from(inittab);
  yield header("./etc/inittab", bytes.length);
  yield Buffer.concat([bytes, Buffer.alloc((512 - (bytes.length % 512)) % 512), Buffer.alloc(1024)]);
}
