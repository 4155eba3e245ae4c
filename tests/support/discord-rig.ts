// The real app (engine, evaluator, a SQLite file in a temporary folder) with the Discord bot attached
// to the fake Discord and the fake model server: the set-up the Discord integration tests share.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type App, createApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { createLogger, silentLogger } from "../../src/log.ts";
import { createDiscordBot, type DiscordBot } from "../../src/platforms/discord/bot.ts";
import { createFakeDiscord, type FakeDiscord } from "./discord-harness.ts";
import { type FakeLlm, type FakeReply, type FakeResponder, startFakeLlm } from "./fake-llm.ts";

export interface DiscordRig {
  llm: FakeLlm;
  discord: FakeDiscord;
  app: App;
  bot: DiscordBot;
  /** Waits until the bot, the engine and both fake servers have been quiet for three ticks. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the rig. `env` adds to (or overrides) the test configuration; the fake Discord's trainer
 * and manager roles are the bot's. DBG=1 in the environment logs at debug level.
 */
export async function startDiscordRig(options: {
  respondWith: FakeReply | FakeResponder;
  env?: Record<string, string>;
}): Promise<DiscordRig> {
  const dir = mkdtempSync(join(tmpdir(), "discord-rig-"));
  const llm = await startFakeLlm({ models: ["fake"], respondWith: options.respondWith });
  const discord = createFakeDiscord();
  const config = loadConfig({
    DATABASE_URL: `sqlite:${join(dir, "db.sqlite")}`,
    LLM_BASE_URL: llm.url,
    LLM_API_KEY: "test",
    LLM_MODEL: "fake",
    LLM_MAX_RETRIES: "0",
    BOT_LANGUAGE: "en",
    LOG_LEVEL: "silent",
    ...options.env,
  });
  const app = await createApp(config, { watch: false, log: process.env.DBG ? createLogger("debug") : silentLogger });
  const bot = createDiscordBot(
    app,
    { token: "x", managerRoleIds: [discord.managerRoleId], trainerRoleIds: [discord.trainerRoleId], log: silentLogger },
    discord.clientOptions,
  );
  discord.attach(bot.client);
  return {
    llm,
    discord,
    app,
    bot,
    async settle() {
      for (let quiet = 0; quiet < 3; ) {
        await new Promise((r) => setTimeout(r, 10));
        const before = discord.requests.length + llm.requests.length;
        await bot.idle();
        await app.engine.idle();
        quiet = discord.requests.length + llm.requests.length === before ? quiet + 1 : 0;
      }
    },
    async close() {
      await bot.stop(1_000);
      await app.close();
      await llm.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
