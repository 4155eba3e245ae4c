// What adapters look up through RoleplayApi instead of the store (src/roleplay/platform-lookups.ts),
// against a real SQLite store: the session behind a button, a trainee's running sessions in one
// server, the sessions to look over after a reconnect with the newest message id their turns
// carry, and one-time events.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { newestId, platformLookups, userIdOf } from "../../src/roleplay/platform-lookups.ts";
import { openStore } from "../../src/store/index.ts";
import type { Store } from "../../src/store/port.ts";

let store: Store;
beforeEach(async () => {
  store = await openStore("sqlite::memory:");
});
afterEach(async () => {
  await store.close();
});

async function session(id: string, userId: string, guild: string, thread: string, platform = "discord" as const) {
  await store.upsertTrainee({ platform, userId, displayName: userId }, 1);
  await store.createSession({
    id,
    traineeId: `${platform}:${userId}`,
    personaId: "p",
    personaHash: "h",
    personaSnapshot: "{}",
    rubricId: "r",
    rubricHash: "h",
    rubricSnapshot: "{}",
    language: "en",
    place: { platform, scopeId: guild, chatId: "c", threadId: thread },
    mood: 0,
    startedAt: 1,
  });
}

async function turn(sessionId: string, messageId: string | null) {
  await store.appendTurn({
    sessionId,
    speaker: "trainee",
    text: "hello",
    at: 2,
    inboundKey: messageId ? `k-${sessionId}-${messageId}` : null,
    platformMessageId: messageId,
    mood: null,
    triggerId: null,
    reason: null,
    responseMs: null,
  });
}

describe("platform lookups", () => {
  it("newest message id: Discord snowflakes beyond 2^53 compare exactly, by length then digits", () => {
    expect(newestId(["1300000000000000001", "1300000000000000002", null, "999999999999999999"])).toBe(
      "1300000000000000002",
    );
    expect(newestId([null, null])).toBeNull();
    expect(newestId(["9", "10"])).toBe("10");
    expect(
      userIdOf({ traineeId: "discord:42", place: { platform: "discord", scopeId: null, chatId: "c", threadId: null } }),
    ).toBe("42");
  });

  it("recoverable sessions of one platform carry the trainee's id and the newest message id", async () => {
    const api = platformLookups(store, () => 5);
    await session("a", "111", "g1", "t1");
    await session("b", "222", "g2", "t2");
    await session("c", "333", "tg", "t3", "telegram" as never);
    await turn("a", "1300000000000000009");
    await turn("a", "1300000000000000010");
    await turn("a", null);
    const found = await api.recoverableSessions("discord");
    expect(found.map((r) => [r.session.id, r.traineeUserId, r.lastMessageId])).toEqual([
      ["a", "111", "1300000000000000010"],
      ["b", "222", null],
    ]);
    await store.updateSession("b", { status: "ended", endedAt: 3 });
    expect((await api.recoverableSessions("discord")).map((r) => r.session.id)).toEqual(["a"]);
  });

  it("a trainee's running sessions in one server; a session by id; an event claimed once", async () => {
    const api = platformLookups(store, () => 5);
    await session("a", "111", "g1", "t1");
    await session("b", "111", "g2", "t2");
    const trainee = { platform: "discord" as const, userId: "111", displayName: "x" };
    expect((await api.activeSessionsOf(trainee, "g2")).map((s) => s.id)).toEqual(["b"]);
    expect((await api.activeSessionsOf(trainee)).map((s) => s.id).sort()).toEqual(["a", "b"]);
    expect((await api.session("a"))?.place.threadId).toBe("t1");
    expect(await api.session("nope")).toBeNull();
    expect(await api.claimOnce("discord:interaction:1")).toBe(true);
    expect(await api.claimOnce("discord:interaction:1")).toBe(false);
  });
});
