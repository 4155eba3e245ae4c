// The Store over Kysely: one adapter, one table interface, SQLite (better-sqlite3) or PostgreSQL
// (pg). Race-sensitive rules (one active session per place, one turn per inbound message, one
// handling per platform update) are enforced by unique indexes, so they hold across processes.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { CompiledQuery, type Kysely as KyselyType, Kysely, PostgresDialect, SqliteDialect, sql } from "kysely";
import pg from "pg";
import type { Evaluation } from "../domain/evaluation.ts";
import type { Language } from "../domain/persona.ts";
import {
  type EndReason,
  type EvalStatus,
  type Outcome,
  type Place,
  type Platform,
  placeKey,
  type Session,
  type SessionStatus,
  type Speaker,
  type Trainee,
  type TraineeIdentity,
  type Turn,
  traineeKey,
} from "../domain/session.ts";
import type { LlmCallRecord, LlmRole } from "../llm/port.ts";
import { runMigrations } from "./migrations.ts";
import {
  type NewSession,
  type NewTurn,
  SessionAlreadyActiveError,
  type SessionPatch,
  type SessionQuery,
  type Store,
} from "./port.ts";
import type { Database, SessionsTable, SqlDialectName, TurnsTable } from "./schema.ts";

/** PostgreSQL type oid of int8/bigint. */
const INT8_OID = 20;
/** Keeps IN lists well below both databases' bound-parameter limits. */
const IN_CHUNK = 500;
/** Attempts for an append that keeps losing the race for the next seq. */
const APPEND_ATTEMPTS = 50;

export interface SqliteStoreOptions {
  /** A file path, or ":memory:". */
  filename: string;
}

