// Configuration from environment variables (the real environment wins over `.env`), validated
// with zod. Errors name every wrong variable and what it expects, and never print a value of a
// secret.
import { RoleplayError } from "./errors/index.ts";
import { errorMessages } from "./errors/messages.ts";
import fs from "node:fs";
import path from "node:path";
import { parse as parseDotenv } from "dotenv";
import { z } from "zod";
import { LANGUAGES, type Language } from "./domain/persona.ts";
import { isTimeZone, processTimeZone } from "./i18n/dates.ts";
import { int, optionalText, optionalUrl } from "./config/fields.ts";
import { platforms } from "./platforms/registry.ts";

/** Shared secrets; each platform names its own (PlatformVariable.secret). */
const SECRET_NAMES = new Set(["LLM_API_KEY", "CUSTOMER_API_KEY", "JUDGE_API_KEY", "OPENAI_API_KEY", "DATABASE_URL"]);

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

/**
 * The variables every installation shares. Each platform's own are in its folder
 * (platform.ts in each folder of src/platforms); `envSchema()` composes both. `.env.example` documents each one.
 */
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
  REPORT_DIGEST_CRON: optionalText,
  REPORT_DIGEST_DAYS: int(7, 1, 365),
  ASSIGNMENT_REMINDER_HOURS: int(24, 0, 720),
  ASSIGNMENT_OVERDUE_NOTICE: z
    .string()
    .trim()
    .optional()
    .transform((s) => (s === undefined || s === "" ? "true" : s.toLowerCase()))
    .pipe(z.enum(["true", "false"], { error: "true or false" })),
  QUIET_HOURS: z
    .string()
    .trim()
    .optional()
    .transform((s) => (s === undefined || s === "" ? "22:00-08:00" : s))
    .refine((s) => s === "off" || /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/.test(s), {
      error: "HH:MM-HH:MM in TIME_ZONE (e.g. 22:00-08:00), or off",
    }),
});
/** The shared variables, parsed, and each platform's own (by name, as its schema parsed them). */
export type Env = z.infer<typeof EnvSchema> & Readonly<Record<string, unknown>>;

/** The shared variables and those of every registered platform. */
export function envSchema() {
  const own: Record<string, z.ZodType> = {};
  for (const p of platforms()) for (const [name, v] of Object.entries(p.variables)) own[name] = v.schema;
  return EnvSchema.extend(own);
}

/** Every variable the tool reads, shared first. */
export function variableNames(): string[] {
  return Object.keys(envSchema().shape);
}

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
  /** Assignment reminders: hours before the due time (0: none), the overdue notice, quiet hours ("off" or HH:MM-HH:MM). */
  reminders: { beforeHours: number; overdue: boolean; quietHours: string };
  /**
   * The settings of each configured platform, by id (what its `settings()` made of its variables);
   * a platform that is not configured has none. Read one with `settingsOf` (platforms/contract.ts).
   */
  platforms: Readonly<Record<string, unknown>>;
  /** The weekly digest: when, over how many days, and where (a destination on each platform). */
  digest: {
    cron: string;
    destinations: Array<{ platform: string; destination: string }>;
    days: number;
  } | null;
}

/** The environment has wrong or missing variables: each one named with what it expects. */
export class ConfigError extends RoleplayError {
  readonly code = "config_invalid";
  readonly problems: Array<{ variable: string; expected: string }>;
  constructor(problems: Array<{ variable: string; expected: string }>) {
    super(errorMessages("en").configInvalid(problemLines(problems)));
    this.problems = problems;
  }
  localized(language: Language): string {
    return errorMessages(language).configInvalid(problemLines(this.problems));
  }
}

function problemLines(problems: Array<{ variable: string; expected: string }>): string {
  return problems.map((p) => `  ${p.variable}: ${p.expected}`).join("\n");
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
  const parsed = envSchema().safeParse(vars);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => ({
      variable: String(i.path[0] ?? "?"),
      // zod messages never include the input value; keep it that way for secrets.
      expected: i.message,
    }));
    throw new ConfigError(dedupe(problems));
  }
  const env = parsed.data as Env;
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

  const settings: Record<string, unknown> = {};
  const destinations: Array<{ platform: string; destination: string }> = [];
  for (const p of platforms()) {
    const own = p.settings(env, (variable, expected) => problems.push({ variable, expected }));
    if (own === null) continue;
    settings[p.id] = own;
    const destination = p.digest?.destination(own);
    if (destination) destinations.push({ platform: p.id, destination });
  }

  let digest: Config["digest"] = null;
  if (env.REPORT_DIGEST_CRON) {
    if (destinations.length === 0) {
      const where = platforms().flatMap((p) => (p.digest ? [p.digest.variable] : []));
      problems.push({
        variable: "REPORT_DIGEST_CRON",
        expected: `set ${where.join(" or ")} too (where to post), with that platform configured`,
      });
    }
    digest = { cron: env.REPORT_DIGEST_CRON, destinations, days: env.REPORT_DIGEST_DAYS };
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
    platforms: settings,
    digest,
    reminders: {
      beforeHours: env.ASSIGNMENT_REMINDER_HOURS,
      overdue: env.ASSIGNMENT_OVERDUE_NOTICE === "true",
      quietHours: env.QUIET_HOURS,
    },
  };
}

/** Whether a variable holds a secret (its value is never printed). */
export function isSecret(name: string): boolean {
  return SECRET_NAMES.has(name) || platforms().some((p) => p.variables[name]?.secret === true);
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
