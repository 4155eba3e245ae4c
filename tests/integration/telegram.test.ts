// The Telegram bot end to end: the Bot API emulator (telegram-test-api), the fake LLM server, the
// real app on a SQLite file, the bot polling through grammY's runner.
import { afterEach, describe, expect, it } from "vitest";
import { OUTCOMES } from "../../src/domain/session.ts";
import { roleplayMessages } from "../../src/roleplay/messages.ts";
import { lastUserText, schemaNameOf } from "../support/fake-llm.ts";
import { roleplayResponder } from "../support/llm-scripts.ts";
import { type BotMessage, startTelegramWorld, type TelegramWorld } from "../support/telegram-emulator.ts";
import { telegramSettings } from "../../src/platforms/telegram/platform.ts";

let world: TelegramWorld | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

/** Customer replies that name the trainee's line they answer, so tests can match them. */
const echo = (said: string) => `客户回应：${said.slice(0, 30)}`;

async function sessionOf(w: TelegramWorld, userId: number) {
  const sessions = await w.app.store.listSessions({ traineeId: `telegram:${userId}` });
  return sessions[0] ?? null;
}

async function traineeTexts(w: TelegramWorld, sessionId: string): Promise<string[]> {
  return (await w.app.store.listTurns(sessionId)).filter((t) => t.speaker === "trainee").map((t) => t.text);
}

