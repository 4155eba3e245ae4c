// The presenters Telegram and Discord share (src/platforms/shared/), pinned twice: on their own,
// and through both bots, so that where the README says the platforms behave alike (history,
// report files, difficulty labels, deleting one's data, who may read what) they do; only the
// rendering (buttons or embeds, alerts or ephemeral replies) differs.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DIFFICULTIES } from "../../src/domain/persona.ts";
import { traineeKey } from "../../src/domain/session.ts";
import { silentLogger } from "../../src/log.ts";
import { createDiscordBot, type DiscordBot } from "../../src/platforms/discord/bot.ts";
import { buttonId, commandDefinitions, forgetButtonId } from "../../src/platforms/discord/commands.ts";
import { forgetStep } from "../../src/platforms/shared/forget.ts";
import { HISTORY_LIMIT, historyRows } from "../../src/platforms/shared/history.ts";
import {
  archetypeMenu,
  difficultyMenu,
  findPersona,
  personaMenu,
  randomPersona,
  visiblePersonas,
} from "../../src/platforms/shared/menu.ts";
import { sharedTexts } from "../../src/platforms/shared/messages.ts";
import { reportFileName } from "../../src/platforms/shared/report-file.ts";
import { managesScope, resolveViewer } from "../../src/platforms/shared/roles.ts";
import { createTypingKeeper } from "../../src/platforms/shared/typing.ts";
import { createTelegramBot, type TelegramBot } from "../../src/platforms/telegram/bot.ts";
import { telegramMessages } from "../../src/platforms/telegram/messages.ts";
import type { HistoryEntry, PersonaSummary } from "../../src/roleplay/api.ts";
import { roleplayTexts } from "../../src/roleplay/messages.ts";
import { createFakeDiscord, type FakeDiscord } from "../support/discord-harness.ts";
import { type FakeTelegramApi, fakeTelegramApi, TEST_BOT_INFO } from "../support/telegram-fake-api.ts";
import { type FakeEngine, fakeEngine, makeSession, TEST_PERSONAS } from "../support/telegram-fake-engine.ts";
import { callbackUpdate, commandUpdate, group, privateChat, user } from "../support/telegram-updates.ts";

const ZONE = "Asia/Shanghai";

function entries(n: number): HistoryEntry[] {
  return Array.from({ length: n }, (_, i) => ({
    sessionId: `s-${i}`,
    personaId: "atm-counterfeit-note",
    personaTitle: `Counterfeit note ${i}`,
    startedAt: Date.UTC(2026, 2, 1 + i, 1, 30),
    status: i % 3 === 0 ? "active" : "evaluated",
    evalStatus: i % 3 === 0 ? "none" : "done",
    total: i % 3 === 0 ? null : 60 + i,
    passed: i % 3 === 0 ? null : i % 2 === 0,
  }));
}

