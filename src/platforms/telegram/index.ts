// The Telegram adapter's public face: build the bot (tests, custom wiring) or start it for an app.
export { AUTO_RETRY, createTelegramBot, type TelegramBot, type TelegramBotDeps, type TelegramSettings } from "./bot.ts";
export type { Courier, Target } from "./courier.ts";
export { telegramMessages } from "./messages.ts";
export { escapeHtml, renderEvaluationCard, TELEGRAM_TEXT_LIMIT } from "./render.ts";
export { type StartTelegramOptions, startTelegram, type TelegramApp, type TelegramHandle } from "./start.ts";
