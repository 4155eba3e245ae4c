// The Discord bot with the real app (engine, evaluator, SQLite file) against the fake Discord and
// the fake OpenAI-compatible server over local HTTP: whole sessions as a trainee lives them.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type App, createApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import type { Persona } from "../../src/domain/persona.ts";
import { type Session, traineeKey } from "../../src/domain/session.ts";
import { reportFileName } from "../../src/platforms/shared/report-file.ts";
import { createLogger, silentLogger } from "../../src/log.ts";
import { createDiscordBot, type DiscordBot } from "../../src/platforms/discord/bot.ts";
import { discordSettings } from "../../src/platforms/discord/platform.ts";
import { buttonId } from "../../src/platforms/discord/commands.ts";
import { DISCORD_COMMANDS, discordMessages } from "../../src/platforms/discord/messages.ts";
import { roleplayMessages } from "../../src/roleplay/messages.ts";
import { embedLength, LIMITS } from "../../src/platforms/discord/render.ts";
import { createFakeDiscord, type FakeDiscord, type FakeUser } from "../support/discord-harness.ts";
import {
  type FakeLlm,
  type FakeReply,
  type FakeRequestBody,
  lastUserText,
  schemaNameOf,
  startFakeLlm,
} from "../support/fake-llm.ts";
import { judgeReply } from "../support/judge-reply.ts";

let dir: string;
let llm: FakeLlm;
let discord: FakeDiscord;
let app: App;
let bot: DiscordBot;
let persona: Persona;
/** What the customer says next (a function of the trainee's last words), and how late. */
let customer: { say: (heard: string) => string; delayMs: number };
let customerAnsweredAt: number[];

function judge(body: FakeRequestBody): FakeReply {
  const user: string = body.messages.find((m: { role: string }) => m.role === "user").content;
  const criteria = [...user.matchAll(/criterion_id "([^"]+)"/g)].map((m) => m[1]);
  const checks = [...user.matchAll(/check_id "([^"]+)"/g)].map((m) => m[1]);
  const firstTrainee = /\[turn (\d+)\] trainee: (.+)/.exec(user);
  const evidence = firstTrainee ? [{ turn: Number(firstTrainee[1]), quote: (firstTrainee[2] ?? "").slice(0, 12) }] : [];
  return {
    json: judgeReply({
      criteria: criteria.map((id, i) => ({
        criterion_id: id as string,
        observation: `observation ${i}`,
        evidence,
        score: 2 + (i % 3),
        better_phrasing: { you_said: null, turn: null, try_instead: "Name the next step and when it will happen." },
      })),
      scenario_checks: checks.map((id) => ({ check_id: id as string, verdict: "yes", note: "done" })),
      flags: { taboos: [], manipulation: [], principle_violations: [] },
      summary: "Kept calm and listened; be more concrete about the next step.",
    }),
  };
}

