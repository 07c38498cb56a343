/**
 * The man page and the shell completions, made from the same commander definitions as --help:
 * every command, argument and option, with the texts commander's own Help prints (usage lines,
 * option terms, descriptions with choices and defaults). A flag added to a command appears in all
 * three at once.
 */
import { Help, type Command, type Option } from "commander";
import { VERSION } from "../base/version.js";
import { CONFIG_FILE_NAME } from "../inputs/config.js";

const help = new Help();

/** Every command below `program`, depth first, with its full name (`initctl encode`). */
function commandsOf(program: Command): Array<{ name: string; cmd: Command }> {
  const out: Array<{ name: string; cmd: Command }> = [];
  const walk = (cmd: Command, prefix: string): void => {
    for (const sub of cmd.commands) {
      if ((sub as Command & { _hidden?: boolean })._hidden) continue;
      const name = prefix === "" ? sub.name() : `${prefix} ${sub.name()}`;
      out.push({ name, cmd: sub });
      walk(sub, name);
    }
  };
  walk(program, "");
  return out;
}

/** Options a command shows, without commander's own --help. */
function optionsOf(cmd: Command): Option[] {
  return help.visibleOptions(cmd).filter((o) => o.long !== "--help");
}

// ---------------------------------------------------------------------------------------------
// man page (roff, man macros)

/** Text for roff: backslashes and hyphens escaped, no line starting with a control character. */
function roff(text: string): string {
  return text
    .replace(/\\/g, "\\e")
    .replace(/-/g, "\\-")
    .replace(/`([^`]+)`/g, "\\fB$1\\fR")
    .split("\n")
    .map((l) => (/^[.']/.test(l) ? `\\&${l}` : l))
    .join("\n");
}

/** `-f, --format <format>` with the flags bold and the value italic. */
function roffTerm(term: string): string {
  return term
    .split(/(<[^>]+>|\[[^\]]+\])/)
    .map((part) => {
      if (part === "") return "";
      if (/^[<[]/.test(part)) return `\\fI${roff(part)}\\fR`;
      return part
        .split(/(,\s*)/)
        .map((p) => (/^,/.test(p) ? p : p.trim() === "" ? p : `\\fB${roff(p)}\\fR`))
        .join("");
    })
    .join("");
}

function optionsSection(cmd: Command): string {
  let out = "";
  for (const o of optionsOf(cmd)) out += `.TP\n${roffTerm(help.optionTerm(o))}\n${roff(help.optionDescription(o))}\n`;
  return out;
}

/** The man page, inittab(1). */
export function manPage(program: Command): string {
  let out = `.TH INITTAB 1 "" "inittab ${VERSION}" "User Commands"\n`;
  out += `.SH NAME\ninittab \\- ${roff("read, check and safely edit /etc/inittab (SysV init and BusyBox init)")}\n`;
  out += ".SH SYNOPSIS\n.B inittab\n[\\fIglobal options\\fR] \\fIcommand\\fR [\\fIoptions\\fR] [\\fIarguments\\fR]\n";
  out += `.SH DESCRIPTION\n${roff(
    "inittab predicts what the target init (sysvinit 2.88, 3.06, 3.14 or BusyBox init) does with each line of an " +
      "inittab, lists its entries, and edits it with minimal, idempotent changes that are validated before an atomic " +
      "write. It never runs the commands of an inittab.",
  )}\n`;
  out += `.SH GLOBAL OPTIONS\n${optionsSection(program)}`;
  out += ".SH COMMANDS\n";
  for (const { name, cmd } of commandsOf(program)) {
    const usage = `inittab ${name} ${cmd.usage()}`.trim();
    out += `.SS "${roff(usage).replace(/"/g, "\\(dq")}"\n${roff(cmd.description())}\n`;
    const args = help.visibleArguments(cmd);
    for (const a of args) out += `.TP\n\\fI${roff(help.argumentTerm(a))}\\fR\n${roff(help.argumentDescription(a))}\n`;
    out += optionsSection(cmd);
    const after = (cmd as Command & { _helpAfter?: string })._helpAfter;
    if (after) out += `.PP\n${roff(after.trim())}\n`;
  }
  out += ".SH EXIT STATUS\n.TP\n0\nno errors (check), done or already so (edits)\n";
  out +=
    ".TP\n1\nfindings at or above \\fB\\-\\-fail\\-on\\fR (check); refused, nothing changed (edits); " +
    "\\fB\\-\\-check\\fR with a change to make\n";
  out += ".TP\n2\nunusable input or arguments: a one\\-line error naming the file\n";
  out +=
    ".SH FILES\n.TP\n/etc/inittab, /etc/inittab.d/*.tab\nread by \\fBcheck\\fR, \\fBls\\fR and the edits by default " +
    "(under \\fB\\-\\-root\\fR \\fIDIR\\fR: \\fIDIR\\fR/etc/inittab)\n";
  out +=
    `.TP\n${roff(CONFIG_FILE_NAME)}\nsettings of \\fBcheck\\fR (rules, \\fB\\-\\-fail\\-on\\fR, dialect), ` +
    "found from each checked file's directory upwards; see docs/configuration.md\n";
  out += ".SH SEE ALSO\n.BR init (8),\n.BR inittab (5),\n.BR telinit (8)\n";
  return out;
}

// ---------------------------------------------------------------------------------------------
// completions

export const SHELLS = ["bash", "zsh", "fish"] as const;
export type Shell = (typeof SHELLS)[number];

