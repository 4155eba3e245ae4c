// Runs the Telegram bot for an app: long polling through grammY's runner by default (updates of one
// session in order, sessions concurrently), or a webhook server that acknowledges at once and
// handles each update_id once. Stopping stops fetching, then lets the turns in flight finish.
import { createServer, type IncomingMessage, type Server } from "node:http";
import { run } from "@grammyjs/runner";
import { type BotConfig, type Context, GrammyError } from "grammy";
import type { Update } from "grammy/types";
import type { Config } from "../../config.ts";
import type { ManagerReportsApi, RoleplayApi } from "../../roleplay/api.ts";
import type { Store } from "../../store/port.ts";
import { createTelegramBot, type TelegramBot } from "./bot.ts";
import { CONFLICT_ADVICE, classifyFault } from "./faults.ts";
import { createLogger, type Logger } from "../../log.ts";

/** What the bot needs of the app (structurally, so any wiring that has these parts will do). */
export interface TelegramApp {
  config: Pick<Config, "telegram" | "language" | "logLevel"> & Partial<Pick<Config, "timeZone">>;
  store: Pick<Store, "claimInbound">;
  engine: RoleplayApi;
  reports?: ManagerReportsApi;
  log?: Logger;
}

export interface StartTelegramOptions {
  log?: Logger;
  /** Passed to grammY's Bot (tests: `client.apiRoot`, `botInfo`). */
  botConfig?: BotConfig<Context>;
  /** Called with the bot before it starts: install API transformers, extra middleware. */
  configure?: (telegram: TelegramBot) => void;
  /** How long stop() waits for turns in flight. */
  stopTimeoutMs?: number;
}

export interface TelegramHandle {
  telegram: TelegramBot;
  /** Stops fetching (or listening), waits for the turns in flight, then drops timers. */
  stop(): Promise<void>;
}

const ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"] as const;
const MAX_WEBHOOK_BODY = 1024 * 1024;

export async function startTelegram(app: TelegramApp, options: StartTelegramOptions = {}): Promise<TelegramHandle> {
  const settings = app.config.telegram;
  if (!settings) throw new Error("Telegram is not configured: set TELEGRAM_BOT_TOKEN.");
  const log = options.log ?? app.log ?? createLogger(app.config.logLevel);
  const telegram = createTelegramBot(
    {
      engine: app.engine,
      reports: app.reports,
      log,
      defaultLanguage: app.config.language,
      store: app.store,
      timeZone: app.config.timeZone,
    },
    settings,
    options.botConfig,
  );
  options.configure?.(telegram);
  const { bot } = telegram;
  try {
    await bot.init();
  } catch (error) {
    const fault = classifyFault(error);
    if (error instanceof GrammyError && error.error_code === 401) {
      throw new Error(
        "Telegram rejected the bot token (401 Unauthorized): check TELEGRAM_BOT_TOKEN, or issue a new one with @BotFather.",
      );
    }
    if (fault.kind === "network") {
      throw new Error(
        `Telegram's Bot API could not be reached${settings.apiRoot ? " at TELEGRAM_API_ROOT" : ""}: check the network.`,
      );
    }
    throw error;
  }
  app.engine.registerOutlet("telegram", telegram.outlet);
  void telegram.registerCommands();
  const stopTimeoutMs = options.stopTimeoutMs ?? 30_000;

  if (settings.webhook) {
    const server = await startWebhook(app, telegram, settings.webhook, log);
    log.info("telegram.webhook_started", { port: settings.webhook.port });
    return {
      telegram,
      async stop() {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await telegram.idle(stopTimeoutMs);
        telegram.close();
      },
    };
  }

  // A webhook left over from an earlier webhook deployment makes getUpdates fail with 409.
  await bot.api.deleteWebhook().catch(() => undefined);
  const runner = run(bot, { runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES] }, silent: true } });
  runner.task()?.catch((error: unknown) => {
    if (classifyFault(error).kind === "conflict") log.error("telegram.polling_conflict", { advice: CONFLICT_ADVICE });
    else log.error("telegram.polling_stopped", { fault: classifyFault(error).kind, error: (error as Error).name });
  });
  log.info("telegram.polling_started", { bot: bot.botInfo.username });
  return {
    telegram,
    async stop() {
      if (runner.isRunning()) await runner.stop();
      await telegram.idle(stopTimeoutMs);
      telegram.close();
    },
  };
}

/**
 * Telegram redelivers an update whose webhook call is slow (10 s by default) or fails, so the
 * server claims the update id in the store, answers 200 at once, and handles the update after.
 */
async function startWebhook(
  app: TelegramApp,
  telegram: TelegramBot,
  webhook: NonNullable<NonNullable<Config["telegram"]>["webhook"]>,
  log: Logger,
): Promise<Server> {
  const { bot } = telegram;
  const path = new URL(webhook.url).pathname;
  const server = createServer((req, res) => {
    const done = (status: number) => {
      res.statusCode = status;
      res.end();
    };
    if (req.method !== "POST" || (req.url ?? "").split("?")[0] !== path) return done(404);
    if (webhook.secret && req.headers["x-telegram-bot-api-secret-token"] !== webhook.secret) return done(401);
    readBody(req)
      .then(async (body) => {
        let update: Update;
        try {
          update = JSON.parse(body) as Update;
        } catch {
          return done(400);
        }
        if (typeof update?.update_id !== "number") return done(400);
        let fresh: boolean;
        try {
          fresh = await app.store.claimInbound(`telegram:update:${update.update_id}`, Date.now());
        } catch (error) {
          // Not recorded: let Telegram deliver it again later rather than lose it.
          log.error("telegram.webhook_claim_failed", { error: (error as Error).name });
          return done(500);
        }
        done(200);
        if (!fresh) {
          log.debug("telegram.duplicate_update", { updateId: update.update_id });
          return;
        }
        bot.handleUpdate(update).catch((error) => bot.errorHandler(error));
      })
      .catch(() => done(413));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(webhook.port, () => resolve());
  });
  await bot.api.setWebhook(webhook.url, {
    ...(webhook.secret ? { secret_token: webhook.secret } : {}),
    allowed_updates: [...ALLOWED_UPDATES],
  });
  return server;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_WEBHOOK_BODY) {
        reject(new Error("body too large"));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