async function settle(): Promise<void> {
  // Work hops between the bot, the engine, the evaluator and the two fake servers: wait until
  // several rounds in a row find nothing running.
  for (let quiet = 0; quiet < 3; ) {
    await new Promise((r) => setTimeout(r, 10));
    const before = discord.requests.length + llm.requests.length;
    await bot.idle();
    await app.engine.idle();
    quiet = discord.requests.length + llm.requests.length === before ? quiet + 1 : 0;
  }
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "discord-it-"));
  customer = { say: (heard) => `You say "${heard.slice(0, 20)}", but I want my money back.`, delayMs: 0 };
  customerAnsweredAt = [];
  llm = await startFakeLlm({
    models: ["fake"],
    respondWith: (body) => {
      if (schemaNameOf(body) === "evaluation") return judge(body);
      const reply: FakeReply = {
        json: {
          text: customer.say(lastUserText(body).replace(/^\[staff-[0-9a-f]+\]\s*/gm, "")),
          mood: persona.emotion.mood_start,
          trigger_id: null,
          outcome: "continue",
          revealed_fact_ids: [],
          reason: "test",
        },
      };
      customerAnsweredAt.push(Date.now() + customer.delayMs);
      // biome-ignore lint/suspicious/noThenProperty: the fake LLM's delayed reply is shaped { delayMs, then }
      return customer.delayMs > 0 ? { delayMs: customer.delayMs, then: reply } : reply;
    },
  });
  discord = createFakeDiscord();
  const config = loadConfig({
    DATABASE_URL: `sqlite:${join(dir, "db.sqlite")}`,
    LLM_BASE_URL: llm.url,
    LLM_API_KEY: "test",
    LLM_MODEL: "fake",
    LLM_MAX_RETRIES: "0",
    DISCORD_TOKEN: "x",
    DISCORD_APP_ID: discord.appId,
    DISCORD_TRAINER_ROLE_IDS: discord.trainerRoleId,
    DISCORD_MANAGER_ROLE_IDS: discord.managerRoleId,
    BOT_LANGUAGE: "en",
    LOG_LEVEL: "silent",
    // One test sends a reply of over 6000 characters to see it split; the engine's default bound is lower.
    CUSTOMER_REPLY_MAX_CHARS: "3000",
  });
  app = await createApp(config, {
    watch: false,
    log: process.env.DEBUG_DISCORD_IT ? createLogger("debug") : silentLogger,
  });
  const found = app.catalogue
    .personas()
    .find((p) => p.language === "en" && p.who_opens === "customer" && p.opening.length > 0);
  if (!found) throw new Error("the repository needs an English persona whose customer opens the conversation");
  persona = found;
  const d = discordSettings(config);
  if (!d) throw new Error("Discord config missing");
  bot = createDiscordBot(
    app,
    {
      token: d.token,
      appId: d.appId,
      managerRoleIds: d.managerRoleIds,
      trainerRoleIds: d.trainerRoleIds,
      log: silentLogger,
    },
    discord.clientOptions,
  );
  discord.attach(bot.client);
});

afterEach(async () => {
  await bot.stop(1_000);
  await app.close();
  await llm.close();
  rmSync(dir, { recursive: true, force: true });
});

async function start(user: FakeUser, opts: Record<string, string | boolean> = {}) {
  const id = discord.command(user, "start", { persona: persona.id, ...opts });
  await settle();
  const thread = discord.threads().at(-1);
  if (!thread) throw new Error(`no thread; reply: ${discord.reply(id)?.content}`);
  return { id, thread };
}

function customerMessagesIn(threadId: string) {
  return discord.messagesIn(threadId).filter((m) => m.webhook_id);
}

