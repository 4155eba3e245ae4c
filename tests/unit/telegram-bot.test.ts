import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createTelegramBot, type TelegramBot } from "../../src/platforms/telegram/bot.ts";
import type { Session } from "../../src/domain/session.ts";
import { TELEGRAM_COMMANDS, telegramMessages } from "../../src/platforms/telegram/messages.ts";
import { roleplayMessages } from "../../src/roleplay/messages.ts";
import { type FakeTelegramApi, fakeTelegramApi, TEST_BOT_INFO } from "../support/telegram-fake-api.ts";
import { type FakeEngine, fakeEngine } from "../support/telegram-fake-engine.ts";
import {
  callbackUpdate,
  commandUpdate,
  editedUpdate,
  forum,
  group,
  privateChat,
  stickerUpdate,
  textUpdate,
  user,
} from "../support/telegram-updates.ts";

const SETTINGS = {
  token: "123:test",
  apiRoot: undefined,
  webhook: null,
  managerIds: ["900"],
  trainerIds: ["901"],
  groupAdminsAreManagers: true,
};

let api: FakeTelegramApi;
let engine: FakeEngine;
let tg: TelegramBot;

function build(settings = SETTINGS) {
  tg = createTelegramBot({ engine, defaultLanguage: "en", timeZone: "Asia/Shanghai" }, settings, {
    botInfo: TEST_BOT_INFO,
    client: { fetch: api.fetch },
  });
  return tg;
}

const sent = () =>
  api.calls("sendMessage") as Array<{
    chat_id: number;
    text: string;
    message_thread_id?: number;
    reply_markup?: { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> };
    parse_mode?: string;
  }>;

beforeEach(() => {
  api = fakeTelegramApi();
  engine = fakeEngine();
  build();
});
afterEach(() => tg.close());

const alice = user(11, "Alice");
const bob = user(12, "Bob");

describe("Telegram messages become turns", () => {
  it("a private text during a session goes to the engine once, keyed by chat and message id", async () => {
    engine.activate({ userId: "11" }, { platform: "telegram", scopeId: null, chatId: "11", threadId: null });
    const u = textUpdate(alice, privateChat(alice), "您好，请问有什么可以帮您？");
    await tg.bot.handleUpdate(u);
    expect(engine.messages).toHaveLength(1);
    const m = engine.messages[0];
    expect(m?.text).toBe("您好，请问有什么可以帮您？");
    expect(m?.inboundKey).toBe(`telegram:11:${u.message?.message_id}`);
    expect(m?.trainee).toEqual({ platform: "telegram", userId: "11", displayName: "Alice", locale: "en" });
    expect(m?.place).toEqual({ platform: "telegram", scopeId: null, chatId: "11", threadId: null });
    expect(sent()).toHaveLength(0);
  });

  it("without a session, a private message gets a hint how to start one", async () => {
    await tg.bot.handleUpdate(textUpdate(alice, privateChat(alice), "hello"));
    expect(sent()).toHaveLength(1);
    expect(sent()[0]?.text).toContain("/roleplay");
  });

  it("in a group only the session owner's messages are turns; others are ignored silently", async () => {
    const g = group();
    engine.activate(
      { userId: "11" },
      { platform: "telegram", scopeId: String(g.id), chatId: String(g.id), threadId: null },
    );
    await tg.bot.handleUpdate(textUpdate(bob, g, "I am just watching"));
    await tg.bot.handleUpdate(textUpdate(alice, g, "How can I help?"));
    expect(engine.messages.map((m) => m.text)).toEqual(["How can I help?"]);
    expect(sent()).toHaveLength(0);
  });

  it("a message in a forum topic belongs to the topic; a reply in an ordinary group does not make a thread", async () => {
    const f = forum();
    engine.activate(
      { userId: "11" },
      { platform: "telegram", scopeId: String(f.id), chatId: String(f.id), threadId: "77" },
    );
    await tg.bot.handleUpdate(textUpdate(alice, f, "in the topic", { message_thread_id: 77, is_topic_message: true }));
    const g = group();
    engine.activate(
      { userId: "11" },
      { platform: "telegram", scopeId: String(g.id), chatId: String(g.id), threadId: null },
    );
    await tg.bot.handleUpdate(textUpdate(alice, g, "a reply", { message_thread_id: 5 }));
    expect(engine.messages.map((m) => [m.text, m.place.threadId])).toEqual([
      ["in the topic", "77"],
      ["a reply", null],
    ]);
  });

  it("a sticker during a session gets the text-only answer and is not a turn", async () => {
    engine.activate({ userId: "11" }, { platform: "telegram", scopeId: null, chatId: "11", threadId: null });
    const u = stickerUpdate(alice, privateChat(alice));
    await tg.bot.handleUpdate(u);
    expect(engine.messages).toHaveLength(0);
    expect(sent()[0]?.text).toMatch(/Only text counts/);
    expect(sent()[0]).toMatchObject({ reply_parameters: { message_id: u.message?.message_id } });
  });

  it("an edited message is not processed again, and the trainee is told edits do not reach the customer", async () => {
    engine.activate({ userId: "11" }, { platform: "telegram", scopeId: null, chatId: "11", threadId: null });
    await tg.bot.handleUpdate(editedUpdate(alice, privateChat(alice), "changed my mind"));
    expect(engine.messages).toHaveLength(0);
    expect(sent()[0]?.text).toMatch(/Edits do not change/);
  });

  it("commands, including other bots' commands, are never turns", async () => {
    const g = group();
    engine.activate(
      { userId: "11" },
      { platform: "telegram", scopeId: String(g.id), chatId: String(g.id), threadId: null },
    );
    await tg.bot.handleUpdate(commandUpdate(alice, g, "/weather@other_bot"));
    expect(engine.messages).toHaveLength(0);
  });

  it("updates of one trainee are handled one after another; another trainee's run alongside", async () => {
    const place = (u: typeof alice) => ({
      platform: "telegram" as const,
      scopeId: null,
      chatId: String(u.id),
      threadId: null,
    });
    engine.activate({ userId: "11" }, place(alice));
    engine.activate({ userId: "12" }, place(bob));
    const events: string[] = [];
    engine.onMessage = async (m) => {
      events.push(`start ${m.text}`);
      await new Promise((r) => setTimeout(r, m.text === "a1" ? 60 : 5));
      events.push(`end ${m.text}`);
    };
    await Promise.all([
      tg.bot.handleUpdate(textUpdate(alice, privateChat(alice), "a1")),
      tg.bot.handleUpdate(textUpdate(alice, privateChat(alice), "a2")),
      tg.bot.handleUpdate(textUpdate(bob, privateChat(bob), "b1")),
    ]);
    // a2 waits for a1; b1 does not.
    expect(events.indexOf("start a2")).toBeGreaterThan(events.indexOf("end a1"));
    expect(events.indexOf("end b1")).toBeLessThan(events.indexOf("end a1"));
  });
});

