/**
 * The inputs layer: where inittabs come from — files and directories on disk, a system image
 * under --root, packages and rootfs archives — read safely and grouped the way init reads them.
 */
export { collectGroups, defaultGroup, tabsBeside, type CheckGroup } from "./collect.js";
export { DirectoryImage, HOST_LINKS } from "./directory-image.js";
export { displayPath, pathInRoot, readInput, type ReadOptions } from "./read.js";
