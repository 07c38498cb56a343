/**
 * A system image's file tree, as the checks of programs and ttys see it: an unpacked directory
 * (`--root DIR`) or a rootfs archive. Paths are the image's own (`/sbin/getty`); a lookup follows
 * the image's symbolic links inside the image, as the kernel would on the running system: an
 * absolute target starts again at the image's root, `..` stops at the root, and after 40 links
 * the path is a loop (the kernel's MAXSYMLINKS). Nothing outside the image is ever reached.
 */

export interface ImageEntry {
  type: "file" | "dir" | "symlink" | "other";
  /** Permission bits (0o7777). */
  mode: number;
}

export type ImageLookup =
  | { kind: "found"; path: string; entry: ImageEntry }
  | { kind: "missing"; path: string }
  | { kind: "loop"; path: string };

export interface Image {
  /** Resolve an absolute path of the image, following symlinks inside it. */
  lookup(path: string): ImageLookup;
  /** The names in a directory of the image (symlinks followed), or undefined when it is none. */
  list(path: string): string[] | undefined;
  /**
   * The bytes of a regular file of the image (symlinks followed), or undefined when it is missing,
   * not a regular file, larger than `maxBytes`, or not kept (an archive keeps the inittabs and
   * the files of IMAGE_METADATA_PATHS only).
   */
  read(path: string, maxBytes: number): Uint8Array | undefined;
}

/**
 * Files that say which init and which version an image carries (package databases, the OS
 * release, the init binaries). An archive read as an image keeps these, so that they can be read
 * like the files of a directory.
 */
export const IMAGE_METADATA_PATHS: readonly string[] = [
  "/var/lib/dpkg/status",
  "/lib/apk/db/installed",
  "/usr/lib/opkg/status",
  "/var/lib/opkg/status",
  "/etc/os-release",
  "/usr/lib/os-release",
  "/sbin/init",
  "/bin/busybox",
];

/** How many symbolic links a lookup follows before it calls the path a loop. */
export const MAX_SYMLINKS = 40;
