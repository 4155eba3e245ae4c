// Acknowledge only what is stored, on Telegram: the webhook answers 200 only once an update is
// handled (500 when it could not be, so Telegram delivers it again), polling confirms an update
// only once it is handled, a session is announced only once it exists, and a blank message gets
// a short answer instead of a turn.
import net from "node:net";
import type { Update } from "grammy/types";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createTelegramBot, type TelegramBot } from "../../src/platforms/telegram/bot.ts";
import { telegramMessages } from "../../src/platforms/telegram/messages.ts";
import { startTelegram, type TelegramHandle } from "../../src/platforms/telegram/start.ts";
import { type FakeTelegramApi, fakeTelegramApi, TEST_BOT_INFO } from "../support/telegram-fake-api.ts";
import { type FakeEngine, fakeEngine } from "../support/telegram-fake-engine.ts";
import { commandUpdate, privateChat, textUpdate, user } from "../support/telegram-updates.ts";

const SETTINGS = {
  token: "123:test",
  apiRoot: undefined,
  webhook: null,
  managerIds: [],
  trainerIds: [],
  groupAdminsAreManagers: true,
};
const en = telegramMessages("en");
const alice = user(11, "Alice");
const bob = user(12, "Bob");

let api: FakeTelegramApi;
let engine: FakeEngine;
const handles: TelegramHandle[] = [];
let tg: TelegramBot | null = null;

const sentTexts = () => (api.calls("sendMessage") as Array<{ text: string }>).map((m) => m.text);

/** The inbound table as the database keeps it. */
function memoryStore() {
  const keys = new Set<string>();
  return {
    keys,
    async claimInbound(key: string) {
      if (keys.has(key)) return false;
      keys.add(key);
      return true;
    },
    async inboundClaimed(key: string) {
      return keys.has(key);
    },
  };
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

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => {
    open = r;
  });
  return { open, opened };
}

beforeEach(() => {
  api = fakeTelegramApi();
  engine = fakeEngine();
});
afterEach(async () => {
  tg?.close();
  tg = null;
  for (const h of handles.splice(0)) await h.stop();
});

describe("announcing a session on Telegram", () => {
  it("says nothing about a session the engine could not store", async () => {
    tg = createTelegramBot({ engine, defaultLanguage: "en" }, SETTINGS, {
      botInfo: TEST_BOT_INFO,
      client: { fetch: api.fetch },
    });
    engine.start = async () => {
      throw new Error("database unavailable");
    };
    await tg.bot
      .handleUpdate(commandUpdate(alice, privateChat(alice), "/roleplay atm-counterfeit-note"))
      .catch(() => {});
    expect(sentTexts().some((t) => t.includes("You are now talking with"))).toBe(false);
  });

  it("introduces the session once it exists, before the customer's first line", async () => {
    tg = createTelegramBot({ engine, defaultLanguage: "en" }, SETTINGS, {
      botInfo: TEST_BOT_INFO,
      client: { fetch: api.fetch },
    });
    const start = engine.start.bind(engine);
    const order: string[] = [];
    engine.start = async (req) =>
      start({
        ...req,
        announce: async (session, persona) => {
          order.push(`stored:${engine.sessions.includes(session)}`);
          await req.announce?.(session, persona);
          order.push(`intro:${sentTexts().some((t) => t.includes("You are now talking with"))}`);
        },
      });
    await tg.bot.handleUpdate(commandUpdate(alice, privateChat(alice), "/roleplay atm-counterfeit-note"));
    expect(order).toEqual(["stored:true", "intro:true"]);
  });
});

