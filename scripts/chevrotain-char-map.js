// Used by scripts/bundle.js: a patch to chevrotain's bundled source, applied at build time.
/**
 * chevrotain's lexer fills a 65,536-entry table on first use, `i > 255 ? 255 + ~~(i / 255) : i`
 * for every char code, and reads it only through charCodeToOptimizedIndex; a table that size
 * filled by cold code was about 2 ms of every start-up. Here the function computes the same
 * formula itself and the table is never filled. Should chevrotain's text ever change, the build
 * fails rather than bundling it unpatched; test/cli/char-map.test.ts checks the two agree.
 */
export const CHAR_MAP = {
  from: `function charCodeToOptimizedIndex(charCode) {
  return charCode < minOptimizationVal ? charCode : charCodeToOptimizedIdxMap[charCode];
}
function initCharCodeToOptimizedIndexMap() {
  if (isEmpty_default(charCodeToOptimizedIdxMap)) {
    charCodeToOptimizedIdxMap = new Array(65536);
    for (let i = 0; i < 65536; i++) {
      charCodeToOptimizedIdxMap[i] = i > 255 ? 255 + ~~(i / 255) : i;
    }
  }
}`,
  to: `function charCodeToOptimizedIndex(charCode) {
  return charCode < minOptimizationVal ? charCode : 255 + ~~(charCode / 255);
}
function initCharCodeToOptimizedIndexMap() {
}`,
};

/** chevrotain's source with the table computed instead of filled; throws when the text to patch is missing. */
export function computeCharMap(text, path = "chevrotain.mjs") {
  if (!text.includes(CHAR_MAP.from)) {
    throw new Error(
      `${path}: charCodeToOptimizedIndex is not the code this build patches (chevrotain changed: update CHAR_MAP in scripts/chevrotain-char-map.js)`,
    );
  }
  return text.replace(CHAR_MAP.from, CHAR_MAP.to);
}
