/** Every CLI command, in the order `--help` lists them. Each module owns one command family. */
import type { Command } from "commander";
import type { CliContext } from "../main.js";
import { register as parse } from "./parse.js";
import { register as ls } from "./ls.js";
import { register as check } from "./check.js";
import { register as edit } from "./edit.js";
import { register as tmpfs } from "./tmpfs.js";
import { register as execShutdown } from "./exec-shutdown.js";
import { register as initctl } from "./initctl.js";

export type Register = (program: Command, ctx: CliContext) => void;

export const COMMANDS: Register[] = [parse, ls, check, edit, tmpfs, execShutdown, initctl];
