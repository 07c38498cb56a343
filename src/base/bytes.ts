/**
 * The bytes/text representation.
 *
 * A Document keeps its input as a *binary string*: one UTF-16 code unit per input byte
 * (latin1 decoding). Offsets into it are byte offsets, every byte value 0..255 is kept, and
 * encoding it back with latin1 gives the exact input bytes — invalid UTF-8 and NUL included.
 * Human-facing text (`Field.text`) is the UTF-8 decoding of those bytes, with U+FFFD for
 * invalid sequences; it is for display and matching, never for printing back.
 */

/** Input bytes (or a JS string, encoded as UTF-8) as a binary string. */
export function toBinary(input: string | Uint8Array): string {
  const bytes = typeof input === "string" ? Buffer.from(input, "utf8") : input;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
}

/** A binary string back to its bytes. */
export function fromBinary(binary: string): Uint8Array {
  return new Uint8Array(Buffer.from(binary, "latin1"));
}

/** Text to the binary string of its UTF-8 encoding (for content supplied by a user). */
export function textToBinary(text: string): string {
  return Buffer.from(text, "utf8").toString("latin1");
}

const utf8 = new TextDecoder("utf-8", { fatal: false });
const NON_ASCII = /[\x80-\xff]/;

/** The UTF-8 reading of a binary string; invalid sequences become U+FFFD. */
export function binaryToText(binary: string): string {
  // ASCII reads the same either way; skipping the decoder keeps large files cheap.
  if (!NON_ASCII.test(binary)) return binary;
  return utf8.decode(Buffer.from(binary, "latin1"));
}

/**
 * Make text from an input file safe for a terminal: control characters (C0, DEL, C1) and
 * invalid UTF-8 are shown as escapes (`\r`, `\t`, `\0`, `\x1b`, `\xff`), never written raw.
 * Takes a binary string so that invalid bytes can be shown by value.
 */
export function escapeBinary(binary: string): string {
  let out = "";
  const bytes = Buffer.from(binary, "latin1");
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      out += escapeAsciiByte(b);
      i++;
      continue;
    }
    const len = utf8SequenceLength(bytes, i);
    if (len === 0) {
      out += `\\x${b.toString(16).padStart(2, "0")}`;
      i++;
      continue;
    }
    const ch = bytes.subarray(i, i + len).toString("utf8");
    const cp = ch.codePointAt(0)!;
    // C1 controls and the Unicode bidi/format controls can also rewrite a terminal line; the
    // zero-width characters and the byte order mark would be invisible in a message.
    if (
      (cp >= 0x80 && cp <= 0x9f) ||
      (cp >= 0x200b && cp <= 0x200f) ||
      (cp >= 0x202a && cp <= 0x202e) ||
      (cp >= 0x2066 && cp <= 0x2069) ||
      cp === 0xfeff
    ) {
      out += `\\u{${cp.toString(16)}}`;
    } else {
      out += ch;
    }
    i += len;
  }
  return out;
}

/**
 * Characters JSON.stringify writes raw that a terminal acts on: DEL and the C1 controls (U+009B
 * is the 8-bit CSI), and the bidi and line-separator characters escapeBinary escapes too.
 */
const JSON_UNSAFE = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * JSON for a terminal: JSON.stringify escapes the C0 controls itself; the rest of the controls
 * are written as `\u009b` escapes too, so the document reads back to the same values and no raw
 * control character reaches the screen. Every JSON the tool prints goes through here.
 */
export function stringifyJson(value: unknown, indent: number | undefined = 2): string {
  const escape = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
  return JSON.stringify(value, null, indent).replace(JSON_UNSAFE, escape);
}

/** Same as escapeBinary, for an already-decoded JS string. */
export function escapeText(text: string): string {
  return escapeBinary(textToBinary(text));
}

function escapeAsciiByte(b: number): string {
  switch (b) {
    case 0x00:
      return "\\0";
    case 0x09:
      return "\\t";
    case 0x0a:
      return "\\n";
    case 0x0d:
      return "\\r";
    case 0x5c:
      return "\\";
    default:
      if (b < 0x20 || b === 0x7f) return `\\x${b.toString(16).padStart(2, "0")}`;
      return String.fromCharCode(b);
  }
}

/** Length of the valid UTF-8 sequence starting at i, or 0 when it is not valid. */
function utf8SequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i]!;
  let len: number;
  let min: number;
  if (b >= 0xc2 && b <= 0xdf) [len, min] = [2, 0x80];
  else if (b >= 0xe0 && b <= 0xef) [len, min] = [3, 0x800];
  else if (b >= 0xf0 && b <= 0xf4) [len, min] = [4, 0x10000];
  else return 0;
  if (i + len > bytes.length) return 0;
  let cp = b & (0xff >> (len + 1));
  for (let k = 1; k < len; k++) {
    const c = bytes[i + k]!;
    if ((c & 0xc0) !== 0x80) return 0;
    cp = (cp << 6) | (c & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return len;
}
