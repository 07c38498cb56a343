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
}

/** How many symbolic links a lookup follows before it calls the path a loop. */
export const MAX_SYMLINKS = 40;
