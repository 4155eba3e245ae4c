// Managers' /report in Telegram, over the real report builder and an in-memory store.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTelegramBot, type TelegramBot } from "../../src/platforms/telegram/bot.ts";
import type { ManagerReportsApi } from "../../src/roleplay/api.ts";
import { reportForChat } from "../../src/reports/chat.ts";
import { reportMessages } from "../../src/reports/messages.ts";
import { openStore } from "../../src/store/index.ts";
import type { Store } from "../../src/store/port.ts";
import { type FakeTelegramApi, fakeTelegramApi, TEST_BOT_INFO } from "../support/telegram-fake-api.ts";
import { fakeEngine } from "../support/telegram-fake-engine.ts";
import { commandUpdate, group, privateChat, user } from "../support/telegram-updates.ts";

const SETTINGS = {
  token: "123:test",
  apiRoot: undefined,
  webhook: null,
  managerIds: ["900"],
  trainerIds: [],
  groupAdminsAreManagers: false,
};

let api: FakeTelegramApi;
let store: Store;
let tg: TelegramBot;

beforeEach(async () => {
  api = fakeTelegramApi();
  store = await openStore("sqlite::memory:");
  const reports: ManagerReportsApi = {
    async forChat(viewer, period, language, scope) {
      const r = await reportForChat(store, { viewer, period, language, scope, timeZone: "UTC" });
      if (r.ok) return { ok: true, text: r.text, files: r.files };
      return { ok: false, message: reportMessages(language)[r.error === "not_allowed" ? "notAllowed" : "badPeriod"] };
    },
  };
  tg = createTelegramBot({ engine: fakeEngine(), reports, defaultLanguage: "en" }, SETTINGS, {
    botInfo: TEST_BOT_INFO,
    client: { fetch: api.fetch },
  });
});
afterEach(async () => {
  await tg.close();
  await store.close();
});

describe("managers' /report in Telegram", () => {
  it("a trainee calling /report is refused and gets no file", async () => {
    const trainee = user(11, "Alice");
    await tg.bot.handleUpdate(commandUpdate(trainee, privateChat(trainee), "/report"));
    const texts = api.calls("sendMessage").map((m) => (m as { text: string }).text);
    expect(texts.join("\n")).toContain("Only managers and trainers");
    expect(api.calls("sendDocument")).toHaveLength(0);
  });

  it("a manager gets the summary and the HTML report privately, even when asking in a group", async () => {
    const manager = user(900, "Mia");
    await tg.bot.handleUpdate(commandUpdate(manager, group(), "/report 30d"));
    const toManager = api.calls("sendMessage").filter((m) => String((m as { chat_id: unknown }).chat_id) === "900");
    expect(toManager.length).toBeGreaterThanOrEqual(1);
    const doc = api.log.find((c) => c.method === "sendDocument");
    expect(String(doc?.payload.chat_id)).toBe("900");
    expect(doc?.raw).toMatch(/filename="?[^"]+\.html/);
    expect(doc?.raw).toContain("<html");
  });

  it("an unreadable period is explained", async () => {
    const manager = user(900, "Mia");
    await tg.bot.handleUpdate(commandUpdate(manager, privateChat(manager), "/report lastweek"));
    const texts = api.calls("sendMessage").map((m) => (m as { text: string }).text);
    expect(texts.join("\n")).toContain("7d, 30d, 90d");
  });
});
