// Evaluations: each stored whole (JSON body) with its digest (the figures reports read without
// parsing bodies); a session's newest is the one that counts.
import type { Kysely } from "kysely";
import type { Evaluation } from "../domain/evaluation.ts";
import { digestOf } from "./evaluation-digest.ts";
import type { Database } from "./schema.ts";

/** Keeps IN lists well below both databases' bound-parameter limits. */
const IN_CHUNK = 500;

/**
 * Saving the same evaluation id again replaces it. With `cardPending`, the trainee's card is marked
 * as owed in the same statement; the engine clears the mark once the card is delivered, and a run
 * killed in between leaves it for the next run to send.
 */
export async function saveEvaluation(
  db: Kysely<Database>,
  evaluation: Evaluation,
  options: { cardPending?: boolean } = {},
): Promise<void> {
  const body = JSON.stringify(evaluation);
  const digest = JSON.stringify(digestOf(evaluation));
  const card_pending = options.cardPending ? 1 : 0;
  const row = { session_id: evaluation.sessionId, created_at: evaluation.createdAt, body, digest, card_pending };
  await db
    .insertInto("evaluations")
    .values({ id: evaluation.id, ...row })
    .onConflict((oc) => oc.column("id").doUpdateSet(row))
    .execute();
}

/** Evaluations whose card is still to be delivered, created in [after, before), oldest first. */
export async function pendingCards(
  db: Kysely<Database>,
  window: { after: number; before: number },
  limit: number,
): Promise<Evaluation[]> {
  const rows = await db
    .selectFrom("evaluations")
    .select("body")
    .where("card_pending", "=", 1)
    .where("created_at", ">=", window.after)
    .where("created_at", "<", window.before)
    .orderBy("created_at", "asc")
    .orderBy("id", "asc")
    .limit(limit)
    .execute();
  return rows.map((r) => JSON.parse(r.body) as Evaluation);
}

export async function markCardDelivered(db: Kysely<Database>, evaluationId: string): Promise<void> {
  await db.updateTable("evaluations").set({ card_pending: 0 }).where("id", "=", evaluationId).execute();
}

export async function latestEvaluation(db: Kysely<Database>, sessionId: string): Promise<Evaluation | null> {
  const row = await db
    .selectFrom("evaluations")
    .select("body")
    .where("session_id", "=", sessionId)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? null : (JSON.parse(row.body) as Evaluation);
}

/** Newest first. */
export async function listEvaluations(db: Kysely<Database>, sessionId: string): Promise<Evaluation[]> {
  const rows = await db
    .selectFrom("evaluations")
    .select("body")
    .where("session_id", "=", sessionId)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .execute();
  return rows.map((r) => JSON.parse(r.body) as Evaluation);
}

/** The newest evaluation of each session that has one, read in chunks. */
export async function latestEvaluations(db: Kysely<Database>, sessionIds: string[]): Promise<Map<string, Evaluation>> {
  const result = new Map<string, Evaluation>();
  const unique = [...new Set(sessionIds)];
  for (let i = 0; i < unique.length; i += IN_CHUNK) {
    const chunk = unique.slice(i, i + IN_CHUNK);
    const rows = await db
      .selectFrom("evaluations")
      .select(["session_id", "body"])
      .where("session_id", "in", chunk)
      .orderBy("session_id", "asc")
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .execute();
    for (const row of rows) {
      if (!result.has(row.session_id)) result.set(row.session_id, JSON.parse(row.body) as Evaluation);
    }
  }
  return result;
}
