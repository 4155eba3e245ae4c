// Setting assignments from Discord with `/roleplay assign`, with the real app (engine, assignment
// service, SQLite file) against the fake Discord: a trainer sets an assessment for the server with
// two customers and two attempts, and the trainee sees both with start buttons; a trainee is
// refused in their language; a bad date, a past day, an unknown persona and attempts in practice
// each get the sentence that says what to fix, and nothing is stored; a role or a member narrows it.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { assignmentMessages } from "../../src/assignments/messages.ts";
import type { App } from "../../src/app.ts";
import { assignmentButtonId } from "../../src/platforms/discord/assignments.ts";
import { discordMessages } from "../../src/platforms/discord/messages.ts";
import type { FakeDiscord } from "../support/discord-harness.ts";
import { type DiscordRig, startDiscordRig } from "../support/discord-rig.ts";
import { roleplayResponder } from "../support/llm-scripts.ts";

const A = "atm-counterfeit-note";
const B = "atm-card-swallowed";
const zh = assignmentMessages("zh-CN");
const en = assignmentMessages("en");
const HINTS = { list: "/roleplay assignments", personas: "/roleplay personas" };
const ZH = { locale: "zh-CN" };
const dayFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

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

describe("/roleplay assign", () => {
  it("a trainer sets an assessment for the server with two customers and two attempts; the trainee sees both", async () => {
    const trainer = discord.user("trainer", [discord.trainerRoleId]);
    const alice = discord.user("alice");
    const due = dayFromNow(3);
    const set = discord.command(trainer, "assign", {
      personas: `${A}, ${B}`,
      due,
      mode: "assessment",
      attempts: "2",
      pass_mark: "70",
    });
    await settle();
    expect(discord.callbacks(set)[0]?.data?.flags).toBe(64);
    const [assignment] = await app.assignments.list();
    if (!assignment) throw new Error("nothing stored");
    expect(assignment).toMatchObject({
      personaIds: [A, B],
      targets: [{ kind: "scope", platform: "discord", word: "server", scopeId: discord.guildId }],
      dueDay: due,
      mode: "assessment",
      maxAttempts: 2,
      passMark: 70,
      createdBy: `discord:${trainer.id}`,
    });
    const confirmation = discord.reply(set)?.content ?? "";
    expect(confirmation.startsWith(en.created(assignment.id))).toBe(true);
    expect(confirmation).toContain(en.mode("assessment", 2));

    const list = discord.command(alice, "assignments", {}, ZH);
    await settle();
    expect(buttonsOf(discord.reply(list))).toEqual([
      assignmentButtonId(assignment.id, 0),
      assignmentButtonId(assignment.id, 1),
    ]);

    // The trainer who set it can close it from Discord too.
    const close = discord.command(trainer, "assignments", { action: "close", id: assignment.id });
    await settle();
    expect(discord.reply(close)?.content).toBe(en.closedDone(assignment.id));
  }, 60_000);

  it("refuses a trainee in their language and stores nothing", async () => {
    const alice = discord.user("alice");
    const r = discord.command(alice, "assign", { personas: A, due: dayFromNow(3) }, ZH);
    await settle();
    expect(discord.reply(r)?.content).toBe(zh.trainersOnly);
    expect(await app.assignments.list()).toEqual([]);
  }, 60_000);

  it("says what to fix for a bad date, a past day, an unknown persona or attempts in practice, storing nothing", async () => {
    const manager = discord.user("manager", [discord.managerRoleId]);
    const cases: Array<[Record<string, string>, string, { locale?: string }]> = [
      [{ personas: A, due: "2026-13-40" }, en.inputError({ code: "bad_due", detail: "2026-13-40" }, HINTS), {}],
      [{ personas: A, due: "next friday" }, zh.inputError({ code: "bad_due", detail: "next friday" }, HINTS), ZH],
      [{ personas: A, due: "2020-01-01" }, en.inputError({ code: "due_past", detail: "2020-01-01" }, HINTS), {}],
      [
        { personas: `${A},no-such-customer`, due: dayFromNow(3) },
        en.inputError({ code: "unknown_persona", detail: "no-such-customer" }, HINTS),
        {},
      ],
      [
        { personas: "nobody", due: dayFromNow(3) },
        zh.inputError({ code: "unknown_persona", detail: "nobody" }, HINTS),
        ZH,
      ],
      [{ personas: A, due: dayFromNow(3), attempts: "3" }, discordMessages("en").assignAttemptsInPractice, {}],
      [
        { personas: A, due: dayFromNow(3), mode: "assessment", attempts: "0" },
        en.inputError({ code: "bad_attempts", detail: "0" }, HINTS),
        {},
      ],
      [
        { personas: A, due: dayFromNow(3), pass_mark: "120" },
        en.inputError({ code: "bad_pass_mark", detail: "120" }, HINTS),
        {},
      ],
    ];
    for (const [opts, expected, extra] of cases) {
      const r = discord.command(manager, "assign", opts, extra);
      await settle();
      expect(discord.reply(r)?.content).toBe(expected);
    }
    expect(await app.assignments.list()).toEqual([]);
  }, 60_000);

  it("narrows to a role of this server or to one member", async () => {
    const trainer = discord.user("trainer", [discord.trainerRoleId]);
    const bob = discord.user("bob");
    const role = discord.command(trainer, "assign", { personas: A, due: dayFromNow(2), role: discord.trainerRoleId });
    await settle();
    const member = discord.command(trainer, "assign", { personas: B, due: dayFromNow(2), member: bob.id });
    await settle();
    const all = await app.assignments.list();
    expect(all.map((a) => a.targets)).toEqual(
      expect.arrayContaining([
        [{ kind: "role", platform: "discord", scopeId: discord.guildId, roleId: discord.trainerRoleId }],
        [{ kind: "trainee", traineeId: `discord:${bob.id}` }],
      ]),
    );
    expect(all).toHaveLength(2);
    expect(discord.reply(role)?.content).toContain(en.created(all.find((a) => a.personaIds[0] === A)?.id as string));
    expect(discord.reply(member)?.content).toContain(all.find((a) => a.personaIds[0] === B)?.id as string);
    // Bob sees the one set for him.
    const list = discord.command(bob, "assignments", {});
    await settle();
    expect(buttonsOf(discord.reply(list))).toEqual([
      assignmentButtonId(all.find((a) => a.personaIds[0] === B)?.id as string, 0),
    ]);
  }, 60_000);
});
