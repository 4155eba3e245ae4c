import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Session } from "../../src/domain/session.ts";
import { createEvaluator, type EvaluationNotice, type EvaluatorOptions } from "../../src/evaluation/index.ts";
import { LlmRefusedError, type LlmPort, LlmUnreachableError } from "../../src/llm/port.ts";
import { openStore } from "../../src/store/index.ts";
import type { Store } from "../../src/store/port.ts";
import { scriptedLlm } from "../support/scripted-llm.ts";
import { goodTurns, judgeAnswer, persona, rubric } from "./evaluation-fixtures.ts";

const judgeTemplate = readFileSync(new URL("../../prompts/judge.md", import.meta.url), "utf8");
const T0 = 1_700_000_000_000;

let store: Store;
let clock: number;
const now = () => clock;

beforeEach(async () => {
  store = await openStore("sqlite::memory:");
  clock = T0;
});
afterEach(async () => {
  await store.close();
});

/** An ended session with the fixture turns, persona and rubric pinned as snapshots. */
async function endedSession(id: string, turns = goodTurns, pinned = { persona, rubric }): Promise<Session> {
  await store.upsertTrainee({ platform: "console", userId: "u1", displayName: "Lin" }, T0);
  await store.createSession({
    id,
    traineeId: "console:u1",
    personaId: pinned.persona.id,
    personaHash: "p-hash-1",
    personaSnapshot: JSON.stringify({ ...pinned.persona, hash: "p-hash-1", file: "x.yaml" }),
    rubricId: pinned.rubric.id,
    rubricHash: "r-hash-1",
    rubricSnapshot: JSON.stringify({ ...pinned.rubric, hash: "r-hash-1", file: "r.yaml" }),
    language: "zh-CN",
    place: { platform: "console", scopeId: null, chatId: `c-${id}`, threadId: null },
    mood: 2,
    startedAt: T0,
  });
  for (const t of turns) {
    await store.appendTurn({
      sessionId: id,
      speaker: t.speaker,
      text: t.text,
      at: T0 + t.seq * 1000,
      inboundKey: null,
      platformMessageId: null,
      mood: t.mood,
      triggerId: null,
      reason: null,
      responseMs: t.responseMs,
    });
  }
  await store.updateSession(id, { status: "ended", outcome: "satisfied", endReason: "customer", endedAt: T0 + 90_000 });
  const s = await store.getSession(id);
  if (!s) throw new Error("session not created");
  return s;
}

function evaluator(llm: ReturnType<typeof scriptedLlm>, extra: Partial<EvaluatorOptions> = {}) {
  const notices: EvaluationNotice[] = [];
  const ev = createEvaluator({
    store,
    llm,
    judgeTemplate,
    now,
    notify: (_id, r) => {
      notices.push(r);
    },
    minTraineeTurns: 2,
    maxAttempts: 3,
    backoffMs: 1000,
    ...extra,
  });
  return { ev, notices };
}

