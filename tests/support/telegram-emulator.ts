// A whole Telegram setup for integration tests: the independent Bot API emulator
// (telegram-test-api), the fake OpenAI-compatible server, the real app on a SQLite file, and the
// bot in polling mode. Users are emulator clients; what the bot sent is read from the emulator.
//
//   const world = await startTelegramWorld({ respondWith: roleplayResponder() });
//   const alice = world.user({ userId: 501 });
//   await alice.command("/roleplay atm-counterfeit-note");
//   await world.waitForBotMessage(501, (m) => m.text.includes("..."));
//   await world.restart();   // new app + new bot on the same database file
//   await world.close();
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import telegramTestApi from "telegram-test-api";
import { type App, createApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { silentLogger } from "../../src/log.ts";
import { startTelegram, type TelegramHandle } from "../../src/platforms/telegram/index.ts";
import { telegramSettings } from "../../src/platforms/telegram/platform.ts";
import { type FakeLlm, type FakeReply, type FakeResponder, startFakeLlm } from "./fake-llm.ts";

type TelegramServerClass = typeof import("telegram-test-api/lib/telegramServer.js").TelegramServer;
/** The package is CommonJS with a `default` export; depending on the loader it arrives wrapped or not. */
const TelegramServer: TelegramServerClass =
  (telegramTestApi as unknown as { default?: TelegramServerClass }).default ??
  (telegramTestApi as unknown as TelegramServerClass);

export const TEST_TOKEN = "123456:TEST-telegram-token";

export interface BotMessage {
  messageId: number;
  chatId: number;
  text: string;
  parseMode?: string;
  threadId?: number;
  buttons: Array<{ text: string; data: string }>;
}

export interface EmulatedUser {
  userId: number;
  chatId: number;
  send(text: string): Promise<void>;
  command(text: string): Promise<void>;
  /** Presses an inline button of a message the bot sent to this user's chat. */
  press(message: BotMessage, data: string): Promise<void>;
  /** Sends a message the bot sees without text (a sticker). */
  sticker(): Promise<void>;
}

export interface TelegramWorld {
  server: InstanceType<TelegramServerClass>;
  llm: FakeLlm;
  app: App;
  bot: TelegramHandle;
  dbFile: string;
  user(options: {
    userId: number;
    chatId?: number;
    firstName?: string;
    type?: "private" | "group" | "supergroup";
  }): EmulatedUser;
  /** Everything the bot sent to a chat, in order, with edits applied. */
  botMessages(chatId: number): BotMessage[];
  waitForBotMessage(chatId: number, match: (m: BotMessage) => boolean, timeoutMs?: number): Promise<BotMessage>;
  waitUntil(check: () => boolean | Promise<boolean>, timeoutMs?: number, what?: string): Promise<void>;
  /** Stops the bot and closes the app, then starts both again on the same database file. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface WorldOptions {
  respondWith: FakeReply | FakeResponder;
  env?: Record<string, string>;
  /** Webhook mode on a local port (plain http: the configuration only accepts https, so it is set here). */
  webhook?: { secret: string };
}

export async function startTelegramWorld(options: WorldOptions): Promise<TelegramWorld> {
  const server = new TelegramServer({ port: await freePort(), host: "127.0.0.1", storeTimeout: 600 });
  await server.start();
  const llm = await startFakeLlm({ respondWith: options.respondWith });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "telegram-it-"));
  const dbFile = path.join(dir, "db.sqlite");
  const config = loadConfig({
    DATABASE_URL: `sqlite:${dbFile}`,
    LLM_BASE_URL: llm.url,
    LLM_API_KEY: "test",
    LLM_MODEL: "fake",
    LLM_MAX_RETRIES: "0",
    TELEGRAM_BOT_TOKEN: TEST_TOKEN,
    TELEGRAM_API_ROOT: server.config.apiURL,
    LOG_LEVEL: "silent",
    ...options.env,
  });
  const telegram = telegramSettings(config);
  if (options.webhook && telegram) {
    const port = await freePort();
    telegram.webhook = { url: `http://127.0.0.1:${port}/telegram`, secret: options.webhook.secret, port };
  }

  const launch = async () => {
    const app = await createApp(config, { watch: false, log: silentLogger });
    const bot = await startTelegram(app, {
      log: silentLogger,
      stopTimeoutMs: 5_000,
      configure: (tg) => {
        // The emulator answers getUpdates at once (it ignores `timeout`): pace the poller.
        tg.bot.api.config.use(async (prev, method, payload, signal) => {
          if (method === "getUpdates") await new Promise((r) => setTimeout(r, 100));
          return prev(method, payload, signal);
        });
      },
    });
    await app.engine.resume();
    return { app, bot };
  };
  let current = await launch();

  const botMessages = (chatId: number): BotMessage[] =>
    server.storage.botMessages
      .filter((u) => Number(u.message.chat_id) === chatId)
      .map((u) => {
        const m = u.message as unknown as {
          text: string;
          parse_mode?: string;
          message_thread_id?: number;
          reply_markup?: { inline_keyboard?: Array<Array<{ text: string; callback_data?: string }>> };
        };
        return {
          messageId: u.messageId,
          chatId,
          text: m.text,
          parseMode: m.parse_mode,
          threadId: m.message_thread_id,
          buttons: (m.reply_markup?.inline_keyboard ?? [])
            .flat()
            .map((b) => ({ text: b.text, data: b.callback_data ?? "" })),
        };
      });

  const waitUntil = async (check: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = "condition") => {
    const until = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  const world: TelegramWorld = {
    server,
    llm,
    get app() {
      return current.app;
    },
    get bot() {
      return current.bot;
    },
    dbFile,
    user({ userId, chatId = userId, firstName = `User${userId}`, type = "private" }) {
      const client = server.getClient(TEST_TOKEN, { userId, chatId, firstName, type, chatTitle: "Team" });
      return {
        userId,
        chatId,
        send: async (text) => {
          await client.sendMessage(client.makeMessage(text));
        },
        command: async (text) => {
          await client.sendCommand(client.makeCommand(text));
        },
        press: async (message, data) => {
          await client.sendCallback(
            client.makeCallbackQuery(data, { message: { message_id: message.messageId, chat: { id: chatId, type } } }),
          );
        },
        sticker: async () => {
          const m = client.makeMessage("") as Record<string, unknown>;
          delete m.text;
          m.sticker = {
            file_id: "s1",
            file_unique_id: "u1",
            type: "regular",
            width: 512,
            height: 512,
            is_animated: false,
            is_video: false,
          };
          await client.sendMessage(m as never);
        },
      };
    },
    botMessages,
    async waitForBotMessage(chatId, match, timeoutMs = 10_000) {
      let found: BotMessage | undefined;
      await waitUntil(
        () => {
          found = botMessages(chatId).find(match);
          return found !== undefined;
        },
        timeoutMs,
        `a bot message in chat ${chatId}`,
      );
      return found as BotMessage;
    },
    waitUntil,
    async restart() {
      await current.bot.stop();
      await current.app.close();
      current = await launch();
    },
    async close() {
      await current.bot.stop();
      await current.app.close();
      await llm.close();
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return world;
}