describe("Starting a session", () => {
  it("/roleplay opens a menu of archetypes that only its opener can use, leading to a started session", async () => {
    const chat = privateChat(alice);
    await tg.bot.handleUpdate(commandUpdate(alice, chat, "/roleplay"));
    const menu = sent()[0];
    const archetypes = menu?.reply_markup?.inline_keyboard.flat() ?? [];
    expect(archetypes.map((b) => b.text)).toEqual(["Angry", "Suspicious"]);

    await tg.bot.handleUpdate(callbackUpdate(bob, chat, archetypes[0]?.callback_data ?? ""));
    expect(api.calls("answerCallbackQuery").at(-1)).toMatchObject({ show_alert: true });
    expect(api.calls("editMessageText")).toHaveLength(0);

    await tg.bot.handleUpdate(callbackUpdate(alice, chat, archetypes[0]?.callback_data ?? ""));
    const levels = api.calls("editMessageText").at(-1).reply_markup.inline_keyboard.flat();
    expect(levels.map((b: { text: string }) => b.text)).toEqual(["Medium", "Hard", "« Back"]);

    await tg.bot.handleUpdate(callbackUpdate(alice, chat, levels[1].callback_data));
    const personas = api.calls("editMessageText").at(-1).reply_markup.inline_keyboard.flat();
    expect(personas[0].text).toContain("ATM 假币（难）");

    await tg.bot.handleUpdate(callbackUpdate(alice, chat, personas[0].callback_data));
    expect(engine.starts).toHaveLength(1);
    expect(engine.starts[0]).toMatchObject({
      personaId: "atm-counterfeit-note-hard",
      trainee: { userId: "11" },
      place: { chatId: "11", scopeId: null, threadId: null },
    });
    // The intro comes before the engine's first customer line.
    expect(sent().at(-1)?.text).toMatch(/You are now talking with 王先生/);
  });

  it("/roleplay with a persona id starts at once; an unknown id is explained", async () => {
    await tg.bot.handleUpdate(commandUpdate(alice, privateChat(alice), "/roleplay fee-deduction"));
    expect(engine.starts.map((s) => s.personaId)).toEqual(["fee-deduction"]);
    await tg.bot.handleUpdate(commandUpdate(bob, privateChat(bob), "/roleplay no-such-persona"));
    expect(sent().at(-1)?.text).toBe(
      roleplayMessages("en").error("persona_not_found", TELEGRAM_COMMANDS, "no-such-persona"),
    );
    expect(engine.starts).toHaveLength(1);
  });

  it("in a forum supergroup the session gets its own topic named after the persona and the trainee", async () => {
    const f = forum();
    await tg.bot.handleUpdate(commandUpdate(alice, f, "/roleplay atm-counterfeit-note"));
    expect(api.calls("createForumTopic")).toEqual([{ chat_id: f.id, name: "王先生 · Alice" }]);
    expect(engine.starts[0]?.place).toEqual({
      platform: "telegram",
      scopeId: String(f.id),
      chatId: String(f.id),
      threadId: "777",
    });
    const intro = sent().find((m) => m.text.includes("is now talking with"));
    expect(intro?.message_thread_id).toBe(777);
  });

  it("without the right to create topics, the session runs in the current topic", async () => {
    api.on("createForumTopic", () => api.error(400, "Bad Request: not enough rights to create a topic"));
    const f = forum();
    await tg.bot.handleUpdate(
      commandUpdate(alice, f, "/roleplay atm-counterfeit-note", { message_thread_id: 5, is_topic_message: true }),
    );
    expect(engine.starts[0]?.place.threadId).toBe("5");
  });

  it("in a group with privacy mode on, the intro tells the trainee to reply to the customer", async () => {
    await tg.bot.handleUpdate(commandUpdate(alice, group(), "/roleplay atm-counterfeit-note"));
    expect(sent().at(-1)?.text).toContain("privacy mode is on");
  });

  it("the privacy notice is said once per group, remembered by the store", async () => {
    const claimed = new Set<string>();
    const store = {
      async claimInbound(key: string) {
        if (claimed.has(key)) return false;
        claimed.add(key);
        return true;
      },
    };
    tg.close();
    tg = createTelegramBot({ engine, defaultLanguage: "en", store }, SETTINGS, {
      botInfo: TEST_BOT_INFO,
      client: { fetch: api.fetch },
    });
    const privacy = telegramMessages("en").privacyMode;
    const intros = (chatId: number) =>
      sent().filter((m) => m.chat_id === chatId && m.text.includes("is now talking with"));

    await tg.bot.handleUpdate(commandUpdate(alice, group(-1001), "/roleplay atm-counterfeit-note"));
    await tg.bot.handleUpdate(commandUpdate(bob, group(-1001), "/roleplay fee-deduction"));
    expect(engine.starts).toHaveLength(2);
    expect(intros(-1001).map((m) => m.text.includes(privacy))).toEqual([true, false]);

    await tg.bot.handleUpdate(commandUpdate(alice, group(-1003), "/roleplay atm-counterfeit-note"));
    await tg.bot.handleUpdate(commandUpdate(bob, group(-1003), "/roleplay fee-deduction"));
    expect(intros(-1003).map((m) => m.text.includes(privacy))).toEqual([true, false]);
    expect([...claimed].sort()).toEqual(["telegram:privacy-notice:-1001", "telegram:privacy-notice:-1003"]);
  });

  it("without a store, the privacy notice is repeated at every session start", async () => {
    await tg.bot.handleUpdate(commandUpdate(alice, group(), "/roleplay atm-counterfeit-note"));
    await tg.bot.handleUpdate(commandUpdate(bob, group(), "/roleplay fee-deduction"));
    const intros = sent().filter((m) => m.text.includes("is now talking with"));
    expect(intros).toHaveLength(2);
    for (const m of intros) expect(m.text).toContain(telegramMessages("en").privacyMode);
  });

  it("in a group where the bot is an admin, there is no privacy notice", async () => {
    api.on("getChatMember", (p) =>
      p.user_id === TEST_BOT_INFO.id
        ? { ok: true, result: { status: "administrator", user: TEST_BOT_INFO } }
        : undefined,
    );
    await tg.bot.handleUpdate(commandUpdate(alice, group(), "/roleplay atm-counterfeit-note"));
    expect(sent().at(-1)?.text).not.toContain("privacy mode");
    expect(sent().at(-1)?.text).toContain("Only Alice's messages reach the customer");
  });

  it("a second session in the same place is refused with what to do", async () => {
    await tg.bot.handleUpdate(commandUpdate(alice, privateChat(alice), "/roleplay fee-deduction"));
    await tg.bot.handleUpdate(commandUpdate(alice, privateChat(alice), "/roleplay fee-deduction"));
    expect(sent().at(-1)?.text).toContain("Finish it with /end");
    expect(engine.starts).toHaveLength(1);
  });

  it("/end without a session says how to start one, in the trainee's language", async () => {
    engine.language = "zh-CN";
    await tg.bot.handleUpdate(commandUpdate(alice, privateChat(alice), "/end"));
    expect(sent().at(-1)?.text).toContain("没有进行中的练习");
  });
});

