import type { Command } from "commander";
import type { CliContext } from "../main.js";

// Placeholder until this command family lands.
export function register(_program: Command, _ctx: CliContext): void {}
