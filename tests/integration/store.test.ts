// One suite, two databases: every Store rule is checked on a SQLite file and on PostgreSQL.
// PostgreSQL is expected at 127.0.0.1:5432 (database test, user postgres); when it is not
// reachable the PostgreSQL half fails with a message saying so, it does not skip.
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Evaluation } from "../../src/domain/evaluation.ts";
import type { Place, TraineeIdentity } from "../../src/domain/session.ts";
import type { LlmCallRecord } from "../../src/llm/port.ts";
import { runMigrations } from "../../src/store/migrations.ts";
import {
  createPostgresStore,
  createSqliteStore,
  DatabaseUrlError,
  describeDatabase,
  type KyselyStore,
  MIGRATIONS,
  type NewSession,
  type NewTurn,
  openStore,
  SessionAlreadyActiveError,
} from "../../src/store/index.ts";

const PG_BASE = "postgres://postgres@127.0.0.1:5432/test";
const NEWEST_MIGRATION = MIGRATIONS.at(-1)?.version ?? 0;
// Mid-2026 in epoch ms: well beyond 32 bits, as every real timestamp is.
const T0 = Date.UTC(2026, 5, 1, 9, 30, 0);

interface Backend {
  name: string;
  /** Where to open; the same answer every time within one run. */
  target(): { url: string; pgSchema?: string };
  cleanup(store: KyselyStore): Promise<void>;
}

const tempDir = mkdtempSync(join(tmpdir(), "store-test-"));

const sqliteBackend: Backend = {
  name: "SQLite",
  // A directory that does not exist yet: opening must create it.
  target: () => ({ url: `sqlite:${join(tempDir, "nested", "roleplay.sqlite")}` }),
  async cleanup(store) {
    await store.close();
    rmSync(tempDir, { recursive: true, force: true });
  },
};

