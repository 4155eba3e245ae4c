// Telegram as the registry sees it: its variables, its settings, how it starts, and how it posts
// the digest. The bot itself loads only when it starts, so reading the configuration stays light.
import { z } from "zod";
import { bool, idList, int, optionalText, optionalUrl } from "../../config/fields.ts";
import { defineMessages } from "../../i18n/index.ts";
import { type PlatformAdapter, type PlatformFile, settingsOf } from "../contract.ts";
import { TELEGRAM_TEXT_LIMIT } from "./render.ts";

/** What the bot runs with (from the TELEGRAM_* variables). */
export interface TelegramSettings {
  token: string;
  apiRoot: string | undefined;
  webhook: { url: string; secret: string | undefined; port: number } | null;
  managerIds: string[];
  trainerIds: string[];
  groupAdminsAreManagers: boolean;
  /** REPORT_DIGEST_TELEGRAM_CHAT_ID: where the weekly digest goes. */
  digestChatId?: string | undefined;
}

/** The words this declaration gives the CLI: what a report scope is on Telegram. */
const declared = defineMessages({
  en: { scopePlaceholder: "CHAT_ID", scopeNoun: "Telegram group" },
  "zh-CN": { scopePlaceholder: "群组ID", scopeNoun: "Telegram 群组" },
});

export const telegramPlatform: PlatformAdapter<TelegramSettings> = {
  id: "telegram",
  name: "Telegram",
  variables: {
    TELEGRAM_BOT_TOKEN: {
      schema: optionalText.pipe(
        z
          .string()
          .regex(/^\d+:[\w-]+$/, "a BotFather token like 123456:ABC-DEF...")
          .optional(),
      ),
      doc: "The bot's token from @BotFather. Set it to run the Telegram bot.",
      secret: true,
    },
    TELEGRAM_API_ROOT: {
      schema: optionalUrl,
      doc: "Another Bot API server (a local telegram-bot-api, or a test server); default Telegram's own.",
    },
    TELEGRAM_WEBHOOK_URL: {
      schema: optionalUrl,
      doc: "An https:// URL Telegram posts updates to; unset: long polling (no public address needed).",
    },
    TELEGRAM_WEBHOOK_SECRET: {
      schema: optionalText,
      doc: "The secret Telegram sends with each webhook call; others are refused.",
      secret: true,
    },
    TELEGRAM_WEBHOOK_PORT: { schema: int(8080, 1, 65_535), doc: "The local port the webhook server listens on." },
    TELEGRAM_MANAGER_IDS: { schema: idList, doc: "Telegram user ids of managers (reports over every group)." },
    TELEGRAM_TRAINER_IDS: { schema: idList, doc: "Telegram user ids of trainers." },
    TELEGRAM_GROUP_ADMINS_ARE_MANAGERS: {
      schema: bool(true),
      doc: "Whether a group's administrators manage that group (reports over it).",
    },
    REPORT_DIGEST_TELEGRAM_CHAT_ID: {
      schema: optionalText,
      doc: "The Telegram chat the weekly digest goes to (with REPORT_DIGEST_CRON).",
    },
  },
  settings(env, problem) {
    const v = env as {
      TELEGRAM_BOT_TOKEN?: string;
      TELEGRAM_API_ROOT?: string;
      TELEGRAM_WEBHOOK_URL?: string;
      TELEGRAM_WEBHOOK_SECRET?: string;
      TELEGRAM_WEBHOOK_PORT: number;
      TELEGRAM_MANAGER_IDS: string[];
      TELEGRAM_TRAINER_IDS: string[];
      TELEGRAM_GROUP_ADMINS_ARE_MANAGERS: boolean;
      REPORT_DIGEST_TELEGRAM_CHAT_ID?: string;
    };
    if (v.TELEGRAM_WEBHOOK_URL && !v.TELEGRAM_WEBHOOK_URL.startsWith("https://"))
      problem("TELEGRAM_WEBHOOK_URL", "an https:// URL (Telegram only calls https webhooks)");
    if (!v.TELEGRAM_BOT_TOKEN) {
      if (v.TELEGRAM_WEBHOOK_URL) problem("TELEGRAM_BOT_TOKEN", "required when TELEGRAM_WEBHOOK_URL is set");
      return null;
    }
    return {
      token: v.TELEGRAM_BOT_TOKEN,
      apiRoot: v.TELEGRAM_API_ROOT,
      webhook: v.TELEGRAM_WEBHOOK_URL
        ? { url: v.TELEGRAM_WEBHOOK_URL, secret: v.TELEGRAM_WEBHOOK_SECRET, port: v.TELEGRAM_WEBHOOK_PORT }
        : null,
      managerIds: v.TELEGRAM_MANAGER_IDS,
      trainerIds: v.TELEGRAM_TRAINER_IDS,
      groupAdminsAreManagers: v.TELEGRAM_GROUP_ADMINS_ARE_MANAGERS,
      digestChatId: v.REPORT_DIGEST_TELEGRAM_CHAT_ID,
    };
  },
  textLimit: TELEGRAM_TEXT_LIMIT,
  lengthUnit: "utf16",
  scope: {
    en: { placeholder: declared("en").scopePlaceholder, noun: declared("en").scopeNoun },
    "zh-CN": { placeholder: declared("zh-CN").scopePlaceholder, noun: declared("zh-CN").scopeNoun },
  },
  exampleUserId: "123456",
  digest: { variable: "REPORT_DIGEST_TELEGRAM_CHAT_ID", destination: (s) => s.digestChatId ?? null },
  async start(app, settings) {
    const { startTelegram } = await import("./start.ts");
    const { postToChat } = await import("./post.ts");
    const handle = await startTelegram({ ...app, config: { ...app.config, platforms: { telegram: settings } } });
    const api = handle.telegram.bot.api;
    return {
      stop: () => handle.stop(),
      post: (chatId: string, text: string, files: PlatformFile[]) => postToChat(api, chatId, text, files),
    };
  },
};

/** The Telegram settings of a configuration, or null when Telegram is not configured. */
export function telegramSettings(config: { platforms: Readonly<Record<string, unknown>> }): TelegramSettings | null {
  return settingsOf(config, telegramPlatform);
}
