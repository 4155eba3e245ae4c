// Appending a turn in one statement: the next seq is computed inside the insert, a redelivered
// inbound message is absorbed by the unique inbound key, and (optionally) nothing is written to a
// session that is no longer active. One statement is one transaction on both databases, so a
// stored turn is durable when the statement returns. Two writers that compute the same seq at
// once (PostgreSQL, or two processes) collide on the primary key; the caller retries.
import { type Kysely, type RawBuilder, sql } from "kysely";
import type { Turn } from "../domain/session.ts";
import type { NewTurn } from "./port.ts";
import type { Database, SqlDialectName } from "./schema.ts";

export interface AppendOptions {
  /** Write only while the session's status is active. */
  onlyIfActive?: boolean;
  /** responseMs = this turn's time minus the session's latest customer turn (null when none). */
  responseSinceCustomer?: boolean;
}

export function appendTurnQuery(
  dialect: SqlDialectName,
  turn: NewTurn,
  options: AppendOptions,
): RawBuilder<{ seq: number; response_ms: number | null }> {
  // Parameters in a select list have no type PostgreSQL can infer: say what each one is.
  const ms = dialect === "postgres" ? sql.raw("bigint") : sql.raw("integer");
  const float = dialect === "postgres" ? sql.raw("double precision") : sql.raw("real");
  const text = (v: string | null) => sql`cast(${v} as text)`;
  const revealed = turn.revealedFacts === undefined ? null : JSON.stringify(turn.revealedFacts);
  const response = options.responseSinceCustomer
    ? sql`case when n.customer_at is null then null when cast(${turn.at} as ${ms}) < n.customer_at then 0
        else cast(${turn.at} as ${ms}) - n.customer_at end`
    : sql`cast(${turn.responseMs} as ${ms})`;
  const active = options.onlyIfActive
    ? sql`exists (select 1 from sessions where id = ${turn.sessionId} and status = 'active')`
    : sql`1 = 1`;
  return sql<{ seq: number; response_ms: number | null }>`
    insert into turns (session_id, seq, speaker, text, at, inbound_key, platform_message_id, mood, trigger_id,
      reason, response_ms, revealed_facts, answers_through)
    select ${text(turn.sessionId)}, n.next_seq, ${text(turn.speaker)}, ${text(turn.text)}, cast(${turn.at} as ${ms}),
      ${text(turn.inboundKey)}, ${text(turn.platformMessageId)}, cast(${turn.mood} as ${float}),
      ${text(turn.triggerId)}, ${text(turn.reason)}, ${response}, ${text(revealed)},
      cast(${turn.answersThrough ?? null} as integer)
    from (
      select coalesce(max(seq), 0) + 1 as next_seq,
        max(case when speaker = 'customer' then at end) as customer_at
      from turns where session_id = ${turn.sessionId}
    ) n
    where ${active}
    on conflict (inbound_key) where inbound_key is not null do nothing
    returning seq, response_ms`;
}

export async function runAppend(
  db: Kysely<Database>,
  dialect: SqlDialectName,
  turn: NewTurn,
  options: AppendOptions,
): Promise<Turn | null> {
  const result = await appendTurnQuery(dialect, turn, options).execute(db);
  const row = result.rows[0];
  if (row === undefined) return null;
  return {
    ...turn,
    seq: Number(row.seq),
    responseMs: row.response_ms === null ? null : Number(row.response_ms),
  };
}
