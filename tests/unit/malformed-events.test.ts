// A bad event never takes the process down: each adapter is fed malformed updates and gateway
// events; each is counted and dropped, and the next good one is handled as usual. Uncaught errors
// anywhere in the process are logged (masked) and the process keeps serving.
import { spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
import type { Update } from "grammy/types";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { silentLogger } from "../../src/log.ts";
import { createDiscordBot, type DiscordBot } from "../../src/platforms/discord/bot.ts";
import { startTelegram, type TelegramHandle } from "../../src/platforms/telegram/start.ts";
import { createFakeDiscord, type FakeDiscord } from "../support/discord-harness.ts";
import { type FakeTelegramApi, fakeTelegramApi, TEST_BOT_INFO } from "../support/telegram-fake-api.ts";
import { type FakeEngine, fakeEngine } from "../support/telegram-fake-engine.ts";
import { privateChat, textUpdate, user } from "../support/telegram-updates.ts";

const root = path.resolve(import.meta.dirname, "../..");
const alice = user(11, "Alice");

/** Updates a broken or hostile sender might deliver, each missing what the handlers read. */
function malformedUpdates(): unknown[] {
  const good = textUpdate(alice, privateChat(alice), "x") as unknown as Record<string, Record<string, unknown>>;
  const message = good.message as Record<string, unknown>;
  const without = (key: string) => {
    const { [key]: _gone, ...rest } = message;
    return rest;
  };
  return [
    null,
    "update",
    42,
    [],
    {},
    { update_id: "7" },
    { update_id: 1.5, message },
    { update_id: 9_000_001, message: without("chat") },
    { update_id: 9_000_002, message: { ...message, chat: { id: "eleven", type: "private" } } },
    { update_id: 9_000_003, message: without("message_id") },
    { update_id: 9_000_004, message: { ...message, text: 12 } },
    { update_id: 9_000_005, message: { ...message, entities: { type: "bot_command" } } },
    { update_id: 9_000_006, message: { ...message, from: "Alice" } },
    { update_id: 9_000_007, edited_message: null },
    { update_id: 9_000_008, callback_query: { id: "c1", data: "rp:b:11" } },
    { update_id: 9_000_009, callback_query: "press" },
    { update_id: 9_000_010, my_chat_member: { chat: null, new_chat_member: { status: "kicked" } } },
    { update_id: 9_000_011, my_chat_member: { chat: { id: 11, type: "private" } } },
  ];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

const SETTINGS = {
  token: "123:test",
  apiRoot: undefined,
  webhook: null,
  managerIds: [],
  trainerIds: [],
  groupAdminsAreManagers: true,
};
const memoryStore = () => {
  const keys = new Set<string>();
  return {
    claimInbound: async (k: string) => !keys.has(k) && keys.add(k) !== undefined,
    inboundClaimed: async (k: string) => keys.has(k),
  };
};

describe("Telegram: malformed updates are counted and dropped", () => {
  let api: FakeTelegramApi;
  let engine: FakeEngine;
  let handle: TelegramHandle | null = null;
  beforeEach(() => {
    api = fakeTelegramApi();
    engine = fakeEngine();
    engine.activate({ userId: "11" }, { platform: "telegram", scopeId: null, chatId: "11", threadId: null });
  });
  afterEach(async () => {
    await handle?.stop();
    handle = null;
  });

  it("over the webhook: each is answered without a redelivery loop, and a good update after them is handled", async () => {
    const port = await freePort();
    handle = await startTelegram(
      {
        config: {
          platforms: { telegram: { ...SETTINGS, webhook: { url: `http://127.0.0.1:${port}/tg`, secret: "s", port } } },
          language: "en",
          logLevel: "silent",
        },
        store: memoryStore(),
        engine,
      },
      { botConfig: { botInfo: TEST_BOT_INFO, client: { fetch: api.fetch } }, stopTimeoutMs: 500 },
    );
    const post = (body: string) =>
      fetch(`http://127.0.0.1:${port}/tg`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": "s" },
        body,
      }).then((r) => r.status);
    const bad = malformedUpdates();
    const statuses = [];
    for (const u of bad) statuses.push(await post(JSON.stringify(u)));
    statuses.push(await post("{not json"));
    // 200 (dropped) or 400 (unreadable): never a 5xx that would make Telegram send it again.
    expect(statuses.every((s) => s === 200 || s === 400)).toBe(true);
    expect(handle.malformedUpdates()).toBe(bad.length + 1);
    expect(engine.messages).toHaveLength(0);
    expect(await post(JSON.stringify(textUpdate(alice, privateChat(alice), "还在吗")))).toBe(200);
    expect(engine.messages.map((m) => m.text)).toEqual(["还在吗"]);
  });

  it("an update whose handler keeps failing is retried a few times, then dropped instead of redelivered for ever", async () => {
    const port = await freePort();
    handle = await startTelegram(
      {
        config: {
          platforms: { telegram: { ...SETTINGS, webhook: { url: `http://127.0.0.1:${port}/tg`, secret: "s", port } } },
          language: "en",
          logLevel: "silent",
        },
        store: memoryStore(),
        engine,
      },
      { botConfig: { botInfo: TEST_BOT_INFO, client: { fetch: api.fetch } }, stopTimeoutMs: 500 },
    );
    engine.onMessage = async () => {
      throw new TypeError("Cannot read properties of undefined");
    };
    const update = JSON.stringify(textUpdate(alice, privateChat(alice), "毒"));
    const post = () =>
      fetch(`http://127.0.0.1:${port}/tg`, {
        method: "POST",
        headers: { "x-telegram-bot-api-secret-token": "s" },
        body: update,
      }).then((r) => r.status);
    expect([await post(), await post(), await post(), await post()]).toEqual([500, 500, 200, 200]);
  });

  it("in polling: malformed updates among good ones are dropped, the good ones handled, the offset moves on", async () => {
    const good = [textUpdate(alice, privateChat(alice), "一"), textUpdate(alice, privateChat(alice), "二")];
    const lastId = (good[1] as Update).update_id;
    const bad = malformedUpdates()
      .filter((u): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u))
      .filter((u) => Number.isSafeInteger(u.update_id))
      .map((u, i) => ({ ...u, update_id: lastId - 0.5 + 0 * i }));
    // Interleave: ids between and after the good ones, as Telegram would number them.
    const batch = [good[0], ...bad.map((u, i) => ({ ...u, update_id: lastId + 1 + i })), good[1]];
    let served = false;
    const offsets: number[] = [];
    api.on("getUpdates", async (p: { offset?: number }) => {
      await new Promise((r) => setTimeout(r, 20));
      offsets.push(p.offset ?? 0);
      if (served) return { ok: true, result: [] };
      served = true;
      return { ok: true, result: batch };
    });
    handle = await startTelegram(
      {
        config: { platforms: { telegram: SETTINGS }, language: "en", logLevel: "silent" },
        store: memoryStore(),
        engine,
      },
      { botConfig: { botInfo: TEST_BOT_INFO, client: { fetch: api.fetch } }, stopTimeoutMs: 500 },
    );
    await vi.waitFor(() => expect(engine.messages.map((m) => m.text)).toEqual(["一", "二"]), { timeout: 5000 });
    await vi.waitFor(() => expect(handle?.malformedUpdates()).toBe(bad.length));
    await vi.waitFor(() => expect(Math.max(...offsets)).toBeGreaterThan(lastId + bad.length));
  });
});