describe("shared presenters on their own", () => {
  it("a history lists at most ten sessions, dated in the team's zone with the score or the state", () => {
    const rows = historyRows(entries(12), "en", ZONE);
    expect(HISTORY_LIMIT).toBe(10);
    expect(rows).toHaveLength(10);
    expect(rows[0]).toEqual({ sessionId: "s-0", label: "2026-03-01 09:30 (UTC+8) · Counterfeit note 0 · in progress" });
    expect(rows[1]?.label).toBe("2026-03-02 09:30 (UTC+8) · Counterfeit note 1 · 61 ❌");
    expect(rows[2]?.label).toBe("2026-03-03 09:30 (UTC+8) · Counterfeit note 2 · 62 ✅");
    expect(historyRows(entries(2), "zh-CN", ZONE)[0]?.label).toContain("进行中");
  });

  it("a report file is named after the customer and the local start time, and is a safe file name", () => {
    const at = Date.UTC(2026, 2, 1, 1, 30);
    expect(reportFileName({ personaId: "atm-counterfeit-note", startedAt: at }, ZONE)).toBe(
      "report-atm-counterfeit-note-2026-03-01-0930.md",
    );
    expect(reportFileName({ personaId: "atm-counterfeit-note", startedAt: at + 60_000 }, ZONE)).not.toBe(
      reportFileName({ personaId: "atm-counterfeit-note", startedAt: at }, ZONE),
    );
    expect(reportFileName({ personaId: "../etc/passwd", startedAt: at }, "UTC")).toBe(
      "report-etc-passwd-2026-03-01-0130.md",
    );
  });

  it("the deletion question: only its owner confirms; cancel keeps everything; a failure can be retried", () => {
    const t = roleplayTexts("en", { start: "/s", end: "/e", personas: "/p" });
    const asked = { step: "asked", owner: "1" } as const;
    const foreign = forgetStep(asked, { type: "click", by: "2", choice: "confirm" }, t, true);
    expect(foreign).toEqual({ state: asked, effect: { delete: false, tellClicker: t.forgetNotYours } });
    expect(forgetStep(asked, { type: "click", by: "1", choice: "cancel" }, t, true)).toEqual({
      state: { step: "cancelled" },
      effect: { delete: false, replaceQuestion: t.forgetCancelled },
    });
    const confirmed = forgetStep(asked, { type: "click", by: "1", choice: "confirm" }, t, true);
    expect(confirmed).toEqual({ state: { step: "deleting", owner: "1" }, effect: { delete: true } });
    // Where others read the question, the count goes to the asker alone.
    expect(forgetStep(confirmed.state, { type: "deleted", sessions: 3 }, t, true).effect).toEqual({
      delete: false,
      replaceQuestion: t.forgetDoneShort,
      tellClicker: t.forgetDone(3),
    });
    expect(forgetStep(confirmed.state, { type: "deleted", sessions: 3 }, t, false).effect).toEqual({
      delete: false,
      replaceQuestion: t.forgetDone(3),
    });
    const failed = forgetStep(confirmed.state, { type: "failed", error: { code: "not_allowed" } }, t, false);
    expect(failed.state).toEqual(asked);
    expect(failed.effect.tellClicker).toBe(t.error("not_allowed"));
    // A click on a question already answered changes nothing.
    expect(forgetStep({ step: "cancelled" }, { type: "click", by: "1", choice: "confirm" }, t, false).effect).toEqual({
      delete: false,
    });
  });

  it("rights named for everywhere cover every scope; rights from a place cover that place only", () => {
    const base = { platform: "discord" as const, userId: "7" };
    expect(resolveViewer({ ...base, scopeId: "g1", here: "manager" })).toEqual({
      ...base,
      role: "manager",
      scopes: ["g1"],
    });
    expect(resolveViewer({ ...base, scopeId: "g1", everywhere: "trainer", here: "manager" })).toMatchObject({
      role: "manager",
      scopes: ["g1"],
    });
    expect(resolveViewer({ ...base, scopeId: "g1", everywhere: "manager", here: "trainer" })).toMatchObject({
      role: "manager",
      scopes: null,
    });
    expect(resolveViewer({ ...base, scopeId: null, here: "manager" })).toEqual({
      ...base,
      role: "trainee",
      scopes: [],
    });
    expect(resolveViewer({ ...base, scopeId: "g1" })).toEqual({ ...base, role: "trainee", scopes: [] });
    expect(managesScope(resolveViewer({ ...base, scopeId: "g1", here: "manager" }), "g2")).toBe(false);
    expect(managesScope(resolveViewer({ ...base, scopeId: "g1", here: "trainer" }), "g1")).toBe(false);
  });

  it("the menu goes archetype → difficulty → persona with one set of labels, in the trainee's language first", () => {
    const en: PersonaSummary = { ...(TEST_PERSONAS[0] as PersonaSummary), id: "en-one", language: "en" };
    const all = [...TEST_PERSONAS, en];
    expect(visiblePersonas(all, "en")).toEqual([en]);
    expect(visiblePersonas(TEST_PERSONAS, "en")).toEqual(TEST_PERSONAS);
    const first = archetypeMenu(TEST_PERSONAS, "en");
    expect(first.rows.flat().map((o) => o.label)).toEqual(["Angry", "Suspicious"]);
    const levels = difficultyMenu(TEST_PERSONAS, "suspicious", "zh-CN");
    expect(levels.rows.flat().map((o) => o.label)).toEqual(["简单", "中等", "« 返回"]);
    const pick = personaMenu(TEST_PERSONAS, "angry", "hard", "en");
    expect(pick.rows.flat().map((o) => o.action.kind)).toEqual(["persona", "archetype"]);
    // With one archetype the first question answers itself.
    expect(archetypeMenu([en], "en").text).toBe(sharedTexts("en").pickDifficulty("Angry"));
    expect(randomPersona(all, { archetype: "angry", difficulty: "medium", language: "en" }, () => 0)?.id).toBe(
      "en-one",
    );
    expect(randomPersona(all, { archetype: "suspicious", language: "en" }, () => 0.99)?.id).toBe("fee-deduction-easy");
    expect(findPersona(all, "FEE-DEDUCTION")?.id).toBe("fee-deduction");
    expect(findPersona(all, "赵阿姨")?.id).toBe("fee-deduction-easy");
    expect(findPersona(all, "  ")).toBeUndefined();
  });

  it("typing is renewed until the answer comes, and never for longer than its bound", () => {
    vi.useFakeTimers();
    try {
      let sent = 0;
      const keeper = createTypingKeeper({ everyMs: 1_000, maxMs: 5_000, now: () => Date.now() });
      keeper.start("s1", async () => void sent++);
      vi.advanceTimersByTime(3_500);
      expect(sent).toBe(4);
      vi.advanceTimersByTime(10_000);
      expect(sent).toBe(5);
      expect(keeper.active()).toEqual([]);
      keeper.start("s2", async () => void sent++);
      keeper.stop("s2");
      vi.advanceTimersByTime(5_000);
      expect(sent).toBe(6);
      keeper.close();
      keeper.start("s3", async () => void sent++);
      expect(sent).toBe(6);
    } finally {
      vi.useRealTimers();
    }
  });
});

