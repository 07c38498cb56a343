/**
 * The base layer, which every other layer may use: the error type, the package version, binary
 * strings (one char per byte) and their safe display, offset searches and line positions, input
 * size limits, paths resolved inside a root as chroot would, and waiting for a stream to drain.
 */
export { InittabError, isInittabError, type ErrorCode, type ErrorDetails, type ErrorInit } from "./errors.js";
export { IMAGE_METADATA_PATHS, MAX_SYMLINKS, type Image, type ImageEntry, type ImageLookup } from "./image.js";
export { REPOSITORY_URL, VERSION } from "./version.js";
export { binaryToText, escapeBinary, escapeText, fromBinary, stringifyJson, textToBinary, toBinary } from "./bytes.js";
export { lowerBound, NulFinder } from "./search.js";
export { LineCounter } from "./positions.js";
export { errnoReason } from "./errno.js";
export { drained } from "./drain.js";
export { count } from "./plural.js";
export {
  BYTES_PER_LINE,
  DEFAULT_MAX_BYTES,
  countLines,
  formatSize,
  parseSize,
  tooBig,
  tooManyLines,
} from "./limits.js";
export { imagePathOf, resolveInRoot, type LinkReader, type RootResolution } from "./root-path.js";