export interface PostgresStoreOptions {
  connectionString: string;
  /** Use (and create) this schema instead of the server's default search_path. */
  pgSchema?: string;
  /** Pool size; 10 by default. */
  maxConnections?: number;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export class KyselyStore implements Store {
  readonly db: KyselyType<Database>;
  readonly dialect: SqlDialectName;
  readonly pgSchema: string | undefined;
  #closed = false;

  constructor(db: KyselyType<Database>, dialect: SqlDialectName, pgSchema?: string) {
    this.db = db;
    this.dialect = dialect;
    this.pgSchema = pgSchema;
  }

  async migrate(): Promise<void> {
    await runMigrations(this.db, this.dialect, this.pgSchema === undefined ? {} : { pgSchema: this.pgSchema });
  }

  /** Safe to call more than once (shutdown paths overlap). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.db.destroy();
  }

  /** The newest migration applied to this database (0 before the first migrate()). */
  async schemaVersion(): Promise<number> {
    try {
      const row = await this.db
        .selectFrom("schema_migrations")
        .select((eb) => eb.fn.max("version").as("v"))
        .executeTakeFirst();
      return Number(row?.v ?? 0);
    } catch {
      return 0;
    }
  }

  /**
   * Drops this store's own PostgreSQL schema with everything in it, then closes the store: test
   * runs clean up after themselves. Refuses when the store was not opened with a pgSchema.
   */
  async dropSchema(): Promise<void> {
    if (this.dialect !== "postgres" || this.pgSchema === undefined) {
      throw new Error("dropSchema needs a PostgreSQL store opened with its own pgSchema");
    }
    await sql`drop schema if exists ${sql.id(this.pgSchema)} cascade`.execute(this.db);
    await this.close();
  }

  // ---- trainees ----

  async upsertTrainee(identity: TraineeIdentity, now: number): Promise<Trainee> {
    const id = traineeKey(identity);
    await this.db
      .insertInto("trainees")
      .values({
        id,
        platform: identity.platform,
        user_id: identity.userId,
        display_name: identity.displayName,
        language: null,
        created_at: now,
      })
      .onConflict((oc) => oc.column("id").doUpdateSet({ display_name: identity.displayName }))
      .execute();
    const trainee = await this.getTrainee(id);
    if (trainee === null) throw new Error("trainee vanished right after it was written");
    return trainee;
  }

  async getTrainee(id: string): Promise<Trainee | null> {
    const row = await this.db.selectFrom("trainees").selectAll().where("id", "=", id).executeTakeFirst();
    if (row === undefined) return null;
    return {
      id: row.id,
      platform: row.platform as Platform,
      userId: row.user_id,
      displayName: row.display_name,
      language: row.language as Language | null,
      createdAt: Number(row.created_at),
    };
  }

  async setTraineeLanguage(id: string, language: Language | null): Promise<void> {
    await this.db.updateTable("trainees").set({ language }).where("id", "=", id).execute();
  }

  async deleteTrainee(id: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const sessionIds = tx.selectFrom("sessions").select("id").where("trainee_id", "=", id);
      await tx.deleteFrom("llm_calls").where("session_id", "in", sessionIds).execute();
      await tx.deleteFrom("evaluations").where("session_id", "in", sessionIds).execute();
      await tx.deleteFrom("turns").where("session_id", "in", sessionIds).execute();
      await tx.deleteFrom("session_leases").where("session_id", "in", sessionIds).execute();
      await tx.deleteFrom("sessions").where("trainee_id", "=", id).execute();
      await tx.deleteFrom("trainees").where("id", "=", id).execute();
    });
  }

  // ---- settings ----

  async getSetting(key: string): Promise<string | null> {
    const row = await this.db.selectFrom("settings").select("value").where("key", "=", key).executeTakeFirst();
    return row?.value ?? null;
  }

  async setSetting(key: string, value: string | null): Promise<void> {
    if (value === null) {
      await this.db.deleteFrom("settings").where("key", "=", key).execute();
      return;
    }
    await this.db
      .insertInto("settings")
      .values({ key, value })
      .onConflict((oc) => oc.column("key").doUpdateSet({ value }))
      .execute();
  }

  // ---- sessions ----

  async createSession(input: NewSession): Promise<Session> {
    const session: Session = {
      ...input,
      place: { ...input.place },
      status: "active",
      outcome: "continue",
      endReason: null,
      evalStatus: "none",
      evalAttempts: 0,
      evalNextAt: null,
      piiNoticeSent: false,
      lastActivityAt: input.startedAt,
      endedAt: null,
    };
    // A violation followed by no active session means the other one ended in between: try again.
    for (let attempt = 0; ; attempt++) {
      try {
        await this.db.insertInto("sessions").values(sessionToRow(session)).execute();
        return session;
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        const existing = await this.findActiveSession(session.traineeId, session.place);
        if (existing !== null) throw new SessionAlreadyActiveError(existing.id);
        if (attempt >= 3) throw err;
      }
    }
  }

  async getSession(id: string): Promise<Session | null> {
    const row = await this.db.selectFrom("sessions").selectAll().where("id", "=", id).executeTakeFirst();
    return row === undefined ? null : rowToSession(row);
  }

  async findActiveSession(traineeId: string, place: Place): Promise<Session | null> {
    const row = await this.db
      .selectFrom("sessions")
      .selectAll()
      .where("trainee_id", "=", traineeId)
      .where("place_key", "=", placeKey(place))
      .where("status", "=", "active")
      .executeTakeFirst();
    return row === undefined ? null : rowToSession(row);
  }

  async findActiveSessionsAt(place: Place): Promise<Session[]> {
    const rows = await this.db
      .selectFrom("sessions")
      .selectAll()
      .where("place_key", "=", placeKey(place))
      .where("status", "=", "active")
      .orderBy("started_at", "asc")
      .orderBy("id", "asc")
      .execute();
    return rows.map(rowToSession);
  }

  async listActiveSessions(): Promise<Session[]> {
    const rows = await this.db
      .selectFrom("sessions")
      .selectAll()
      .where("status", "=", "active")
      .orderBy("started_at", "asc")
      .orderBy("id", "asc")
      .execute();
    return rows.map(rowToSession);
  }

  /** Newest first (by startedAt). */
  async listSessions(query: SessionQuery): Promise<Session[]> {
    if (query.status !== undefined && query.status.length === 0) return [];
    let q = this.db.selectFrom("sessions").selectAll();
    if (query.traineeId !== undefined) q = q.where("trainee_id", "=", query.traineeId);
    if (query.scopeId !== undefined) q = q.where("scope_id", "=", query.scopeId);
    if (query.platform !== undefined) q = q.where("platform", "=", query.platform);
    if (query.status !== undefined) q = q.where("status", "in", query.status);
    if (query.since !== undefined) q = q.where("started_at", ">=", query.since);
    if (query.until !== undefined) q = q.where("started_at", "<", query.until);
    q = q.orderBy("started_at", "desc").orderBy("id", "desc");
    if (query.limit !== undefined) q = q.limit(query.limit);
    const rows = await q.execute();
    return rows.map(rowToSession);
  }

  async updateSession(
    id: string,
    patch: SessionPatch,
    onlyIf?: { status?: SessionStatus[]; evalStatus?: EvalStatus[]; evalNextAt?: number },
  ): Promise<boolean> {
    if (onlyIf?.status?.length === 0 || onlyIf?.evalStatus?.length === 0) return false;
    const set = patchToRow(patch);
    if (Object.keys(set).length === 0) {
      // Nothing to write: answer whether the condition holds, as the CAS would have.
      let q = this.db.selectFrom("sessions").select("id").where("id", "=", id);
      if (onlyIf?.status !== undefined) q = q.where("status", "in", onlyIf.status);
      if (onlyIf?.evalStatus !== undefined) q = q.where("eval_status", "in", onlyIf.evalStatus);
      if (onlyIf?.evalNextAt !== undefined) q = q.where("eval_next_at", "=", onlyIf.evalNextAt);
      return (await q.executeTakeFirst()) !== undefined;
    }
    let q = this.db.updateTable("sessions").set(set).where("id", "=", id);
    if (onlyIf?.status !== undefined) q = q.where("status", "in", onlyIf.status);
    if (onlyIf?.evalStatus !== undefined) q = q.where("eval_status", "in", onlyIf.evalStatus);
    if (onlyIf?.evalNextAt !== undefined) q = q.where("eval_next_at", "=", onlyIf.evalNextAt);
    const result = await q.executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async claimAnswer(
    sessionId: string,
    holder: string,
    now: number,
    leaseMs: number,
  ): Promise<{ claimed: boolean; answeredThrough: number | null; leaseUntil: number | null }> {
    // One upsert whose update only happens when the lease is free, expired or already ours:
    // atomic on both databases, whichever process gets there first.
    const won = await this.db
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
      .returning(["answered_through", "lease_until"])
      .executeTakeFirst();
    const row =
      won ??
      (await this.db
        .selectFrom("session_leases")
        .select(["answered_through", "lease_until"])
        .where("session_id", "=", sessionId)
        .executeTakeFirst());
    const num = (v: number | null | undefined) => (v === null || v === undefined ? null : Number(v));
    return {
      claimed: won !== undefined,
      answeredThrough: num(row?.answered_through),
      leaseUntil: num(row?.lease_until),
    };
  }

  async releaseAnswer(sessionId: string, holder: string, answeredThrough: number | null): Promise<void> {
    await this.db
      .updateTable("session_leases")
      .set({
        holder: null,
        lease_until: null,
        ...(answeredThrough !== null ? { answered_through: answeredThrough } : {}),
      })
      .where("session_id", "=", sessionId)
      .where("holder", "=", holder)
      .execute();
  }

  async clearAnswerLeases(): Promise<number> {
    const result = await this.db
      .updateTable("session_leases")
      .set({ holder: null, lease_until: null })
      .where("holder", "is not", null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Pending evaluations that are due, earliest due first (no retry time counts as due at once). */
  async sessionsDueForEvaluation(now: number, limit: number): Promise<Session[]> {
    const rows = await this.db
      .selectFrom("sessions")
      .selectAll()
      .where("eval_status", "=", "pending")
      .where((eb) => eb.or([eb("eval_next_at", "is", null), eb("eval_next_at", "<=", now)]))
      .orderBy(sql`coalesce(eval_next_at, 0)`, "asc")
      .orderBy(sql`coalesce(ended_at, last_activity_at)`, "asc")
      .orderBy("id", "asc")
      .limit(limit)
      .execute();
    return rows.map(rowToSession);
  }

  // ---- turns ----

  async appendTurn(turn: NewTurn): Promise<{ turn: Turn; duplicate: boolean }> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction().execute(async (tx) => {
          if (this.dialect === "postgres") {
            // Serialises appends to one session across connections and processes; the retry
            // below covers a session row that is not there to lock.
            await tx.selectFrom("sessions").select("id").where("id", "=", turn.sessionId).forUpdate().execute();
          }
          if (turn.inboundKey !== null) {
            const existing = await tx
              .selectFrom("turns")
              .selectAll()
              .where("inbound_key", "=", turn.inboundKey)
              .executeTakeFirst();
            if (existing !== undefined) return { turn: rowToTurn(existing), duplicate: true };
          }
          const max = await tx
            .selectFrom("turns")
            .select((eb) => eb.fn.max("seq").as("m"))
            .where("session_id", "=", turn.sessionId)
            .executeTakeFirst();
          const seq = Number(max?.m ?? 0) + 1;
          const stored: Turn = { ...turn, seq };
          await tx.insertInto("turns").values(turnToRow(stored)).execute();
          return { turn: stored, duplicate: false };
        });
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        if (turn.inboundKey !== null) {
          const existing = await this.db
            .selectFrom("turns")
            .selectAll()
            .where("inbound_key", "=", turn.inboundKey)
            .executeTakeFirst();
          if (existing !== undefined) return { turn: rowToTurn(existing), duplicate: true };
        }
        if (attempt >= APPEND_ATTEMPTS) throw err;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
      }
    }
  }

  async listTurns(sessionId: string): Promise<Turn[]> {
    const rows = await this.db
      .selectFrom("turns")
      .selectAll()
      .where("session_id", "=", sessionId)
      .orderBy("seq", "asc")
      .execute();
    return rows.map(rowToTurn);
  }
  async lastTurn(sessionId: string, speaker?: Turn["speaker"]): Promise<Turn | null> {
    let q = this.db.selectFrom("turns").selectAll().where("session_id", "=", sessionId);
    if (speaker !== undefined) q = q.where("speaker", "=", speaker);
    const row = await q.orderBy("seq", "desc").limit(1).executeTakeFirst();
    return row === undefined ? null : rowToTurn(row);
  }

  async setTurnMessageId(sessionId: string, seq: number, platformMessageId: string): Promise<void> {
    await this.db
      .updateTable("turns")
      .set({ platform_message_id: platformMessageId })
      .where("session_id", "=", sessionId)
      .where("seq", "=", seq)
      .execute();
  }

  async claimInbound(key: string, now: number): Promise<boolean> {
    const row = await this.db
      .insertInto("inbound")
      .values({ key, at: now })
      .onConflict((oc) => oc.column("key").doNothing())
      .returning("key")
      .executeTakeFirst();
    return row !== undefined;
  }

  async inboundClaimed(key: string): Promise<boolean> {
    const row = await this.db.selectFrom("inbound").select("key").where("key", "=", key).executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Forgets inbound keys claimed before `before` (epoch ms), returning how many. Platforms
   * redeliver within hours, so keys older than a few days only take space.
   */
  async pruneInbound(before: number): Promise<number> {
    const result = await this.db.deleteFrom("inbound").where("at", "<", before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  // ---- evaluations ----

  /** Saving the same evaluation id again replaces it. */
  async saveEvaluation(evaluation: Evaluation): Promise<void> {
    const body = JSON.stringify(evaluation);
    await this.db
      .insertInto("evaluations")
      .values({ id: evaluation.id, session_id: evaluation.sessionId, created_at: evaluation.createdAt, body })
      .onConflict((oc) =>
        oc.column("id").doUpdateSet({ session_id: evaluation.sessionId, created_at: evaluation.createdAt, body }),
      )
      .execute();
  }

  async latestEvaluation(sessionId: string): Promise<Evaluation | null> {
    const row = await this.db
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
  async listEvaluations(sessionId: string): Promise<Evaluation[]> {
    const rows = await this.db
      .selectFrom("evaluations")
      .select("body")
      .where("session_id", "=", sessionId)
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .execute();
    return rows.map((r) => JSON.parse(r.body) as Evaluation);
  }

  async latestEvaluations(sessionIds: string[]): Promise<Map<string, Evaluation>> {
    const result = new Map<string, Evaluation>();
    const unique = [...new Set(sessionIds)];
    for (let i = 0; i < unique.length; i += IN_CHUNK) {
      const chunk = unique.slice(i, i + IN_CHUNK);
      const rows = await this.db
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

  // ---- LLM call log ----

  async recordLlmCall(call: LlmCallRecord): Promise<void> {
    await this.db
      .insertInto("llm_calls")
      .values({
        id: call.id,
        session_id: call.sessionId,
        role: call.role,
        purpose: call.purpose,
        model: call.model,
        started_at: call.startedAt,
        latency_ms: call.latencyMs,
        prompt_tokens: call.promptTokens,
        completion_tokens: call.completionTokens,
        cached_prompt_tokens: call.cachedPromptTokens,
        outcome: call.outcome,
        error: call.error,
      })
      .onConflict((oc) => oc.column("id").doNothing())
      .execute();
  }

  /** Oldest first. */
  async listLlmCalls(sessionId: string): Promise<LlmCallRecord[]> {
    const rows = await this.db
      .selectFrom("llm_calls")
      .selectAll()
      .where("session_id", "=", sessionId)
      .orderBy("started_at", "asc")
      .orderBy("id", "asc")
      .execute();
    return rows.map((r) => ({
      id: r.id,
      sessionId: r.session_id,
      role: r.role as LlmRole,
      purpose: r.purpose,
      model: r.model,
      startedAt: Number(r.started_at),
      latencyMs: Number(r.latency_ms),
      promptTokens: nullableNumber(r.prompt_tokens),
      completionTokens: nullableNumber(r.completion_tokens),
      cachedPromptTokens: nullableNumber(r.cached_prompt_tokens),
      outcome: r.outcome,
      error: r.error,
    }));
  }
}

// ---- construction ----

/** A store over a SQLite file (its directory is created) or ":memory:". Call migrate() before use. */
export function createSqliteStore(options: SqliteStoreOptions): KyselyStore {
  if (options.filename !== ":memory:") mkdirSync(dirname(options.filename), { recursive: true });
  const database = new SqliteDatabase(options.filename);
  database.pragma("journal_mode = WAL");
  database.pragma("foreign_keys = ON");
  database.pragma("busy_timeout = 5000");
  // In WAL mode NORMAL keeps every commit across a process crash (kill -9); only a power loss can
  // drop the last commits. FULL would fsync each commit on the event loop (the driver is
  // synchronous) and stall every other session: bench/README.md has the numbers.
  database.pragma("synchronous = NORMAL");
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  return new KyselyStore(db, "sqlite");
}

/** A store over a PostgreSQL pool. Call migrate() before use (it creates pgSchema if given). */
export function createPostgresStore(options: PostgresStoreOptions): KyselyStore {
  const schema = options.pgSchema;
  if (schema !== undefined && !IDENTIFIER.test(schema)) {
    throw new Error("pgSchema must be a plain identifier (letters, digits, underscore)");
  }
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    // Per pool, not global: other pg users in the process keep the default (text) parsing.
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === INT8_OID
          ? (value: string) => Number(value)
          : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client losing its connection must not crash the process; the next query reports it.
  pool.on("error", () => undefined);
  const dialect = new PostgresDialect({
    pool,
    ...(schema === undefined
      ? {}
      : {
          onCreateConnection: async (connection) => {
            await connection.executeQuery(CompiledQuery.raw(`set search_path to "${schema}"`));
          },
        }),
  });
  const db = new Kysely<Database>({ dialect });
  return new KyselyStore(db, "postgres", schema);
}

// ---- row mapping ----

function sessionToRow(s: Session): SessionsTable {
  return {
    id: s.id,
    trainee_id: s.traineeId,
    persona_id: s.personaId,
    persona_hash: s.personaHash,
    persona_snapshot: s.personaSnapshot,
    rubric_id: s.rubricId,
    rubric_hash: s.rubricHash,
    rubric_snapshot: s.rubricSnapshot,
    language: s.language,
    platform: s.place.platform,
    scope_id: s.place.scopeId,
    chat_id: s.place.chatId,
    thread_id: s.place.threadId,
    place_key: placeKey(s.place),
    status: s.status,
    mood: s.mood,
    outcome: s.outcome,
    end_reason: s.endReason,
    eval_status: s.evalStatus,
    eval_attempts: s.evalAttempts,
    eval_next_at: s.evalNextAt,
    pii_notice_sent: s.piiNoticeSent ? 1 : 0,
    started_at: s.startedAt,
    last_activity_at: s.lastActivityAt,
    ended_at: s.endedAt,
  };
}

function rowToSession(r: SessionsTable): Session {
  return {
    id: r.id,
    traineeId: r.trainee_id,
    personaId: r.persona_id,
    personaHash: r.persona_hash,
    personaSnapshot: r.persona_snapshot,
    rubricId: r.rubric_id,
    rubricHash: r.rubric_hash,
    rubricSnapshot: r.rubric_snapshot,
    language: r.language as Language,
    place: {
      platform: r.platform as Platform,
      scopeId: r.scope_id,
      chatId: r.chat_id,
      threadId: r.thread_id,
    },
    status: r.status as SessionStatus,
    mood: Number(r.mood),
    outcome: r.outcome as Outcome,
    endReason: r.end_reason as EndReason | null,
    evalStatus: r.eval_status as EvalStatus,
    evalAttempts: Number(r.eval_attempts),
    evalNextAt: nullableNumber(r.eval_next_at),
    piiNoticeSent: Number(r.pii_notice_sent) === 1,
    startedAt: Number(r.started_at),
    lastActivityAt: Number(r.last_activity_at),
    endedAt: nullableNumber(r.ended_at),
  };
}

function patchToRow(p: SessionPatch): Partial<SessionsTable> {
  const row: Partial<SessionsTable> = {};
  if (p.status !== undefined) row.status = p.status;
  if (p.mood !== undefined) row.mood = p.mood;
  if (p.outcome !== undefined) row.outcome = p.outcome;
  if (p.endReason !== undefined) row.end_reason = p.endReason;
  if (p.evalStatus !== undefined) row.eval_status = p.evalStatus;
  if (p.evalAttempts !== undefined) row.eval_attempts = p.evalAttempts;
  if (p.evalNextAt !== undefined) row.eval_next_at = p.evalNextAt;
  if (p.piiNoticeSent !== undefined) row.pii_notice_sent = p.piiNoticeSent ? 1 : 0;
  if (p.lastActivityAt !== undefined) row.last_activity_at = p.lastActivityAt;
  if (p.endedAt !== undefined) row.ended_at = p.endedAt;
  return row;
}

function turnToRow(t: Turn): TurnsTable {
  return {
    session_id: t.sessionId,
    seq: t.seq,
    speaker: t.speaker,
    text: t.text,
    at: t.at,
    inbound_key: t.inboundKey,
    platform_message_id: t.platformMessageId,
    mood: t.mood,
    trigger_id: t.triggerId,
    reason: t.reason,
    response_ms: t.responseMs,
    // [] ("revealed nothing") is kept apart from null ("not recorded", e.g. an opening line).
    revealed_facts: t.revealedFacts === undefined ? null : JSON.stringify(t.revealedFacts),
  };
}

function rowToTurn(r: TurnsTable): Turn {
  return {
    sessionId: r.session_id,
    seq: Number(r.seq),
    speaker: r.speaker as Speaker,
    text: r.text,
    at: Number(r.at),
    inboundKey: r.inbound_key,
    platformMessageId: r.platform_message_id,
    mood: nullableNumber(r.mood),
    triggerId: r.trigger_id,
    reason: r.reason,
    responseMs: nullableNumber(r.response_ms),
    ...(r.revealed_facts !== null ? { revealedFacts: parseIdList(r.revealed_facts) } : {}),
  };
}

function parseIdList(json: string): string[] {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

function nullableNumber(v: number | string | null): number | null {
  return v === null ? null : Number(v);
}

/** A unique or primary-key violation, as either driver reports it. */
export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== "object" || err === null) return false;
  const code = (err as { code?: unknown }).code;
  return code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}