/** What an option's value is completed with: its choices, files, directories, or nothing. */
function valueKind(o: Option): { choices: readonly string[] } | "file" | "dir" | "none" | "other" {
  if (!o.required && !o.optional) return "none";
  if (o.argChoices) return { choices: o.argChoices };
  const term = o.flags;
  if (/<dir>/.test(term)) return "dir";
  if (/<(path|file)>/.test(term)) return "file";
  return "other";
}

function flagsOf(o: Option): string[] {
  return [o.short, o.long].filter((f): f is string => f !== undefined);
}

const sq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

function bash(program: Command): string {
  const commands = commandsOf(program);
  const top = program.commands.map((c) => c.name());
  const globalsWithValue = optionsOf(program)
    .filter((o) => valueKind(o) !== "none")
    .flatMap(flagsOf);
  const cases: string[] = [];
  const valueCases = new Map<string, string>();
  const addValues = (o: Option): void => {
    const kind = valueKind(o);
    let action: string | undefined;
    if (typeof kind === "object") action = `COMPREPLY=($(compgen -W ${sq(kind.choices.join(" "))} -- "$cur"))`;
    else if (kind === "file") action = `COMPREPLY=($(compgen -f -- "$cur"))`;
    else if (kind === "dir") action = `COMPREPLY=($(compgen -d -- "$cur"))`;
    else if (kind === "other") action = "COMPREPLY=()";
    if (action) for (const f of flagsOf(o)) valueCases.set(f, action);
  };
  for (const o of optionsOf(program)) addValues(o);
  for (const { name, cmd } of commands) {
    for (const o of optionsOf(cmd)) addValues(o);
    const words = [...optionsOf(cmd).flatMap(flagsOf), ...cmd.commands.map((c) => c.name())].join(" ");
    cases.push(`    ${sq(name)}) words=${sq(words)} ;;`);
  }
  const byAction = new Map<string, string[]>();
  for (const [flag, action] of valueCases) byAction.set(action, [...(byAction.get(action) ?? []), flag]);
  const valueBranch = [...byAction].map(([action, flags]) => `    ${flags.join("|")}) ${action}; return ;;`).join("\n");
  return `# bash completion for inittab (inittab completion bash), made from the command definitions.
_inittab() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
  local cmd="" words="" i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in
      ${globalsWithValue.join("|")}) ((i++)) ;;
      -*) ;;
      *)
        if [[ -z $cmd ]]; then cmd="\${COMP_WORDS[i]}"
        elif [[ $cmd == initctl ]]; then cmd="initctl \${COMP_WORDS[i]}"; break
        else break
        fi ;;
    esac
  done
  case "$prev" in
${valueBranch}
  esac
  case "$cmd" in
    '') words=${sq([...optionsOf(program).flatMap(flagsOf), ...top].join(" "))} ;;
${cases.join("\n")}
  esac
  if [[ $cur == -* || -z $cmd || $cmd == initctl ]]; then
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -F _inittab inittab
`;
}

function zsh(program: Command): string {
  // zsh runs the bash completion through its bashcompinit layer: one definition for both.
  return `#compdef inittab
# zsh completion for inittab (inittab completion zsh), made from the command definitions.
autoload -U +X bashcompinit && bashcompinit
${bash(program).split("\n").slice(1).join("\n")}`;
}

function fish(program: Command): string {
  const lines = [
    "# fish completion for inittab (inittab completion fish), made from the command definitions.",
    "complete -c inittab -f",
  ];
  const top = program.commands.map((c) => c.name());
  const optionLine = (o: Option, condition: string): string => {
    const parts = [`complete -c inittab -n ${sq(condition)}`];
    if (o.short) parts.push(`-s ${o.short.replace(/^-/, "")}`);
    if (o.long) parts.push(`-l ${o.long.replace(/^--/, "")}`);
    const kind = valueKind(o);
    if (typeof kind === "object") parts.push(`-x -a ${sq(kind.choices.join(" "))}`);
    else if (kind === "file" || kind === "dir") parts.push("-r -F");
    else if (kind === "other") parts.push("-x");
    parts.push(`-d ${sq(o.description.split("\n")[0]!.slice(0, 80))}`);
    return parts.join(" ");
  };
  for (const o of optionsOf(program)) lines.push(optionLine(o, "true"));
  for (const c of program.commands) {
    const first = sq(`not __fish_seen_subcommand_from ${top.join(" ")}`);
    lines.push(`complete -c inittab -n ${first} -a ${sq(c.name())} -d ${sq(c.description().slice(0, 80))}`);
  }
  for (const { name, cmd } of commandsOf(program)) {
    const words = name.split(" ");
    const condition =
      words.length === 1
        ? `__fish_seen_subcommand_from ${words[0]}`
        : `__fish_seen_subcommand_from ${words[0]}; and __fish_seen_subcommand_from ${words[1]}`;
    for (const o of optionsOf(cmd)) lines.push(optionLine(o, condition));
    for (const sub of cmd.commands) {
      const subs = cmd.commands.map((c) => c.name()).join(" ");
      const when = sq(`__fish_seen_subcommand_from ${name}; and not __fish_seen_subcommand_from ${subs}`);
      lines.push(`complete -c inittab -n ${when} -a ${sq(sub.name())} -d ${sq(sub.description().slice(0, 80))}`);
    }
    // Commands that read or edit files take file names as operands.
    if (cmd.commands.length === 0) lines.push(`complete -c inittab -n ${sq(condition)} -F`);
  }
  return `${lines.join("\n")}\n`;
}

export function completionScript(program: Command, shell: Shell): string {
  return shell === "bash" ? bash(program) : shell === "zsh" ? zsh(program) : fish(program);
}
