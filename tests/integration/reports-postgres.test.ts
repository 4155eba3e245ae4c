// The same seeded month gives the same summary on PostgreSQL as on SQLite (timestamps beyond 32
// bits, ordering, JSON bodies). PostgreSQL is expected at 127.0.0.1:5432 (database test, user
// postgres); without it this test fails with a message saying so.
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { buildSummary } from "../../src/reports/index.ts";
import { type KyselyStore, openStore } from "../../src/store/index.ts";
import { MARCH_FROM, MARCH_TO, NOW, seedMarch, TG_GROUP_A } from "../fixtures/reports/seed.ts";

const PG = "postgres://postgres@127.0.0.1:5432/test";
const pgSchema = `reports_test_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
let pg: KyselyStore | null = null;

afterAll(async () => {
  await pg?.dropSchema();
});

describe("summaries on PostgreSQL", () => {
  it("match the SQLite summary of the same data, whole team and one group", async () => {
    try {
      pg = await openStore(PG, { pgSchema });
    } catch (err) {
      throw new Error(
        `PostgreSQL is not reachable at ${PG}: ${err instanceof Error ? err.message : String(err)}. ` +
          "Start it (CI does) — this test fails rather than skips without it.",
      );
    }
    const sqlite = await openStore("sqlite::memory:");
    try {
      await seedMarch(pg);
      await seedMarch(sqlite);
      for (const scope of [null, { platform: "telegram" as const, scopeId: TG_GROUP_A }]) {
        const options = { from: MARCH_FROM, to: MARCH_TO, scope, now: NOW, timeZone: "UTC" };
        const onPg = await buildSummary(pg, options);
        expect(onPg).toEqual(await buildSummary(sqlite, options));
        expect(onPg.totals.started).toBe(scope === null ? 15 : 8);
      }
    } finally {
      await sqlite.close();
    }
  });
});
