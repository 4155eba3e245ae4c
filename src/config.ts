// Configuration from environment variables (the real environment wins over `.env`), validated
// with zod. Errors name every wrong variable and what it expects, and never print a value of a
// secret.
import fs from "node:fs";
import path from "node:path";
import { parse as parseDotenv } from "dotenv";
import { z } from "zod";
import { LANGUAGES, type Language } from "./domain/persona.ts";
import { isTimeZone, processTimeZone } from "./i18n/dates.ts";

const SECRET_NAMES = new Set([
  "LLM_API_KEY",
  "CUSTOMER_API_KEY",
  "JUDGE_API_KEY",
  "OPENAI_API_KEY",
  "TELEGRAM_BOT_TOKEN",
  "TELEGRAM_WEBHOOK_SECRET",
  "DISCORD_TOKEN",
  "DATABASE_URL",
]);

const baseUrl = z.url({ protocol: /^https?$/, error: "an http(s) URL, e.g. http://localhost:11434/v1" });
const optionalText = z
  .string()
  .trim()
  .transform((s) => (s === "" ? undefined : s))
  .optional();
const optionalUrl = z
  .string()
  .trim()
  .optional()
  .transform((s) => (s === "" ? undefined : s))
  .pipe(baseUrl.optional());
const int = (def: number, min: number, max: number) =>
  z.coerce
    .number({ error: `a whole number between ${min} and ${max}` })
    .int({ error: `a whole number between ${min} and ${max}` })
    .min(min, { error: `a whole number between ${min} and ${max}` })
    .max(max, { error: `a whole number between ${min} and ${max}` })
    .default(def);
const temperature = z
  .string()
  .trim()
  .optional()
  .transform((s, ctx) => {
    if (s === undefined || s === "") return undefined;
    if (s === "none") return null;
    const n = Number(s);
    if (!Number.isFinite(n) || n < 0 || n > 2) {
      ctx.addIssue({ code: "custom", message: 'a number from 0 to 2, or "none" to send no temperature' });
      return z.NEVER;
    }
    return n;
  });
const idList = z
  .string()
  .trim()
  .optional()
  .transform((s) =>
    (s ?? "")
      .split(/[\s,]+/)
      .map((x) => x.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().regex(/^-?\d+$/, "a comma-separated list of numeric ids")));
const bool = (def: boolean) =>
  z
    .string()
    .trim()
    .optional()
    .transform((s) => (s === undefined || s === "" ? String(def) : s))
    .pipe(z.stringbool({ error: "true or false" }));