const pgSchema = `store_test_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
const postgresBackend: Backend = {
  name: "PostgreSQL",
  target: () => ({ url: PG_BASE, pgSchema }),
  async cleanup(store) {
    await store.dropSchema();
  },
};

async function open(backend: Backend): Promise<KyselyStore> {
  const { url, pgSchema: schema } = backend.target();
  try {
    return await openStore(url, schema === undefined ? {} : { pgSchema: schema });
  } catch (err) {
    if (backend.name === postgresBackend.name) {
      const detail = err instanceof Error ? err.message : String(err);
      throw new Error(
        `PostgreSQL is not reachable at ${PG_BASE}: ${detail}. ` +
          "Start it (CI does) — these tests fail rather than skip without it.",
      );
    }
    throw err;
  }
}

// ---- fixtures ----

function identity(name = "Trainee"): TraineeIdentity {
  return { platform: "telegram", userId: randomUUID(), displayName: name };
}

function place(overrides: Partial<Place> = {}): Place {
  return { platform: "telegram", scopeId: null, chatId: randomUUID(), threadId: null, ...overrides };
}

function newSession(traineeId: string, where: Place, overrides: Partial<NewSession> = {}): NewSession {
  return {
    id: randomUUID(),
    traineeId,
    personaId: "card-fee-dispute",
    personaHash: "p-hash-1",
    personaSnapshot: JSON.stringify({ id: "card-fee-dispute", name: "王女士", mood: 2 }),
    rubricId: "bank-service",
    rubricHash: "r-hash-1",
    rubricSnapshot: JSON.stringify({ id: "bank-service", criteria: ["共情", "解决问题"] }),
    language: "zh-CN",
    place: where,
    mood: 2,
    startedAt: T0,
    ...overrides,
  };
}

function traineeTurn(sessionId: string, text: string, overrides: Partial<NewTurn> = {}): NewTurn {
  return {
    sessionId,
    speaker: "trainee",
    text,
    at: T0 + 1_000,
    inboundKey: null,
    platformMessageId: null,
    mood: null,
    triggerId: null,
    reason: null,
    responseMs: null,
    ...overrides,
  };
}

function evaluation(sessionId: string, createdAt: number, summary: string): Evaluation {
  return {
    id: randomUUID(),
    sessionId,
    language: "zh-CN",
    createdAt,
    total: 72.5,
    passed: true,
    passMark: 60,
    scale: { min: 1, max: 5 },
    criteria: [
      {
        criterionId: "empathy",
        name: "共情与安抚",
        weight: 0.4,
        score: 4,
        observation: "先承认了客户的不满，再解释年费规则。",
        evidence: [{ turn: 1, quote: "我理解您被扣费后很着急" }],
        droppedQuotes: 1,
        lowConfidence: false,
        improvement: { youSaid: "这是规定", turn: 3, tryInstead: "我帮您查一下能否申请减免" },
      },
    ],
    scenarioChecks: [
      {
        checkId: "offer-waiver",
        description: "是否主动提出减免途径",
        critical: true,
        verdict: "yes",
        note: "第三轮提出",
      },
    ],
    flags: { taboos: [], manipulation: [], principleViolations: ["未核实身份"] },
    signals: {
      taboo: [],
      empathy: [{ turn: 1, phrase: "我理解" }],
      canDo: [{ turn: 3, phrase: "我可以帮您" }],
      blame: [],
      greeting: true,
      closing: false,
      questions: { open: 2, closed: 1 },
      traineeTurns: 4,
      avgTraineeChars: 23.5,
      longestTraineeChars: 41,
      responseMs: [1200, null, 3400],
      moodCurve: [2, 2, 3, 4],
      manipulation: [],
    },
    summary,
    outcome: "satisfied",
    endReason: "customer",
    droppedQuotes: 1,
    judgeModel: "judge-model",
    promptVersion: "judge-v1",
    personaId: "card-fee-dispute",
    personaHash: "p-hash-1",
    rubricId: "bank-service",
    rubricHash: "r-hash-1",
  };
}

function llmCall(sessionId: string | null, startedAt: number, overrides: Partial<LlmCallRecord> = {}): LlmCallRecord {
  return {
    id: randomUUID(),
    sessionId,
    role: "customer",
    purpose: "reply",
    model: "customer-model",
    startedAt,
    latencyMs: 850,
    promptTokens: 1200,
    completionTokens: 80,
    cachedPromptTokens: null,
    outcome: "ok",
    error: null,
    ...overrides,
  };
}

afterAll(() => {
  rmSync(tempDir, { recursive: true, force: true });
});

describe.each([sqliteBackend, postgresBackend])("the store on $name", (backend) => {
  let store: KyselyStore;
  let openError: unknown;

  // An unreachable database fails every test of its half (rather than marking them skipped).
  beforeAll(async () => {
    try {
      store = await open(backend);
    } catch (err) {
      openError = err;
    }
  });

  beforeEach(() => {
    if (openError !== undefined) throw openError;
  });

  afterAll(async () => {
    if (store !== undefined) await backend.cleanup(store);
  });

  async function trainee(name?: string) {
    return store.upsertTrainee(identity(name), T0);
  }

  describe("trainees", () => {
    it("registers a trainee once and keeps their language and first-seen time on later visits", async () => {
      const who = identity("李明");
      const first = await store.upsertTrainee(who, T0);
      expect(first).toEqual({
        id: `telegram:${who.userId}`,
        platform: "telegram",
        userId: who.userId,
        displayName: "李明",
        language: null,
        createdAt: T0,
      });
      await store.setTraineeLanguage(first.id, "en");
      const again = await store.upsertTrainee({ ...who, displayName: "Li Ming" }, T0 + 60_000);
      expect(again).toEqual({ ...first, displayName: "Li Ming", language: "en" });
      await store.setTraineeLanguage(first.id, null);
      expect((await store.getTrainee(first.id))?.language).toBeNull();
      expect(await store.getTrainee("telegram:nobody")).toBeNull();
    });
  });

  describe("settings", () => {
    it("keeps a setting until it is changed or cleared", async () => {
      const key = `group-language:${randomUUID()}`;
      expect(await store.getSetting(key)).toBeNull();
      await store.setSetting(key, "zh-CN");
      expect(await store.getSetting(key)).toBe("zh-CN");
      await store.setSetting(key, "en");
      expect(await store.getSetting(key)).toBe("en");
      await store.setSetting(key, null);
      expect(await store.getSetting(key)).toBeNull();
    });
  });

  describe("sessions", () => {
    it("stores a new session as active, with every field read back as written", async () => {
      const t = await trainee();
      const where = place({ platform: "discord", scopeId: "guild-1", threadId: "thread-9" });
      const created = await store.createSession(newSession(t.id, where));
      expect(created).toMatchObject({
        status: "active",
        outcome: "continue",
        endReason: null,
        evalStatus: "none",
        evalAttempts: 0,
        evalNextAt: null,
        piiNoticeSent: false,
        lastActivityAt: T0,
        endedAt: null,
      });
      expect(await store.getSession(created.id)).toEqual(created);
      expect(await store.getSession(randomUUID())).toBeNull();
    });

    it("refuses a second active session for the same trainee in the same place, naming the first", async () => {
      const t = await trainee();
      const where = place();
      const first = await store.createSession(newSession(t.id, where));
      const second = store.createSession(newSession(t.id, { ...where }));
      await expect(second).rejects.toBeInstanceOf(SessionAlreadyActiveError);
      await expect(second).rejects.toMatchObject({ existingSessionId: first.id });

      // Another place, or another trainee in this place, is fine.
      await store.createSession(newSession(t.id, place()));
      const other = await trainee();
      await store.createSession(newSession(other.id, where));

      // Once the first session ends, a new one may start here.
      expect(await store.updateSession(first.id, { status: "ended", endedAt: T0 + 5_000 })).toBe(true);
      const next = await store.createSession(newSession(t.id, where));
      expect((await store.findActiveSession(t.id, where))?.id).toBe(next.id);
    });

    it("lets only one of several simultaneous starts in one place win", async () => {
      const t = await trainee();
      const where = place();
      const attempts = await Promise.allSettled(
        Array.from({ length: 6 }, () => store.createSession(newSession(t.id, where))),
      );
      const won = attempts.filter((a) => a.status === "fulfilled");
      const lost = attempts.filter((a) => a.status === "rejected");
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(5);
      const winnerId = won[0]?.status === "fulfilled" ? won[0].value.id : "";
      for (const l of lost) {
        expect(l.reason).toBeInstanceOf(SessionAlreadyActiveError);
        expect((l.reason as SessionAlreadyActiveError).existingSessionId).toBe(winnerId);
      }
    });

    it("finds active sessions by trainee and place, by place, and overall", async () => {
      const a = await trainee();
      const b = await trainee();
      const group = place({ scopeId: "group-1", threadId: "topic-7" });
      const sa = await store.createSession(newSession(a.id, group, { startedAt: T0 }));
      const sb = await store.createSession(newSession(b.id, group, { startedAt: T0 + 1 }));
      // Same chat, different topic: a different place.
      const elsewhere = await store.createSession(newSession(a.id, { ...group, threadId: "topic-8" }));

      expect((await store.findActiveSession(a.id, group))?.id).toBe(sa.id);
      expect(await store.findActiveSession(a.id, { ...group, threadId: null })).toBeNull();
      expect((await store.findActiveSessionsAt(group)).map((s) => s.id)).toEqual([sa.id, sb.id]);

      await store.updateSession(sb.id, { status: "abandoned" });
      expect((await store.findActiveSessionsAt(group)).map((s) => s.id)).toEqual([sa.id]);

      const active = (await store.listActiveSessions()).map((s) => s.id);
      expect(active).toEqual(expect.arrayContaining([sa.id, elsewhere.id]));
      expect(active).not.toContain(sb.id);
    });

    it("lists sessions by trainee, group, platform, status and time window, newest first", async () => {
      const t = await trainee();
      const scopeId = `guild-${randomUUID()}`;
      const inGuild = (n: number) => place({ platform: "discord", scopeId, chatId: `c${n}` });
      const s1 = await store.createSession(newSession(t.id, inGuild(1), { startedAt: T0 }));
      const s2 = await store.createSession(newSession(t.id, inGuild(2), { startedAt: T0 + 10 }));
      const s3 = await store.createSession(newSession(t.id, inGuild(3), { startedAt: T0 + 20 }));
      const s4 = await store.createSession(newSession(t.id, place(), { startedAt: T0 + 30 }));
      await store.updateSession(s2.id, { status: "evaluated" });

      const ids = async (q: Parameters<KyselyStore["listSessions"]>[0]) =>
        (await store.listSessions(q)).map((s) => s.id);
      expect(await ids({ traineeId: t.id })).toEqual([s4.id, s3.id, s2.id, s1.id]);
      expect(await ids({ scopeId })).toEqual([s3.id, s2.id, s1.id]);
      expect(await ids({ traineeId: t.id, platform: "telegram" })).toEqual([s4.id]);
      expect(await ids({ scopeId, status: ["evaluated"] })).toEqual([s2.id]);
      expect(await ids({ scopeId, status: ["active", "ended"] })).toEqual([s3.id, s1.id]);
      expect(await ids({ traineeId: t.id, since: T0 + 10, until: T0 + 30 })).toEqual([s3.id, s2.id]);
      expect(await ids({ traineeId: t.id, limit: 2 })).toEqual([s4.id, s3.id]);
      expect(await ids({ traineeId: t.id, status: [] })).toEqual([]);
    });

    it("applies every field of a patch", async () => {
      const t = await trainee();
      const s = await store.createSession(newSession(t.id, place()));
      const changed = await store.updateSession(s.id, {
        status: "ended",
        mood: 4,
        outcome: "walked_out",
        endReason: "customer",
        evalStatus: "pending",
        evalAttempts: 2,
        evalNextAt: T0 + 90_000,
        piiNoticeSent: true,
        lastActivityAt: T0 + 60_000,
        endedAt: T0 + 61_000,
      });
      expect(changed).toBe(true);
      expect(await store.getSession(s.id)).toEqual({
        ...s,
        status: "ended",
        mood: 4,
        outcome: "walked_out",
        endReason: "customer",
        evalStatus: "pending",
        evalAttempts: 2,
        evalNextAt: T0 + 90_000,
        piiNoticeSent: true,
        lastActivityAt: T0 + 60_000,
        endedAt: T0 + 61_000,
      });
      expect(await store.updateSession(s.id, { evalNextAt: null, endReason: null })).toBe(true);
      expect(await store.getSession(s.id)).toMatchObject({ evalNextAt: null, endReason: null });
      expect(await store.updateSession(randomUUID(), { mood: 3 })).toBe(false);
    });

    it("changes a session only when its current state matches the condition (compare-and-set)", async () => {
      const t = await trainee();
      const s = await store.createSession(newSession(t.id, place()));
      await store.updateSession(s.id, { status: "ended", evalStatus: "pending" });

      expect(await store.updateSession(s.id, { status: "abandoned" }, { status: ["active"] })).toBe(false);
      expect((await store.getSession(s.id))?.status).toBe("ended");

      expect(
        await store.updateSession(
          s.id,
          { evalStatus: "running" },
          { status: ["ended"], evalStatus: ["pending", "failed"] },
        ),
      ).toBe(true);
      expect((await store.getSession(s.id))?.evalStatus).toBe("running");
      // The condition is checked against the new state: a second claim fails.
      expect(await store.updateSession(s.id, { evalStatus: "running" }, { evalStatus: ["pending"] })).toBe(false);
      expect(await store.updateSession(s.id, { evalStatus: "done" }, { status: ["ended"], evalStatus: [] })).toBe(
        false,
      );
      expect((await store.getSession(s.id))?.evalStatus).toBe("running");
    });

    it("lets exactly one of several simultaneous evaluation claims win", async () => {
      const t = await trainee();
      const s = await store.createSession(newSession(t.id, place()));
      await store.updateSession(s.id, { status: "ended", evalStatus: "pending" });
      const claims = await Promise.all(
        Array.from({ length: 8 }, () =>
          store.updateSession(s.id, { evalStatus: "running" }, { evalStatus: ["pending"] }),
        ),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);
    });

    it("grants a session's answer lease to one holder at a time, and to another once it expires", async () => {
      const t = await trainee();
      const s = await store.createSession(newSession(t.id, place()));
      const claims = await Promise.all(
        ["a", "b", "c", "d"].map((h) => store.claimAnswer(s.id, `engine-${h}`, T0, 60_000)),
      );
      expect(claims.filter((c) => c.claimed)).toHaveLength(1);
      expect(claims.every((c) => c.answeredThrough === null)).toBe(true);
      const winner = `engine-${["a", "b", "c", "d"][claims.findIndex((c) => c.claimed)]}`;
      // the holder may renew; others wait until the lease ends
      expect((await store.claimAnswer(s.id, winner, T0 + 1000, 60_000)).claimed).toBe(true);
      expect((await store.claimAnswer(s.id, "engine-x", T0 + 30_000, 60_000)).claimed).toBe(false);
      expect((await store.claimAnswer(s.id, "engine-x", T0 + 61_001, 60_000)).claimed).toBe(true);
      // a stale holder's release does not free the new holder's lease
      await store.releaseAnswer(s.id, winner, 99);
      expect((await store.claimAnswer(s.id, "engine-y", T0 + 61_002, 60_000)).claimed).toBe(false);
      expect(await store.releaseAnswer(s.id, "engine-x", 7)).toBe(0);
      const next = await store.claimAnswer(s.id, "engine-y", T0 + 61_003, 60_000);
      expect(next).toEqual({ claimed: true, answeredThrough: 7, leaseUntil: T0 + 61_003 + 60_000, lastSeq: 0 });
      // releasing without a new position keeps the recorded one
      await store.releaseAnswer(s.id, "engine-y", null);
      expect((await store.claimAnswer(s.id, "engine-z", T0 + 61_004, 60_000)).answeredThrough).toBe(7);
    });

    it("hands out pending evaluations that are due, earliest due first", async () => {
      // Other tests' sessions share the database: look only at this test's own.
      const t = await trainee();
      const mk = async (evalStatus: "pending" | "done", evalNextAt: number | null, endedAt: number) => {
        const s = await store.createSession(newSession(t.id, place()));
        await store.updateSession(s.id, { status: "ended", evalStatus, evalNextAt, endedAt });
        return s.id;
      };
      const now = T0 + 1_000_000;
      const retryLater = await mk("pending", now + 1, T0);
      const dueSoonest = await mk("pending", now - 500, T0 + 300);
      const dueNow = await mk("pending", now, T0 + 100);
      const noTimeSet = await mk("pending", null, T0 + 200);
      const alreadyDone = await mk("done", null, T0);

      const due = (await store.sessionsDueForEvaluation(now, 100)).map((s) => s.id);
      const mine = due.filter((id) => [retryLater, dueSoonest, dueNow, noTimeSet, alreadyDone].includes(id));
      expect(mine).toEqual([noTimeSet, dueSoonest, dueNow]);
      expect(await store.sessionsDueForEvaluation(now, 1)).toHaveLength(1);
    });
  });

  describe("turns", () => {
    it("numbers turns 1, 2, 3 in order and reads every field back", async () => {
      const t = await trainee();
      const s = await store.createSession(newSession(t.id, place()));
      const a = await store.appendTurn(
        traineeTurn(s.id, "您好，请问有什么可以帮您？", { inboundKey: `tg:${randomUUID()}`, responseMs: 4_200 }),
      );
      const b = await store.appendTurn({
        ...traineeTurn(s.id, "我的卡被扣了年费，凭什么？"),
        speaker: "customer",
        at: T0 + 2_000,
        mood: 1.5,
        triggerId: "blame-policy",
        reason: "被推给规定，更生气",
      });
      const c = await store.appendTurn(traineeTurn(s.id, "我理解您的心情", { at: T0 + 3_000 }));
      expect([a, b, c].map((r) => [r.turn.seq, r.duplicate])).toEqual([
        [1, false],
        [2, false],
        [3, false],
      ]);
      await store.setTurnMessageId(s.id, 2, "msg-42");
      const turns = await store.listTurns(s.id);
      expect(turns).toEqual([a.turn, { ...b.turn, platformMessageId: "msg-42" }, c.turn]);
      expect(turns[1]?.mood).toBe(1.5);
    });

    it("finds a session's latest turn, overall and by speaker", async () => {
      const t = await trainee();
      const s = await store.createSession(newSession(t.id, place()));
      expect(await store.lastTurn(s.id)).toBeNull();
      const base = {
        sessionId: s.id,
        at: T0,
        inboundKey: null,
        platformMessageId: null,
        mood: null,
        triggerId: null,
        reason: null,
        responseMs: null,
      };
      await store.appendTurn({ ...base, speaker: "customer", text: "开场" });
      await store.appendTurn({ ...base, speaker: "trainee", text: "您好" });
      await store.appendTurn({ ...base, speaker: "trainee", text: "请问" });
      expect((await store.lastTurn(s.id))?.text).toBe("请问");
      expect((await store.lastTurn(s.id, "customer"))?.seq).toBe(1);
      expect((await store.lastTurn(s.id, "trainee"))?.seq).toBe(3);
    });

    it("keeps the hidden facts a customer turn revealed", async () => {
      const t = await trainee();
      const s = await store.createSession(newSession(t.id, place()));
      const base = {
        sessionId: s.id,
        at: T0,
        inboundKey: null,
        platformMessageId: null,
        mood: 2,
        triggerId: null,
        reason: null,
        responseMs: null,
      };
      await store.appendTurn({
        ...base,
        speaker: "customer",
        text: "上午十点取的",
        revealedFacts: ["withdrawal-time", "atm-location"],
      });
      await store.appendTurn({ ...base, speaker: "customer", text: "嗯" });
      const [withFacts, without] = await store.listTurns(s.id);
      expect(withFacts?.revealedFacts).toEqual(["withdrawal-time", "atm-location"]);
      expect(without?.revealedFacts).toBeUndefined();
    });

    it("stores a message delivered twice as one turn and returns the first with duplicate set", async () => {
      const t = await trainee();
      const s = await store.createSession(newSession(t.id, place()));
      const key = `telegram:chat:${randomUUID()}`;
      const first = await store.appendTurn(traineeTurn(s.id, "第一次", { inboundKey: key }));
      const again = await store.appendTurn(traineeTurn(s.id, "第一次（重发）", { inboundKey: key, at: T0 + 9_000 }));
      expect(again).toEqual({ turn: first.turn, duplicate: true });
      expect(await store.listTurns(s.id)).toHaveLength(1);
    });

    it("keeps one turn when the same message arrives several times at once", async () => {
      const t = await trainee();
      const s = await store.createSession(newSession(t.id, place()));
      const key = `discord:${randomUUID()}`;
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => store.appendTurn(traineeTurn(s.id, `copy ${i}`, { inboundKey: key }))),
      );
      expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
      const turns = await store.listTurns(s.id);
      expect(turns).toHaveLength(1);
      for (const r of results) expect(r.turn).toEqual(turns[0]);
    });

    it("gives 20 simultaneous appends to one session the seqs 1 to 20", async () => {
      const t = await trainee();
      const s = await store.createSession(newSession(t.id, place()));
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.appendTurn(traineeTurn(s.id, `message ${i}`))),
      );
      const seqs = results.map((r) => r.turn.seq).sort((x, y) => x - y);
      expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      const stored = await store.listTurns(s.id);
      expect(stored.map((x) => x.seq)).toEqual(seqs);
      // Each caller got back the turn that was stored under its seq.
      for (const r of results) expect(stored[r.turn.seq - 1]?.text).toBe(r.turn.text);
    });

    it("appends only while the session is active, measuring the reply time from the last customer turn", async () => {
      const t = await trainee();
      const s = await store.createSession(newSession(t.id, place()));
      const first = await store.appendTurnIfActive(traineeTurn(s.id, "您好", { at: T0 + 500 }), {
        responseSinceCustomer: true,
      });
      expect(first?.turn).toMatchObject({ seq: 1, responseMs: null });
      await store.appendTurn({ ...traineeTurn(s.id, "怎么回事"), speaker: "customer", at: T0 + 2_000, mood: 2 });
      const answered = await store.appendTurnIfActive(traineeTurn(s.id, "请讲", { at: T0 + 6_500 }), {
        responseSinceCustomer: true,
      });
      expect(answered?.turn).toMatchObject({ seq: 3, responseMs: 4_500 });
      expect((await store.listTurns(s.id))[2]?.responseMs).toBe(4_500);
      // a clock behind the customer's turn never gives a negative time
      const early = await store.appendTurnIfActive(traineeTurn(s.id, "嗯", { at: T0 + 1_000 }), {
        responseSinceCustomer: true,
      });
      expect(early?.turn.responseMs).toBe(0);
      const claim = await store.claimAnswer(s.id, "engine-a", T0, 60_000);
      expect(claim.lastSeq).toBe(4);
      expect(await store.releaseAnswer(s.id, "engine-a", 4)).toBe(4);
      await store.updateSession(s.id, { status: "ended" });
      expect(await store.appendTurnIfActive(traineeTurn(s.id, "还在吗"))).toBeNull();
      // a redelivered message is still recognised after the session ended
      const key = `tg:${randomUUID()}`;
      const other = await store.createSession(newSession(t.id, place()));
      const stored = await store.appendTurnIfActive(traineeTurn(other.id, "一次", { inboundKey: key }));
      await store.updateSession(other.id, { status: "ended" });
      expect(await store.appendTurnIfActive(traineeTurn(other.id, "一次", { inboundKey: key }))).toEqual({
        turn: stored?.turn,
        duplicate: true,
      });
      expect(await store.listTurns(s.id)).toHaveLength(4);
    });
  });

  describe("pinned persona and rubric versions", () => {
    it("stores each distinct text once, however many sessions pin it, and reads it back exactly", async () => {
      const t = await trainee();
      const persona = JSON.stringify({ id: "p", title: `版本 ${randomUUID()}`, text: "长".repeat(5000) });
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        ids.push((await store.createSession(newSession(t.id, place(), { personaSnapshot: persona }))).id);
      }
      const rows = await store.db.selectFrom("snapshots").select("key").where("body", "=", persona).execute();
      expect(rows).toHaveLength(1);
      // a fresh process (no memory of the texts) reads the same
      const again = await open(backend);
      try {
        for (const id of ids) expect((await again.getSession(id))?.personaSnapshot).toBe(persona);
      } finally {
        await again.close();
      }
    });
  });

  describe("inbound events", () => {
    it("handles a repeated platform update once", async () => {
      const key = `telegram:update:${randomUUID()}`;
      expect(await store.claimInbound(key, T0)).toBe(true);
      expect(await store.claimInbound(key, T0 + 1)).toBe(false);
    });

    it("forgets old claims when pruned, so their space is reclaimed, and keeps recent ones", async () => {
      const old = `telegram:update:${randomUUID()}`;
      const recent = `telegram:update:${randomUUID()}`;
      await store.claimInbound(old, T0 - 10 * 86_400_000);
      await store.claimInbound(recent, T0);
      expect(await store.pruneInbound(T0 - 86_400_000)).toBeGreaterThanOrEqual(1);
      expect(await store.claimInbound(old, T0)).toBe(true);
      expect(await store.claimInbound(recent, T0)).toBe(false);
    });

    it("lets one of several simultaneous deliveries of an update claim it", async () => {
      const key = `discord:interaction:${randomUUID()}`;
      const claims = await Promise.all(Array.from({ length: 10 }, () => store.claimInbound(key, T0)));
      expect(claims.filter(Boolean)).toHaveLength(1);
    });
  });

  describe("evaluations", () => {
    it("reads back an evaluation with Chinese text exactly as saved", async () => {
      const t = await trainee();
      const s = await store.createSession(newSession(t.id, place()));
      const e = evaluation(s.id, T0 + 70_000, "整体表现良好：先安抚情绪，再给出可行方案。“引号”与emoji 🙂 也保留。");
      await store.saveEvaluation(e);
      expect(await store.latestEvaluation(s.id)).toEqual(e);
    });

    it("returns the newest evaluation of a session, and all of them newest first", async () => {
      const t = await trainee();
      const s = await store.createSession(newSession(t.id, place()));
      const older = evaluation(s.id, T0 + 1_000, "第一次评估");
      const newer = evaluation(s.id, T0 + 2_000, "重新评估");
      await store.saveEvaluation(newer);
      await store.saveEvaluation(older);
      expect(await store.latestEvaluation(s.id)).toEqual(newer);
      expect(await store.listEvaluations(s.id)).toEqual([newer, older]);
      expect(await store.latestEvaluation(randomUUID())).toBeNull();
      expect(await store.listEvaluations(randomUUID())).toEqual([]);
    });

    it("looks up the newest evaluation of many sessions at once, leaving out those without one", async () => {
      const t = await trainee();
      const s1 = await store.createSession(newSession(t.id, place()));
      const s2 = await store.createSession(newSession(t.id, place()));
      const s3 = await store.createSession(newSession(t.id, place()));
      const e1 = evaluation(s1.id, T0 + 5, "s1 newest");
      await store.saveEvaluation(evaluation(s1.id, T0 + 1, "s1 old"));
      await store.saveEvaluation(e1);
      const e2 = evaluation(s2.id, T0 + 3, "s2 only");
      await store.saveEvaluation(e2);

      const map = await store.latestEvaluations([s1.id, s2.id, s3.id, s1.id]);
      expect([...map.keys()].sort()).toEqual([s1.id, s2.id].sort());
      expect(map.get(s1.id)).toEqual(e1);
      expect(map.get(s2.id)).toEqual(e2);
      expect((await store.latestEvaluations([])).size).toBe(0);
    });
  });

  describe("LLM call log", () => {
    it("lists a session's calls in the order they started", async () => {
      const t = await trainee();
      const s = await store.createSession(newSession(t.id, place()));
      const second = llmCall(s.id, T0 + 2_000, { role: "judge", purpose: "evaluate", model: "judge-model" });
      const first = llmCall(s.id, T0 + 1_000, {
        outcome: "unreachable",
        error: "timeout",
        promptTokens: null,
        completionTokens: null,
      });
      await store.recordLlmCall(second);
      await store.recordLlmCall(first);
      await store.recordLlmCall(llmCall(null, T0));
      expect(await store.listLlmCalls(s.id)).toEqual([first, second]);
    });
  });

  describe("deleting a trainee's data", () => {
    it("removes the trainee with their sessions, turns, evaluations and call log, and nobody else's", async () => {
      const leaving = await trainee("要删除的人");
      const staying = await trainee("留下的人");
      const make = async (who: string) => {
        const s = await store.createSession(newSession(who, place()));
        await store.appendTurn(traineeTurn(s.id, "你好", { inboundKey: `k:${randomUUID()}` }));
        await store.saveEvaluation(evaluation(s.id, T0, "评语"));
        await store.recordLlmCall(llmCall(s.id, T0));
        return s.id;
      };
      const gone = [await make(leaving.id), await make(leaving.id)];
      const kept = await make(staying.id);

      await store.deleteTrainee(leaving.id);

      expect(await store.getTrainee(leaving.id)).toBeNull();
      expect(await store.listSessions({ traineeId: leaving.id })).toEqual([]);
      for (const id of gone) {
        expect(await store.getSession(id)).toBeNull();
        expect(await store.listTurns(id)).toEqual([]);
        expect(await store.listEvaluations(id)).toEqual([]);
        expect(await store.listLlmCalls(id)).toEqual([]);
      }
      expect(await store.getTrainee(staying.id)).not.toBeNull();
      expect(await store.listTurns(kept)).toHaveLength(1);
      expect(await store.listEvaluations(kept)).toHaveLength(1);
      expect(await store.listLlmCalls(kept)).toHaveLength(1);
    });
  });

  describe("timestamps", () => {
    it("reads 64-bit millisecond timestamps back as numbers, not strings", async () => {
      const farFuture = 8_000_000_000_000_000; // year ~255 000, far beyond 32 bits, within 2^53
      const who = await store.upsertTrainee(identity(), farFuture);
      expect(who.createdAt).toBe(farFuture);
      const reread = await store.getTrainee(who.id);
      expect(typeof reread?.createdAt).toBe("number");
      expect(reread?.createdAt).toBe(farFuture);

      const s = await store.createSession(newSession(who.id, place(), { startedAt: farFuture }));
      await store.updateSession(s.id, { evalNextAt: farFuture + 1, endedAt: farFuture + 2 });
      const back = await store.getSession(s.id);
      expect(back).toMatchObject({
        startedAt: farFuture,
        lastActivityAt: farFuture,
        evalNextAt: farFuture + 1,
        endedAt: farFuture + 2,
      });
      expect(typeof back?.startedAt).toBe("number");
      const { turn } = await store.appendTurn(traineeTurn(s.id, "x", { at: farFuture, responseMs: 3_000_000_000 }));
      const [stored] = await store.listTurns(s.id);
      expect(stored).toEqual(turn);
      expect(typeof stored?.at).toBe("number");
      expect(typeof stored?.responseMs).toBe("number");
    });
  });

  describe("migrations", () => {
    // Simultaneous first starts are checked on PostgreSQL below; SQLite is one process per file.
    it("opens an existing database again, twice, without changing it", async () => {
      const t = await trainee("before reopening");
      const a = await open(backend);
      const b = await open(backend);
      try {
        expect(await a.schemaVersion()).toBe(NEWEST_MIGRATION);
        expect(await b.schemaVersion()).toBe(NEWEST_MIGRATION);
        await a.migrate();
        expect((await b.getTrainee(t.id))?.displayName).toBe("before reopening");
      } finally {
        await a.close();
        await b.close();
      }
    });
  });
});

describe("upgrading sessions that carry their own persona and rubric copies", () => {
  it.each(["SQLite", "PostgreSQL"])("moves the copies to one row per version on %s", async (kind) => {
    const schema = `store_test_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
    const dir = mkdtempSync(join(tmpdir(), "store-upgrade-"));
    const old =
      kind === "SQLite"
        ? createSqliteStore({ filename: join(dir, "old.sqlite") })
        : createPostgresStore({ connectionString: PG_BASE, pgSchema: schema });
    const personaA = JSON.stringify({ id: "a", title: "吞卡", text: "长".repeat(3000) });
    const personaB = JSON.stringify({ id: "b", title: "年费" });
    const rubric = JSON.stringify({ id: "r", criteria: ["共情"] });
    try {
      await runMigrations(old.db, old.dialect, {
        migrations: MIGRATIONS.filter((m) => m.version <= 3),
        ...(kind === "SQLite" ? {} : { pgSchema: schema }),
      });
      const who = await old.upsertTrainee(identity(), T0);
      const ids = [personaA, personaB, personaA].map((persona, i) => ({ id: `s${i}`, persona }));
      for (const { id, persona } of ids) {
        await sql`insert into sessions (id, trainee_id, persona_id, persona_hash, persona_snapshot, rubric_id,
          rubric_hash, rubric_snapshot, language, platform, scope_id, chat_id, thread_id, place_key, status, mood,
          outcome, end_reason, eval_status, eval_attempts, eval_next_at, pii_notice_sent, started_at,
          last_activity_at, ended_at)
          values (${id}, ${who.id}, 'p', 'h', ${persona}, 'r', 'rh', ${rubric}, 'zh-CN', 'telegram', null, ${id},
          null, ${id}, 'ended', 2, 'continue', null, 'none', 0, null, 0, ${T0}, ${T0}, ${T0})`.execute(old.db);
      }
      const judged = evaluation("s0", T0 + 5_000, "整体良好");
      await sql`insert into evaluations (id, session_id, created_at, body)
        values (${judged.id}, 's0', ${judged.createdAt}, ${JSON.stringify(judged)})`.execute(old.db);
      await old.migrate();
      // Reports read the evaluation's figures from a digest computed for the rows already there.
      const pages = [];
      for await (const page of old.reportSessions({ since: T0, until: T0 + 1, scopes: null })) pages.push(...page);
      expect(pages.map((r) => [r.id, r.evaluation?.total ?? null])).toEqual([
        ["s0", null],
        ["s1", null],
        ["s2", null],
      ]);
      await old.updateSession("s0", { evalStatus: "done" });
      const [first] = (
        await old
          .reportSessions({ since: T0, until: T0 + 1, scopes: null })
          [Symbol.asyncIterator]()
          .next()
      ).value as Array<{ evaluation: { total: number; criteria: unknown[] } | null }>;
      expect(first?.evaluation?.total).toBe(judged.total);
      expect(first?.evaluation?.criteria).toHaveLength(judged.criteria.length);
      const snapshots = await old.db.selectFrom("snapshots").select("body").execute();
      expect(snapshots.map((r) => r.body).sort()).toEqual([personaA, personaB, rubric].sort());
      for (const { id, persona } of ids) {
        const session = await old.getSession(id);
        expect(session?.personaSnapshot).toBe(persona);
        expect(session?.rubricSnapshot).toBe(rubric);
      }
    } finally {
      if (kind === "SQLite") await old.close();
      else await old.dropSchema();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("first start on a fresh PostgreSQL schema", () => {
  it("creates the tables once when two processes start together", async () => {
    const schema = `store_test_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
    const target = { url: PG_BASE, pgSchema: schema };
    const backend: Backend = { ...postgresBackend, target: () => target };
    const [a, b] = await Promise.all([open(backend), open(backend)]);
    try {
      expect(await a.schemaVersion()).toBe(NEWEST_MIGRATION);
      expect(await b.schemaVersion()).toBe(NEWEST_MIGRATION);
      const who = await a.upsertTrainee(identity(), T0);
      expect(await b.getTrainee(who.id)).toEqual(who);
    } finally {
      await b.close();
      await a.dropSchema();
    }
  });
});

describe("opening a store from DATABASE_URL", () => {
  it("opens an in-memory SQLite database", async () => {
    const store = await openStore("sqlite::memory:");
    try {
      expect(await store.claimInbound("k", T0)).toBe(true);
      expect(await store.schemaVersion()).toBe(NEWEST_MIGRATION);
    } finally {
      await store.close();
    }
  });

  it("accepts a plain file path and creates its directory", async () => {
    const dir = mkdtempSync(join(tmpdir(), "store-path-"));
    const file = join(dir, "a", "b", "bot.db");
    try {
      const store = await openStore(file);
      await store.close();
      expect(existsSync(file)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("rejects an unknown scheme with a message naming DATABASE_URL, without the password", async () => {
    const attempt = openStore("mysql://admin:s3cr3t-pw@db.example:3306/bot");
    await expect(attempt).rejects.toBeInstanceOf(DatabaseUrlError);
    const message = await attempt.catch((e: Error) => e.message);
    expect(message).toContain("DATABASE_URL");
    expect(message).toContain("postgres://");
    expect(message).toContain("sqlite:");
    expect(message).not.toContain("s3cr3t-pw");
  });

  it("describes a database for display with the password masked", () => {
    const shown = describeDatabase("postgres://bot:p@ss:w0rd@db.internal:5432/roleplay");
    expect(shown).not.toContain("w0rd");
    expect(shown).toContain("db.internal:5432/roleplay");
    expect(describeDatabase("sqlite:./data/roleplay.sqlite")).toContain("./data/roleplay.sqlite");
    expect(describeDatabase("sqlite::memory:")).toMatch(/memory/i);
  });
});

describe("a database that cannot be opened is explained, never with its password", () => {
  it("PostgreSQL not answering: says so and what to check", async () => {
    const err = await openStore("postgres://trainer:s3cret-pw@127.0.0.1:1/roleplay").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    const message = (err as Error).message;
    expect(message).toContain("nothing answers at that host and port");
    expect(message).toContain("DATABASE_URL");
    expect(message).not.toContain("s3cret-pw");
  });

  it("a PostgreSQL database that does not exist: says how to create it", async () => {
    const err = await openStore(`postgres://postgres@127.0.0.1:5432/no_such_db_${randomUUID().slice(0, 8)}`).catch(
      (e: unknown) => e,
    );
    expect((err as Error).message).toMatch(/does not exist\. Create it/);
  });

  it("an SQLite path through a file: says the path is wrong", async () => {
    const dir = mkdtempSync(join(tmpdir(), "store-bad-"));
    const file = join(dir, "plain-file");
    (await import("node:fs")).writeFileSync(file, "x");
    const err = await openStore(`sqlite:${join(file, "db.sqlite")}`).catch((e: unknown) => e);
    expect((err as Error).name).toBe("DatabaseOpenError");
    expect((err as Error).message).toMatch(/a file stands where a folder of the path should be/);
    rmSync(dir, { recursive: true, force: true });
  });
});
