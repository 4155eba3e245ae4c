// Assignments through Discord, with the real app (engine, evaluator, SQLite file) against the fake
// Discord and the fake model server: a trainer sets two customers for the server as an assessment
// with two attempts; the trainee (whose Discord speaks Chinese) sees both under
// `/roleplay assignments`, starts one with its button in a new thread, a third attempt is refused
// in Chinese, no card arrives until the trainer releases the results, and then both arrive once.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { assignmentMessages } from "../../src/assignments/messages.ts";
import type { App } from "../../src/app.ts";
import { traineeKey } from "../../src/domain/session.ts";
import { assignmentButtonId } from "../../src/platforms/discord/assignments.ts";
import { DISCORD_COMMANDS } from "../../src/platforms/discord/messages.ts";
import { roleplayMessages } from "../../src/roleplay/messages.ts";
import { type FakeDiscord, type FakeUser } from "../support/discord-harness.ts";
import { type DiscordRig, startDiscordRig } from "../support/discord-rig.ts";
import { roleplayResponder } from "../support/llm-scripts.ts";

const A = "atm-counterfeit-note";
const B = "atm-card-swallowed";
const zh = assignmentMessages("zh-CN");
const en = assignmentMessages("en");
const HINTS = { list: "/roleplay assignments", personas: "/roleplay personas" };
const ZH = { locale: "zh-CN" };

let rig: DiscordRig;
let discord: FakeDiscord;
let app: App;
const settle = () => rig.settle();

beforeEach(async () => {
  rig = await startDiscordRig({
    respondWith: roleplayResponder(),
    env: {
      TIME_ZONE: "Asia/Shanghai",
      // Reminders at any hour, from three days before the due time (a due day tomorrow is in range).
      QUIET_HOURS: "off",
      ASSIGNMENT_REMINDER_HOURS: "72",
    },
  });
  ({ discord, app } = rig);
});

afterEach(async () => {
  await rig.close();
});

const buttonsOf = (reply: { components?: Array<{ components: Array<{ custom_id: string }> }> } | undefined) =>
  (reply?.components ?? []).flatMap((row) => row.components.map((c) => c.custom_id));

