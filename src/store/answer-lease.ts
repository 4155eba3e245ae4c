// The answer lease: one holder at a time answers a session's trainee turns, across processes.
// Each step is one statement, atomic on both databases whichever process gets there first.
import { type Kysely, sql } from "kysely";
import type { AnswerClaim } from "./port.ts";
import type { Database } from "./schema.ts";

export async function claimAnswer(
  db: Kysely<Database>,
  sessionId: string,
  holder: string,
  now: number,
  leaseMs: number,
): Promise<AnswerClaim> {
  // One upsert whose update only happens when the lease is free, expired or already ours:
  // atomic on both databases, whichever process gets there first. It also returns the session's
  // last seq, so a holder can tell whether its copy of the transcript is still complete.
  const lastSeq = sql<number | null>`(select max(seq) from turns where turns.session_id = ${sessionId})`;
  const won = await db
    .insertInto("session_leases")
    .values({ session_id: sessionId, holder, lease_until: now + leaseMs, answered_through: null })
    .onConflict((oc) =>
      oc
        .column("session_id")
        .doUpdateSet({ holder, lease_until: now + leaseMs })
        .where((eb) =>
          eb.or([
            eb("session_leases.holder", "is", null),
            eb("session_leases.holder", "=", holder),
            eb("session_leases.lease_until", "is", null),
            eb("session_leases.lease_until", "<", now),
          ]),
        ),
    )
    .returning(["answered_through", "lease_until", lastSeq.as("last_seq")])
    .executeTakeFirst();
  const row =
    won ??
    (await db
      .selectFrom("session_leases")
      .select(["answered_through", "lease_until", lastSeq.as("last_seq")])
      .where("session_id", "=", sessionId)
      .executeTakeFirst());
  const num = (v: number | null | undefined) => (v === null || v === undefined ? null : Number(v));
  return {
    claimed: won !== undefined,
    answeredThrough: num(row?.answered_through),
    leaseUntil: num(row?.lease_until),
    lastSeq: num(row?.last_seq) ?? 0,
  };
}

export async function releaseAnswer(
  db: Kysely<Database>,
  sessionId: string,
  holder: string,
  answeredThrough: number | null,
): Promise<number | null> {
  const row = await db
    .updateTable("session_leases")
    .set({
      holder: null,
      lease_until: null,
      ...(answeredThrough !== null ? { answered_through: answeredThrough } : {}),
    })
    .where("session_id", "=", sessionId)
    .where("holder", "=", holder)
    .returning(
      sql<
        number | null
      >`(select max(seq) from turns where turns.session_id = ${sessionId} and turns.speaker = 'trainee')`.as(
        "last_trainee_seq",
      ),
    )
    .executeTakeFirst();
  if (row === undefined) return null;
  return row.last_trainee_seq === null ? 0 : Number(row.last_trainee_seq);
}

export async function clearAnswerLeases(db: Kysely<Database>): Promise<number> {
  const result = await db
    .updateTable("session_leases")
    .set({ holder: null, lease_until: null })
    .where("holder", "is not", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
