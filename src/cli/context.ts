// What every command gets: configuration (loaded lazily, so `--help` works with a broken .env),
// output streams, the language for the tool's own words, and factories for the store, catalogue
// and LLM.
import { EXIT_USAGE, RoleplayError } from "../errors/index.ts";
import { errorMessages } from "../errors/messages.ts";
import { type Catalogue, formatProblem, loadCatalogue } from "../catalogue/index.ts";
import { type Config, ConfigError, loadConfig, readEnvironment } from "../config.ts";
import type { Language } from "../domain/persona.ts";
import { languageFromLocale } from "../i18n/index.ts";
import { cliText } from "./messages.ts";
import type { LlmPort } from "../llm/port.ts";
import type { Store } from "../store/port.ts";

export interface CliContext {
  /** Throws ConfigError (with every wrong variable) when the configuration is invalid. */
  config(): Config;
  /** `--personas DIR`: overrides PERSONAS_DIR for this run (before the configuration is read). */
  usePersonasDir(dir: string): void;
  out(line: string): void;
  err(line: string): void;
  language: Language;
  openStore(): Promise<Store>;
  loadCatalogue(dirs?: { personasDir?: string; promptsDir?: string }): Catalogue;
  /** Throws when no model is configured (see Config.llmMissing). */
  createLlm(sink?: Store | null): LlmPort | Promise<LlmPort>;
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  /** Whether stdin is a terminal (interactive). */
  interactive: boolean;
}

/**
 * A reader that stops early (`roleplay personas show ID | head`) closes the pipe: that is the
 * reader's choice, not a failure, so the command ends quietly instead of dying with EPIPE.
 */
export function endQuietlyOnClosedPipes(streams: NodeJS.WritableStream[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) {
    stream.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
}

/** A user error whose message is already in the user's language: printed as is, exit code 1. */
export class UserError extends RoleplayError {
  readonly code: string = "user_error";
  localized(language: Language): string {
    return errorMessages(language).userError(this.message);
  }
}

/** A usage error, already in the user's language: printed with the command's usage, exit code 2. */
export class UsageError extends RoleplayError {
  readonly code: string = "usage";
  override readonly exitCode = EXIT_USAGE;
  localized(language: Language): string {
    return errorMessages(language).usage(this.message);
  }
}

export function createCliContext(
  env: Record<string, string | undefined> = readEnvironment(),
  io: { stdin?: NodeJS.ReadableStream; stdout?: NodeJS.WritableStream; stderr?: NodeJS.WritableStream } = {},
): CliContext {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const stdin = io.stdin ?? process.stdin;
  let cached: Config | null = null;
  let personasDir: string | undefined;
  const language: Language =
    env.BOT_LANGUAGE === "en" || env.BOT_LANGUAGE === "zh-CN"
      ? env.BOT_LANGUAGE
      : (languageFromLocale(env.LC_ALL ?? env.LANG) ?? "zh-CN");
  const ctx: CliContext = {
    config() {
      cached ??= loadConfig(personasDir === undefined ? env : { ...env, PERSONAS_DIR: personasDir });
      return cached;
    },
    usePersonasDir(dir) {
      personasDir = dir;
      cached = null;
    },
    out: (line) => stdout.write(`${line}\n`),
    err: (line) => stderr.write(`${line}\n`),
    language,
    // The database drivers and the model SDK load only for the commands that use them: --help and
    // the catalogue commands start faster without them.
    openStore: async () =>
      (await import("../store/index.ts")).openStore(ctx.config().databaseUrl, {
        poolMax: ctx.config().databasePoolMax,
      }),
    loadCatalogue(dirs = {}) {
      const config = ctx.config();
      return loadCatalogue({
        personasDir: dirs.personasDir ?? config.personasDir,
        promptsDir: dirs.promptsDir ?? config.promptsDir,
      });
    },
    async createLlm(sink = null) {
      const config = ctx.config();
      if (!config.llm) throw new UserError(cliText(language).llmMissing(config.llmMissing.join(", ")));
      return (await import("../llm/openai.ts")).createOpenAiLlm(config.llm, sink);
    },
    stdin,
    stdout,
    interactive: Boolean((stdin as NodeJS.ReadStream).isTTY),
  };
  return ctx;
}

export { ConfigError, formatProblem };
