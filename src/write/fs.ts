/**
 * The file-system calls the writer makes, as one replaceable table: tests swap single calls
 * for failing ones (ENOSPC on write, EROFS on rename…) without touching the real file system.
 */
import * as nodeFs from "node:fs";

export interface WriteFs {
  openSync: typeof nodeFs.openSync;
  closeSync: typeof nodeFs.closeSync;
  writeSync: (fd: number, buffer: Uint8Array, offset: number, length: number, position: number | null) => number;
  fsyncSync: typeof nodeFs.fsyncSync;
  fchmodSync: typeof nodeFs.fchmodSync;
  fchownSync: typeof nodeFs.fchownSync;
  ftruncateSync: typeof nodeFs.ftruncateSync;
  fstatSync: (fd: number) => nodeFs.Stats;
  renameSync: typeof nodeFs.renameSync;
  unlinkSync: typeof nodeFs.unlinkSync;
  rmdirSync: (path: string) => void;
  readlinkSync: (path: string) => string;
  linkSync: typeof nodeFs.linkSync;
  readFileSync: (path: string) => Buffer;
  readSync: (fd: number, buffer: Uint8Array, offset: number, length: number, position: number | null) => number;
  lstatSync: (path: string) => nodeFs.Stats;
  realpathSync: (path: string) => string;
  readdirSync: (path: string) => string[];
  accessSync: (path: string, mode: number) => void;
}

export const realFs: WriteFs = {
  openSync: nodeFs.openSync,
  closeSync: nodeFs.closeSync,
  writeSync: (fd, buffer, offset, length, position) => nodeFs.writeSync(fd, buffer, offset, length, position),
  fsyncSync: nodeFs.fsyncSync,
  fchmodSync: nodeFs.fchmodSync,
  fchownSync: nodeFs.fchownSync,
  ftruncateSync: nodeFs.ftruncateSync,
  fstatSync: (fd) => nodeFs.fstatSync(fd),
  renameSync: nodeFs.renameSync,
  unlinkSync: nodeFs.unlinkSync,
  rmdirSync: (path) => nodeFs.rmdirSync(path),
  readlinkSync: (path) => nodeFs.readlinkSync(path),
  linkSync: nodeFs.linkSync,
  readFileSync: (path) => nodeFs.readFileSync(path),
  readSync: (fd, buffer, offset, length, position) => nodeFs.readSync(fd, buffer, offset, length, position),
  lstatSync: (path) => nodeFs.lstatSync(path),
  realpathSync: (path) => nodeFs.realpathSync.native(path),
  readdirSync: (path) => nodeFs.readdirSync(path),
  accessSync: (path, mode) => nodeFs.accessSync(path, mode),
};

/** The real calls, with some replaced. */
export function withFs(overrides: Partial<WriteFs> | undefined): WriteFs {
  return overrides ? { ...realFs, ...overrides } : realFs;
}

/** Remove a file that may already be gone. */
export function tryUnlink(fs: WriteFs, path: string): void {
  try {
    fs.unlinkSync(path);
  } catch {
    // Already gone.
  }
}
