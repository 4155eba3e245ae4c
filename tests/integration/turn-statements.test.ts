// The storage cost of one practice turn, counted at the database driver: from the trainee's
// message to the customer's reply being handed to the platform (the critical path), and in all.
// Production wiring: the OpenAI adapter against a local fake model server, the call log on.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { createOpenAiLlm } from "../../src/llm/openai.ts";
import { createEngine } from "../../src/roleplay/engine.ts";
import { type KyselyStore, openStore } from "../../src/store/index.ts";
import { testCatalogue } from "../support/engine-fixture.ts";
import { type FakeLlm, startFakeLlm } from "../support/fake-llm.ts";

/** The budget of the critical path: every turn must be stored before the model is asked. */
const CRITICAL_PATH_BUDGET = 6;

let fake: FakeLlm;
beforeAll(async () => {
  let n = 0;
  fake = await startFakeLlm();
  // The mood moves on every reply, so the session row is written each turn: the worst case.
  fake.respondWith(() => ({
    json: {
      text: `嗯，第${++n}次回答。`,
      mood: n % 2 === 0 ? 2 : 1,
      trigger_id: null,
      outcome: "continue",
      revealed_fact_ids: [],
      reason: "test",
    },
  }));
});
afterAll(async () => {
  await fake.close();
});

const backends = [
  { name: "SQLite", open: () => openStore("sqlite::memory:") },
  {
    name: "PostgreSQL",
    open: () =>
      openStore("postgres://postgres@127.0.0.1:5432/test", {
        pgSchema: `turn_stmts_${randomUUID().replaceAll("-", "").slice(0, 16)}`,
      }),
  },
];

describe.each(backends)("statements per turn on $name", ({ name, open }) => {
  it(`stores a turn with at most ${CRITICAL_PATH_BUDGET} statements before the reply goes out`, async () => {
    const store: KyselyStore = await open();
    const settings = loadConfig({ LLM_BASE_URL: fake.url, LLM_API_KEY: "test", LLM_MODEL: "fake-model" }).llm;
    if (!settings) throw new Error("test config");
    const engine = createEngine({
      store,
      llm: createOpenAiLlm(settings, store),
      catalogue: testCatalogue().catalogue,
      defaultLanguage: "zh-CN",
      idleMs: 30 * 60_000,
      random: () => 0,
      // No lease renewal inside a turn, however slow a loaded machine makes it: only the turn's own
      // statements are counted.
      answerLeaseMs: 60 * 60_000,
    });
    let atReply: number | null = null;
    let nextId = 1;
    engine.registerOutlet("console", {
      async deliver(event) {
        if (event.type === "customer") atReply = store.statements.count;
        return { messageId: String(nextId++) };
      },
    });
    const trainee = { platform: "console" as const, userId: `u-${name}`, displayName: "小李" };
    const place = { platform: "console" as const, scopeId: null, chatId: "c", threadId: null };
    try {
      const started = await engine.start({ trainee, place, personaId: "test-angry" });
      expect(started.ok).toBe(true);
      const critical: number[] = [];
      const total: number[] = [];
      for (let i = 0; i < 4; i++) {
        atReply = null;
        const before = store.statements.count;
        const result = await engine.message({ trainee, place, text: `您好，第${i}句`, inboundKey: `${name}-${i}` });
        expect(result.status).toBe("handled");
        await engine.idle();
        expect(atReply).not.toBeNull();
        critical.push((atReply ?? 0) - before);
        total.push(store.statements.count - before);
      }
      for (const n of critical) expect(n).toBeLessThanOrEqual(CRITICAL_PATH_BUDGET);
      // After the reply: its platform message id and the lease's release; the call log is batched.
      for (let i = 0; i < total.length; i++) expect(total[i] ?? 0).toBeLessThanOrEqual((critical[i] ?? 0) + 2);
      const turns = await store.listTurns(started.ok ? started.session.id : "");
      expect(turns.map((t) => t.speaker)).toEqual([
        "customer",
        ...Array.from({ length: 4 }, () => ["trainee", "customer"]).flat(),
      ]);
      // Every model call is in the log once it is read, though none was written on the turn's path.
      const calls = await store.listLlmCalls(started.ok ? started.session.id : "");
      expect(calls.filter((c) => c.purpose === "customer_turn")).toHaveLength(4);
    } finally {
      await engine.close();
      if (store.dialect === "postgres") await store.dropSchema();
      else await store.close();
    }
  });
});
