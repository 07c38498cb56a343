/**
 * `--validate 'CMD %s'`: a user command run on the temporary file before it replaces the
 * target, as visudo and Ansible's `validate` do. It is split into words here and run without a
 * shell, so the file name can never be read as shell syntax.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { escapeText } from "../base/bytes.js";
import { validationError, writeError } from "./errors.js";

/**
 * Split a command line into words the way a POSIX shell would for plain words: blanks
 * separate, '…' is literal, "…" allows \" \\ \$ \` escapes, a backslash outside quotes escapes
 * the next character. No expansion of any kind happens.
 */
export function splitCommand(command: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let i = 0;
  while (i < command.length) {
    const c = command[i]!;
    if (c === " " || c === "\t" || c === "\n") {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
      i++;
    } else if (c === "'") {
      const end = command.indexOf("'", i + 1);
      if (end === -1) throw new Error("unterminated single quote");
      word += command.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      i++;
      for (;;) {
        if (i >= command.length) throw new Error("unterminated double quote");
        const d = command[i]!;
        if (d === '"') break;
        if (d === "\\" && i + 1 < command.length && '"\\$`'.includes(command[i + 1]!)) {
          word += command[i + 1];
          i += 2;
        } else {
          word += d;
          i++;
        }
      }
      inWord = true;
      i++;
    } else if (c === "\\") {
      if (i + 1 >= command.length) throw new Error("a backslash at the end");
      word += command[i + 1];
      inWord = true;
      i += 2;
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** The argv to run: every `%s` replaced by the file. Throws when the command is unusable. */
export function validateArgv(command: string, file: string, path = file): string[] {
  let words: string[];
  try {
    words = splitCommand(command);
  } catch (err) {
    throw writeError("invalid-option", path, `\`validate\`: ${(err as Error).message}`);
  }
  if (words.length === 0) throw writeError("invalid-option", path, "`validate`: the command is empty");
  if (!words.some((w) => w.includes("%s"))) {
    throw writeError("invalid-option", path, "`validate`: the command must contain %s (where the new file goes)");
  }
  return words.map((w) => w.replaceAll("%s", file));
}

/**
 * Run the validate command on `file` (the temporary copy). Resolves when it exits 0; throws
 * an InittabError "validation-failed" (with its stderr) otherwise. `path` is the target, for messages.
 */
export function runValidator(command: string, file: string, path: string): void {
  const [cmd, ...args] = validateArgv(command, file, path);
  const r = spawnSync(cmd!, args, { shell: false, stdio: ["ignore", "pipe", "pipe"], maxBuffer: 1 << 20 });
  const stderr = r.stderr ? r.stderr.toString("utf8") : "";
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "command not found" : code === "EACCES" ? "permission denied" : r.error.message;
    throw validationError(
      path,
      `\`validate\`: cannot run ${escapeText(cmd!)}: ${why}; nothing was written`,
      null,
      stderr,
    );
  }
  if (r.status !== 0) {
    const how = r.status === null ? `was killed by ${r.signal}` : `exited with status ${r.status}`;
    throw validationError(path, `\`validate\`: ${escapeText(cmd!)} ${how}; nothing was written`, r.status, stderr);
  }
}

/**
 * Run the validate command on content the safe writer does not install (the edit commands'
 * `-f -`, `--diff` and `--check`): it is written to a private temporary directory, named like
 * the target, and removed afterwards. `path` is the target, for messages.
 */
export function validateBytes(command: string, data: Uint8Array, path: string, name = basename(path)): void {
  // An unusable command is refused before anything is written.
  validateArgv(command, path, path);
  const dir = mkdtempSync(join(tmpdir(), "inittab-validate-"));
  try {
    const file = join(dir, name === "" || name === "-" ? "inittab" : name);
    writeFileSync(file, data, { mode: 0o600, flag: "wx" });
    runValidator(command, file, path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
