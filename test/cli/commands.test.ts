/**
 * The CLI loads only the command module a command line needs (src/cli/commands/index.ts): the
 * table must name every command its modules register, and the command word must be found the
 * way commander finds it, past the global options and their values.
 */
import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { COMMAND_MODULES, modulesFor } from "../../src/cli/commands/index.js";
import { commandName } from "../../src/cli/main.js";
import type { CliContext } from "../../src/cli/context.js";
import { cli } from "./in-process.js";

const ctx: CliContext = { globals: () => ({ dialect: "auto" }), exit: () => undefined };

describe("the command table", () => {
  it.each(COMMAND_MODULES.map((m) => [m.names.join(", "), m] as const))(
    "%s: the module registers exactly these commands",
    async (_names, module) => {
      const program = new Command();
      (await module.load()).register(program, ctx);
      expect(program.commands.map((c) => c.name())).toEqual(module.names);
      expect(program.commands.flatMap((c) => c.aliases())).toEqual([]);
    },
  );

  it("names each command once", () => {
    const names = COMMAND_MODULES.flatMap((m) => m.names);
    expect(new Set(names).size).toBe(names.length);
  });

  it("loads only the owner of a known command, and every module otherwise", () => {
    expect(modulesFor("rm")).toEqual([COMMAND_MODULES.find((m) => m.names.includes("rm"))]);
    expect(modulesFor(undefined)).toBe(COMMAND_MODULES);
    expect(modulesFor("chekc")).toBe(COMMAND_MODULES);
  });
});

describe("commandName", () => {
  const program = new Command()
    .option("-d, --dialect <name>", "")
    .option("--root <dir>", "")
    .option("--allow-exec", "");
  it.each([
    [["check", "x"], "check"],
    [["-d", "busybox", "check"], "check"],
    [["-dbusybox", "ls"], "ls"],
    [["--dialect", "sysvinit", "--root", "/img", "add", "a:1:once:/x"], "add"],
    [["--dialect=busybox", "rm", "tty1"], "rm"],
    [["--allow-exec", "exec-shutdown"], "exec-shutdown"],
    [["--", "parse"], "parse"],
    [["--version"], undefined],
    [["-d", "busybox"], undefined],
    [[], undefined],
  ])("%j → %s", (argv, expected) => {
    expect(commandName(program, argv)).toBe(expected);
  });
});

describe("lazy loading seen from the command line", () => {
  it("still lists every command in --help and suggests one for a typo", async () => {
    const help = await cli("--help");
    for (const name of COMMAND_MODULES.flatMap((m) => m.names))
      expect(help.stdout).toMatch(new RegExp(`^  ${name}\\b`, "m"));
    const typo = await cli("chekc");
    expect(typo.status).toBe(2);
    expect(typo.stderr).toContain("(Did you mean check?)");
  });

  it("runs a command given after global options", async () => {
    const r = await cli("--dialect", "busybox", "ls", "samples/busybox-board.inittab");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("respawn");
  });
});
