// The moments a kill -9 can fall into around a customer reply and an evaluation card, replayed in
// process: a store that stops answering at a chosen point stands for the process that died there
// (nothing after it reaches the database), and a second engine on the same database is the restart.
import { describe, expect, it } from "vitest";
import type { Evaluation, EvaluationCard } from "../../src/domain/evaluation.ts";
import type { Outbound } from "../../src/roleplay/api.ts";
import { openStore } from "../../src/store/index.ts";
import type { Store } from "../../src/store/port.ts";
import { engineFixture, reply, testCatalogue } from "../support/engine-fixture.ts";
import { scriptedLlm } from "../support/scripted-llm.ts";

/** The store as a process sees it until `dies()` says so; from then on no call ever returns. */
function mortal(
  store: Store,
  dies: (method: string, result: unknown) => boolean,
): { store: Store; dead: () => boolean } {
  let dead = false;
  const proxy = new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (dead) return new Promise(() => {});
        const result = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (!(result instanceof Promise)) return result;
        return result.then((r) => {
          if (dies(String(prop), r)) {
            dead = true;
            return new Promise(() => {});
          }
          return r;
        });
      };
    },
  });
  return { store: proxy, dead: () => dead };
}

const telegram = { platform: "telegram" as const, userId: "42", displayName: "小李" };
const chat = { platform: "telegram" as const, scopeId: null, chatId: "42", threadId: null };

/** A Telegram outlet that records what it was handed, with message ids 1, 2, 3… */
function recorder(): { outlet: { deliver(e: Outbound): Promise<{ messageId: string }> }; sent: Outbound[] } {
  const sent: Outbound[] = [];
  return {
    sent,
    outlet: {
      async deliver(event) {
        sent.push(event);
        return { messageId: String(sent.length) };
      },
    },
  };
}
const lines = (sent: Outbound[]) => sent.flatMap((e) => (e.type === "customer" ? [e.text] : []));

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(condition()).toBe(true);
}

describe("a kill right after a customer reply is stored", () => {
  it("the next run sends that reply and never answers the messages it answered again", async () => {
    const db = await openStore("sqlite::memory:");
    const { catalogue } = testCatalogue();
    let replies = 0;
    // Dies the moment its second reply is stored: before anything else about it is written or sent.
    const first = mortal(db, (method, r) => {
      const stored = r as { turn?: { speaker?: string } } | null;
      return method === "appendTurnIfActive" && stored?.turn?.speaker === "customer" && ++replies === 2;
    });
    const run1 = await engineFixture(scriptedLlm([reply("第一句回答", 1), reply("第二句回答", 1)]), {
      store: first.store,
      catalogue,
      deps: { singleProcessStore: true },
    });
    const out1 = recorder();
    run1.engine.registerOutlet("telegram", out1.outlet);
    const s = await run1.engine.start({ trainee: telegram, place: chat, personaId: "test-angry" });
    if (!s.ok) throw new Error("start failed");
    await run1.engine.message({ trainee: telegram, place: chat, text: "您好，我先看看", inboundKey: "m1" });
    await run1.engine.idle();
    await run1.engine.message({ trainee: telegram, place: chat, text: "查到了，是这样", inboundKey: "m2" });
    await until(first.dead);
    expect(lines(out1.sent).slice(1)).toEqual(["第一句回答"]);

    const llm2 = scriptedLlm([reply("第三句回答", 1)]);
    const run2 = await engineFixture(llm2, { store: db, catalogue, deps: { singleProcessStore: true } });
    const out2 = recorder();
    run2.engine.registerOutlet("telegram", out2.outlet);
    await run2.engine.resume();
    await run2.engine.idle();
    // The reply stored before the kill goes out now, once.
    expect(lines(out2.sent)).toEqual(["第二句回答"]);
    expect(llm2.requests).toHaveLength(0);
    await run2.engine.message({ trainee: telegram, place: chat, text: "您看这样行吗", inboundKey: "m3" });
    await run2.engine.idle();
    // The new message is the only one the customer is asked to answer.
    expect(llm2.requests).toHaveLength(1);
    const prompt = llm2.requests[0]?.messages.map((m) => m.content).join("\n") ?? "";
    expect(prompt).not.toMatch(/messages you have not answered yet/);
    const turns = await db.listTurns(s.session.id);
    expect(turns.map((t) => `${t.speaker}:${t.answersThrough ?? "-"}`)).toEqual([
      "customer:-",
      "trainee:-",
      "customer:2",
      "trainee:-",
      "customer:4",
      "trainee:-",
      "customer:6",
    ]);
    expect(lines(out2.sent)).toEqual(["第二句回答", "第三句回答"]);
    await run2.engine.close();
  });
});

describe("a kill between an evaluation and its card", () => {
  it("the next run delivers the owed card once; a card already delivered or never owed is not sent", async () => {
    const db = await openStore("sqlite::memory:");
    const { catalogue } = testCatalogue();
    const setup = await engineFixture(scriptedLlm([reply("嗯。", 1)]), { store: db, catalogue });
    setup.engine.registerOutlet("telegram", { deliver: async () => ({ messageId: "1" }) });
    const sessions: string[] = [];
    for (const place of [chat, { ...chat, chatId: "43" }, { ...chat, chatId: "44" }]) {
      const s = await setup.engine.start({ trainee: telegram, place, personaId: "test-angry" });
      if (!s.ok) throw new Error("start failed");
      sessions.push(s.session.id);
      await setup.engine.end(telegram, place);
    }
    await setup.engine.close();
    const at = Date.now() - 1000;
    const evaluation = (id: string, sessionId: string) => ({ id, sessionId, createdAt: at, total: 80 }) as Evaluation;
    // Saved by the dead run with the card owed; one owed and delivered; one saved without a card (a rerun).
    await db.saveEvaluation(evaluation("owed", sessions[0] ?? ""), { cardPending: true });
    await db.saveEvaluation(evaluation("delivered", sessions[1] ?? ""), { cardPending: true });
    await db.markCardDelivered("delivered");
    await db.saveEvaluation(evaluation("rerun", sessions[2] ?? ""));

    const sent: Outbound[] = [];
    const run2 = await engineFixture(scriptedLlm(), {
      store: db,
      catalogue,
      deps: {
        singleProcessStore: true,
        buildCard: (e) => ({ title: `card ${e.id}` }) as EvaluationCard,
      },
    });
    run2.engine.registerOutlet("telegram", {
      deliver: async (event) => {
        sent.push(event);
        return { messageId: String(sent.length) };
      },
    });
    await run2.engine.resume();
    await run2.engine.sweep();
    await run2.engine.idle();
    const cards = sent.flatMap((e) => (e.type === "evaluation" ? [e.evaluation.id] : []));
    expect(cards).toEqual(["owed"]);
    expect(await db.pendingCards({ after: 0, before: Date.now() }, 10)).toEqual([]);
    await run2.engine.close();
  });
});
