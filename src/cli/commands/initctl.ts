/**
 * `inittab initctl encode|decode|send`: the 384-byte requests telinit writes to init's FIFO
 * (initreq.h and telinit in init.c; docs/internals/initctl.md), built byte-identically, read back, or delivered without
 * ever hanging or writing into something that is not a FIFO. Every failure is one line, exit 2.
 */
import { statSync } from "node:fs";
import { type Command, Option } from "commander";
import type { CliContext } from "../context.js";
import { InittabError } from "../../base/errors.js";
import { naming, usageError } from "../errors.js";
import { displayPath, readInput, type GlobalOptions } from "../io.js";
import { dialectByName, SYSVINIT_2_88, type Dialect } from "../../dialects/index.js";
import { escapeText } from "../../base/bytes.js";
import {
  COMMANDS,
  decodeRequest,
  type DecodedRequest,
  encodeRequest,
  type Endian,
  hostEndian,
  type InitRequest,
  defaultFifoCandidates,
  runlevelMeaning,
  sendRequest,
  TELINIT_RUNLEVELS,
} from "../../initctl/index.js";
import { writeOutput, writeOutputJson } from "../output.js";
import { checkOutputFlags, outputWriteOptions, type WriteFlags } from "../write-options.js";
import { join } from "node:path";
import { pathInRoot } from "../../inputs/index.js";
import { stringifyJson } from "../../base/bytes.js";

interface RequestOptions {
  env?: string[];
  sleeptime?: string;
  legacy?: boolean;
}

export function register(program: Command, ctx: CliContext): void {
  const initctl = program
    .command("initctl")
    .description("build, read and send /run/initctl requests byte-identical to telinit's");

  const runlevelHelp = `one of ${TELINIT_RUNLEVELS.split("").join(" ")}, exactly as telinit accepts it`;

  outputWriteOptions(
    withRequestOptions(
      initctl
        .command("encode")
        .description("write the 384-byte request `telinit RUNLEVEL` (or `telinit -e ...`) would send")
        .argument("[runlevel]", runlevelHelp),
    ).addOption(
      new Option("--endian <order>", "byte order of the ints (default: this machine's)").choices(["little", "big"]),
    ),
    false,
  ).action(async (runlevel: string | undefined, opts: RequestOptions & WriteFlags & { endian?: Endian }) => {
    checkOutputFlags(opts);
    const globals = ctx.globals();
    const bytes = buildRequest(runlevel, opts, ctx, opts.endian ?? hostEndian());
    // Under --root the writer itself refuses what is not a regular file, without following links out.
    if (opts.output !== undefined && opts.output !== "-" && globals.root === undefined && isFifo(opts.output)) {
      const shown = displayPath(opts.output);
      const send = "`inittab initctl send`";
      throw usageError(`${shown} is a FIFO: -o writes a request file; to deliver it to init use ${send}`);
    }
    const terminal = "refusing to write a binary request to a terminal: use -o FILE or a pipe";
    const ok = opts.json
      ? await writeOutputJson(opts, bytes, globals, "initctl encode", false)
      : await writeOutput(opts, bytes, globals, terminal);
    if (!ok) ctx.exit(1);
  });

  initctl
    .command("decode")
    .description("show the fields of a request file (magic, command, runlevel, sleeptime, data)")
    .argument("[file]", "request file, or - for stdin", "-")
    .option("--json", "print JSON")
    .action((file: string, opts: { json?: boolean }) => {
      const bytes = readInput(file, ctx.globals());
      let req: DecodedRequest;
      try {
        req = decodeRequest(bytes);
      } catch (err) {
        throw err instanceof InittabError ? naming(displayPath(file), err) : err;
      }
      process.stdout.write(opts.json ? `${stringifyJson(toJson(req))}\n` : describe(req));
    });

  withRequestOptions(
    initctl
      .command("send")
      .description("send the request to init's FIFO (refuses anything but a FIFO; never waits more than 3 s)")
      .argument("[runlevel]", runlevelHelp),
  )
    .option("--fifo <path>", "init's FIFO (default /run/initctl, or /dev/initctl when only that exists)")
    .action(async (runlevel: string | undefined, opts: RequestOptions & { fifo?: string }) => {
      // init reads the ints in its own byte order: a request for this machine uses this machine's.
      const bytes = buildRequest(runlevel, opts, ctx, hostEndian());
      try {
        const fifo = fifoIn(ctx.globals(), opts.fifo);
        const sent = await sendRequest(bytes, fifo !== undefined ? { fifo } : {});
        process.stderr.write(`sent ${sent.bytes} bytes to ${escapeText(sent.path)}\n`);
      } catch (err) {
        if (err instanceof InittabError)
          throw new InittabError(err.code, escapeText(err.message), { details: err.details });
        throw err;
      }
    });
}

