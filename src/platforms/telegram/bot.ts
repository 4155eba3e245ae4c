// The Telegram bot as one testable object: a grammY Bot with its middleware in order (in-flight
// tracking, then sequentialize by session key before anything else, then the features), the
// outlet the engine delivers through, and bounded auto-retry. Nothing here polls or listens:
// `startTelegram` does that; tests drive `bot.handleUpdate` with a fake `client.fetch` instead.
import { autoRetry } from "@grammyjs/auto-retry";
import { sequentialize } from "@grammyjs/runner";
import { Bot, type BotConfig, type Context } from "grammy";
import type { Language } from "../../domain/persona.ts";
import { processTimeZone } from "../../i18n/dates.ts";
import type { ManagerReportsApi, RoleplayApi } from "../../roleplay/api.ts";
import type { Store } from "../../store/port.ts";
import type { AssignmentService } from "../../assignments/service.ts";
import { assignmentFeatures } from "./assignments.ts";
import { commandFeatures, registerCommands } from "./commands.ts";
import { conversationFeatures } from "./conversation.ts";
import { type Courier, type CourierOptions, createCourier } from "./courier.ts";
import { answer, type FeatureDeps, textsFor } from "./deps.ts";
import { classifyFault } from "./faults.ts";
import { forgetFeatures } from "./forget.ts";
import { historyFeatures } from "./history.ts";
import { type Logger, silentLogger } from "../../log.ts";
import { createTelegramOutlet, type TelegramOutlet } from "./outlet.ts";
import { placeOf, sessionKey } from "./place.ts";
import { managerReportFeatures } from "./reports.ts";
import { roleplayFeatures } from "./roleplay.ts";
import { createRoles, type Roles } from "./roles.ts";

export type { TelegramSettings } from "./platform.ts";
import type { TelegramSettings } from "./platform.ts";

export interface TelegramBotDeps {
  engine: RoleplayApi;
  reports?: ManagerReportsApi;
  assignments?: AssignmentService;
  log?: Logger;
  /** The language of menus and messages when nothing else decides it. */
  defaultLanguage?: Language;
  courier?: CourierOptions;
  /** Remembers one-time notices across restarts; without it they are repeated each time. */
  store?: Pick<Store, "claimInbound">;
  /** IANA zone for dates people read (TIME_ZONE); default the process's. */
  timeZone?: string;
}

export interface TelegramBot {
  bot: Bot<Context>;
  /** Register it with the engine: `engine.registerOutlet("telegram", telegram.outlet)`. */
  outlet: TelegramOutlet;
  courier: Courier;
  roles: Roles;
  /** The command menu in each language (best effort). */
  registerCommands(): Promise<void>;
  /** Updates being handled right now (queued behind a session's earlier update included). */
  inFlight(): number;
  /** Resolves when every update in flight is done, or after `timeoutMs`. */
  idle(timeoutMs?: number): Promise<void>;
  /** Stops typing indicators and drops deliveries queued behind a rate limit. */
  close(): void;
}

/** Bot API transformers' bound: never retry forever, never wait long inside a turn. */
export const AUTO_RETRY = { maxRetryAttempts: 3, maxDelaySeconds: 30, rethrowHttpErrors: true } as const;

const PRIVACY_TTL_MS = 10 * 60_000;

/**
 * Builds the bot. `botConfig` is passed to grammY's `Bot` (merged over the API root from the
 * settings), so tests can give `botInfo` and `client.fetch` and run without a network.
 */
