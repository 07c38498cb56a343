/**
 * Whether the conformance tests run here. They need root, namespaces, python3, busybox and
 * Debian's sysvinit-core. On a machine that cannot (not root, no namespaces) they are skipped
 * with a one-line reason; in CI, where everything is installable, a missing package is a
 * failure, not a skip, so that the comparison can never silently stop running.
 */
import { prepare, type Toolchain } from "./harness.js";

const availability = await prepare();

/** The tools, or undefined when the tests are skipped. */
export const tools: Toolchain | undefined = availability.ok ? availability.tools : undefined;

/** Why the tests are skipped ("" when they run). */
export const skipReason: string = availability.ok ? "" : availability.reason;

/** In CI, an installable gap fails the run instead of skipping it. */
export const mustRun: string | undefined =
  !availability.ok && availability.installable && process.env["CI"] ? availability.reason : undefined;

if (!availability.ok && !mustRun) {
  console.warn(`conformance: skipped: ${availability.reason}`);
}
