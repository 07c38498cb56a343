/** Reading a whole buffer from a file descriptor, for the readers of file heads and small files. */
import { readSync } from "node:fs";

/**
 * Read from `fd`, at its current position, until `buf` is full or the file ends (a read may
 * return fewer bytes than asked); the bytes read, as a view of `buf`.
 */
export function readFull(fd: number, buf: Uint8Array): Uint8Array {
  let length = 0;
  while (length < buf.length) {
    const got = readSync(fd, buf, length, buf.length - length, null);
    if (got === 0) break;
    length += got;
  }
  return buf.subarray(0, length);
}