describe("Discord: a malformed gateway event is counted and dropped, and the bot keeps working", () => {
  let discord: FakeDiscord;
  let bot: DiscordBot;
  beforeEach(() => {
    discord = createFakeDiscord();
    bot = createDiscordBot(
      {
        config: { language: "en", logLevel: "silent" },
        engine: fakeEngine([
          {
            id: "atm-note",
            name: "王先生",
            title: "ATM",
            language: "zh-CN",
            archetype: "angry",
            difficulty: "easy",
            channel: "branch",
            hash: "h",
          },
        ]) as never,
      },
      { token: "t", appId: discord.appId, managerRoleIds: [], trainerRoleIds: [], log: silentLogger },
      discord.clientOptions,
    );
    discord.attach(bot.client);
  });
  afterEach(async () => {
    await bot.client.destroy();
  });

  it("an autocomplete without data, and other broken dispatches, neither throw nor stop the next interaction", async () => {
    const u = discord.user("alice");
    const noData = { ...discord.interactionPayload(u), type: 4 };
    const broken: Array<[string, unknown]> = [
      ["INTERACTION_CREATE", noData],
      ["INTERACTION_CREATE", { ...discord.interactionPayload(u), type: 2 }],
      ["INTERACTION_CREATE", { ...discord.interactionPayload(u), type: 3, data: {} }],
      ["INTERACTION_CREATE", { ...discord.interactionPayload(u), id: undefined, type: 4, data: { name: "roleplay" } }],
      [
        "INTERACTION_CREATE",
        { ...discord.interactionPayload(u), type: 4, data: { name: "roleplay", options: { name: "start" } } },
      ],
      ["INTERACTION_CREATE", null],
      ["INTERACTION_CREATE", "payload"],
      ["MESSAGE_CREATE", { id: "1", channel_id: discord.channelId }],
      ["MESSAGE_CREATE", { channel_id: discord.channelId, author: { id: u.id } }],
      ["GUILD_CREATE", "not an object"],
      ["THREAD_UPDATE", null],
    ];
    for (const [t, d] of broken) expect(() => discord.dispatch(t, d)).not.toThrow();
    expect(bot.malformedEvents()).toBe(broken.length);

    // The same gateway path still carries a good autocomplete, answered as usual.
    const good = {
      ...discord.interactionPayload(u),
      type: 4,
      data: {
        id: "1",
        name: "roleplay",
        type: 1,
        options: [{ type: 1, name: "start", options: [{ name: "persona", type: 3, value: "王", focused: true }] }],
      },
    };
    discord.dispatch("INTERACTION_CREATE", good);
    await vi.waitFor(() => expect(discord.callbacks(good.id)).toHaveLength(1));
    expect(discord.callbacks(good.id)[0]?.type).toBe(8);
    expect(bot.malformedEvents()).toBe(broken.length);
  });

  it("a packet discord.js itself chokes on is caught at the gateway", async () => {
    // Valid by shape, but its handler throws (a forged READY without a user).
    expect(() => discord.dispatch("READY", { user: null, guilds: "none" })).not.toThrow();
    expect(bot.malformedEvents()).toBe(1);
  });
});

describe("the process outlives an uncaught error", () => {
  it("logs an uncaught exception and an unhandled rejection, masked, and keeps serving", async () => {
    const script = `
      import { createLogger } from "./src/log.ts";
      import { guardProcess } from "./src/process-guard.ts";
      const guard = guardProcess(createLogger("error"));
      setTimeout(() => { throw new Error("boom for card 6222 0202 0000 1234 567"); }, 10);
      setTimeout(() => { Promise.reject(new Error("lost promise of 13912345678")); }, 20);
      setTimeout(() => { process.stdout.write("still serving after " + guard.survived() + "\\n"); process.exit(0); }, 300);
    `;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: root });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    const code = await new Promise<number | null>((r) => child.on("exit", r));
    expect(code).toBe(0);
    expect(out).toContain("still serving after 2");
    expect(err).toContain("process.uncaught_exception");
    expect(err).toContain("process.unhandled_rejection");
    expect(err).not.toMatch(/6222 0202|13912345678/);
  }, 30_000);
});
