// Argument parsing for every command: node's own `parseArgs` (strict), with its English
// developer-facing errors turned into one sentence in the user's language that names the option
// and points at the command's --help.
import { type ParseArgsConfig, parseArgs } from "node:util";
import type { Language } from "../domain/persona.ts";
import { UsageError } from "./context.ts";
import { cliText } from "./messages.ts";

type Options = NonNullable<ParseArgsConfig["options"]>;

const HELP = { help: { type: "boolean", short: "h" } } as const;

/** Thrown for arguments the command does not take: the message is ready for the user. */
export class ArgsError extends UsageError {
  constructor(message: string) {
    super(message);
    this.name = "ArgsError";
  }
}

/**
 * Parses `argv` for a command that takes `options` (and always `--help`/`-h`), positionals allowed.
 * `command` is how the user calls it ("roleplay evaluate"), for the pointer to its help.
 */
export function parseCommandArgs<const O extends Options>(
  argv: string[],
  options: O,
  command: string,
  language: Language,
) {
  try {
    const config = { args: argv, options: { ...HELP, ...options }, strict: true, allowPositionals: true } as const;
    const parsed = parseArgs<{ args: string[]; options: typeof HELP & O; strict: true; allowPositionals: true }>(
      config,
    );
    return { ...parsed, help: (parsed.values as { help?: boolean }).help === true };
  } catch (e) {
    throw new ArgsError(describeArgsError(e, options, command, language));
  }
}

function describeArgsError(e: unknown, options: Options, command: string, language: Language): string {
  const t = cliText(language);
  const code = (e as { code?: string }).code;
  const message = e instanceof Error ? e.message : String(e);
  // parseArgs names the option in quotes ("Unknown option '--bogus'", "Option '--file <value>' ...").
  const named = /'(-[^' ]+)/.exec(message)?.[1] ?? "";
  const long = named.startsWith("--") ? named.slice(2) : shortToLong(named.slice(1), options);
  const spec = long ? (options as Record<string, { type: string }>)[long] : undefined;
  const option = long ? `--${long}` : named;
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") return withHelp(t.unknownOption(named), command, language);
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    return withHelp(spec?.type === "boolean" ? t.takesNoValue(option) : t.needsValue(option), command, language);
  }
  if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") return withHelp(t.unexpectedArgument, command, language);
  return withHelp(message, command, language);
}

function withHelp(sentence: string, command: string, language: Language): string {
  // Chinese sentences follow each other without a space.
  return `${sentence}${language === "en" ? " " : ""}${cliText(language).seeHelp(command)}`;
}

function shortToLong(short: string, options: Options): string | undefined {
  if (short === "h") return "help";
  return Object.entries(options).find(([, o]) => o.short === short)?.[0];
}

/**
 * Takes the global `--personas DIR` out of the arguments (any position, before any `--`), so every
 * command accepts it without declaring it. Returns the directory (the last one given) and the rest.
 */
export function takePersonasOption(
  argv: string[],
  language: Language,
): { personasDir: string | undefined; rest: string[] } {
  const { tokens } = parseArgs({
    args: argv,
    options: { personas: { type: "string" } },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const drop = new Set<number>();
  let personasDir: string | undefined;
  for (const token of tokens) {
    if (token.kind === "option-terminator") break;
    if (token.kind !== "option" || token.name !== "personas") continue;
    if (token.value === undefined || token.value === "" || (!token.inlineValue && token.value.startsWith("-"))) {
      throw new ArgsError(withHelp(cliText(language).needsValue("--personas"), "roleplay", language));
    }
    personasDir = token.value;
    drop.add(token.index);
    if (!token.inlineValue) drop.add(token.index + 1);
  }
  return { personasDir, rest: argv.filter((_, i) => !drop.has(i)) };
}