describe("The outlet delivers what the engine sends", () => {
  const privatePlace = { platform: "telegram" as const, scopeId: null, chatId: "11", threadId: null };
  let session: Session;
  beforeEach(() => {
    session = engine.activate({ userId: "11" }, privatePlace);
  });

  it("a customer line goes out as HTML with its text escaped", async () => {
    const r = await tg.outlet.deliver({
      type: "customer",
      session,
      speaker: "王先生",
      text: "a <b> & c",
      mood: 2,
      seq: 2,
    });
    expect(sent()[0]).toMatchObject({ chat_id: 11, text: "a &lt;b&gt; &amp; c", parse_mode: "HTML" });
    expect(r?.messageId).toBeDefined();
  });

  it("a message whose markup Telegram rejects is sent again as plain text", async () => {
    api.once("sendMessage", api.error(400, "Bad Request: can't parse entities: Unsupported start tag"));
    await tg.outlet.deliver({ type: "customer", session, speaker: "王先生", text: "x < y", mood: 2, seq: 2 });
    expect(sent()).toHaveLength(2);
    expect(sent()[1]?.text).toBe("x < y");
    expect(sent()[1]?.parse_mode).toBeUndefined();
  });

  it("a customer reply in a topic goes to that topic, with the persona's name in groups", async () => {
    const s = engine.activate(
      { userId: "11" },
      { platform: "telegram", scopeId: "-1002", chatId: "-1002", threadId: "777" },
    );
    await tg.outlet.deliver({ type: "customer", session: s, speaker: "王先生", text: "你好", mood: 2, seq: 1 });
    expect(sent()[0]).toMatchObject({ chat_id: -1002, message_thread_id: 777, text: "<b>王先生</b>\n你好" });
  });

  it("a trainee who blocked the bot has the session abandoned once, with no retry loop", async () => {
    api.on("sendMessage", () => api.error(403, "Forbidden: bot was blocked by the user"));
    await tg.outlet.deliver({ type: "customer", session, speaker: "王先生", text: "hello?", mood: 2, seq: 2 });
    // The engine then announces the end, which fails the same way: no second abandon.
    await tg.outlet.deliver({ type: "ended", session, outcome: "continue", language: "en" });
    await tg.outlet.deliver({
      type: "customer",
      session: { ...session, status: "active" },
      speaker: "x",
      text: "y",
      mood: 2,
      seq: 3,
    });
    expect(engine.abandoned).toEqual([session.id]);
    expect(sent()).toHaveLength(3);
  });

  it("a long flood wait is not waited out: the trainee is told and the reply follows later", async () => {
    vi.useFakeTimers();
    try {
      let limited = true;
      api.on("sendMessage", () => (limited ? api.error(429, "Too Many Requests: retry after 120", 120) : undefined));
      const result = await tg.outlet.deliver({
        type: "customer",
        session,
        speaker: "王先生",
        text: "我等了很久了。",
        mood: 2,
        seq: 2,
      });
      expect(result).toBeUndefined();
      // Tried the reply once and the notice once; nothing sent yet.
      expect(sent().map((m) => m.text)).toEqual(["我等了很久了。", expect.stringContaining("about 120 s")]);
      limited = false;
      await vi.advanceTimersByTimeAsync(121_000);
      const texts = sent().map((m) => m.text);
      expect(texts.slice(2)).toEqual([expect.stringContaining("about 120 s"), "我等了很久了。"]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("a short flood wait is retried by auto-retry within the turn", async () => {
    api.once("sendMessage", api.error(429, "Too Many Requests: retry after 1", 1));
    await tg.outlet.deliver({ type: "notice", session, code: "pii_masked", language: "en" });
    expect(sent()).toHaveLength(2);
    expect(sent()[1]?.text).toBe(roleplayMessages("en").notice("pii_masked", TELEGRAM_COMMANDS));
  }, 10_000);

  it("typing is shown while the customer types and stops when it speaks (best effort)", async () => {
    api.on("sendChatAction", () => api.error(404, "Not Found: method not supported"));
    await tg.outlet.deliver({ type: "typing", session });
    await new Promise((r) => setTimeout(r, 10));
    expect(api.calls("sendChatAction")).toEqual([{ chat_id: 11, action: "typing" }]);
    await tg.outlet.deliver({ type: "customer", session, speaker: "王先生", text: "好吧", mood: 3, seq: 4 });
    expect(sent()).toHaveLength(1);
  });

  it("notices and the end of a session are sentences in the session's language", async () => {
    await tg.outlet.deliver({ type: "notice", session, code: "customer_rate_limited", language: "zh-CN" });
    await tg.outlet.deliver({ type: "ended", session, outcome: "walked_out", language: "en" });
    expect(sent().map((m) => m.text)).toEqual([
      roleplayMessages("zh-CN").notice("customer_rate_limited", TELEGRAM_COMMANDS),
      roleplayMessages("en").ended("walked_out"),
    ]);
  });

  it("the evaluation card has Full report and Try again buttons", async () => {
    const cardEvent = {
      type: "evaluation" as const,
      session,
      evaluation: {} as never,
      language: "en" as const,
      card: {
        language: "en" as const,
        title: "Evaluation",
        personaName: "王先生",
        total: 55,
        passed: false,
        passMark: 60,
        totalLine: "55 / 100 · not passed",
        criteria: [],
        strengths: [],
        improvements: [],
        outcome: "walked_out" as const,
        outcomeLabel: "Walked out",
        moodCurve: "▃▂▁",
        traineeTurns: 3,
        durationMs: 60_000,
        droppedQuotes: 0,
        flags: [],
        summary: "",
        labels: {
          criteria: "Criteria",
          strengths: "Strengths",
          improvements: "Improve",
          youSaid: "You said",
          tryInstead: "Try",
          outcome: "Outcome",
          mood: "Mood",
          turns: "Turns",
          duration: "Duration",
          lowConfidence: "low",
          droppedQuotes: "Dropped",
          flags: "Flags",
        },
      },
    };
    await tg.outlet.deliver(cardEvent);
    const last = sent().at(-1);
    expect(last?.text).toContain("<b>55 / 100 · not passed</b>");
    expect(last?.reply_markup?.inline_keyboard[0]?.map((b) => [b.text, b.callback_data])).toEqual([
      ["📄 Full report", `rep:${session.id}`],
      ["🔁 Try again", `again:${session.personaId}`],
    ]);
  });
});

describe("History, reports and roles", () => {
  it("the Full report button sends the report as a Markdown document to the person who pressed it", async () => {
    const s = engine.activate({ userId: "11" }, { platform: "telegram", scopeId: null, chatId: "11", threadId: null });
    await tg.bot.handleUpdate(callbackUpdate(alice, privateChat(alice), `rep:${s.id}`));
    expect(engine.reports[0]?.viewer).toEqual({ platform: "telegram", userId: "11", role: "trainee", scopes: [] });
    const doc = api.log.find((c) => c.method === "sendDocument");
    expect(doc?.payload.chat_id).toBe("11");
    expect(doc?.raw).toContain(`# Report ${s.id}`);
    expect(doc?.raw).toMatch(/filename="?report-atm-counterfeit-note-\d{4}-\d\d-\d\d-\d{4}\.md/);
  });

  it("someone who may not read a report is told so and gets no document", async () => {
    engine.reportResult = { ok: false, error: { code: "not_allowed" } };
    await tg.bot.handleUpdate(callbackUpdate(bob, group(), "rep:s-1"));
    expect(api.calls("answerCallbackQuery").at(-1)).toMatchObject({
      text: expect.stringContaining("Only the trainee"),
      show_alert: true,
    });
    expect(api.calls("sendDocument")).toHaveLength(0);
  });

  it("configured managers and trainers, and group admins for their own group, are recognised", async () => {
    api.on("getChatMember", (p) =>
      p.user_id === 13 ? { ok: true, result: { status: "administrator", user: user(13) } } : undefined,
    );
    const g = { id: -1001, type: "supergroup" as const };
    expect(await tg.roles.viewer("900", g)).toMatchObject({ role: "manager", scopes: null });
    expect(await tg.roles.viewer("901", null)).toMatchObject({ role: "trainer", scopes: null });
    expect(await tg.roles.viewer("13", g)).toMatchObject({ role: "manager", scopes: ["-1001"] });
    expect(await tg.roles.viewer("13", { id: 13, type: "private" })).toMatchObject({ role: "trainee" });
    expect(await tg.roles.viewer("14", g)).toMatchObject({ role: "trainee" });
  });

  it("group admins are not managers when that is switched off", async () => {
    build({ ...SETTINGS, groupAdminsAreManagers: false });
    api.on("getChatMember", () => ({ ok: true, result: { status: "creator", user: user(13) } }));
    expect(await tg.roles.viewer("13", { id: -1001, type: "supergroup" })).toMatchObject({ role: "trainee" });
  });

  it("/history in a group goes to the trainee privately, with a button per session dated in the team's zone", async () => {
    engine.historyEntries = [
      {
        sessionId: "s-a",
        personaId: "p",
        personaTitle: "ATM 假币",
        startedAt: Date.UTC(2026, 10, 1, 9, 30),
        status: "evaluated",
        evalStatus: "done",
        total: 81,
        passed: true,
      },
    ];
    await tg.bot.handleUpdate(commandUpdate(alice, group(), "/history"));
    const [privateList, groupNote] = sent();
    expect(privateList?.chat_id).toBe(11);
    expect(privateList?.reply_markup?.inline_keyboard[0]?.[0]).toEqual({
      // 09:30 UTC is 17:30 in Beijing.
      text: "2026-11-01 17:30 (UTC+8) · ATM 假币 · 81 ✅",
      callback_data: "rep:s-a",
    });
    expect(groupNote?.chat_id).toBe(-1001);
  });

  it("the command menu is registered in Chinese, English and the default language", async () => {
    await tg.registerCommands();
    const calls = api.calls("setMyCommands");
    expect(calls.map((c) => c.language_code)).toEqual([undefined, "zh", "en"]);
    expect(calls[1].commands.find((c: { command: string }) => c.command === "roleplay").description).toBe(
      "开始一次练习",
    );
  });

  it("an error inside a handler is logged and answered, and the bot keeps working", async () => {
    engine.activate({ userId: "11" }, { platform: "telegram", scopeId: null, chatId: "11", threadId: null });
    engine.onMessage = async () => {
      throw new Error("boom");
    };
    await tg.bot.handleUpdate(textUpdate(alice, privateChat(alice), "hi")).catch((e) => tg.bot.errorHandler(e));
    expect(sent().at(-1)?.text).toContain("Something went wrong");
    engine.onMessage = undefined;
    await tg.bot.handleUpdate(textUpdate(alice, privateChat(alice), "again"));
    expect(engine.messages.map((m) => m.text)).toEqual(["hi", "again"]);
  });
});

describe("More buttons and chat events", () => {
  it("Try again on a card starts the same persona for whoever pressed it, in that place", async () => {
    await tg.bot.handleUpdate(callbackUpdate(bob, privateChat(bob), "again:fee-deduction"));
    expect(engine.starts).toHaveLength(1);
    expect(engine.starts[0]).toMatchObject({
      personaId: "fee-deduction",
      trainee: { userId: "12" },
      place: { chatId: "12" },
    });
  });

  it("/language sets the trainee's language; only managers get the whole-group choice", async () => {
    const setTrainee: string[] = [];
    const setScope: string[] = [];
    engine.setTraineeLanguage = async (t, l) => void setTrainee.push(`${t.userId}:${l}`);
    engine.setScopeLanguage = async (_p, scope, l) => void setScope.push(`${scope}:${l}`);
    const g = group();
    await tg.bot.handleUpdate(commandUpdate(alice, g, "/language"));
    expect(sent().at(-1)?.reply_markup?.inline_keyboard).toHaveLength(1);
    await tg.bot.handleUpdate(callbackUpdate(alice, g, "lang:g:en"));
    expect(setScope).toEqual([]);
    expect(api.calls("answerCallbackQuery").at(-1)).toMatchObject({ show_alert: true });
    await tg.bot.handleUpdate(callbackUpdate(alice, g, "lang:u:zh-CN"));
    expect(setTrainee).toEqual(["11:zh-CN"]);
    expect(sent().at(-1)?.text).toBe("好的，我会用中文和你交流。");

    const manager = user(900, "Boss");
    await tg.bot.handleUpdate(commandUpdate(manager, g, "/language"));
    expect(sent().at(-1)?.reply_markup?.inline_keyboard).toHaveLength(2);
    await tg.bot.handleUpdate(callbackUpdate(manager, g, "lang:g:en"));
    expect(setScope).toEqual(["-1001:en"]);
  });

  it("a trainee who blocks the bot in a private chat has their session there abandoned", async () => {
    const s = engine.activate({ userId: "11" }, { platform: "telegram", scopeId: null, chatId: "11", threadId: null });
    await tg.bot.handleUpdate({
      update_id: 99_001,
      my_chat_member: {
        chat: privateChat(alice),
        from: alice,
        date: 0,
        old_chat_member: { status: "member", user: TEST_BOT_INFO },
        new_chat_member: { status: "kicked", user: TEST_BOT_INFO, until_date: 0 },
      },
    });
    expect(engine.abandoned).toEqual([s.id]);
  });

  it("a button from an old menu stops spinning and does nothing else", async () => {
    await tg.bot.handleUpdate(callbackUpdate(alice, privateChat(alice), "something-old"));
    expect(api.calls("answerCallbackQuery")).toHaveLength(1);
    expect(sent()).toHaveLength(0);
  });

  it("a send that fails on the network is tried once more", async () => {
    let failures = 1;
    const realFetch = api.fetch;
    const flaky = (async (input: unknown, init?: unknown) => {
      if (String(input).endsWith("/sendMessage") && failures-- > 0) throw new TypeError("fetch failed");
      return (realFetch as (i: unknown, n?: unknown) => Promise<Response>)(input, init);
    }) as typeof fetch;
    tg.close();
    tg = createTelegramBot({ engine, courier: { networkRetryMs: 1 } }, SETTINGS, {
      botInfo: TEST_BOT_INFO,
      client: { fetch: flaky },
    });
    const s = engine.activate({ userId: "11" }, { platform: "telegram", scopeId: null, chatId: "11", threadId: null });
    const r = await tg.outlet.deliver({
      type: "customer",
      session: s,
      speaker: "王先生",
      text: "还在吗？",
      mood: 2,
      seq: 2,
    });
    expect(r?.messageId).toBeDefined();
    expect(sent().map((m) => m.text)).toEqual(["还在吗？"]);
  });
});

describe("Running the bot", () => {
  it("a rejected token stops the start with a sentence that names the variable, not the token", async () => {
    const { startTelegram } = await import("../../src/platforms/telegram/start.ts");
    api.on("getMe", () => api.error(401, "Unauthorized"));
    const app = {
      config: { platforms: { telegram: SETTINGS }, language: "en" as const, logLevel: "silent" as const },
      store: { claimInbound: async () => true, inboundClaimed: async () => false },
      engine,
    };
    const start = startTelegram(app, { botConfig: { client: { fetch: api.fetch } } });
    await expect(start).rejects.toThrow(/TELEGRAM_BOT_TOKEN/);
    await expect(start).rejects.not.toThrow(/123:test/);
  });

  it("a second poller on the same token (409) is logged with what to do, and nothing else breaks", async () => {
    const { startTelegram } = await import("../../src/platforms/telegram/start.ts");
    const errors: Array<{ event: string; fields?: Record<string, unknown> }> = [];
    const log = {
      debug() {},
      info() {},
      warn() {},
      error: (event: string, fields?: Record<string, unknown>) => errors.push({ event, fields }),
    };
    api.on("getUpdates", () =>
      api.error(
        409,
        "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
      ),
    );
    const app = {
      config: { platforms: { telegram: SETTINGS }, language: "en" as const, logLevel: "silent" as const },
      store: { claimInbound: async () => true, inboundClaimed: async () => false },
      engine,
    };
    const handle = await startTelegram(app, {
      log,
      botConfig: { botInfo: TEST_BOT_INFO, client: { fetch: api.fetch } },
    });
    try {
      await vi.waitFor(() => expect(errors.map((e) => e.event)).toContain("telegram.polling_conflict"), {
        timeout: 5_000,
      });
      expect(String(errors[0]?.fields?.advice)).toMatch(/only one poller per token/);
      expect(engine.outlets.get("telegram")).toBe(handle.telegram.outlet);
      expect(api.calls("deleteWebhook")).toHaveLength(1);
    } finally {
      await handle.stop();
    }
  });

  it("polling hands each update to the bot and stop() ends polling", async () => {
    const { startTelegram } = await import("../../src/platforms/telegram/start.ts");
    engine.activate({ userId: "11" }, { platform: "telegram", scopeId: null, chatId: "11", threadId: null });
    let served = false;
    api.on("getUpdates", async () => {
      await new Promise((r) => setTimeout(r, 20));
      if (served) return { ok: true, result: [] };
      served = true;
      return { ok: true, result: [textUpdate(alice, privateChat(alice), "polled")] };
    });
    const app = {
      config: { platforms: { telegram: SETTINGS }, language: "en" as const, logLevel: "silent" as const },
      store: { claimInbound: async () => true, inboundClaimed: async () => false },
      engine,
    };
    const handle = await startTelegram(app, { botConfig: { botInfo: TEST_BOT_INFO, client: { fetch: api.fetch } } });
    await vi.waitFor(() => expect(engine.messages.map((m) => m.text)).toEqual(["polled"]), { timeout: 5_000 });
    await handle.stop();
    const polls = api.calls("getUpdates").length;
    await new Promise((r) => setTimeout(r, 100));
    expect(api.calls("getUpdates").length).toBe(polls);
    expect(api.calls("getUpdates")[0]?.allowed_updates).toEqual([
      "message",
      "edited_message",
      "callback_query",
      "my_chat_member",
    ]);
  });
});

describe("a trainee deletes their own data from Telegram", () => {
  const buttons = () => sent().at(-1)?.reply_markup?.inline_keyboard.flat() ?? [];

  it("/deletemydata explains what goes and deletes only after the trainee confirms", async () => {
    engine.activate({ userId: "11" }, { platform: "telegram", scopeId: null, chatId: "11", threadId: null });
    engine.activate({ userId: "12" }, { platform: "telegram", scopeId: null, chatId: "12", threadId: null });
    await tg.bot.handleUpdate(commandUpdate(alice, privateChat(alice), "/deletemydata"));
    expect(sent().at(-1)?.text).toMatch(/practice sessions, their transcripts and their evaluations/);
    expect(sent().at(-1)?.text).toMatch(/cannot be undone/);
    expect(buttons().map((b) => b.text)).toEqual(["🗑 Delete everything", "Cancel"]);
    expect(engine.forgotten).toHaveLength(0);

    await tg.bot.handleUpdate(callbackUpdate(alice, privateChat(alice), buttons()[0]?.callback_data ?? ""));
    expect(engine.forgotten.map((t) => t.userId)).toEqual(["11"]);
    expect(engine.sessions.map((s) => s.traineeId)).toEqual(["telegram:12"]);
    const edit = api.calls("editMessageText").at(-1);
    expect(edit.text).toMatch(/Your practice session was deleted/);
    expect(edit.reply_markup.inline_keyboard).toEqual([]);
  });

  it("Cancel deletes nothing and says so", async () => {
    await tg.bot.handleUpdate(commandUpdate(alice, privateChat(alice), "/deletemydata"));
    await tg.bot.handleUpdate(callbackUpdate(alice, privateChat(alice), buttons()[1]?.callback_data ?? ""));
    expect(engine.forgotten).toHaveLength(0);
    expect(api.calls("editMessageText").at(-1).text).toMatch(/Nothing was deleted/);
  });

  it("in a group another member cannot confirm someone else's deletion", async () => {
    const g = group();
    await tg.bot.handleUpdate(commandUpdate(alice, g, "/deletemydata"));
    const confirm = buttons()[0]?.callback_data ?? "";
    await tg.bot.handleUpdate(callbackUpdate(bob, g, confirm));
    expect(engine.forgotten).toHaveLength(0);
    expect(api.calls("answerCallbackQuery").at(-1)).toMatchObject({
      text: expect.stringContaining("Only the person who asked"),
      show_alert: true,
    });
    expect(api.calls("editMessageText")).toHaveLength(0);

    await tg.bot.handleUpdate(callbackUpdate(alice, g, confirm));
    expect(engine.forgotten.map((t) => t.userId)).toEqual(["11"]);
    // The count is shown to Alice alone; the group only learns that it was done.
    expect(api.calls("answerCallbackQuery").at(-1)).toMatchObject({ show_alert: true });
    expect(api.calls("editMessageText").at(-1).text).toBe("Done: the data was deleted.");
  });

  it("the command menu offers the deletion in both languages", async () => {
    await tg.registerCommands();
    const [, zh, en] = api.calls("setMyCommands");
    expect(zh.commands.find((c: { command: string }) => c.command === "deletemydata")?.description).toBe(
      "删除我的全部数据",
    );
    expect(en.commands.find((c: { command: string }) => c.command === "deletemydata")?.description).toBe(
      "Delete all my data",
    );
  });
});
