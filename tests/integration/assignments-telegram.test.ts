// Assignments through Telegram, against the Bot API emulator, the fake LLM server and the real app
// on SQLite and on PostgreSQL: a trainer sets two customers as an assessment with two attempts; the
// trainee sees them under /assignments, starts one with a button, a third attempt is refused, no
// card arrives until the trainer releases the results, and the trainer's view shows completion.
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { assignmentMessages } from "../../src/assignments/messages.ts";
import { roleplayMessages } from "../../src/roleplay/messages.ts";
import { openStore } from "../../src/store/index.ts";
import { roleplayResponder } from "../support/llm-scripts.ts";
import { type BotMessage, startTelegramWorld, type TelegramWorld } from "../support/telegram-emulator.ts";

const PG = "postgres://postgres@127.0.0.1:5432/test";
const A = "atm-counterfeit-note";
const B = "atm-card-swallowed";
const echo = (said: string) => `客户回应：${said.slice(0, 30)}`;
const HINTS = { start: "/roleplay", end: "/end", personas: "/personas" };
const heldText = roleplayMessages("zh-CN").notice("evaluation_held", HINTS);
const zh = assignmentMessages("zh-CN");

let world: TelegramWorld | null = null;
let dropSchema: (() => Promise<void>) | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
  await dropSchema?.();
  dropSchema = null;
});

describe.each(["SQLite", "PostgreSQL"])("assignments in Telegram on %s", (backend) => {
  it("assessment with two attempts: listed with buttons, third refused, cards only after release, completion shown", async () => {
    const env: Record<string, string> = { TELEGRAM_TRAINER_IDS: "900", TIME_ZONE: "Asia/Shanghai" };
    if (backend === "PostgreSQL") {
      const pgSchema = `assign_tg_${randomUUID().replaceAll("-", "").slice(0, 10)}`;
      await (await openStore(PG, { pgSchema })).close();
      env.DATABASE_URL = `${PG}?options=${encodeURIComponent(`-c search_path=${pgSchema}`)}`;
      dropSchema = async () => (await openStore(PG, { pgSchema })).dropSchema();
    }
    world = await startTelegramWorld({ respondWith: roleplayResponder({ customer: echo }), env });
    const w = world;
    const trainer = w.user({ userId: 900, firstName: "Trainer" });
    const alice = w.user({ userId: 501, firstName: "Lin" });
    const due = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);

    // A trainee may not set assignments.
    await alice.command(`/assign --persona ${A} --to telegram:501 --due ${due}`);
    await w.waitForBotMessage(501, (m) => m.text === zh.trainersOnly, 30_000);

    await trainer.command(`/assign --persona ${A},${B} --to telegram:501 --due ${due} --mode assessment --attempts 2`);
    const created = await w.waitForBotMessage(900, (m) => /a-[a-z0-9]{6}/.test(m.text), 30_000);
    const id = /a-[a-z0-9]{6}/.exec(created.text)?.[0] as string;

    await alice.command("/assignments");
    const list = await w.waitForBotMessage(501, (m) => m.buttons.some((b) => b.data.startsWith("as:")), 30_000);
    expect(list.buttons.map((b) => b.data)).toEqual([`as:${id}:0`, `as:${id}:1`]);
    expect(list.text).toContain(id);
    expect(list.text).toContain(zh.status("not_started"));

    const sessionIds: string[] = [];
    for (let attempt = 1; attempt <= 2; attempt++) {
      const before = w.botMessages(501).length;
      await alice.press(list, `as:${id}:0`);
      await w.waitUntil(async () => (await activeSession(w)) !== null, 30_000, "the assigned session to start");
      const session = await activeSession(w);
      sessionIds.push(session?.id ?? "");
      for (const line of ["您好，请问遇到什么问题了？", `您别着急，我先帮您登记，第${attempt}次。`]) {
        await alice.send(line);
        await w.waitForBotMessage(501, (m) => m.text === echo(line), 30_000);
      }
      await alice.command("/end");
      await w.waitUntil(
        () =>
          w
            .botMessages(501)
            .slice(before)
            .some((m) => m.text === heldText),
        40_000,
        "the held notice",
      );
      expect((await w.app.store.latestEvaluation(session?.id ?? "")) !== null).toBe(true);
    }
    const before = w.botMessages(501).length;
    await alice.press(list, `as:${id}:0`);
    await w.waitUntil(
      () =>
        w
          .botMessages(501)
          .slice(before)
          .some((m) => m.text.includes("尝试次数已用完")),
      30_000,
      "the refusal",
    );
    expect(await activeSession(w)).toBeNull();
    const cards = () => w.botMessages(501).filter((m) => m.buttons.some((b) => b.data.startsWith("rep:")));
    expect(cards()).toHaveLength(0);

    // The list no longer offers the used-up customer, and shows no score while results are held.
    await alice.command("/assignments");
    await w.waitUntil(() => w.botMessages(501).filter((m) => m.text.includes(id)).length >= 2, 30_000, "the list");
    const again = w
      .botMessages(501)
      .filter((m) => m.text.includes(id))
      .at(-1) as BotMessage;
    expect(again.buttons.map((b) => b.data)).toEqual([`as:${id}:1`]);
    expect(again.text).toContain(zh.resultsHeld);

    // Both attempts at one customer are in: passed or failed on it, the other customer still open.
    const assignment = await w.app.assignments.get(id);
    const [row] = assignment ? await w.app.assignments.progress(assignment) : [];
    expect(row?.personas[0]).toMatchObject({ attemptsUsed: 2, attemptsLeft: 0, waiting: 0 });
    const expected = row?.personas[0]?.passed ? zh.counts(1, 0, 0, 1, 0, 0) : zh.counts(1, 0, 1, 0, 0, 0);
    await trainer.command("/assignments");
    const overview = await w.waitForBotMessage(
      900,
      (m) => m.text.includes(id) && m.text.includes("telegram:501"),
      30_000,
    );
    expect(overview.text).toContain(expected);

    await trainer.command(`/assignments release ${id}`);
    await w.waitForBotMessage(900, (m) => m.text === zh.releasedDone(id), 30_000);
    await w.waitUntil(() => cards().length === 2, 30_000, "the two released cards");
    for (const card of cards()) {
      expect(card.buttons.some((b) => b.data.startsWith("again:"))).toBe(false);
      expect(card.text).toMatch(/\d+(\.\d+)? ?\/ ?100/);
    }
    // A second sweep delivers nothing twice.
    await w.app.engine.sweep();
    expect(cards()).toHaveLength(2);
    expect(new Set(cards().map((c) => c.buttons[0]?.data))).toEqual(new Set(sessionIds.map((s) => `rep:${s}`)));
  }, 240_000);
});

async function activeSession(w: TelegramWorld) {
  const sessions = await w.app.store.listSessions({ traineeId: "telegram:501", status: ["active"] });
  return sessions[0] ?? null;
}