describe("the evaluator", () => {
  it("evaluates an ended session once, stores it, and tells the platform", async () => {
    await endedSession("s1");
    const { ev, notices } = evaluator(scriptedLlm([judgeAnswer()]));
    const r = await ev.requestEvaluation("s1");
    expect(r.kind).toBe("ready");
    const saved = await store.latestEvaluation("s1");
    expect(saved?.total).toBe(72.5);
    expect(saved?.personaHash).toBe("p-hash-1");
    expect(saved?.rubricHash).toBe("r-hash-1");
    const s = await store.getSession("s1");
    expect(s?.status).toBe("evaluated");
    expect(s?.evalStatus).toBe("done");
    expect(notices.map((n) => n.kind)).toEqual(["ready"]);
  });

  it("two end triggers at the same time give one judge call and one evaluation", async () => {
    await endedSession("s1");
    const llm = scriptedLlm([judgeAnswer(), judgeAnswer()]);
    const { ev, notices } = evaluator(llm);
    const [a, b] = await Promise.all([ev.requestEvaluation("s1"), ev.requestEvaluation("s1")]);
    expect([a.kind, b.kind].sort()).toEqual(["not_claimed", "ready"]);
    expect(llm.requests).toHaveLength(1);
    expect(await store.listEvaluations("s1")).toHaveLength(1);
    expect(notices).toHaveLength(1);
  });

  it("two evaluators (two processes) on one database still give one evaluation", async () => {
    await endedSession("s1");
    const llm1 = scriptedLlm([judgeAnswer()]);
    const llm2 = scriptedLlm([judgeAnswer()]);
    const one = evaluator(llm1).ev;
    const two = evaluator(llm2).ev;
    await Promise.all([one.requestEvaluation("s1"), two.requestEvaluation("s1"), one.runDue(), two.runDue()]);
    expect(llm1.requests.length + llm2.requests.length).toBe(1);
    expect(await store.listEvaluations("s1")).toHaveLength(1);
  });

  it("closes a session with too few trainee turns without a score and without calling the judge", async () => {
    await endedSession("s1", goodTurns.slice(0, 2));
    const llm = scriptedLlm([]);
    const { ev, notices } = evaluator(llm);
    expect((await ev.requestEvaluation("s1")).kind).toBe("skipped");
    expect(llm.requests).toHaveLength(0);
    expect((await store.getSession("s1"))?.evalStatus).toBe("skipped");
    expect(await store.latestEvaluation("s1")).toBeNull();
    expect(notices.map((n) => n.kind)).toEqual(["skipped"]);
  });

  it("a judge that keeps answering out of the rubric leaves the session pending with a retry time, never a score", async () => {
    await endedSession("s1");
    const bad = judgeAnswer();
    (bad.criteria[0] as { score: number }).score = 9;
    const llm = scriptedLlm([bad, bad]);
    const { ev, notices } = evaluator(llm);
    const r = await ev.requestEvaluation("s1");
    expect(r.kind).toBe("pending");
    expect(llm.requests).toHaveLength(2);
    const s = await store.getSession("s1");
    expect(s?.evalStatus).toBe("pending");
    expect(s?.evalAttempts).toBe(1);
    expect(s?.evalNextAt).toBe(T0 + 1000);
    expect(s?.status).toBe("ended");
    expect(await store.latestEvaluation("s1")).toBeNull();
    expect(notices.map((n) => n.kind)).toEqual(["pending"]);
  });

  it("retries a pending evaluation with growing backoff and marks it failed after the limit", async () => {
    await endedSession("s1");
    const down = () => new LlmUnreachableError("connection refused", false);
    const llm = scriptedLlm([down(), down(), down()]);
    const { ev, notices } = evaluator(llm);
    await ev.requestEvaluation("s1");
    expect((await store.getSession("s1"))?.evalNextAt).toBe(T0 + 1000);

    clock = T0 + 500;
    expect(await ev.runDue()).toBe(0); // not due yet
    clock = T0 + 1000;
    expect(await ev.runDue()).toBe(1);
    const second = await store.getSession("s1");
    expect(second?.evalAttempts).toBe(2);
    expect(second?.evalNextAt).toBe(T0 + 1000 + 2000);

    clock = T0 + 3000;
    await ev.runDue();
    const third = await store.getSession("s1");
    expect(third?.evalStatus).toBe("failed");
    expect(third?.evalAttempts).toBe(3);
    expect(notices.map((n) => n.kind)).toEqual(["pending", "pending", "failed"]);
    expect(await store.latestEvaluation("s1")).toBeNull();
  });

  it("a refusal leaves the evaluation pending", async () => {
    await endedSession("s1");
    const { ev } = evaluator(scriptedLlm([new LlmRefusedError("I can't help with that", 200, "refusal")]));
    expect((await ev.requestEvaluation("s1")).kind).toBe("pending");
  });

  it("after a restart a new evaluator finishes the pending evaluation", async () => {
    await endedSession("s1");
    const first = evaluator(scriptedLlm([new LlmUnreachableError("timeout", true)]));
    expect((await first.ev.requestEvaluation("s1")).kind).toBe("pending");

    clock = T0 + 60_000;
    const restarted = evaluator(scriptedLlm([judgeAnswer()]));
    expect(await restarted.ev.runDue()).toBe(1);
    expect((await store.getSession("s1"))?.evalStatus).toBe("done");
    expect((await store.latestEvaluation("s1"))?.total).toBe(72.5);
    expect(restarted.notices.map((n) => n.kind)).toEqual(["ready"]);
  });

  it("an evaluation that was running when the process died is picked up once its lease runs out", async () => {
    await endedSession("s1");
    // The dead process claimed it and never finished.
    await store.updateSession("s1", { evalStatus: "running", evalNextAt: T0 + 600_000 }, { evalStatus: ["none"] });
    const restarted = evaluator(scriptedLlm([judgeAnswer()]), { leaseMs: 600_000 });
    clock = T0 + 1000;
    expect(await restarted.ev.runDue()).toBe(0);
    clock = T0 + 600_001;
    expect(await restarted.ev.runDue()).toBe(1);
    expect((await store.getSession("s1"))?.evalStatus).toBe("done");
  });

  it("a judge slower than the lease loses the session to the evaluator that took it over: still one evaluation", async () => {
    await endedSession("s1");
    let release: () => void = () => {};
    let called: () => void = () => {};
    const calledP = new Promise<void>((r) => {
      called = r;
    });
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const inner = scriptedLlm([judgeAnswer()]);
    const slow: LlmPort = {
      modelFor: inner.modelFor,
      async structured(req) {
        called();
        await gate;
        return inner.structured(req);
      },
    };
    const first = createEvaluator({ store, llm: slow, judgeTemplate, now, leaseMs: 1000 });
    const pending = first.requestEvaluation("s1");
    await calledP;

    clock = T0 + 1001;
    const second = evaluator(scriptedLlm([judgeAnswer()]), { leaseMs: 1000 });
    expect(await second.ev.runDue()).toBe(1);
    release();
    expect((await pending).kind).toBe("not_claimed");
    expect(await store.listEvaluations("s1")).toHaveLength(1);
    expect((await store.getSession("s1"))?.evalStatus).toBe("done");
  });

  it("the lease is short by default: a process that died while judging frees the evaluation within 30 s", async () => {
    await endedSession("s1");
    const hung: LlmPort = { modelFor: () => "judge", structured: () => new Promise(() => {}) };
    void createEvaluator({ store, llm: hung, judgeTemplate, now }).requestEvaluation("s1");
    await new Promise((r) => setTimeout(r, 50));
    expect((await store.getSession("s1"))?.evalStatus).toBe("running");
    const restarted = evaluator(scriptedLlm([judgeAnswer()]));
    clock = T0 + 29_000;
    expect(await restarted.ev.runDue()).toBe(0);
    clock = T0 + 30_001;
    expect(await restarted.ev.runDue()).toBe(1);
    expect(restarted.notices.map((n) => n.kind)).toEqual(["ready"]);
  });

  it("a slow judge keeps its lease alive with a heartbeat: no other evaluator takes the session over", async () => {
    await endedSession("s1");
    const inner = scriptedLlm([judgeAnswer()]);
    const slow: LlmPort = {
      modelFor: inner.modelFor,
      async structured(req) {
        await new Promise((r) => setTimeout(r, 600));
        return inner.structured(req);
      },
    };
    const first = createEvaluator({ store, llm: slow, judgeTemplate, now: Date.now, leaseMs: 150 });
    const pending = first.requestEvaluation("s1");
    const other = evaluator(scriptedLlm([judgeAnswer()]), { now: Date.now, leaseMs: 150 });
    // Several lease lengths pass while the judge works; the other evaluator keeps finding it held.
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r, 120));
      expect(await other.ev.runDue()).toBe(0);
    }
    expect((await pending).kind).toBe("ready");
    expect(await store.listEvaluations("s1")).toHaveLength(1);
  });

  it("with a store only this process uses (SQLite), the first runDue takes back a running evaluation at once", async () => {
    await endedSession("s1");
    // Left "running" by a crashed run, its lease still far in the future.
    await store.updateSession("s1", { evalStatus: "running", evalNextAt: T0 + 600_000 }, { evalStatus: ["none"] });
    const restarted = evaluator(scriptedLlm([judgeAnswer()]), { singleProcessStore: true });
    expect(await restarted.ev.runDue()).toBe(1);
    expect((await store.getSession("s1"))?.evalStatus).toBe("done");
  });

  it("a lease renewal only succeeds for its holder", async () => {
    await endedSession("s1");
    await store.updateSession("s1", { evalStatus: "running", evalNextAt: T0 + 5 }, { evalStatus: ["none"] });
    expect(
      await store.updateSession("s1", { evalNextAt: T0 + 10 }, { evalStatus: ["running"], evalNextAt: T0 + 6 }),
    ).toBe(false);
    expect(
      await store.updateSession("s1", { evalNextAt: T0 + 10 }, { evalStatus: ["running"], evalNextAt: T0 + 5 }),
    ).toBe(true);
    expect((await store.getSession("s1"))?.evalNextAt).toBe(T0 + 10);
  });

  it("an ended session whose evaluation was never requested is evaluated at start", async () => {
    await endedSession("s1");
    const { ev } = evaluator(scriptedLlm([judgeAnswer()]));
    expect(await ev.runDue()).toBe(1);
    expect(await store.latestEvaluation("s1")).not.toBeNull();
  });

  it("uses the persona and rubric pinned in the session, not newer versions", async () => {
    const renamed = {
      ...rubric,
      criteria: rubric.criteria.map((c) => (c.id === "empathy" ? { ...c, name: "共情（旧版）" } : c)),
    };
    await endedSession("s1", goodTurns, { persona, rubric: renamed });
    const { ev } = evaluator(scriptedLlm([judgeAnswer()]));
    const r = await ev.requestEvaluation("s1");
    expect(r.kind === "ready" && r.evaluation.criteria[0]?.name).toBe("共情（旧版）");
  });

  it("a re-run adds a new evaluation and keeps the earlier one", async () => {
    await endedSession("s1");
    const second = judgeAnswer();
    (second.criteria[2] as { score: number }).score = 3;
    const { ev } = evaluator(scriptedLlm([judgeAnswer(), second]));
    await ev.requestEvaluation("s1");
    clock = T0 + 5000;
    const r = await ev.rerun("s1");
    expect(r.ok).toBe(true);
    const all = await store.listEvaluations("s1");
    expect(all.map((e) => e.total)).toEqual([62.5, 72.5]);
    expect((await store.getSession("s1"))?.evalStatus).toBe("done");
  });

  it("a failed re-run keeps the earlier evaluation and status", async () => {
    await endedSession("s1");
    const { ev } = evaluator(scriptedLlm([judgeAnswer(), new LlmUnreachableError("down", false)]));
    await ev.requestEvaluation("s1");
    const r = await ev.rerun("s1");
    expect(r).toMatchObject({ ok: false, reason: "judge_failed" });
    expect((await store.getSession("s1"))?.evalStatus).toBe("done");
    expect(await store.listEvaluations("s1")).toHaveLength(1);
  });

  it("does not evaluate a session that is still active", async () => {
    await endedSession("s1");
    await store.updateSession("s1", { status: "active" });
    const llm = scriptedLlm([]);
    const { ev } = evaluator(llm);
    expect((await ev.requestEvaluation("s1")).kind).toBe("not_claimed");
    expect(llm.requests).toHaveLength(0);
  });
});
