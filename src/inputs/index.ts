/**
 * The inputs layer: where inittabs come from — files and directories on disk, a system image
 * under --root, packages and rootfs archives — read safely and grouped the way init reads them.
 */
export {
  collectGroups,
  collectPath,
  defaultGroup,
  sniffFile,
  tabsBeside,
  type CheckGroup,
  type Found,
} from "./collect.js";
export { DirectoryImage } from "./directory-image.js";
export { displayPath, readInput } from "./read.js";
export {
  readInputs,
  type ArchiveInput,
  type InputDocument,
  type InputItem,
  type InputSet,
  type ReadInputsOptions,
} from "./sources.js";
