// The rows a team report reads: one query per page for sessions, their trainee's name and their
// newest finished evaluation, only the columns a report needs, in pages so that memory does not
// grow with the whole period at once. Persona titles come from the shared snapshot texts.
import { type Kysely, sql } from "kysely";
import type { Platform } from "../domain/session.ts";
import type { EvaluationDigest, ReportQuery, ReportSessionRow } from "./port.ts";
import type { Database } from "./schema.ts";
import type { SnapshotCache } from "./snapshots.ts";

// Small pages: a page's rows and parsed digests are alive together, and in pages of 2,000 they
// outlived the young generation and piled up in the old one (100,000 sessions peaked about 100 MB
// higher). The keyset bound below keeps each page's query as cheap as the first.
const PAGE = 500;

export async function* reportSessionPages(
  db: Kysely<Database>,
  snapshots: SnapshotCache,
  query: ReportQuery,
): AsyncGenerator<ReportSessionRow[]> {
  if (query.scopes !== null && query.scopes.length === 0) return;
  let after: { startedAt: number; id: string } | null = null;
  for (;;) {
    const lower: number = after === null ? query.since : Math.max(query.since, after.startedAt);
    let q = db
      .selectFrom("sessions as s")
      .leftJoin("trainees as t", "t.id", "s.trainee_id")
      .select([
        "s.id",
        "s.trainee_id",
        "t.display_name",
        "t.platform as trainee_platform",
        "s.persona_id",
        "s.persona_snapshot_key",
        "s.platform",
        "s.scope_id",
        "s.status",
        "s.eval_status",
        "s.outcome",
        "s.end_reason",
        "s.started_at",
        "s.last_activity_at",
        "s.ended_at",
        // Only a finished evaluation counts in a report: a pending re-run may sit on an older one.
        sql<string | null>`case when s.eval_status = 'done' then (
          select e.digest from evaluations e where e.session_id = s.id
          order by e.created_at desc, e.id desc limit 1) end`.as("evaluation_digest"),
      ])
      // The page's lower bound as a plain range on started_at: SQLite does not seek an index on a
      // row-value comparison, so without it every page walked the index from the period's start.
      .where("s.started_at", ">=", lower)
      .where("s.started_at", "<", query.until);
    const scopes = query.scopes;
    if (scopes !== null) {
      q = q.where((eb) =>
        eb.or(scopes.map((p) => eb.and([eb("s.platform", "=", p.platform), eb("s.scope_id", "=", p.scopeId)]))),
      );
    }
    if (after !== null) {
      const { startedAt, id } = after;
      q = q.where((eb) => eb(eb.refTuple("s.started_at", "s.id"), ">", eb.tuple(startedAt, id)));
    }
    const rows = await q.orderBy("s.started_at", "asc").orderBy("s.id", "asc").limit(PAGE).execute();
    if (rows.length === 0) return;
    const bodies = await snapshots.bodies(new Set(rows.map((r) => r.persona_snapshot_key)));
    yield rows.map(
      (r): ReportSessionRow => ({
        id: r.id,
        traineeId: r.trainee_id,
        displayName: r.display_name,
        traineePlatform: r.trainee_platform as Platform | null,
        personaId: r.persona_id,
        personaSnapshot: bodies.get(r.persona_snapshot_key) ?? "{}",
        platform: r.platform as Platform,
        scopeId: r.scope_id,
        status: r.status as ReportSessionRow["status"],
        evalStatus: r.eval_status as ReportSessionRow["evalStatus"],
        outcome: r.outcome as ReportSessionRow["outcome"],
        endReason: r.end_reason as ReportSessionRow["endReason"],
        startedAt: Number(r.started_at),
        lastActivityAt: Number(r.last_activity_at),
        endedAt: r.ended_at === null ? null : Number(r.ended_at),
        evaluation: r.evaluation_digest === null ? null : (JSON.parse(r.evaluation_digest) as EvaluationDigest | null),
      }),
    );
    const last = rows[rows.length - 1];
    if (rows.length < PAGE || last === undefined) return;
    after = { startedAt: Number(last.started_at), id: last.id };
  }
}