export function createTelegramBot(
  deps: TelegramBotDeps,
  settings: TelegramSettings,
  botConfig: BotConfig<Context> = {},
): TelegramBot {
  const log = deps.log ?? silentLogger;
  const bot = new Bot<Context>(settings.token, {
    ...botConfig,
    client: { ...(settings.apiRoot ? { apiRoot: settings.apiRoot } : {}), ...botConfig.client },
  });
  bot.api.config.use(autoRetry(AUTO_RETRY));

  const courier = createCourier(bot.api, log, deps.courier);
  const roles = createRoles(settings, bot.api);
  const outlet = createTelegramOutlet(courier, deps.engine, log);
  const privacy = new Map<number, { sees: boolean; until: number }>();
  const store = deps.store;

  const features: FeatureDeps = {
    engine: deps.engine,
    reports: deps.reports,
    ...(deps.assignments ? { assignments: deps.assignments } : {}),
    courier,
    roles,
    log,
    defaultLanguage: deps.defaultLanguage ?? "zh-CN",
    timeZone: deps.timeZone ?? processTimeZone(),
    async seesAllMessages(chatId) {
      if (bot.botInfo.can_read_all_group_messages) return true;
      const hit = privacy.get(chatId);
      if (hit && hit.until > Date.now()) return hit.sees;
      let sees = false;
      try {
        const me = await bot.api.getChatMember(chatId, bot.botInfo.id);
        sees = me.status === "administrator" || me.status === "creator";
      } catch {
        sees = false;
      }
      privacy.set(chatId, { sees, until: Date.now() + PRIVACY_TTL_MS });
      return sees;
    },
    once: store
      ? async (key) => {
          try {
            return await store.claimInbound(key, Date.now());
          } catch (error) {
            // Saying a notice twice is better than never saying it.
            log.warn("telegram.once_claim_failed", { error: (error as Error).name });
            return true;
          }
        }
      : undefined,
  };

  // Counted before sequentialize, so updates waiting behind a session's earlier update count too.
  const inflight = new Set<Promise<unknown>>();
  bot.use(async (_ctx, next) => {
    const p = next();
    inflight.add(p);
    try {
      await p;
    } finally {
      inflight.delete(p);
    }
  });
  bot.use(sequentialize(sessionKey));
  bot.use(commandFeatures(features));
  bot.use(roleplayFeatures(features));
  bot.use(historyFeatures(features));
  bot.use(managerReportFeatures(features));
  bot.use(assignmentFeatures(features));
  bot.use(forgetFeatures(features));
  bot.use(conversationFeatures(features));
  // A button from an old menu, or one whose feature is gone: stop the client's spinner.
  bot.on("callback_query", (ctx) => ctx.answerCallbackQuery());

  // Blocked in a private chat: its sessions can no longer be reached.
  bot.on("my_chat_member", async (ctx) => {
    const status = ctx.myChatMember.new_chat_member.status;
    if (ctx.chat.type !== "private" || (status !== "kicked" && status !== "left")) return;
    for (const s of await deps.engine.sessionsAt(placeOf(ctx.chat, null))) await deps.engine.abandon(s.id);
  });

  bot.catch(async (err) => {
    const fault = classifyFault(err.error);
    log.error("telegram.update_failed", {
      updateId: err.ctx.update.update_id,
      fault: fault.kind,
      error: err.error instanceof Error ? err.error.name : typeof err.error,
    });
    if (fault.kind === "blocked" || fault.kind === "rate_limited") return;
    try {
      const { t } = await textsFor(err.ctx, features);
      await answer(err.ctx, features, t.internalError);
    } catch {
      // Telling the user failed too; the log has it.
    }
  });

  return {
    bot,
    outlet,
    courier,
    roles,
    registerCommands: () => registerCommands(bot.api, features.defaultLanguage, log),
    inFlight: () => inflight.size,
    async idle(timeoutMs = 30_000) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
        timer.unref();
      });
      while (inflight.size > 0) {
        const done = await Promise.race([
          Promise.allSettled([...inflight]).then(() => false),
          timeout.then(() => true),
        ]);
        if (done) {
          log.warn("telegram.stop_timeout", { stillRunning: inflight.size });
          break;
        }
      }
      clearTimeout(timer);
    },
    close: () => outlet.close(),
  };
}