describe("Discord with the real engine", () => {
  it("/roleplay start defers, creates a thread, and the customer's opening arrives in it", async () => {
    const alice = discord.user("alice");
    const { id, thread } = await start(alice);
    const ack = discord.requestsTo("POST", new RegExp(`^/interactions/${id}/`));
    const created = discord.requestsTo("POST", /\/threads$/);
    expect(ack).toHaveLength(1);
    expect(ack[0]?.body).toEqual({ type: 5, data: { flags: 64 } });
    expect((ack[0]?.seq ?? 99) < (created[0]?.seq ?? 0)).toBe(true);
    expect(thread.parent_id).toBe(discord.channelId);
    const opening = customerMessagesIn(thread.id);
    expect(opening).toHaveLength(1);
    expect(persona.opening.map((o) => o.trim())).toContain(opening[0]?.content);
    expect(opening[0]?.author.username).toBe(persona.name);
    const sessions = await app.store.listActiveSessions();
    expect(sessions.map((s) => s.place)).toEqual([
      { platform: "discord", scopeId: discord.guildId, chatId: discord.channelId, threadId: thread.id },
    ]);
    // The opening's message id is kept, so a reconnect knows where to look from.
    const turns = await app.store.listTurns(sessions[0]?.id ?? "");
    expect(turns[0]?.platformMessageId).toBe(opening[0]?.id);
  });

  it("three trainee turns, a watcher's message that is not a turn, /roleplay end: an evaluation embed within limits and the thread archived", async () => {
    const alice = discord.user("alice");
    const bob = discord.user("bob");
    const { thread } = await start(alice);
    const said = [
      "Good morning, I'm sorry to hear that. What happened?",
      "I understand, that must be worrying.",
      "Let me check the ATM record with you now.",
    ];
    discord.message(alice, thread.id, said[0] as string);
    await settle();
    discord.message(bob, thread.id, "Nice opening, Alice!");
    await settle();
    discord.message(alice, thread.id, said[1] as string);
    await settle();
    discord.message(alice, thread.id, said[2] as string);
    await settle();

    const customerCalls = llm.chatRequests.filter((r) => schemaNameOf(r.body) === "customer_reply");
    expect(customerCalls).toHaveLength(3);
    expect(JSON.stringify(customerCalls.map((r) => r.body.messages))).not.toContain("Nice opening");
    expect(customerMessagesIn(thread.id)).toHaveLength(4);

    const end = discord.command(alice, "end", {}, { channelId: thread.id });
    await settle();
    expect(discord.callbacks(end)).toHaveLength(1);
    const session = (
      await app.store.listSessions({ traineeId: traineeKey({ platform: "discord", userId: alice.id }) })
    )[0];
    expect(session?.status).toBe("evaluated");
    const turns = await app.store.listTurns(session?.id ?? "");
    expect(turns.filter((t) => t.speaker === "trainee").map((t) => t.text)).toEqual(said);

    const card = discord.messagesIn(thread.id).find((m) => m.embeds?.length > 0);
    const embed = card?.embeds[0];
    expect(embed?.title).toBeTruthy();
    expect(embed?.fields.length).toBeGreaterThan(3);
    expect(embed?.fields.length).toBeLessThanOrEqual(LIMITS.fields);
    expect(embed?.description.length).toBeLessThanOrEqual(LIMITS.description);
    for (const f of embed?.fields ?? []) expect(f.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
    expect(embedLength(embed)).toBeLessThanOrEqual(LIMITS.total);
    expect(card?.components[0].components.map((c: { custom_id: string }) => c.custom_id)).toEqual([
      buttonId("fullReport", session?.id ?? ""),
      buttonId("tryAgain", session?.id ?? ""),
    ]);
    expect(discord.channel(thread.id)?.thread_metadata).toMatchObject({ archived: true, locked: true });
  });

  it("acknowledges /roleplay end within 3 s while the customer model takes 4 s to answer", async () => {
    const alice = discord.user("alice");
    const { thread } = await start(alice);
    customer.delayMs = 4_000;
    discord.message(alice, thread.id, "Hello, how can I help?");
    await llm.waitForChatRequests(1, 2_000);
    const sentAt = Date.now();
    const end = discord.command(alice, "end", {}, { channelId: thread.id });
    // Wait only until the acknowledgement is there, not for the model.
    while (discord.callbacks(end).length === 0 && Date.now() - sentAt < 3_000)
      await new Promise((r) => setTimeout(r, 5));
    const ackAt = Date.now();
    expect(discord.callbacks(end)).toHaveLength(1);
    expect(ackAt - sentAt).toBeLessThan(3_000);
    // The model had not answered yet when the command was acknowledged.
    expect(ackAt).toBeLessThan(customerAnsweredAt[0] ?? 0);
    await settle();
  }, 20_000);

  it("a customer reply of 5000 characters arrives in parts of at most 2000", async () => {
    const alice = discord.user("alice");
    const { thread } = await start(alice);
    const long = Array.from(
      { length: 100 },
      (_, i) => `This is sentence number ${String(i).padStart(3, "0")} of my long complaint, listen well.`,
    ).join(" ");
    expect(long.length).toBeGreaterThanOrEqual(5_000);
    customer.say = () => long;
    discord.message(alice, thread.id, "Please tell me everything.");
    await settle();
    const parts = customerMessagesIn(thread.id).slice(1);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    for (const p of parts) expect(p.content.length).toBeLessThanOrEqual(2_000);
    expect(parts.map((p) => p.content).join(" ")).toBe(long);
  });

  it("explains which permission is missing when Discord refuses to create the thread", async () => {
    discord.failNext("POST", /\/channels\/\d+\/threads$/, { status: 403, code: 50013, message: "Missing Permissions" });
    const id = discord.command(discord.user("alice"), "start", { persona: persona.id });
    await settle();
    const reply = discord.reply(id)?.content ?? "";
    expect(reply).toContain("Create Public Threads");
    expect(reply).toContain("Send Messages in Threads");
    expect(await app.store.listActiveSessions()).toHaveLength(0);
  });

  it("the Full report button sends the Markdown report only to the trainee and to managers", async () => {
    const alice = discord.user("alice");
    const { thread } = await start(alice);
    for (const text of ["Hello, I'm sorry about this.", "Let me check that for you right away."]) {
      discord.message(alice, thread.id, text);
      await settle();
    }
    discord.command(alice, "end", {}, { channelId: thread.id });
    await settle();
    const session = (
      await app.store.listSessions({ traineeId: traineeKey({ platform: "discord", userId: alice.id }) })
    )[0];
    const custom = buttonId("fullReport", session?.id ?? "");
    const own = discord.button(alice, custom, thread.id);
    const stranger = discord.button(discord.user("mallory"), custom, thread.id);
    const manager = discord.button(discord.user("meg", [discord.managerRoleId]), custom, thread.id);
    await settle();
    for (const id of [own, stranger, manager]) expect(discord.callbacks(id)[0]?.data.flags).toBe(64);
    const file = discord.reply(own)?.files[0];
    expect(file?.name).toBe(reportFileName(session as Session, app.config.timeZone));
    expect(file?.data.toString("utf8")).toContain("Let me check that for you right away.");
    expect(discord.reply(manager)?.files).toHaveLength(1);
    expect(discord.reply(stranger)?.files).toHaveLength(0);
    expect(discord.reply(stranger)?.content).toBe(roleplayMessages("en").error("not_allowed", DISCORD_COMMANDS));
  });

  it("the same message id delivered twice makes one turn", async () => {
    const alice = discord.user("alice");
    const { thread } = await start(alice);
    const msg = discord.message(alice, thread.id, "Hello, what happened?");
    await settle();
    discord.redeliver(msg);
    await settle();
    const [session] = await app.store.listActiveSessions();
    const turns = await app.store.listTurns(session?.id ?? "");
    expect(turns.filter((t) => t.speaker === "trainee")).toHaveLength(1);
    expect(llm.chatRequests.filter((r) => schemaNameOf(r.body) === "customer_reply")).toHaveLength(1);
  });

  it("after a reconnect, answers what the trainee wrote while the bot was offline", async () => {
    const alice = discord.user("alice");
    const { thread } = await start(alice);
    discord.message(alice, thread.id, "Hello, what happened?");
    await settle();
    discord.postWhileOffline(alice, thread.id, "Are you still there? I can check the ATM log.");
    discord.postWhileOffline(discord.user("bob"), thread.id, "(watching)");
    discord.ready();
    await settle();
    const [session] = await app.store.listActiveSessions();
    const turns = await app.store.listTurns(session?.id ?? "");
    expect(turns.filter((t) => t.speaker === "trainee").map((t) => t.text)).toEqual([
      "Hello, what happened?",
      "Are you still there? I can check the ATM log.",
    ]);
    expect(customerMessagesIn(thread.id)).toHaveLength(3);
  });
  it("Try again starts the same customer in a new thread once the evaluation is posted", async () => {
    const alice = discord.user("alice");
    const { thread } = await start(alice);
    for (const text of ["Hello, I'm sorry about this.", "Let me check that for you right away."]) {
      discord.message(alice, thread.id, text);
      await settle();
    }
    discord.command(alice, "end", {}, { channelId: thread.id });
    await settle();
    const [first] = await app.store.listSessions({ traineeId: traineeKey({ platform: "discord", userId: alice.id }) });
    discord.button(alice, buttonId("tryAgain", first?.id ?? ""), thread.id);
    await settle();
    const threads = discord.threads();
    expect(threads).toHaveLength(2);
    const [active] = await app.store.listActiveSessions();
    expect(active?.personaId).toBe(first?.personaId);
    expect(active?.place.threadId).toBe(threads[1]?.id);
    expect(customerMessagesIn(threads[1]?.id)).toHaveLength(1);
  });

  it("answers a photo with 'text only' and does not send it to the customer", async () => {
    const alice = discord.user("alice");
    const { thread } = await start(alice);
    discord.message(alice, thread.id, "here is the note", { attachments: 1 });
    await settle();
    const [session] = await app.store.listActiveSessions();
    expect((await app.store.listTurns(session?.id ?? "")).filter((t) => t.speaker === "trainee")).toHaveLength(0);
    expect(llm.chatRequests).toHaveLength(0);
    expect(discord.messagesIn(thread.id).at(-1)?.content).toBe(discordMessages("en").textOnly);
  });

  it("speaks Chinese to a trainee whose Discord is set to Chinese", async () => {
    const id = discord.command(discord.user("xiaoming"), "personas", {}, { locale: "zh-CN" });
    await settle();
    expect(discord.reply(id)?.embeds?.[0]?.title).toBe(discordMessages("zh-CN").personasTitle);
  });
});