/** Every variable the tool reads. `.env.example` documents each one. */
export const EnvSchema = z.object({
  LLM_BASE_URL: optionalUrl,
  LLM_API_KEY: optionalText,
  LLM_MODEL: optionalText,
  OPENAI_BASE_URL: optionalUrl,
  OPENAI_API_KEY: optionalText,
  CUSTOMER_BASE_URL: optionalUrl,
  CUSTOMER_API_KEY: optionalText,
  CUSTOMER_MODEL: optionalText,
  CUSTOMER_TEMPERATURE: temperature,
  JUDGE_BASE_URL: optionalUrl,
  JUDGE_API_KEY: optionalText,
  JUDGE_MODEL: optionalText,
  JUDGE_TEMPERATURE: temperature,
  LLM_TIMEOUT_MS: int(60_000, 1_000, 600_000),
  LLM_MAX_RETRIES: int(2, 0, 10),
  LLM_MAX_RETRY_AFTER_MS: int(20_000, 0, 600_000),
  LLM_STRUCTURED_OUTPUT: z
    .string()
    .trim()
    .optional()
    .transform((s) => (s === undefined || s === "" ? "json_schema" : s))
    .pipe(z.enum(["json_schema", "json_object"], { error: "json_schema or json_object" })),
  DATABASE_URL: optionalText,
  DATABASE_POOL_MAX: int(10, 1, 1_000),
  PERSONAS_DIR: optionalText,
  PROMPTS_DIR: optionalText,
  BOT_LANGUAGE: z
    .string()
    .trim()
    .optional()
    .transform((s) => (s === undefined || s === "" ? "zh-CN" : s))
    .pipe(z.enum(LANGUAGES, { error: "zh-CN or en" })),
  TIME_ZONE: z
    .string()
    .trim()
    .optional()
    .transform((s) => (s === undefined || s === "" ? processTimeZone() : s))
    .refine(isTimeZone, { error: "an IANA time zone name, e.g. Asia/Shanghai or Europe/London" }),
  LOG_LEVEL: z
    .string()
    .trim()
    .optional()
    .transform((s) => (s === undefined || s === "" ? "info" : s.toLowerCase()))
    .pipe(z.enum(["debug", "info", "warn", "error", "silent"], { error: "debug, info, warn, error or silent" })),
  SESSION_IDLE_MINUTES: int(30, 1, 10_080),
  LEASE_SECONDS: int(30, 1, 600),
  SWEEP_SECONDS: int(60, 1, 3_600),
  CUSTOMER_REPLY_MAX_CHARS: int(300, 50, 20_000),
  EVAL_MIN_TRAINEE_TURNS: int(2, 0, 100),
  EVAL_MAX_ATTEMPTS: int(6, 1, 50),
  JUDGE_SAMPLES: int(1, 1, 9),
  EVAL_RETRY_BASE_SECONDS: int(30, 1, 86_400),
  TELEGRAM_BOT_TOKEN: optionalText.pipe(
    z
      .string()
      .regex(/^\d+:[\w-]+$/, "a BotFather token like 123456:ABC-DEF...")
      .optional(),
  ),
  TELEGRAM_API_ROOT: optionalUrl,
  TELEGRAM_WEBHOOK_URL: optionalUrl,
  TELEGRAM_WEBHOOK_SECRET: optionalText,
  TELEGRAM_WEBHOOK_PORT: int(8080, 1, 65_535),
  TELEGRAM_MANAGER_IDS: idList,
  TELEGRAM_TRAINER_IDS: idList,
  TELEGRAM_GROUP_ADMINS_ARE_MANAGERS: bool(true),
  DISCORD_TOKEN: optionalText,
  DISCORD_APP_ID: optionalText.pipe(z.string().regex(/^\d+$/, "the numeric application id").optional()),
  DISCORD_MANAGER_ROLE_IDS: idList,
  DISCORD_TRAINER_ROLE_IDS: idList,
  REPORT_DIGEST_CRON: optionalText,
  REPORT_DIGEST_DISCORD_CHANNEL_ID: optionalText,
  REPORT_DIGEST_TELEGRAM_CHAT_ID: optionalText,
  REPORT_DIGEST_DAYS: int(7, 1, 365),
});
export type Env = z.infer<typeof EnvSchema>;

export interface LlmRoleConfig {
  baseUrl: string;
  apiKey: string;
  model: string;
  /** null: send no temperature (reasoning models reject it). */
  temperature: number | null;
}

export interface Config {
  env: Env;
  /** null when no model is configured: the console and bots cannot run, the checks still can. */
  llm: {
    customer: LlmRoleConfig;
    judge: LlmRoleConfig;
    timeoutMs: number;
    maxRetries: number;
    maxRetryAfterMs: number;
    structuredOutput: "json_schema" | "json_object";
  } | null;
  /** What is missing for the LLM, when llm is null (variable names). */
  llmMissing: string[];
  databaseUrl: string;
  /** PostgreSQL connections per process (ignored for SQLite). */
  databasePoolMax: number;
  personasDir: string;
  promptsDir: string;
  language: Language;
  /** IANA zone for every date people read: report periods and days, history, report times. */
  timeZone: string;
  logLevel: "debug" | "info" | "warn" | "error" | "silent";
  /**
   * idleMs: a silent session is closed after this. leaseMs: how long a process's claim on a
   * session's answer or evaluation lasts without its heartbeat (a crashed process frees it within
   * this). sweepMs: how often idle sessions are closed and due evaluations run. maxReplyChars: the
   * longest customer reply shown (Chinese characters).
   */
  session: { idleMs: number; leaseMs: number; sweepMs: number; maxReplyChars: number };
  evaluation: { minTraineeTurns: number; maxAttempts: number; retryBaseMs: number; judgeSamples: number };
  telegram: {
    token: string;
    apiRoot: string | undefined;
    webhook: { url: string; secret: string | undefined; port: number } | null;
    managerIds: string[];
    trainerIds: string[];
    groupAdminsAreManagers: boolean;
  } | null;
  discord: { token: string; appId: string | undefined; managerRoleIds: string[]; trainerRoleIds: string[] } | null;
  digest: {
    cron: string;
    discordChannelId: string | undefined;
    telegramChatId: string | undefined;
    days: number;
  } | null;
}