// ---- both bots, one engine ------------------------------------------------------------------------

let engine: FakeEngine;
let api: FakeTelegramApi;
let tg: TelegramBot;
let discord: FakeDiscord;
let bot: DiscordBot;

beforeEach(() => {
  engine = fakeEngine();
  api = fakeTelegramApi();
  tg = createTelegramBot(
    { engine, defaultLanguage: "en", timeZone: ZONE },
    { token: "1:t", apiRoot: undefined, webhook: null, managerIds: [], trainerIds: [], groupAdminsAreManagers: true },
    { botInfo: TEST_BOT_INFO, client: { fetch: api.fetch } },
  );
  api.on("getChatMember", () => ({ ok: true, result: { status: "administrator", user: user(11) } }));
  discord = createFakeDiscord();
  bot = createDiscordBot(
    {
      config: { language: "en", logLevel: "silent", timeZone: ZONE },
      engine,
    },
    { token: "x", managerRoleIds: [discord.managerRoleId], trainerRoleIds: [discord.trainerRoleId], log: silentLogger },
    discord.clientOptions,
  );
  discord.attach(bot.client);
});

afterEach(async () => {
  tg.close();
  await bot.stop(100);
});

async function settleDiscord(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, 5));
    await bot.idle();
  }
}

const alice = user(11, "Alice");