describe("a blank message on Telegram", () => {
  it("gets a short answer in the trainee's language and is not a turn", async () => {
    tg = createTelegramBot({ engine, defaultLanguage: "en" }, SETTINGS, {
      botInfo: TEST_BOT_INFO,
      client: { fetch: api.fetch },
    });
    engine.activate({ userId: "11" }, { platform: "telegram", scopeId: null, chatId: "11", threadId: null });
    for (const text of ["\u3000\u3000", "\u200B", " \u200D\uFEFF ", "\u2060\n\t"]) {
      await tg.bot.handleUpdate(textUpdate(alice, privateChat(alice), text));
    }
    expect(engine.messages).toHaveLength(0);
    expect(sentTexts()).toEqual(Array(4).fill(en.blankMessage));
    engine.language = "zh-CN";
    await tg.bot.handleUpdate(textUpdate(bob, privateChat(bob), "\u3000"));
    expect(sentTexts()).toHaveLength(4); // Bob has no session: nothing to say about a blank line
  });
});

describe("the webhook answers Telegram only once the update is handled", () => {
  async function startWebhook(store = memoryStore()) {
    const port = await freePort();
    const handle = await startTelegram(
      {
        config: {
          platforms: { telegram: { ...SETTINGS, webhook: { url: `http://127.0.0.1:${port}/tg`, secret: "s", port } } },
          language: "en",
          logLevel: "silent",
        },
        store,
        engine,
      },
      { botConfig: { botInfo: TEST_BOT_INFO, client: { fetch: api.fetch } }, stopTimeoutMs: 1000 },
    );
    handles.push(handle);
    const post = (update: unknown) =>
      fetch(`http://127.0.0.1:${port}/tg`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": "s" },
        body: JSON.stringify(update),
      }).then((r) => r.status);
    return { post, store };
  }

  it("holds the 200 until the message is recorded", async () => {
    const { post } = await startWebhook();
    engine.activate({ userId: "11" }, { platform: "telegram", scopeId: null, chatId: "11", threadId: null });
    const slow = gate();
    engine.onMessage = () => slow.opened;
    let status: number | null = null;
    const answered = post(textUpdate(alice, privateChat(alice), "您好")).then((s) => {
      status = s;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(status).toBeNull();
    slow.open();
    await answered;
    expect(status).toBe(200);
    expect(engine.messages.map((m) => m.text)).toEqual(["您好"]);
  });

  it("answers 500 when the update could not be handled, tells the trainee once, and handles the redelivery", async () => {
    const { post, store } = await startWebhook();
    engine.activate({ userId: "11" }, { platform: "telegram", scopeId: null, chatId: "11", threadId: null });
    let failures = 2;
    engine.onMessage = async () => {
      if (failures-- > 0) throw new Error("database is locked");
    };
    const update = textUpdate(alice, privateChat(alice), "第一句");
    expect(await post(update)).toBe(500);
    expect(await post(update)).toBe(500);
    expect(sentTexts().filter((t) => t === en.internalError)).toHaveLength(1);
    expect(await post(update)).toBe(200);
    expect(store.keys.has(`telegram:update:${update.update_id}`)).toBe(true);
    // Handled: a later delivery of the same update is a no-op.
    expect(await post(update)).toBe(200);
    expect(engine.messages.map((m) => m.text)).toEqual(["第一句", "第一句", "第一句"]);
  });

  it("a delivery of an update still being handled waits for it and does not handle it twice", async () => {
    const { post } = await startWebhook();
    engine.activate({ userId: "11" }, { platform: "telegram", scopeId: null, chatId: "11", threadId: null });
    const slow = gate();
    let calls = 0;
    engine.onMessage = async () => {
      calls++;
      await slow.opened;
    };
    const update = textUpdate(alice, privateChat(alice), "慢一点");
    const first = post(update);
    await vi.waitFor(() => expect(calls).toBe(1));
    const second = post(update);
    await new Promise((r) => setTimeout(r, 100));
    slow.open();
    expect(await Promise.all([first, second])).toEqual([200, 200]);
    expect(calls).toBe(1);
  });

  it("a store that cannot be read answers 500 rather than guessing", async () => {
    const store = memoryStore();
    store.inboundClaimed = async () => {
      throw new Error("connection refused");
    };
    const { post } = await startWebhook(store);
    engine.activate({ userId: "11" }, { platform: "telegram", scopeId: null, chatId: "11", threadId: null });
    expect(await post(textUpdate(alice, privateChat(alice), "在吗"))).toBe(500);
    expect(engine.messages).toHaveLength(0);
  });
});

describe("polling confirms an update only once it is handled", () => {
  /** getUpdates as Telegram does it: updates below the offset are confirmed and gone; the rest come again. */
  function telegramQueue(updates: Update[]) {
    const pending = [...updates];
    const offsets: number[] = [];
    api.on("getUpdates", async (p: { offset?: number; limit?: number }) => {
      await new Promise((r) => setTimeout(r, 20));
      const offset = p.offset ?? 0;
      offsets.push(offset);
      while (pending.length > 0 && (pending[0]?.update_id ?? 0) < offset) pending.shift();
      return { ok: true, result: pending.slice(0, p.limit ?? 100) };
    });
    return { pending, offsets };
  }

  async function startPolling(store = memoryStore()) {
    const handle = await startTelegram(
      { config: { platforms: { telegram: SETTINGS }, language: "en", logLevel: "silent" }, store, engine },
      { botConfig: { botInfo: TEST_BOT_INFO, client: { fetch: api.fetch } }, stopTimeoutMs: 100 },
    );
    handles.push(handle);
    return handle;
  }

  it("an update still being handled when the process dies is delivered again and handled after the restart", async () => {
    engine.activate({ userId: "11" }, { platform: "telegram", scopeId: null, chatId: "11", threadId: null });
    engine.activate({ userId: "12" }, { platform: "telegram", scopeId: null, chatId: "12", threadId: null });
    const first = textUpdate(alice, privateChat(alice), "卡被吞了");
    const second = textUpdate(bob, privateChat(bob), "我也是");
    const queue = telegramQueue([first, second]);
    const stuck = gate();
    engine.onMessage = async (m) => {
      if (m.text === "卡被吞了") await stuck.opened;
    };
    const store = memoryStore();
    const dying = await startPolling(store);
    // Bob's update is handled while Alice's is stuck; neither is confirmed past Alice's.
    await vi.waitFor(() => expect(engine.messages.map((m) => m.text)).toEqual(["卡被吞了", "我也是"]));
    await new Promise((r) => setTimeout(r, 200));
    expect(Math.max(...queue.offsets)).toBeLessThanOrEqual(first.update_id);
    expect(queue.pending.map((u) => u.update_id)).toContain(first.update_id);

    // The process "dies" with Alice's update unfinished; a new one takes over.
    await dying.stop();
    handles.splice(handles.indexOf(dying), 1);
    engine.onMessage = undefined;
    engine.messages.length = 0;
    await startPolling(store);
    await vi.waitFor(() => expect(queue.pending).toHaveLength(0), { timeout: 5000 });
    // Alice's message is handled again (the engine dedupes the turn by message id); Bob's, already
    // marked handled, is not handed to the engine twice.
    expect(engine.messages.map((m) => m.text)).toEqual(["卡被吞了"]);
    stuck.open();
  });

  it("once every update is handled the offset moves past them all", async () => {
    engine.activate({ userId: "11" }, { platform: "telegram", scopeId: null, chatId: "11", threadId: null });
    const updates = ["一", "二", "三"].map((t) => textUpdate(alice, privateChat(alice), t));
    const queue = telegramQueue(updates);
    await startPolling();
    await vi.waitFor(() => expect(queue.pending).toHaveLength(0), { timeout: 5000 });
    expect(engine.messages.map((m) => m.text)).toEqual(["一", "二", "三"]);
    expect(queue.offsets.at(-1)).toBe((updates.at(-1)?.update_id ?? 0) + 1);
  });
});