describe("assignments in Discord", () => {
  it("assessment for the server with two attempts: listed with buttons, third refused in the trainee's language, cards only after release", async () => {
    const trainer = discord.user("trainer", [discord.trainerRoleId]);
    const alice: FakeUser = discord.user("alice");
    const due = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const created = await app.assignments.create({
      personas: `${A},${B}`,
      to: `discord-server:${discord.guildId}`,
      due,
      mode: "assessment",
      attempts: "2",
      createdBy: "console:lead",
    });
    if (!created.ok) throw new Error(JSON.stringify(created.error));
    const id = created.assignment.id;

    // A trainee may not close or release.
    const refused = discord.command(alice, "assignments", { action: "release", id }, ZH);
    await settle();
    expect(discord.reply(refused)?.content).toBe(zh.trainersOnly);

    const list = discord.command(alice, "assignments", {}, ZH);
    await settle();
    const reply = discord.reply(list);
    expect(discord.callbacks(list)[0]?.data?.flags).toBe(64);
    expect(reply?.content).toContain(id);
    expect(reply?.content).toContain(zh.status("not_started"));
    expect(buttonsOf(reply)).toEqual([assignmentButtonId(id, 0), assignmentButtonId(id, 1)]);

    // Notices in the thread speak the server's language (BOT_LANGUAGE here), as for any session.
    const held = roleplayMessages("en").notice("evaluation_held", DISCORD_COMMANDS);
    const threads: string[] = [];
    for (let attempt = 1; attempt <= 2; attempt++) {
      const click = discord.button(alice, assignmentButtonId(id, 0), discord.channelId, ZH);
      await settle();
      const thread = discord.threads().at(-1);
      if (!thread) throw new Error("no thread");
      threads.push(thread.id);
      expect(discord.reply(click)?.content).toContain(`<#${thread.id}>`);
      // Started in the server: remembered as a member of the server's target.
      const rows = await app.assignments.progress(created.assignment);
      expect(rows.map((r) => r.traineeId)).toEqual([traineeKey({ platform: "discord", userId: alice.id })]);
      for (const line of ["您好，请问遇到什么问题了？", `您别着急，我先帮您登记，第${attempt}次。`]) {
        discord.message(alice, thread.id, line);
        await settle();
      }
      discord.command(alice, "end", {}, { channelId: thread.id, ...ZH });
      await settle();
      const posted = discord.messagesIn(thread.id);
      expect(posted.some((x) => x.content === held)).toBe(true);
      expect(posted.some((x) => (x.embeds ?? []).length > 0)).toBe(false);
    }
    expect(new Set(threads).size).toBe(2);

    // The third attempt is refused in Chinese, and no thread is left behind.
    const third = discord.button(alice, assignmentButtonId(id, 0), discord.channelId, ZH);
    await settle();
    expect(discord.reply(third)?.content).toBe(zh.error("attempts_used", HINTS, A));
    expect(discord.threads()).toHaveLength(2);
    expect(await app.store.listActiveSessions()).toEqual([]);

    // The list no longer offers the used-up customer and shows no score while results are held.
    const again = discord.command(alice, "assignments", {}, ZH);
    await settle();
    expect(buttonsOf(discord.reply(again))).toEqual([assignmentButtonId(id, 1)]);
    expect(discord.reply(again)?.content).toContain(zh.resultsHeld);

    // The trainer's view shows completion; release delivers both held cards once.
    const overview = discord.command(trainer, "assignments", {});
    await settle();
    expect(discord.reply(overview)?.content).toContain(id);
    const release = discord.command(trainer, "assignments", { action: "release", id });
    await settle();
    expect(discord.reply(release)?.content).toBe(en.releasedDone(id));
    const cards = () => threads.flatMap((t) => discord.messagesIn(t).filter((x) => (x.embeds ?? []).length > 0));
    expect(cards()).toHaveLength(2);
    for (const card of cards()) {
      expect(buttonsOf(card).some((b) => b.startsWith("rp:again:"))).toBe(false);
    }
    await app.engine.sweep();
    await settle();
    expect(cards()).toHaveLength(2);

    // Closed: the list says so and offers nothing to start.
    const close = discord.command(trainer, "assignments", { action: "close", id });
    await settle();
    expect(discord.reply(close)?.content).toBe(en.closedDone(id));
    const after = discord.command(alice, "assignments", {}, ZH);
    await settle();
    expect(buttonsOf(discord.reply(after))).toEqual([]);
  }, 120_000);

  it("reminds a Discord trainee by direct message, once a day, in their language, and again after a refused DM", async () => {
    const alice = discord.user("alice");
    const bob = discord.user("bob");
    // Both have used the bot before; Bob chose Chinese. Carol, named by id, never has: she cannot
    // be reminded (no trainee row), and the others still are.
    discord.command(alice, "language", { language: "en" });
    discord.command(bob, "language", { language: "zh-CN" });
    await settle();
    const carol = discord.user("carol");
    const due = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const created = await app.assignments.create({
      personas: A,
      to: `discord:${alice.id},discord:${bob.id},discord:${carol.id}`,
      due,
      createdBy: "console:lead",
    });
    if (!created.ok) throw new Error(JSON.stringify(created.error));
    const title = app.engine.personas().find((p) => p.id === A)?.title ?? A;
    // Alice's DMs are closed the first time: her reminder is given back and sent at the next sweep.
    discord.failNext("POST", /^\/users\/@me\/channels$/, {
      status: 403,
      code: 50007,
      message: "Cannot send messages to this user",
    });
    await app.engine.sweep();
    await settle();
    const texts = (u: FakeUser) => discord.directMessages(u).map((x) => x.content);
    const sentTo = discord.requestsTo("POST", /^\/users\/@me\/channels$/).map((r) => r.body.recipient_id);
    expect(sentTo.sort()).toEqual([alice.id, bob.id].sort());
    const failed = sentTo[0] === alice.id ? alice : bob;
    const other = failed === alice ? bob : alice;
    const expected = (u: FakeUser) =>
      (u === bob ? zh : en).reminderBefore(title, created.assignment.dueDay, "/roleplay assignments");
    expect(texts(failed)).toEqual([]);
    expect(texts(other)).toEqual([expected(other)]);
    await app.engine.sweep();
    await settle();
    expect(texts(failed)).toEqual([expected(failed)]);
    // One a day: a further sweep sends nothing.
    await app.engine.sweep();
    await settle();
    expect(texts(alice)).toHaveLength(1);
    expect(texts(bob)).toHaveLength(1);
    expect(texts(carol)).toEqual([]);
  }, 60_000);
});