export class ConfigError extends Error {
  readonly problems: Array<{ variable: string; expected: string }>;
  constructor(problems: Array<{ variable: string; expected: string }>) {
    super(
      `Invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.expected}`).join("\n")}\n` +
        "See .env.example for every variable and its meaning.",
    );
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/**
 * Reads `.env` (if present) under the real environment: variables already set win. Returns the
 * merged variables without touching process.env.
 */
export function readEnvironment(
  processEnv: Record<string, string | undefined> = process.env,
  dotenvPath = path.resolve(".env"),
): Record<string, string | undefined> {
  let fromFile: Record<string, string> = {};
  if (fs.existsSync(dotenvPath)) fromFile = parseDotenv(fs.readFileSync(dotenvPath));
  return { ...fromFile, ...processEnv };
}

export function loadConfig(vars: Record<string, string | undefined> = readEnvironment()): Config {
  const parsed = EnvSchema.safeParse(vars);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => ({
      variable: String(i.path[0] ?? "?"),
      // zod messages never include the input value; keep it that way for secrets.
      expected: i.message,
    }));
    throw new ConfigError(dedupe(problems));
  }
  const env = parsed.data;
  const problems: Array<{ variable: string; expected: string }> = [];

  const sharedKey = env.LLM_API_KEY ?? env.OPENAI_API_KEY;
  const sharedUrl = env.LLM_BASE_URL ?? env.OPENAI_BASE_URL ?? "https://api.openai.com/v1";
  const role = (prefix: "CUSTOMER" | "JUDGE", defTemp: number) => {
    const model = env[`${prefix}_MODEL`] ?? env.LLM_MODEL;
    const apiKey = env[`${prefix}_API_KEY`] ?? sharedKey;
    const baseUrl = env[`${prefix}_BASE_URL`] ?? sharedUrl;
    const t = env[`${prefix}_TEMPERATURE`];
    return {
      missing: { model: !model, apiKey: !apiKey, prefix },
      value: { baseUrl, apiKey: apiKey ?? "", model: model ?? "", temperature: t === undefined ? defTemp : t },
    };
  };
  const customer = role("CUSTOMER", 0.8);
  const judge = role("JUDGE", 0);
  // Each variable named once, with the per-role alternatives of the roles that lack it.
  const lacking = (what: "model" | "apiKey") =>
    [customer.missing, judge.missing].filter((m) => m[what]).map((m) => m.prefix);
  const llmMissing: string[] = [];
  const modelRoles = lacking("model");
  if (modelRoles.length > 0) llmMissing.push(`LLM_MODEL (or ${modelRoles.map((p) => `${p}_MODEL`).join(" and ")})`);
  const keyRoles = lacking("apiKey");
  if (keyRoles.length > 0) {
    llmMissing.push(`LLM_API_KEY (or OPENAI_API_KEY, or ${keyRoles.map((p) => `${p}_API_KEY`).join(" and ")})`);
  }

  let telegram: Config["telegram"] = null;
  if (env.TELEGRAM_BOT_TOKEN) {
    telegram = {
      token: env.TELEGRAM_BOT_TOKEN,
      apiRoot: env.TELEGRAM_API_ROOT,
      webhook: env.TELEGRAM_WEBHOOK_URL
        ? { url: env.TELEGRAM_WEBHOOK_URL, secret: env.TELEGRAM_WEBHOOK_SECRET, port: env.TELEGRAM_WEBHOOK_PORT }
        : null,
      managerIds: env.TELEGRAM_MANAGER_IDS,
      trainerIds: env.TELEGRAM_TRAINER_IDS,
      groupAdminsAreManagers: env.TELEGRAM_GROUP_ADMINS_ARE_MANAGERS,
    };
  } else if (env.TELEGRAM_WEBHOOK_URL) {
    problems.push({ variable: "TELEGRAM_BOT_TOKEN", expected: "required when TELEGRAM_WEBHOOK_URL is set" });
  }
  if (env.TELEGRAM_WEBHOOK_URL && !env.TELEGRAM_WEBHOOK_URL.startsWith("https://")) {
    problems.push({
      variable: "TELEGRAM_WEBHOOK_URL",
      expected: "an https:// URL (Telegram only calls https webhooks)",
    });
  }

  let discord: Config["discord"] = null;
  if (env.DISCORD_TOKEN) {
    discord = {
      token: env.DISCORD_TOKEN,
      appId: env.DISCORD_APP_ID,
      managerRoleIds: env.DISCORD_MANAGER_ROLE_IDS,
      trainerRoleIds: env.DISCORD_TRAINER_ROLE_IDS,
    };
  }

  let digest: Config["digest"] = null;
  if (env.REPORT_DIGEST_CRON) {
    if (!env.REPORT_DIGEST_DISCORD_CHANNEL_ID && !env.REPORT_DIGEST_TELEGRAM_CHAT_ID) {
      problems.push({
        variable: "REPORT_DIGEST_CRON",
        expected: "set REPORT_DIGEST_DISCORD_CHANNEL_ID or REPORT_DIGEST_TELEGRAM_CHAT_ID too (where to post)",
      });
    }
    digest = {
      cron: env.REPORT_DIGEST_CRON,
      discordChannelId: env.REPORT_DIGEST_DISCORD_CHANNEL_ID,
      telegramChatId: env.REPORT_DIGEST_TELEGRAM_CHAT_ID,
      days: env.REPORT_DIGEST_DAYS,
    };
  }

  if (problems.length > 0) throw new ConfigError(problems);

  return {
    env,
    llm:
      llmMissing.length === 0
        ? {
            customer: customer.value,
            judge: judge.value,
            timeoutMs: env.LLM_TIMEOUT_MS,
            maxRetries: env.LLM_MAX_RETRIES,
            maxRetryAfterMs: env.LLM_MAX_RETRY_AFTER_MS,
            structuredOutput: env.LLM_STRUCTURED_OUTPUT,
          }
        : null,
    llmMissing,
    databaseUrl: env.DATABASE_URL ?? "sqlite:./data/roleplay.sqlite",
    databasePoolMax: env.DATABASE_POOL_MAX,
    personasDir: path.resolve(env.PERSONAS_DIR ?? "./personas"),
    promptsDir: path.resolve(env.PROMPTS_DIR ?? "./prompts"),
    language: env.BOT_LANGUAGE,
    timeZone: env.TIME_ZONE,
    logLevel: env.LOG_LEVEL,
    session: {
      idleMs: env.SESSION_IDLE_MINUTES * 60_000,
      leaseMs: env.LEASE_SECONDS * 1000,
      sweepMs: env.SWEEP_SECONDS * 1000,
      maxReplyChars: env.CUSTOMER_REPLY_MAX_CHARS,
    },
    evaluation: {
      minTraineeTurns: env.EVAL_MIN_TRAINEE_TURNS,
      maxAttempts: env.EVAL_MAX_ATTEMPTS,
      retryBaseMs: env.EVAL_RETRY_BASE_SECONDS * 1000,
      judgeSamples: env.JUDGE_SAMPLES,
    },
    telegram,
    discord,
    digest,
  };
}

/** Whether a variable holds a secret (its value is never printed). */
export function isSecret(name: string): boolean {
  return SECRET_NAMES.has(name);
}

function dedupe<T extends { variable: string; expected: string }>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((i) => {
    const k = `${i.variable}\u0000${i.expected}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
