// A report reads the period in pages keyed on (started_at, id). Sessions that share a start time
// across a page boundary, and sessions outside the period or the place, must neither repeat nor
// go missing, on SQLite and on PostgreSQL (127.0.0.1:5432, database test).
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { buildSummary, readSessionRows } from "../../src/reports/index.ts";
import { type KyselyStore, openStore } from "../../src/store/index.ts";
import type { SessionsTable } from "../../src/store/schema.ts";
import { snapshotKey } from "../../src/store/snapshots.ts";

const PG = "postgres://postgres@127.0.0.1:5432/test";
const pgSchema = `reports_paging_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
const T0 = Date.UTC(2026, 2, 1);
let pg: KyselyStore | null = null;

afterAll(async () => {
  await pg?.dropSchema();
});

/** 1,300 sessions in runs of 7 sharing one start time (so ties straddle every page boundary). */
async function seed(store: KyselyStore): Promise<string[]> {
  const persona = JSON.stringify({ title: "Angry customer", difficulty: "hard" });
  await store.db
    .insertInto("snapshots")
    .values({ key: snapshotKey(persona), body: persona })
    .execute();
  await store.db
    .insertInto("trainees")
    .values({
      id: "telegram:1",
      platform: "telegram",
      user_id: "1",
      display_name: "Li",
      language: null,
      created_at: T0,
    })
    .execute();
  const expected: Array<{ id: string; at: number }> = [];
  const rows: SessionsTable[] = [];
  for (let i = 0; i < 1_300; i++) {
    // Ids out of step with time, so the id order within a tie is not the insertion order.
    const id = `s${String((i * 7919) % 1_300).padStart(5, "0")}`;
    const at = T0 + Math.floor(i / 7) * 60_000;
    const inGroup = i % 5 !== 0;
    if (inGroup) expected.push({ id, at });
    rows.push({
      id,
      trainee_id: "telegram:1",
      persona_id: "p",
      persona_hash: "h",
      persona_snapshot_key: snapshotKey(persona),
      rubric_id: "r",
      rubric_hash: "r",
      rubric_snapshot_key: snapshotKey(persona),
      language: "en",
      platform: "telegram",
      scope_id: inGroup ? "-100" : "-200",
      chat_id: `c${i}`,
      thread_id: null,
      place_key: `telegram:c${i}`,
      status: "ended",
      mood: 3,
      outcome: "none",
      end_reason: "trainee",
      eval_status: "none",
      eval_attempts: 0,
      eval_next_at: null,
      pii_notice_sent: 0,
      started_at: at,
      last_activity_at: at,
      ended_at: at + 1,
    });
  }
  for (let i = 0; i < rows.length; i += 200)
    await store.db
      .insertInto("sessions")
      .values(rows.slice(i, i + 200))
      .execute();
  return expected.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((x) => x.id);
}

describe("reports read in pages", () => {
  it("every session of the period and place once, in start order, on SQLite and PostgreSQL", async () => {
    pg = await openStore(PG, { pgSchema });
    const sqlite = (await openStore("sqlite::memory:")) as KyselyStore;
    try {
      for (const store of [sqlite, pg]) {
        const expected = await seed(store);
        const summary = await buildSummary(store, {
          from: T0,
          to: T0 + 86_400_000,
          scope: { platform: "telegram", scopeId: "-100" },
          now: T0 + 86_400_000,
          timeZone: "UTC",
        });
        expect(summary.totals.started).toBe(1_040);
        expect(summary.trainees[0]?.sessions).toBe(1_040);
        const ids = (await readSessionRows(store, summary)).map((r) => r.sessionId);
        expect(ids).toEqual(expected);
        // A period starting inside a run of ties still starts at its first session.
        const later = await readSessionRows(store, {
          period: { from: T0 + 100 * 60_000, to: T0 + 150 * 60_000 },
          scope: [{ platform: "telegram", scopeId: "-100" }],
        });
        expect(later.map((r) => r.sessionId)).toEqual(expected.filter((_, k) => k >= 560 && k < 560 + 280));
      }
    } finally {
      await sqlite.close();
    }
  });
});
