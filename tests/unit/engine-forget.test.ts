// A trainee's request to delete their data (PIPL): everything of theirs goes, nothing of anyone
// else's, a running session ends without evaluation, and an evaluation already being written when
// the request comes cannot leave an orphan behind.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Evaluation } from "../../src/domain/evaluation.ts";
import type { TraineeIdentity } from "../../src/domain/session.ts";
import { createEvaluator } from "../../src/evaluation/index.ts";
import { createEngine } from "../../src/roleplay/engine.ts";
import { openStore } from "../../src/store/index.ts";
import type { Store } from "../../src/store/port.ts";
import { engineFixture, reply, testCatalogue } from "../support/engine-fixture.ts";
import { scriptedLlm } from "../support/scripted-llm.ts";
import { goodTurns, judgeAnswer, persona, rubric } from "./evaluation-fixtures.ts";

describe("a trainee deletes their own data", () => {
  it("removes every session, turn, evaluation and setting of that trainee and nothing of another", async () => {
    const llm = scriptedLlm([reply("哼，说吧。", 1), reply("你们查清楚！", 1), reply("那你说。", 1)]);
    const requested: string[] = [];
    const f = await engineFixture(llm, {
      deps: { evaluation: { request: async (id) => requested.push(id), runDue: async () => 0 } },
    });
    const other: TraineeIdentity = { platform: "console", userId: "u2", displayName: "小王" };
    const otherPlace = { ...f.place, chatId: "other" };
    const secondPlace = { ...f.place, chatId: "second" };
    let key = 0;
    const say = (trainee: TraineeIdentity, place: typeof f.place, text: string) =>
      f.engine.message({ trainee, place, text, inboundKey: `k${++key}` });

    // An ended session with an evaluation and a logged model call, and one still running.
    const first = await f.engine.start({ trainee: f.trainee, place: f.place, personaId: "test-angry" });
    if (!first.ok) throw new Error("start failed");
    await say(f.trainee, f.place, "您好，请问发生了什么？");
    await f.engine.idle();
    await f.engine.end(f.trainee, f.place);
    await f.engine.idle();
    await f.store.saveEvaluation({ id: "ev-1", sessionId: first.session.id, createdAt: 1 } as Evaluation);
    await f.store.recordLlmCall(llmCall("call-1", first.session.id));
    const running = await f.engine.start({ trainee: f.trainee, place: secondPlace, personaId: "test-angry" });
    if (!running.ok) throw new Error("start failed");
    await say(f.trainee, secondPlace, "您好");
    await f.engine.idle();
    await f.engine.setTraineeLanguage(f.trainee, "en");

    const kept = await f.engine.start({ trainee: other, place: otherPlace, personaId: "test-angry" });
    if (!kept.ok) throw new Error("start failed");
    await say(other, otherPlace, "您好，我来帮您。");
    await f.engine.idle();
    await f.store.saveEvaluation({ id: "ev-2", sessionId: kept.session.id, createdAt: 1 } as Evaluation);
    await f.store.recordLlmCall(llmCall("call-2", kept.session.id));
    const eventsBefore = f.events.length;

    const result = await f.engine.forgetTrainee(f.trainee);
    await f.engine.idle();
    expect(result).toEqual({ ok: true, sessions: 2 });

    expect(await f.store.getTrainee("console:u1")).toBeNull();
    expect(await f.store.listSessions({ traineeId: "console:u1" })).toEqual([]);
    for (const id of [first.session.id, running.session.id]) {
      expect(await f.store.getSession(id)).toBeNull();
      expect(await f.store.listTurns(id)).toEqual([]);
      expect(await f.store.listEvaluations(id)).toEqual([]);
      expect(await f.store.listLlmCalls(id)).toEqual([]);
    }
    // The running session was not handed to the evaluator, nor announced as ended.
    expect(requested).toEqual([first.session.id]);
    expect(f.events.slice(eventsBefore)).toEqual([]);

    expect((await f.store.getSession(kept.session.id))?.status).toBe("active");
    expect(await f.store.listTurns(kept.session.id)).toHaveLength(3);
    expect(await f.store.listEvaluations(kept.session.id)).toHaveLength(1);
    expect(await f.store.listLlmCalls(kept.session.id)).toHaveLength(1);
    expect(await f.store.getTrainee("console:u2")).not.toBeNull();

    // The same trainee may come back later and start afresh.
    expect(await f.engine.forgetTrainee(f.trainee)).toEqual({ ok: true, sessions: 0 });
    expect((await f.engine.start({ trainee: f.trainee, place: f.place, personaId: "test-angry" })).ok).toBe(true);
  });

  it("an evaluation being written when the trainee asks is not saved afterwards; another trainee's is", async () => {
    const store = await openStore("sqlite::memory:");
    await endedSession(store, "s1", "u1");
    await endedSession(store, "s2", "u2");
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const started: string[] = [];
    const judge = async (req: { sessionId?: string | null }) => {
      started.push(req.sessionId ?? "");
      await gate;
      return judgeAnswer();
    };
    const evaluator = createEvaluator({
      store,
      llm: scriptedLlm([judge, judge]),
      judgeTemplate: readFileSync(new URL("../../prompts/judge.md", import.meta.url), "utf8"),
    });
    const engine = createEngine({
      store,
      llm: scriptedLlm([]),
      catalogue: testCatalogue().catalogue,
      defaultLanguage: "zh-CN",
      idleMs: 60_000,
    });
    const pending = [evaluator.requestEvaluation("s1"), evaluator.requestEvaluation("s2")];
    while (started.length < 2) await new Promise((r) => setTimeout(r, 5));

    expect(await engine.forgetTrainee({ platform: "console", userId: "u1", displayName: "Lin" })).toEqual({
      ok: true,
      sessions: 1,
    });
    release();
    const [gone, kept] = await Promise.all(pending);
    expect(gone?.kind).toBe("not_claimed");
    expect(kept?.kind).toBe("ready");
    expect(await store.listEvaluations("s1")).toEqual([]);
    expect(await store.listEvaluations("s2")).toHaveLength(1);
    await engine.close();
    await store.close();
  });
});

function llmCall(id: string, sessionId: string) {
  return {
    id,
    sessionId,
    role: "customer" as const,
    purpose: "customer",
    model: "m",
    startedAt: 1,
    latencyMs: 1,
    promptTokens: null,
    completionTokens: null,
    cachedPromptTokens: null,
    outcome: "ok",
    error: null,
  };
}

/** An ended session of trainee `userId` with the fixture turns, persona and rubric pinned. */
async function endedSession(store: Store, id: string, userId: string): Promise<void> {
  await store.upsertTrainee({ platform: "console", userId, displayName: userId }, 1);
  await store.createSession({
    id,
    traineeId: `console:${userId}`,
    personaId: persona.id,
    personaHash: "p",
    personaSnapshot: JSON.stringify(persona),
    rubricId: rubric.id,
    rubricHash: "r",
    rubricSnapshot: JSON.stringify(rubric),
    language: "zh-CN",
    place: { platform: "console", scopeId: null, chatId: `c-${id}`, threadId: null },
    mood: 2,
    startedAt: 1,
  });
  for (const t of goodTurns) {
    await store.appendTurn({
      sessionId: id,
      speaker: t.speaker,
      text: t.text,
      at: 1 + t.seq * 1000,
      inboundKey: null,
      platformMessageId: null,
      mood: t.mood,
      triggerId: null,
      reason: null,
      responseMs: t.responseMs,
    });
  }
  await store.updateSession(id, { status: "ended", outcome: "satisfied", endReason: "customer", endedAt: 90_000 });
}
