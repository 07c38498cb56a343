/**
 * Whether the conformance tests run here, and with which binaries. They need root,
 * namespaces, python3 and Debian's packages (fetched by the harness with a private apt
 * configuration). On a machine that cannot run them at all (not root, no namespaces) they are
 * skipped with a one-line reason, and so is each binary whose packages cannot be had; in CI,
 * where everything is installable, a missing package is a failure, not a skip, so that no
 * comparison can silently stop running.
 */
import { prepare, type ReadyBinary, type Toolchain } from "./harness.js";

const availability = await prepare();

/** The tools, or undefined when the tests are skipped. */
export const tools: Toolchain | undefined = availability.ok ? availability.tools : undefined;

/** The binaries that run here (none when the tests are skipped). */
export const binaries: readonly ReadyBinary[] = tools?.binaries ?? [];

/** Why the tests are skipped ("" when they run). */
export const skipReason: string = availability.ok
  ? binaries.length === 0
    ? "no binary could be had"
    : ""
  : availability.reason;

/** In CI, an installable gap fails the run instead of skipping it. */
const gaps: string[] = !availability.ok
  ? availability.installable
    ? [availability.reason]
    : []
  : availability.tools.missing.filter((m) => m.installable).map((m) => `${m.binary.id}: ${m.reason}`);
export const mustRun: string | undefined = process.env["CI"] && gaps.length > 0 ? gaps.join("; ") : undefined;

if (!availability.ok && !mustRun) console.warn(`conformance: skipped: ${availability.reason}`);
for (const m of tools?.missing ?? []) {
  if (!mustRun) console.warn(`conformance: ${m.binary.id} skipped: ${m.reason}`);
}
