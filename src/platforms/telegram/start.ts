// Runs the Telegram bot for an app: long polling by default (updates of one session in order,
// sessions concurrently), or a webhook server. Either way an update is acknowledged to Telegram
// only once it is handled (intake.ts), and each update_id is handled once. Stopping stops
// fetching, then lets the turns in flight finish.
import { plainText } from "./render.ts";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { type BotConfig, type Context, GrammyError } from "grammy";
import type { Update } from "grammy/types";
import type { AssignmentService } from "../../assignments/service.ts";
import type { Config } from "../../config.ts";
import type { ManagerReportsApi, RoleplayApi } from "../../roleplay/api.ts";
import type { Store } from "../../store/port.ts";
import { createTelegramBot, type TelegramBot } from "./bot.ts";
import { type TelegramSettings, telegramSettings } from "./platform.ts";
import { CONFLICT_ADVICE, classifyFault } from "./faults.ts";
import { createIntake, type Intake } from "./intake.ts";
import { runDurablePolling } from "./polling.ts";
import { createLogger, type Logger } from "../../log.ts";

/** What the bot needs of the app (structurally, so any wiring that has these parts will do). */
export interface TelegramApp {
  config: Pick<Config, "platforms" | "language" | "logLevel"> & Partial<Pick<Config, "timeZone">>;
  store: Pick<Store, "claimInbound" | "inboundClaimed">;
  engine: RoleplayApi;
  reports?: ManagerReportsApi;
  assignments?: AssignmentService;
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
  /** Malformed updates counted and dropped since start. */
  malformedUpdates(): number;
}

const ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"] as const;
const MAX_WEBHOOK_BODY = 1024 * 1024;

export async function startTelegram(app: TelegramApp, options: StartTelegramOptions = {}): Promise<TelegramHandle> {
  const settings = telegramSettings(app.config);
  if (!settings) throw new Error("Telegram is not configured: set TELEGRAM_BOT_TOKEN.");
  const log = options.log ?? app.log ?? createLogger(app.config.logLevel);
  const telegram = createTelegramBot(
    {
      engine: app.engine,
      reports: app.reports,
      ...(app.assignments ? { assignments: app.assignments } : {}),
      log,
      defaultLanguage: app.config.language,
      store: app.store,
      timeZone: app.config.timeZone,
    },
    settings,
    options.botConfig,
  );
  options.configure?.(telegram);
  // Assignment reminders reach a Telegram trainee in their private chat with the bot.
  app.assignments?.addReminderSender("telegram", async (userId, text) => {
    await telegram.courier.send({ chatId: Number(userId) }, plainText(text));
  });
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
  const intake = createIntake(bot, app.store, log);

  if (settings.webhook) {
    const server = await startWebhook(intake, telegram, settings.webhook, log);
    log.info("telegram.webhook_started", { port: settings.webhook.port });
    return {
      telegram,
      malformedUpdates: () => intake.malformed(),
      async stop() {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await telegram.idle(stopTimeoutMs);
        telegram.close();
      },
    };
  }

  // A webhook left over from an earlier webhook deployment makes getUpdates fail with 409.
  await bot.api.deleteWebhook().catch(() => undefined);
  const runner = runDurablePolling(bot, intake, log, { allowedUpdates: ALLOWED_UPDATES });
  runner.task()?.catch((error: unknown) => {
    if (classifyFault(error).kind === "conflict") log.error("telegram.polling_conflict", { advice: CONFLICT_ADVICE });
    else log.error("telegram.polling_stopped", { fault: classifyFault(error).kind, error: (error as Error).name });
  });
  log.info("telegram.polling_started", { bot: bot.botInfo.username });
  return {
    telegram,
    malformedUpdates: () => intake.malformed(),
    async stop() {
      if (runner.isRunning()) await runner.stop();
      await telegram.idle(stopTimeoutMs);
      telegram.close();
    },
  };
}

/**
 * Answers Telegram only once the update is handled: 200 when it is (or was, before), 500 when it
 * could not be, so that Telegram delivers it again. A crash before the answer is a failed call
 * for Telegram, which delivers the update again too.
 */
async function startWebhook(
  intake: Intake,
  telegram: TelegramBot,
  webhook: NonNullable<TelegramSettings["webhook"]>,
  log: Logger,
): Promise<Server> {
  const { bot } = telegram;
  const path = new URL(webhook.url).pathname;
  const server = createServer((req, res) => {
    const done = (status: number) => {
      if (res.writableEnded) return;
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
          intake.countMalformed("not JSON");
          return done(400);
        }
        // A malformed update is counted and dropped inside: answered 200, or Telegram would resend it.
        const result = await intake.take(update);
        done(result === "failed" ? 500 : 200);
      })
      .catch((error) => {
        log.warn("telegram.webhook_request_failed", { error: (error as Error)?.name });
        done(413);
      });
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
