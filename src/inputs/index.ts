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
export { DirectoryImage, HOST_LINKS } from "./directory-image.js";
export { displayPath, pathInRoot, readInput, type ReadOptions } from "./read.js";
export {
  readInputs,
  type ArchiveInput,
  type InputDocument,
  type InputItem,
  type InputSet,
  type ReadInputsOptions,
} from "./sources.js";
export {
  detectImageInit,
  tableFor,
  upstreamVersion,
  binaryVersion,
  parseApkInstalled,
  parseControlStatus,
  type ImageInit,
} from "./init-version.js";
export {
  CONFIG_FILE_NAME,
  ConfigFinder,
  disabledCodes,
  fails,
  FAIL_ON,
  readConfig,
  ruleCodes,
  type FailOn,
  type InittabConfig,
} from "./config.js";
