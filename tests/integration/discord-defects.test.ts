// Defects the Discord bot showed against a Discord-compatible server, each pinned with the real
// app (engine, SQLite file) against the fake Discord and the fake model server: who speaks first
// for every persona, a trainee who cannot be added to the thread or an intro that cannot be posted,
// the thread of a session whose trainee deleted their data, and DISCORD_API_URL.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type App, createApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { silentLogger } from "../../src/log.ts";
import { createDiscordBot, type DiscordBot } from "../../src/platforms/discord/bot.ts";
import { forgetButtonId } from "../../src/platforms/discord/commands.ts";
import { discordMessages } from "../../src/platforms/discord/messages.ts";
import { createFakeDiscord, type FakeDiscord } from "../support/discord-harness.ts";
import { serveFakeDiscord } from "../support/discord-http.ts";
import { type FakeLlm, lastUserText, startFakeLlm } from "../support/fake-llm.ts";

let dir: string;
let llm: FakeLlm;
let discord: FakeDiscord;
let app: App;
let bot: DiscordBot;
const m = discordMessages("en");

function newBot(extra: { apiUrl?: string } = {}): DiscordBot {
  return createDiscordBot(
    app,
    { token: "x", managerRoleIds: [], trainerRoleIds: [], log: silentLogger, ...extra },
    extra.apiUrl ? { rest: { retries: 0, timeout: 5_000 } } : discord.clientOptions,
  );
}

async function settle(): Promise<void> {
  for (let quiet = 0; quiet < 3; ) {
    await new Promise((r) => setTimeout(r, 10));
    const before = discord.requests.length + llm.requests.length;
    await bot.idle();
    await app.engine.idle();
    quiet = discord.requests.length + llm.requests.length === before ? quiet + 1 : 0;
  }
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "discord-defects-"));
  llm = await startFakeLlm({
    models: ["fake"],
    respondWith: (body) => ({
      json: {
        text: `You said: ${lastUserText(body).slice(0, 30)}`,
        mood: 0,
        trigger_id: null,
        outcome: "continue",
        revealed_fact_ids: [],
        reason: "test",
      },
    }),
  });
  discord = createFakeDiscord();
  const config = loadConfig({
    DATABASE_URL: `sqlite:${join(dir, "db.sqlite")}`,
    LLM_BASE_URL: llm.url,
    LLM_API_KEY: "test",
    LLM_MODEL: "fake",
    LLM_MAX_RETRIES: "0",
    BOT_LANGUAGE: "en",
    LOG_LEVEL: "silent",
  });
  app = await createApp(config, { watch: false, log: silentLogger });
  bot = newBot();
  discord.attach(bot.client);
});

afterEach(async () => {
  await bot.stop(1_000);
  await app.close();
  await llm.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("Discord defects found against a Discord-compatible server", () => {
  it("every persona is announced with the right first speaker, and a trainee-first one gets no opening line", async () => {
    const personas = app.catalogue.personas();
    const traineeFirst = personas.filter((p) => p.who_opens === "trainee");
    expect(traineeFirst.length).toBeGreaterThan(0);
    expect(traineeFirst.length).toBeLessThan(personas.length);
    for (const p of personas) {
      // One user per persona: a trainee has one running session per server.
      const u = discord.user(`t-${p.id}`);
      const id = discord.command(u, "start", { persona: p.id });
      await settle();
      const thread = discord.threads().at(-1);
      const first = p.who_opens === "trainee";
      expect(discord.reply(id)?.content, p.id).toBe(m.started(thread?.id, first));
      const posted = discord.messagesIn(thread?.id);
      expect(posted[0]?.content, p.id).toBe(m.threadIntro(u.id, p.name, p.title, first));
      expect(posted.filter((x) => x.webhook_id).length, p.id).toBe(first ? 0 : 1);
    }
  }, 60_000);

  it("a trainee who cannot be added to a private thread is told so; no session and no thread are left", async () => {
    const persona = app.catalogue.personas()[0];
    discord.failNext("PUT", /\/thread-members\/\d+$/, { status: 403, code: 50001, message: "Missing Access" });
    const id = discord.command(discord.user("alice"), "start", { persona: persona?.id ?? "", private: true });
    await settle();
    expect(discord.reply(id)?.content).toBe(m.cannotJoinThread);
    expect(await app.store.listActiveSessions()).toEqual([]);
    expect(discord.threads()).toEqual([]);
  });

  it("an intro that cannot be posted is not skipped silently: the trainee is told and the session undone", async () => {
    const persona = app.catalogue.personas().find((p) => p.who_opens === "customer");
    discord.failNext("PUT", /\/thread-members\/\d+$/, { status: 403, code: 50001, message: "Missing Access" });
    discord.failNext("POST", /^\/channels\/\d+\/messages$/, { status: 403, code: 50001, message: "Missing Access" });
    const id = discord.command(discord.user("alice"), "start", { persona: persona?.id ?? "" });
    await settle();
    expect(discord.reply(id)?.content).toBe(m.introFailed);
    expect(await app.store.listActiveSessions()).toEqual([]);
    expect(discord.threads()).toEqual([]);
  });

  it("after /roleplay forget, the running session's thread says why it ended and is archived and locked", async () => {
    const persona = app.catalogue.personas().find((p) => p.who_opens === "customer" && p.language === "en");
    const alice = discord.user("alice");
    discord.command(alice, "start", { persona: persona?.id ?? "" });
    await settle();
    const thread = discord.threads().at(-1);
    discord.command(alice, "forget");
    await settle();
    discord.button(alice, forgetButtonId("confirm", alice.id), discord.channelId);
    await settle();
    expect(discord.messagesIn(thread?.id).at(-1)?.content).toBe(m.forgetThreadClosed);
    expect(discord.channel(thread?.id)?.thread_metadata).toMatchObject({ archived: true, locked: true });
    expect(await app.store.listActiveSessions()).toEqual([]);
  });

  it("DISCORD_API_URL: the bot's REST calls go to that server", async () => {
    await bot.stop(100);
    const server = await serveFakeDiscord(discord);
    try {
      bot = newBot({ apiUrl: server.apiUrl });
      discord.attach(bot.client);
      const id = discord.command(discord.user("alice"), "personas");
      await settle();
      // The acknowledgement and the answer crossed the loopback network to the fake server.
      expect(discord.callbacks(id)).toHaveLength(1);
      expect(discord.reply(id)?.embeds?.[0]?.title).toBe(m.personasTitle);
    } finally {
      await bot.stop(100);
      await server.close();
    }
  });
});
