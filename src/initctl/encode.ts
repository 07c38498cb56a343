/**
 * Build a 384-byte initctl request exactly as telinit does (telinit in init.c; docs/internals/initctl.md):
 * zero-filled, magic set, then the command's fields. The default sleeptime comes from the
 * dialect table (telinit 3.x: 3; 2.88: 5).
 */
import { InittabError } from "../base/errors.js";
import { SYSVINIT_3_14, type Dialect } from "../dialects/index.js";
import {
  COMMANDS,
  DATA_SIZE,
  type Endian,
  hostEndian,
  INIT_MAGIC,
  OFFSET,
  REQUEST_SIZE,
  SETENV_PREFIX,
  TELINIT_RUNLEVELS,
} from "./protocol.js";

export type PowerCommand = "POWERFAIL" | "POWERFAILNOW" | "POWEROK";

export type InitRequest =
  /** `telinit [-t SEC] X`: cmd RUNLVL, the character as typed, the TERM→KILL delay. */
  | { command: "RUNLVL"; runlevel: string; sleeptime?: number }
  /** `telinit -e VAR[=VAL]...`: cmd SETENV; telinit sends runlevel 0 and sleeptime 0. */
  | { command: "SETENV"; vars: readonly string[] }
  /**
   * What a UPS daemon sends. init applies the sleeptime of these too (H init.c:2596-2610), so
   * it defaults to telinit's, never 0 (0 would make later kills skip the TERM grace period).
   */
  | { command: PowerCommand; sleeptime?: number };

export interface EncodeOptions {
  /** Byte order of the ints; default this machine's, which is the one init reads. */
  endian?: Endian;
  /** Where the default sleeptime comes from; default sysvinit 3.14 (3 s). */
  dialect?: Dialect;
}

/**
 * Encode a request as telinit builds it; the result is always exactly REQUEST_SIZE (384) bytes,
 * byte-identical to telinit's for the same request.
 *
 * @throws InittabError `invalid-request` for a request telinit would refuse.
 * @example
 * const reexec = encodeRequest({ command: "RUNLVL", runlevel: "U" }); // telinit U
 */
export function encodeRequest(request: InitRequest, options: EncodeOptions = {}): Uint8Array {
  const endian = options.endian ?? hostEndian();
  const buf = new Uint8Array(REQUEST_SIZE); // telinit memsets the whole struct to 0
  const view = new DataView(buf.buffer);
  const little = endian === "little";
  const put = (offset: number, value: number): void => view.setInt32(offset, value, little);
  put(OFFSET.magic, INIT_MAGIC);
  switch (request.command) {
    case "RUNLVL": {
      const rl = request.runlevel;
      if (rl.length !== 1 || !TELINIT_RUNLEVELS.includes(rl)) {
        throw new InittabError(
          "invalid-request",
          `bad runlevel ${JSON.stringify(rl)}: telinit accepts one of ${TELINIT_RUNLEVELS.split("").join(" ")}`,
        );
      }
      put(OFFSET.cmd, COMMANDS.RUNLVL.code);
      // The character exactly as typed; init upper-cases it on receipt.
      put(OFFSET.runlevel, rl.charCodeAt(0));
      put(OFFSET.sleeptime, sleeptimeOf(request.sleeptime, options.dialect));
      break;
    }
    case "SETENV": {
      put(OFFSET.cmd, COMMANDS.SETENV.code);
      // telinit leaves runlevel and sleeptime at 0 with -e, even when -t was given (docs/internals/initctl.md).
      buf.set(setenvData(request.vars), OFFSET.data);
      break;
    }
    case "POWERFAIL":
    case "POWERFAILNOW":
    case "POWEROK": {
      put(OFFSET.cmd, COMMANDS[request.command].code);
      put(OFFSET.sleeptime, sleeptimeOf(request.sleeptime, options.dialect));
      break;
    }
    default: {
      const never: never = request;
      throw new InittabError("invalid-request", `unknown request ${JSON.stringify(never)}`);
    }
  }
  return buf;
}

function sleeptimeOf(given: number | undefined, dialect: Dialect | undefined): number {
  const d = dialect ?? SYSVINIT_3_14;
  const value = given ?? d.telinitSleeptime;
  if (value === null)
    throw new InittabError("invalid-request", `${d.name} has no initctl protocol (no telinit sleeptime)`);
  if (!Number.isInteger(value) || value < 0 || value > 0x7fffffff) {
    throw new InittabError("invalid-request", `bad sleeptime ${value}: a whole number of seconds from 0 to 2147483647`);
  }
  return value;
}

/** The SETENV union: each variable and its NUL, then the final NUL that ends the list. */
export function setenvData(vars: readonly string[]): Uint8Array {
  if (vars.length === 0) throw new InittabError("invalid-request", "SETENV needs at least one variable");
  const data = new Uint8Array(DATA_SIZE);
  let pos = 0;
  for (const v of vars) {
    const bytes = new TextEncoder().encode(v);
    if (bytes.length === 0) {
      // An empty string is the list terminator to init: everything after it would be ignored.
      throw new InittabError("invalid-request", "empty variable: init stops reading the list at an empty string");
    }
    if (bytes.includes(0))
      throw new InittabError("invalid-request", `variable ${JSON.stringify(v)} contains a NUL byte`);
    const name = v.includes("=") ? v.slice(0, v.indexOf("=")) : v;
    if (!name.startsWith(SETENV_PREFIX)) {
      // init silently ignores any other name (H init.c:2431-2480); say so instead.
      throw new InittabError(
        "invalid-request",
        `variable name ${JSON.stringify(name)} must start with ${SETENV_PREFIX} (init ignores other names)`,
      );
    }
    // Room for this variable, its NUL and the final NUL (telinit: "-e option data too large").
    if (pos + bytes.length + 2 > DATA_SIZE) {
      throw new InittabError(
        "invalid-request",
        `-e option data too large: the variables and their NULs must fit in ${DATA_SIZE} bytes`,
      );
    }
    data.set(bytes, pos);
    pos += bytes.length + 1;
  }
  return data;
}