describe("Telegram and Discord present the same things the same way", () => {
  it("/history: the same ten sessions with the same dates, titles and results", async () => {
    engine.historyEntries = entries(12);
    await tg.bot.handleUpdate(commandUpdate(alice, privateChat(alice), "/history"));
    const keyboard: Array<[{ text: string }]> = api.calls("sendMessage")[0].reply_markup.inline_keyboard;
    const telegramRows = keyboard.map((row) => row[0].text);
    const id = discord.command(discord.user("alice"), "history");
    await settleDiscord();
    const discordRows = String(discord.reply(id)?.embeds?.[0]?.description).split("\n");
    expect(telegramRows).toHaveLength(10);
    expect(discordRows).toEqual(telegramRows);
    expect(telegramRows).toEqual(historyRows(entries(12), "en", ZONE).map((r) => r.label));
  });

  it("the full report: the same file name on both", async () => {
    const startedAt = Date.UTC(2026, 2, 1, 1, 30);
    const d = discord.user("alice");
    const tgSession = makeSession({
      traineeId: "telegram:11",
      place: { platform: "telegram", scopeId: null, chatId: "11", threadId: null },
      startedAt,
    });
    engine.sessions.push(tgSession);
    await tg.bot.handleUpdate(callbackUpdate(alice, privateChat(alice), `rep:${tgSession.id}`));
    const raw = api.log.find((c) => c.method === "sendDocument")?.raw ?? "";
    const telegramName = /filename="?([^";\r\n]+)/.exec(raw)?.[1];

    const dSession = makeSession({
      id: "d-1",
      traineeId: traineeKey({ platform: "discord", userId: d.id }),
      place: { platform: "discord", scopeId: discord.guildId, chatId: discord.channelId, threadId: null },
      startedAt,
    });
    engine.sessions.push(dSession);
    const click = discord.button(d, buttonId("fullReport", dSession.id), discord.channelId);
    await settleDiscord();
    const discordName = discord.reply(click)?.files[0]?.name;
    expect(telegramName).toBe("report-atm-counterfeit-note-2026-03-01-0930.md");
    expect(discordName).toBe(telegramName);
  });

  it("difficulty labels: Telegram's menu buttons and Discord's command choices read the same", async () => {
    await tg.bot.handleUpdate(commandUpdate(alice, privateChat(alice), "/roleplay"));
    await tg.bot.handleUpdate(callbackUpdate(alice, privateChat(alice), "rp:a:11:suspicious"));
    const menu = api.calls("editMessageText").at(-1)?.reply_markup.inline_keyboard.flat() as Array<{
      text: string;
      callback_data: string;
    }>;
    const telegram = Object.fromEntries(
      menu.filter((b) => b.callback_data.startsWith("rp:d:")).map((b) => [b.callback_data.split(":").at(-1), b.text]),
    );
    // biome-ignore lint/suspicious/noExplicitAny: command JSON is loose
    const start = (commandDefinitions()[0] as any).options.find((o: { name: string }) => o.name === "start");
    const choices = start.options.find((o: { name: string }) => o.name === "difficulty").choices;
    const discordLabels = Object.fromEntries(choices.map((c: { value: string; name: string }) => [c.value, c.name]));
    expect(Object.keys(telegram)).toEqual(["easy", "medium"]);
    for (const [value, label] of Object.entries(telegram)) expect(discordLabels[value]).toBe(label);
    expect(Object.keys(discordLabels)).toEqual([...DIFFICULTIES]);
    const zh = Object.fromEntries(
      choices.map((c: { value: string; name_localizations: Record<string, string> }) => [
        c.value,
        c.name_localizations["zh-CN"],
      ]),
    );
    expect(zh).toEqual({ easy: "简单", medium: "中等", hard: "困难" });
  });

  it("language names: Telegram's /language buttons and Discord's language choices name each language alike", async () => {
    await tg.bot.handleUpdate(commandUpdate(alice, privateChat(alice), "/language"));
    const buttons = api.calls("sendMessage").at(-1)?.reply_markup.inline_keyboard.flat() as Array<{
      text: string;
      callback_data: string;
    }>;
    // biome-ignore lint/suspicious/noExplicitAny: command JSON is loose
    const language = (commandDefinitions()[0] as any).options.find((o: { name: string }) => o.name === "language");
    const choices = language.options[0].choices as Array<{ name: string; value: string }>;
    for (const c of choices) {
      const button = buttons.find((b) => b.callback_data === `lang:u:${c.value}`);
      expect(button?.text).toBe(telegramMessages("en").languageForMe(c.name));
    }
    expect(choices.map((c) => c.name)).toEqual(["简体中文", "English"]);
  });

  it("deleting one's data: a stranger's click is refused with the same words; the owner's deletes and says how much", async () => {
    const g = group();
    await tg.bot.handleUpdate(callbackUpdate(user(12, "Bob"), g, "forget:y:11"));
    const telegramRefusal = api.calls("answerCallbackQuery").at(-1)?.text;
    const aliceD = discord.user("alice");
    const refused = discord.button(discord.user("bob"), forgetButtonId("confirm", aliceD.id), discord.channelId);
    await settleDiscord();
    const discordRefusal = discord.callbacks(refused)[0]?.data.content;
    expect(engine.forgotten).toEqual([]);
    expect(discordRefusal).toBe(telegramRefusal);
    expect(telegramRefusal).toBe(telegramMessages("en").forgetNotYours);

    engine.activate({ userId: "11" }, { platform: "telegram", scopeId: null, chatId: "11", threadId: null });
    await tg.bot.handleUpdate(callbackUpdate(alice, privateChat(alice), "forget:y:11"));
    const telegramDone = api.calls("editMessageText").at(-1)?.text;
    engine.sessions.push(
      makeSession({
        traineeId: traineeKey({ platform: "discord", userId: aliceD.id }),
        place: { platform: "discord", scopeId: discord.guildId, chatId: discord.channelId, threadId: "1" },
      }),
    );
    const confirmed = discord.button(aliceD, forgetButtonId("confirm", aliceD.id), discord.channelId);
    await settleDiscord();
    expect(engine.forgotten.map((t) => t.platform)).toEqual(["telegram", "discord"]);
    expect(discord.reply(confirmed)?.content).toBe(telegramDone);
    expect(telegramDone).toBe(telegramMessages("en").forgetDone(1));
  });

  it("who reads what: a manager of the place reads that place's reports on both, nowhere else", async () => {
    const g = group();
    const tgSession = makeSession({
      traineeId: "telegram:99",
      place: { platform: "telegram", scopeId: String(g.id), chatId: String(g.id), threadId: null },
    });
    engine.sessions.push(tgSession);
    await tg.bot.handleUpdate(callbackUpdate(alice, g, `rep:${tgSession.id}`));
    const dSession = makeSession({
      traineeId: "discord:99",
      place: { platform: "discord", scopeId: discord.guildId, chatId: discord.channelId, threadId: null },
    });
    engine.sessions.push(dSession);
    const meg = discord.user("meg", [discord.managerRoleId]);
    discord.button(meg, buttonId("fullReport", dSession.id), discord.channelId);
    await settleDiscord();
    const [telegramViewer, discordViewer] = engine.reports.map((r) => r.viewer);
    expect(telegramViewer).toEqual({ platform: "telegram", userId: "11", role: "manager", scopes: [String(g.id)] });
    expect(discordViewer).toEqual({ platform: "discord", userId: meg.id, role: "manager", scopes: [discord.guildId] });
  });
});
