import { createRequire } from "node:module";

interface PackageJson {
  version: string;
  repository: { url: string };
}

/**
 * The package's package.json, the one place its version and home are written. The file is one
 * level above both src/ and dist/; the bundled CLI gets the same values at build time
 * (scripts/bundle.js).
 */
const PACKAGE = createRequire(import.meta.url)("../../package.json") as PackageJson;

/** The package's version. */
export const VERSION: string = PACKAGE.version;

/** The repository's web address (`https://github.com/…`), from package.json `repository`. */
export const REPOSITORY_URL: string = PACKAGE.repository.url.replace(/^git\+/, "").replace(/\.git$/, "");
