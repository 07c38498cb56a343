/**
 * The JSON documents the CLI prints, each with a versioned schema under docs/schemas/. A version
 * changes only when a field is removed or changes meaning; new fields may be added within one.
 */
import { REPOSITORY_URL } from "../base/version.js";

const SCHEMA_BASE = `${REPOSITORY_URL}/blob/main/docs/schemas/`;

/** `check --format json`. */
export const CHECK_SCHEMA_VERSION = 1;
export const CHECK_SCHEMA_URL = `${SCHEMA_BASE}check.v${CHECK_SCHEMA_VERSION}.json`;

/** `--json` of the edit commands (add, set, rm, comment, uncomment, batch, exec-shutdown). */
export const EDIT_SCHEMA_VERSION = 1;
export const EDIT_SCHEMA_URL = `${SCHEMA_BASE}edit.v${EDIT_SCHEMA_VERSION}.json`;

/** The configuration file, `.inittab.json`. */
export const CONFIG_SCHEMA_VERSION = 1;
export const CONFIG_SCHEMA_URL = `${SCHEMA_BASE}config.v${CONFIG_SCHEMA_VERSION}.json`;
