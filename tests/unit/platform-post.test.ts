// What the digest's `post` does on each built-in platform, against the fake Bot API and the fake
// Discord: the text, and the HTML report as a file, to the configured chat or channel.
import { Bot } from "grammy";
import { describe, expect, it } from "vitest";
import { silentLogger } from "../../src/log.ts";
import { createDiscordBot } from "../../src/platforms/discord/bot.ts";
import { postToChannel } from "../../src/platforms/discord/platform.ts";
import { postToChat } from "../../src/platforms/telegram/post.ts";
import { createFakeDiscord } from "../support/discord-harness.ts";
import { fakeTelegramApi, TEST_BOT_INFO } from "../support/telegram-fake-api.ts";
import { fakeEngine } from "../support/telegram-fake-engine.ts";

const report = { name: "report-2026-01-01.html", content: Buffer.from("<!doctype html><html>周报</html>", "utf8") };

describe("posting the digest", () => {
  it("Telegram: the text to the chat, then the report as a document", async () => {
    const api = fakeTelegramApi();
    const bot = new Bot("123:test", { botInfo: TEST_BOT_INFO, client: { fetch: api.fetch } });
    await postToChat(bot.api, "-1001", "本周练习：3 次", [report]);
    expect(api.log.map((c) => c.method)).toEqual(["sendMessage", "sendDocument"]);
    expect(api.calls("sendMessage")[0]).toMatchObject({ chat_id: "-1001", text: "本周练习：3 次" });
    const upload = api.log[1]?.raw ?? "";
    expect(upload).toContain("filename=report-2026-01-01.html");
    expect(upload).toContain("<!doctype html><html>周报</html>");
  });

  it("Discord: one message in the channel with the report attached, and a clear error for a channel it cannot post in", async () => {
    const discord = createFakeDiscord();
    const bot = createDiscordBot(
      { config: { language: "en", logLevel: "silent" }, engine: fakeEngine() },
      { token: "x", appId: discord.appId, managerRoleIds: [], trainerRoleIds: [], log: silentLogger },
      discord.clientOptions,
    );
    discord.attach(bot.client);
    await postToChannel(bot.client, discord.channelId, "Sessions: 3 started", [report]);
    const posted = discord.messagesIn(discord.channelId);
    expect(posted.map((m) => m.content)).toEqual(["Sessions: 3 started"]);
    const upload = discord.requestsTo("POST", new RegExp(`/channels/${discord.channelId}/messages$`))[0];
    expect(upload?.files.map((f) => [f.name, f.data.toString("utf8")])).toEqual([
      [report.name, report.content.toString("utf8")],
    ]);
    await expect(postToChannel(bot.client, "1", "x", [])).rejects.toThrow(
      /REPORT_DIGEST_DISCORD_CHANNEL_ID|Unknown Channel/,
    );
    await bot.stop();
  });
});
