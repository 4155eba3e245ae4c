// Turns: appending with the race for the next seq retried, reading a transcript, rewriting a
// turn's text (masking) and remembering the platform message a turn was posted as.
import { type Kysely, sql } from "kysely";
import type { Turn } from "../domain/session.ts";
import { isUniqueViolation } from "./faults.ts";
import type { NewTurn } from "./port.ts";
import { rowToTurn } from "./rows.ts";
import type { Database, SqlDialectName } from "./schema.ts";
import { type AppendOptions, runAppend } from "./turn-append.ts";

/** Attempts for an append that keeps losing the race for the next seq. */
const APPEND_ATTEMPTS = 50;

/**
 * Appends a turn, or finds the one stored before for the same inbound message (duplicate). Null
 * when nothing was written because the session is no longer active (onlyIfActive).
 */
export async function appendTurn(
  db: Kysely<Database>,
  dialect: SqlDialectName,
  turn: NewTurn,
  options: AppendOptions,
): Promise<{ turn: Turn; duplicate: boolean } | null> {
  for (let attempt = 1; ; attempt++) {
    try {
      const stored = await runAppend(db, dialect, turn, options);
      if (stored !== null) return { turn: stored, duplicate: false };
    } catch (err) {
      // Another writer took the same seq at the same moment: compute it again.
      if (!isUniqueViolation(err)) throw err;
      if (attempt >= APPEND_ATTEMPTS) throw err;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
      continue;
    }
    // Nothing written: the message was stored before, or the session is no longer active.
    if (turn.inboundKey !== null) {
      const existing = await db
        .selectFrom("turns")
        .selectAll()
        .where("inbound_key", "=", turn.inboundKey)
        .executeTakeFirst();
      if (existing !== undefined) return { turn: rowToTurn(existing), duplicate: true };
    }
    if (options.onlyIfActive) return null;
    if (attempt >= APPEND_ATTEMPTS) throw new Error("the turn was not stored");
  }
}

export async function listTurns(db: Kysely<Database>, sessionId: string): Promise<Turn[]> {
  const rows = await db
    .selectFrom("turns")
    .selectAll()
    .where("session_id", "=", sessionId)
    .orderBy("seq", "asc")
    .execute();
  return rows.map(rowToTurn);
}

export async function lastTurn(
  db: Kysely<Database>,
  sessionId: string,
  speaker?: Turn["speaker"],
): Promise<Turn | null> {
  let q = db.selectFrom("turns").selectAll().where("session_id", "=", sessionId);
  if (speaker !== undefined) q = q.where("speaker", "=", speaker);
  const row = await q.orderBy("seq", "desc").limit(1).executeTakeFirst();
  return row === undefined ? null : rowToTurn(row);
}

export async function replaceTurnText(
  db: Kysely<Database>,
  dialect: SqlDialectName,
  sessionId: string,
  seq: number,
  text: string,
): Promise<void> {
  await db.updateTable("turns").set({ text }).where("session_id", "=", sessionId).where("seq", "=", seq).execute();
  // The text replaced held personal data: its old page image must not stay in the write-ahead
  // log (secure_delete, set at open, zeroes it in the main file).
  if (dialect === "sqlite") await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db);
}

export async function setTurnMessageId(
  db: Kysely<Database>,
  sessionId: string,
  seq: number,
  platformMessageId: string,
): Promise<void> {
  await db
    .updateTable("turns")
    .set({ platform_message_id: platformMessageId })
    .where("session_id", "=", sessionId)
    .where("seq", "=", seq)
    .execute();
}