describe("Telegram bot against the Bot API emulator", () => {
  it("a private-chat session runs from /roleplay through the keyboard, three turns and /end to the evaluation card", async () => {
    world = await startTelegramWorld({ respondWith: roleplayResponder({ customer: echo }) });
    const w = world;
    const alice = w.user({ userId: 501, firstName: "Lin" });

    await alice.command("/roleplay");
    const menu = await w.waitForBotMessage(501, (m) => m.buttons.some((b) => b.data.startsWith("rp:")));
    // Walk the menu: archetype, then difficulty, then a persona (the first button each time).
    for (let step = 0; step < 3; step++) {
      const current = w.botMessages(501).find((m) => m.messageId === menu.messageId) as BotMessage;
      const personaButton = current.buttons.find((b) => b.data.startsWith("rp:p:"));
      const next = personaButton ?? current.buttons[0];
      expect(next?.data).toMatch(/^rp:[adp]:501:/);
      await alice.press(current, next?.data ?? "");
      if (personaButton) break;
      await w.waitUntil(
        () => (w.botMessages(501).find((m) => m.messageId === menu.messageId)?.buttons[0]?.data ?? "") !== next?.data,
        5_000,
        "the menu to move on",
      );
    }
    await w.waitUntil(async () => (await sessionOf(w, 501)) !== null, 10_000, "the session to start");
    const session = await sessionOf(w, 501);
    expect(session?.place).toEqual({ platform: "telegram", scopeId: null, chatId: "501", threadId: null });
    const persona = w.app.engine.personas().find((p) => p.id === session?.personaId);
    await w.waitForBotMessage(501, (m) => m.text.includes(persona?.name ?? "?") && m.text.includes("/end"));

    for (const line of ["您好，请问有什么可以帮您？", "非常理解您的心情，我们一起看看。", "我现在就帮您登记核查。"]) {
      await alice.send(line);
      await w.waitForBotMessage(501, (m) => m.text === echo(line));
    }
    expect(await traineeTexts(w, session?.id ?? "")).toHaveLength(3);

    await alice.command("/end");
    const card = await w.waitForBotMessage(501, (m) => m.buttons.some((b) => b.data === `rep:${session?.id}`), 15_000);
    expect(card.parseMode).toBe("HTML");
    expect(card.text).toMatch(/<b>.*\d+(\.\d+)? ?\/ ?100/);
    expect(card.buttons.map((b) => b.data)).toEqual([`rep:${session?.id}`, `again:${session?.personaId}`]);
    const endings = OUTCOMES.map((o) => roleplayMessages("zh-CN").ended(o));
    const ended = w.botMessages(501).find((m) => endings.includes(m.text));
    expect(ended).toBeDefined();
    expect(card.messageId).toBeGreaterThan(ended?.messageId ?? Infinity);
    expect((await w.app.store.getSession(session?.id ?? ""))?.status).toBe("evaluated");
  });

  it("in a group with two users, only the session owner's messages are turns", async () => {
    world = await startTelegramWorld({ respondWith: roleplayResponder({ customer: echo }) });
    const w = world;
    const owner = w.user({ userId: 601, chatId: -4001, type: "group", firstName: "Owner" });
    const watcher = w.user({ userId: 602, chatId: -4001, type: "group", firstName: "Watcher" });

    await owner.command("/roleplay atm-counterfeit-note");
    await w.waitUntil(async () => (await sessionOf(w, 601)) !== null, 10_000, "the session");
    const intro = await w.waitForBotMessage(-4001, (m) => m.text.includes("Owner"));
    // The emulator's bot is not told it can read all group messages: the privacy hint is given.
    expect(intro.text).toContain("/setprivacy");

    await watcher.send("我只是旁观一下");
    await owner.send("您好，我是柜员小林。");
    await w.waitForBotMessage(-4001, (m) => m.text.endsWith(echo("您好，我是柜员小林。")));
    await watcher.send("再插一句话");
    await owner.send("请您慢慢说。");
    await w.waitForBotMessage(-4001, (m) => m.text.endsWith(echo("请您慢慢说。")));

    const session = await sessionOf(w, 601);
    expect(session?.place).toMatchObject({ scopeId: "-4001", chatId: "-4001" });
    expect(await traineeTexts(w, session?.id ?? "")).toEqual(["您好，我是柜员小林。", "请您慢慢说。"]);
    expect(await sessionOf(w, 602)).toBeNull();
    const sentToModel = w.llm.chatRequests.map((r) => JSON.stringify(r.body));
    expect(sentToModel.some((b) => b.includes("旁观") || b.includes("插一句"))).toBe(false);
    // In a group the customer's lines carry its name.
    expect(w.botMessages(-4001).find((m) => m.text.endsWith(echo("请您慢慢说。")))?.text).toMatch(/^<b>.+<\/b>\n/);
  });

  it("a burst of ten messages is stored in the order it was sent, none lost", async () => {
    world = await startTelegramWorld({ respondWith: roleplayResponder({ customer: echo }) });
    const w = world;
    const alice = w.user({ userId: 701 });
    await alice.command("/roleplay atm-counterfeit-note");
    await w.waitUntil(async () => (await sessionOf(w, 701)) !== null, 10_000, "the session");
    const lines = Array.from({ length: 10 }, (_, i) => `第${i + 1}句话`);
    for (const line of lines) await alice.send(line);
    const session = await sessionOf(w, 701);
    await w.waitUntil(async () => (await traineeTexts(w, session?.id ?? "")).length === 10, 15_000, "ten turns");
    expect(await traineeTexts(w, session?.id ?? "")).toEqual(lines);
    const keys = (await w.app.store.listTurns(session?.id ?? ""))
      .filter((t) => t.speaker === "trainee")
      .map((t) => t.inboundKey);
    expect(new Set(keys).size).toBe(10);
    expect(keys.every((k) => k?.startsWith("telegram:701:"))).toBe(true);
  });

  it("every message of a burst reaches the customer, answered one by one or together", async () => {
    world = await startTelegramWorld({ respondWith: roleplayResponder({ customer: echo }) });
    const w = world;
    const alice = w.user({ userId: 702 });
    await alice.command("/roleplay atm-counterfeit-note");
    await w.waitUntil(async () => (await sessionOf(w, 702)) !== null, 10_000, "the session");
    for (let i = 1; i <= 10; i++) await alice.send(`第${i}句话`);
    // The customer's last reply comes after the last line, and the model saw that line.
    await w.waitUntil(
      () =>
        w.llm.chatRequests.some(
          (r) => schemaNameOf(r.body) === "customer_reply" && JSON.stringify(r.body).includes("第10句话"),
        ),
      10_000,
      "the last line of the burst to reach the customer",
    );
    const session = await sessionOf(w, 702);
    await w.waitUntil(
      async () => (await w.app.store.listTurns(session?.id ?? "")).at(-1)?.speaker === "customer",
      10_000,
      "an answer",
    );
  });

  it("a 9000-character customer reply arrives split, every part within 4096 characters", async () => {
    const sentence = "我跟你说，这件事情从头到尾都是你们银行的责任，我一分钱都不能少拿回来！";
    const long = sentence.repeat(Math.ceil(9000 / sentence.length)).slice(0, 8999) + "。";
    // Far beyond the engine's default bound for a reply, which is raised here to see it split.
    world = await startTelegramWorld({
      respondWith: roleplayResponder({ customer: () => long }),
      env: { CUSTOMER_REPLY_MAX_CHARS: "10000" },
    });
    const w = world;
    const alice = w.user({ userId: 801 });
    await alice.command("/roleplay atm-counterfeit-note");
    await w.waitUntil(async () => (await sessionOf(w, 801)) !== null, 10_000, "the session");
    // The opening line is sent after the session row exists: count only what comes after it.
    await w.waitUntil(
      async () => {
        const s = await sessionOf(w, 801);
        const first = s ? (await w.app.store.listTurns(s.id))[0] : undefined;
        return first?.platformMessageId !== null && first?.platformMessageId !== undefined;
      },
      10_000,
      "the opening line",
    );
    const before = w.botMessages(801).length;
    await alice.send("请问发生了什么事？");
    await w.waitUntil(
      () =>
        w
          .botMessages(801)
          .slice(before)
          .map((m) => m.text)
          .join("").length >= 9000,
      10_000,
      "the whole reply",
    );
    const parts = w.botMessages(801).slice(before);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    for (const p of parts) expect(p.text.length).toBeLessThanOrEqual(4096);
    expect(parts.map((p) => p.text).join("")).toBe(long);
  });

  it("a sticker gets the text-only answer and is not a turn", async () => {
    world = await startTelegramWorld({ respondWith: roleplayResponder({ customer: echo }) });
    const w = world;
    const alice = w.user({ userId: 901 });
    await alice.command("/roleplay atm-counterfeit-note");
    await w.waitUntil(async () => (await sessionOf(w, 901)) !== null, 10_000, "the session");
    const customerCalls = () => w.llm.chatRequests.filter((r) => schemaNameOf(r.body) === "customer_reply").length;
    const callsBefore = customerCalls();
    await alice.sticker();
    await w.waitForBotMessage(901, (m) => m.text.includes("只有文字有效"));
    // A text after the sticker is the first and only turn.
    await alice.send("您好。");
    await w.waitForBotMessage(901, (m) => m.text === echo("您好。"));
    const session = await sessionOf(w, 901);
    expect(await traineeTexts(w, session?.id ?? "")).toEqual(["您好。"]);
    expect(customerCalls()).toBe(callsBefore + 1);
  });

  it("a restart of the bot in the middle of a session continues the same session", async () => {
    world = await startTelegramWorld({ respondWith: roleplayResponder({ customer: echo }) });
    const w = world;
    const alice = w.user({ userId: 1001 });
    await alice.command("/roleplay atm-counterfeit-note");
    await w.waitUntil(async () => (await sessionOf(w, 1001)) !== null, 10_000, "the session");
    await alice.send("您好，请说。");
    await w.waitForBotMessage(1001, (m) => m.text === echo("您好，请说。"));
    const before = await sessionOf(w, 1001);

    await w.restart();

    await alice.send("我明白了，我来帮您查。");
    await w.waitForBotMessage(1001, (m) => m.text === echo("我明白了，我来帮您查。"));
    const after = await sessionOf(w, 1001);
    expect(after?.id).toBe(before?.id);
    expect(after?.status).toBe("active");
    expect(await traineeTexts(w, after?.id ?? "")).toEqual(["您好，请说。", "我明白了，我来帮您查。"]);
    // The customer saw the whole conversation after the restart, not a fresh one.
    const last = w.llm.chatRequests.filter((r) => schemaNameOf(r.body) === "customer_reply").at(-1);
    expect(JSON.stringify(last?.body)).toContain("您好，请说。");
    expect(lastUserText(last?.body)).toContain("我明白了");
  });

  it("in webhook mode a repeated update is handled once, and a call without the secret is refused", async () => {
    world = await startTelegramWorld({
      respondWith: roleplayResponder({ customer: echo }),
      webhook: { secret: "s3cret-token" },
    });
    const w = world;
    const hook = telegramSettings(w.app.config)?.webhook;
    const alice = { id: 1101, is_bot: false, first_name: "Lin" };
    const chat = { id: 1101, type: "private", first_name: "Lin" };
    const post = (update: unknown, secret = "s3cret-token") =>
      fetch(hook?.url ?? "", {
        method: "POST",
        headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": secret },
        body: JSON.stringify(update),
      });
    const start = {
      update_id: 9001,
      message: {
        message_id: 1,
        date: Math.floor(Date.now() / 1000),
        chat,
        from: alice,
        text: "/roleplay atm-counterfeit-note",
        entities: [{ type: "bot_command", offset: 0, length: 9 }],
      },
    };
    // Telegram redelivers an update it thinks was lost: the command must not run twice.
    expect((await post(start)).status).toBe(200);
    expect((await post(start)).status).toBe(200);
    await w.waitUntil(async () => (await sessionOf(w, 1101)) !== null, 10_000, "the session");

    const turn = {
      update_id: 9002,
      message: { message_id: 2, date: Math.floor(Date.now() / 1000), chat, from: alice, text: "您好，请讲。" },
    };
    const answers = await Promise.all([post(turn), post(turn), post(turn)]);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    await w.waitForBotMessage(1101, (m) => m.text === echo("您好，请讲。"));
    expect(
      (await post({ ...turn, update_id: 9003, message: { ...turn.message, message_id: 3, text: "冒充的" } }, "wrong"))
        .status,
    ).toBe(401);
    await w.app.engine.idle();
    const session = await sessionOf(w, 1101);
    expect(await traineeTexts(w, session?.id ?? "")).toEqual(["您好，请讲。"]);
    expect(w.botMessages(1101).filter((m) => m.text === echo("您好，请讲。"))).toHaveLength(1);
    expect(w.botMessages(1101).filter((m) => m.text.includes("/end") && m.text.includes("王先生"))).toHaveLength(1);
    expect(w.botMessages(1101).some((m) => m.text.includes("已有一个进行中的练习"))).toBe(false);
  });

  it("stopping the bot lets a customer reply already on its way reach the trainee", async () => {
    const script = roleplayResponder({ customer: echo });
    // biome-ignore lint/suspicious/noThenProperty: the fake LLM's delayed reply is spelled { delayMs, then }
    world = await startTelegramWorld({ respondWith: (body) => ({ delayMs: 800, then: script(body) }) });
    const w = world;
    const alice = w.user({ userId: 1201 });
    await alice.command("/roleplay atm-counterfeit-note");
    await w.waitUntil(async () => (await sessionOf(w, 1201)) !== null, 10_000, "the session");
    await alice.send("请问怎么了？");
    await w.waitUntil(() => w.llm.chatRequests.length > 0, 5_000, "the customer to be asked");
    await w.restart();
    // The reply was delivered during the shutdown, before the new bot started.
    expect(w.botMessages(1201).filter((m) => m.text === echo("请问怎么了？"))).toHaveLength(1);
  });
});
