/**
 * Read a 384-byte initctl request back into its fields, the way init would
 * (initreq.h; docs/internals/initctl.md): size and magic first, then the command's part of the union.
 */
import { InittabError } from "../base/errors.js";
import {
  BSD_LAYOUT,
  COMMANDS,
  type CommandName,
  commandName,
  DATA_SIZE,
  type Endian,
  hostEndian,
  INIT_MAGIC,
  OFFSET,
  REQUEST_SIZE,
} from "./protocol.js";

export interface BsdRequest {
  gen_id: string;
  tty_id: string;
  host: string;
  term_type: string;
  signal: number;
  pid: number;
  exec_name: string;
}

export interface DecodedRequest {
  /** Byte order the ints were written in (the magic tells). */
  endian: Endian;
  /** True when that is not this machine's order: this machine's init would reject the request. */
  foreignEndian: boolean;
  magic: number;
  cmd: number;
  /** `INIT_CMD_<command>`, or undefined for a code init does not define. */
  command: CommandName | undefined;
  /** init acts on this command (START, BSD and UNSETENV it does not). */
  handled: boolean;
  /** The runlevel int, and the character it holds when it is one byte (telinit writes a char). */
  runlevel: number;
  runlevelChar: string | undefined;
  sleeptime: number;
  /** SETENV: the strings init reads, up to the first empty one (UTF-8 reading of the bytes). */
  env?: string[];
  /** SETENV: the list was not terminated within the 368 bytes; init stops at the last full string. */
  envUnterminated?: boolean;
  /** BSD: the BSD struct in the union. */
  bsd?: BsdRequest;
  /** How many bytes of the union are not zero (telinit zero-fills what it does not use). */
  nonZeroDataBytes: number;
}

/**
 * Read a request back into its fields, the way init reads it.
 *
 * @throws InittabError `not-a-request` for bytes that are not a request (size, magic).
 */
export function decodeRequest(bytes: Uint8Array): DecodedRequest {
  if (bytes.length !== REQUEST_SIZE) {
    throw new InittabError(
      "not-a-request",
      `not an initctl request: ${bytes.length} bytes, a request is exactly ${REQUEST_SIZE}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let endian: Endian;
  if (view.getUint32(OFFSET.magic, true) === INIT_MAGIC) endian = "little";
  else if (view.getUint32(OFFSET.magic, false) === INIT_MAGIC) endian = "big";
  else {
    const seen = view
      .getUint32(OFFSET.magic, hostEndian() === "little")
      .toString(16)
      .padStart(8, "0");
    throw new InittabError(
      "not-a-request",
      `not an initctl request: magic 0x${seen}, expected 0x03091969 in either byte order`,
    );
  }
  const little = endian === "little";
  const int = (offset: number): number => view.getInt32(offset, little);
  const cmd = int(OFFSET.cmd);
  const command = commandName(cmd);
  const runlevel = int(OFFSET.runlevel);
  const data = bytes.subarray(OFFSET.data, OFFSET.data + DATA_SIZE);
  const out: DecodedRequest = {
    endian,
    foreignEndian: endian !== hostEndian(),
    magic: INIT_MAGIC,
    cmd,
    command,
    handled: command !== undefined && COMMANDS[command].handled,
    runlevel,
    runlevelChar: runlevel > 0 && runlevel < 256 ? String.fromCharCode(runlevel) : undefined,
    sleeptime: int(OFFSET.sleeptime),
    nonZeroDataBytes: data.reduce((n, b) => n + (b === 0 ? 0 : 1), 0),
  };
  if (command === "SETENV") Object.assign(out, readEnv(data));
  if (command === "BSD") out.bsd = readBsd(data, little);
  return out;
}

/** init's loop: NUL-terminated strings until an empty one, or one not terminated in the data. */
function readEnv(data: Uint8Array): { env: string[]; envUnterminated: boolean } {
  const env: string[] = [];
  const utf8 = new TextDecoder("utf-8", { fatal: false });
  let pos = 0;
  while (pos < data.length) {
    const nul = data.indexOf(0, pos);
    if (nul === -1) return { env, envUnterminated: true };
    if (nul === pos) return { env, envUnterminated: false };
    env.push(utf8.decode(data.subarray(pos, nul)));
    pos = nul + 1;
  }
  return { env, envUnterminated: true };
}

function readBsd(data: Uint8Array, little: boolean): BsdRequest {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const str = (f: { offset: number; size: number }): string => {
    const field = data.subarray(f.offset, f.offset + f.size);
    const nul = field.indexOf(0);
    return new TextDecoder("utf-8", { fatal: false }).decode(nul === -1 ? field : field.subarray(0, nul));
  };
  return {
    gen_id: str(BSD_LAYOUT.gen_id),
    tty_id: str(BSD_LAYOUT.tty_id),
    host: str(BSD_LAYOUT.host),
    term_type: str(BSD_LAYOUT.term_type),
    signal: view.getInt32(BSD_LAYOUT.signal.offset, little),
    pid: view.getInt32(BSD_LAYOUT.pid.offset, little),
    exec_name: str(BSD_LAYOUT.exec_name),
  };
}
