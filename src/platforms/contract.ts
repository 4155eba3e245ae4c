// What every chat platform gives the rest of the tool, and nothing more: its id, its own
// configuration (variables, their documentation, the settings they make), how it starts and stops,
// how it posts a text and files to a configured destination (the weekly digest), and how long a
// message may be on it. The registry (registry.ts) lists the platforms; start-up, the digest,
// `report --scope`, `trainee delete` and `config check` read them from there, so adding a platform
// is a new folder under src/platforms/ plus one line in the registry (docs/platforms.md).
import type { z } from "zod";
import type { App } from "../app.ts";
import type { Config } from "../config.ts";
import type { Language } from "../domain/persona.ts";

export { isPlatformId, PLATFORM_ID } from "../domain/session.ts";

/** One environment variable a platform reads, with the sentence `.env.example` and the docs show. */
export interface PlatformVariable {
  /** Parses the raw text (undefined when unset); its messages say what is expected, never the value. */
  schema: z.ZodType;
  /** What the variable does, in one or two sentences. */
  doc: string;
  /** Its value is never printed (tokens, secrets). */
  secret?: boolean;
}

/** A file posted with a text (the digest's HTML report). */
export interface PlatformFile {
  name: string;
  content: Buffer;
}

/** How a platform counts a message's length against its limit. */
export type LengthUnit = "utf16" | "utf8";

/** A platform while it runs. */
export interface RunningPlatform {
  /** Stops taking messages and lets the turns in flight finish. */
  stop(): Promise<void>;
  /**
   * Posts a text (already within the platform's limit) and files to a destination the operator
   * configured, e.g. a channel or chat id. Absent: the platform cannot post unprompted.
   */
  post?(destination: string, text: string, files: PlatformFile[]): Promise<void>;
  /**
   * False when another process does the engine's background work (resuming interrupted turns,
   * idle timeouts, due evaluations) and the digest: a Discord shard other than shard 0.
   */
  runsBackground?: boolean;
}

/** What a platform's own command gets: the configuration (defaults when only help is asked) and the streams. */
export interface PlatformCommandContext {
  config: Config;
  out(line: string): void;
  err(line: string): void;
}

/** What adapters are started with: the assembled app, and their own settings. */
export type PlatformApp = App;

export interface PlatformAdapter<S = unknown> {
  /** The id in trainee ids and places ("telegram:12345"); matches PLATFORM_ID. */
  readonly id: string;
  /** The name people read ("Telegram"). */
  readonly name: string;
  /** Its own environment variables, by name (prefixed with the platform's name). */
  readonly variables: Readonly<Record<string, PlatformVariable>>;
  /**
   * Its settings from its parsed variables, or null when it is not configured (not started).
   * Problems that involve several variables are reported through `problem`.
   */
  settings(vars: Readonly<Record<string, unknown>>, problem: (variable: string, expected: string) => void): S | null;
  /** The longest message it takes, in `lengthUnit`s. */
  readonly textLimit: number;
  readonly lengthUnit: LengthUnit;
  /**
   * What its scope ids are (a server, a group), for `report --scope ID:SCOPE`: the placeholder and
   * the noun in each language. Absent: it has no places to report on (the terminal).
   */
  readonly scope?: Readonly<Record<Language, { placeholder: string; noun: string }>>;
  /** Example user id, for messages that show what a trainee id looks like. */
  readonly exampleUserId: string;
  /** The variable that names where the digest goes, and its value in the settings (null: unset). */
  readonly digest?: { variable: string; destination(settings: S): string | null };
  /**
   * Its own command line: `roleplay <id> ...` (e.g. `roleplay discord deploy-commands`), with the
   * lines `roleplay --help` shows for it in each language.
   */
  readonly command?: {
    usage: Readonly<Record<Language, string>>;
    run(args: string[], ctx: PlatformCommandContext): Promise<number>;
  };
  /** Starts it; absent for a platform that `roleplay start` does not run (the terminal). */
  start?(app: PlatformApp, settings: S): Promise<RunningPlatform>;
}

/** A platform's settings in a configuration (null when it is not configured there). */
export function settingsOf<S>(
  config: { platforms: Readonly<Record<string, unknown>> },
  adapter: PlatformAdapter<S>,
): S | null {
  return (config.platforms[adapter.id] as S | undefined) ?? null;
}

/** A message's length in a platform's unit. */
export function measure(text: string, unit: LengthUnit): number {
  return unit === "utf8" ? Buffer.byteLength(text, "utf8") : text.length;
}