function withRequestOptions(cmd: Command): Command {
  return cmd
    .option(
      "-e, --env <VAR[=VAL]>",
      "SETENV request: set INIT_VAR=VAL, or unset INIT_VAR (repeatable)",
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .option("-t, --sleeptime <seconds>", "seconds between TERM and KILL that init will use (default 3)")
    .option("--legacy", "sysvinit 2.88 defaults: sleeptime 5");
}

/** The dialect whose telinit defaults apply: --legacy, else an explicit sysvinit -d, else 3.x. */
function telinitDialect(opts: RequestOptions, ctx: CliContext): Dialect | undefined {
  if (opts.legacy) return SYSVINIT_2_88;
  const name = ctx.globals().dialect;
  if (name === "auto") return undefined;
  const dialect = dialectByName(name);
  if (dialect && (dialect.fifoPath === null || dialect.telinitSleeptime === null)) {
    // BusyBox init listens to signals only; it has no FIFO and no request format.
    throw usageError(`${dialect.name} has no initctl FIFO: it is controlled with signals (${dialect.reloadHint})`);
  }
  return dialect;
}

function buildRequest(runlevel: string | undefined, opts: RequestOptions, ctx: CliContext, endian: Endian): Uint8Array {
  const dialect = telinitDialect(opts, ctx);
  let request: InitRequest;
  if (opts.env && opts.env.length > 0) {
    // telinit: a runlevel together with -e is a usage error.
    if (runlevel !== undefined) throw usageError("give either a runlevel or -e VAR[=VAL], not both");
    if (opts.sleeptime !== undefined) {
      process.stderr.write("inittab: note: telinit sends sleeptime 0 with -e; --sleeptime is ignored\n");
    }
    for (const v of opts.env) {
      // Node decodes the command line as UTF-8 and replaces bytes that are not with U+FFFD: the
      // request would carry EF BF BD where telinit sends the raw bytes.
      if (v.includes("\uFFFD")) {
        throw usageError(
          `-e "${escapeText(v)}": not valid UTF-8 (or contains U+FFFD); the bytes telinit would send cannot be reproduced`,
        );
      }
    }
    request = { command: "SETENV", vars: opts.env };
  } else {
    if (runlevel === undefined)
      throw usageError(`missing runlevel: ${TELINIT_RUNLEVELS.split("").join(" ")}, or -e VAR[=VAL]`);
    if (runlevel.length !== 1 || !TELINIT_RUNLEVELS.includes(runlevel)) {
      throw usageError(
        `bad runlevel "${escapeText(runlevel)}": telinit accepts one of ${TELINIT_RUNLEVELS.split("").join(" ")}`,
      );
    }
    request = { command: "RUNLVL", runlevel };
    if (opts.sleeptime !== undefined) request.sleeptime = parseSleeptime(opts.sleeptime);
  }
  try {
    return encodeRequest(request, { endian, ...(dialect ? { dialect } : {}) });
  } catch (err) {
    if (err instanceof InittabError) throw new InittabError(err.code, escapeText(err.message));
    throw err;
  }
}

function parseSleeptime(text: string): number {
  // Stricter than telinit's atoi: "3s" or "-1" is a mistake, not 3 or a negative delay.
  if (!/^[0-9]+$/.test(text) || Number(text) > 0x7fffffff) {
    throw usageError(`bad sleeptime "${escapeText(text)}": a whole number of seconds from 0 to 2147483647`);
  }
  return Number(text);
}

function isFifo(path: string): boolean {
  try {
    return statSync(path).isFIFO();
  } catch {
    return false;
  }
}

function hex(n: number): string {
  return `0x${(n >>> 0).toString(16).padStart(8, "0")}`;
}

function toJson(req: DecodedRequest): Record<string, unknown> {
  return {
    magic: hex(req.magic),
    endian: req.endian,
    foreignEndian: req.foreignEndian,
    cmd: req.cmd,
    command: req.command ?? null,
    handled: req.handled,
    runlevel: req.runlevel,
    runlevelChar: req.runlevelChar ?? null,
    sleeptime: req.sleeptime,
    ...(req.env ? { env: req.env, envUnterminated: req.envUnterminated ?? false } : {}),
    ...(req.bsd ? { bsd: req.bsd } : {}),
    nonZeroDataBytes: req.nonZeroDataBytes,
  };
}

/** The human-readable form; every string from the file is escaped for the terminal. */
function describe(req: DecodedRequest): string {
  const lines: string[] = [];
  const order = req.foreignEndian
    ? `${req.endian}-endian: NOT this machine's byte order, init here would reject it as bogus`
    : `${req.endian}-endian`;
  lines.push(`magic      ${hex(req.magic)} (${order})`);
  const cmdName = req.command ? `INIT_CMD_${req.command}` : "unknown command";
  const meaning = req.command ? COMMANDS[req.command].meaning : 'init logs "got unimplemented initrequest"';
  lines.push(`command    ${req.cmd} ${cmdName}: ${meaning}`);
  const rl =
    req.runlevelChar !== undefined ? `'${escapeText(req.runlevelChar)}' (${req.runlevel})` : String(req.runlevel);
  if (req.command === "RUNLVL") {
    lines.push(
      `runlevel   ${rl}: ${req.runlevelChar !== undefined ? runlevelMeaning(req.runlevelChar) : "not a character"}`,
    );
  } else {
    lines.push(`runlevel   ${rl}`);
  }
  lines.push(
    `sleeptime  ${req.sleeptime} s between TERM and KILL${req.command === "SETENV" ? " (init does not use it for SETENV)" : ""}`,
  );
  if (req.env) {
    if (req.env.length === 0) lines.push("env        (none)");
    for (const [i, v] of req.env.entries()) {
      const eq = v.indexOf("=");
      const action = eq === -1 ? "unset" : "set";
      const honoured = v.startsWith("INIT_") ? "" : " (ignored by init: name does not start with INIT_)";
      lines.push(`${i === 0 ? "env        " : "           "}${action} ${escapeText(v)}${honoured}`);
    }
    if (req.envUnterminated)
      lines.push("           (list not terminated within 368 bytes: init stops at the last complete string)");
  }
  if (req.bsd) {
    const b = req.bsd;
    lines.push(
      `bsd        gen_id "${escapeText(b.gen_id)}", tty_id "${escapeText(b.tty_id)}", host "${escapeText(b.host)}"`,
    );
    lines.push(`           term_type "${escapeText(b.term_type)}", signal ${b.signal}, pid ${b.pid}`);
    lines.push(`           exec_name "${escapeText(b.exec_name)}"`);
  }
  if (req.command !== "SETENV" && req.command !== "BSD") {
    lines.push(
      req.nonZeroDataBytes === 0
        ? "data       all zero"
        : `data       ${req.nonZeroDataBytes} non-zero bytes (init ignores them)`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/**
 * The FIFO to send to: as given, or the default. Under --root, the image's, resolved inside it
 * (an init running in that image listens there): never a path outside the image.
 */
function fifoIn(globals: GlobalOptions, given: string | undefined): string | undefined {
  const root = globals.root;
  if (root === undefined) return given;
  if (given !== undefined) return pathInRoot(root, given);
  const candidates = defaultFifoCandidates();
  for (const c of candidates) {
    try {
      return pathInRoot(root, join(root, c));
    } catch {
      // Not in this image: try the next.
    }
  }
  const none = `none of ${candidates.join(", ")} exists under ${escapeText(root)}`;
  throw new InittabError("no-fifo", `no initctl FIFO in the image: ${none}`);
}
