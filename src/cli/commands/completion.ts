/** `inittab completion bash|zsh|fish`: the shell completion script, made from the command definitions. */
import { Argument, type Command } from "commander";
import type { CliContext } from "../context.js";

export function register(program: Command, _ctx: CliContext): void {
  program
    .command("completion")
    .description('print the completion script for a shell (bash: eval "$(inittab completion bash)")')
    .addArgument(new Argument("<shell>", "the shell").choices(["bash", "zsh", "fish"]))
    .action(async (shell: "bash" | "zsh" | "fish") => {
      const { fullProgram } = await import("../program.js");
      const { completionScript } = await import("../reference.js");
      process.stdout.write(completionScript(await fullProgram(), shell));
    });
}
