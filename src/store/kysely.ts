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
  type EvalStatus,
  type Place,
  type Platform,
  placeKey,
  type Session,
  type SessionStatus,
  type Trainee,
  type TraineeIdentity,
  type Turn,
  traineeKey,
} from "../domain/session.ts";
import type { LlmCallRecord, LlmRole } from "../llm/port.ts";
import { CallLogWriter } from "./call-log.ts";
import { digestOf } from "./evaluation-digest.ts";
import { runMigrations } from "./migrations.ts";
import { reportSessionPages } from "./report-rows.ts";
import {
  type AnswerClaim,
  type NewSession,
  type NewTurn,
  type ReportQuery,
  type ReportSessionRow,
  SessionAlreadyActiveError,
  type SessionPatch,
  type SessionQuery,
  type Store,
} from "./port.ts";
import { nullableNumber, patchToRow, rowToSession, rowToTurn, SESSION_COLUMNS, sessionToRow } from "./rows.ts";
import type { Database, SessionsTable, SqlDialectName } from "./schema.ts";
import { SnapshotCache } from "./snapshots.ts";
import { reusingPostgres, reusingSqlite, StatementCounter } from "./statements.ts";
import { type AppendOptions, runAppend } from "./turn-append.ts";

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
  /** Pool size (DATABASE_POOL_MAX); 10 by default. */
  maxConnections?: number;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export class KyselyStore implements Store {
  readonly db: KyselyType<Database>;
  readonly dialect: SqlDialectName;
  readonly pgSchema: string | undefined;
  /** Statements sent so far (tests hold a turn to its budget with it). */
  readonly statements: StatementCounter;
  readonly #snapshots: SnapshotCache;
  readonly #callLog: CallLogWriter;
  #closed = false;

  constructor(
    db: KyselyType<Database>,
    dialect: SqlDialectName,
    pgSchema?: string,
    statements: StatementCounter = new StatementCounter(),
  ) {
    this.db = db;
    this.dialect = dialect;
    this.pgSchema = pgSchema;
    this.statements = statements;
    this.#snapshots = new SnapshotCache(db);
    this.#callLog = new CallLogWriter(db);
  }

  async migrate(): Promise<void> {
    await runMigrations(this.db, this.dialect, this.pgSchema === undefined ? {} : { pgSchema: this.pgSchema });
  }

  /** Safe to call more than once (shutdown paths overlap). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // The call log waiting in memory goes in before the connection closes.
    await this.#callLog.flush().catch(() => undefined);
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

  /** Session rows with their pinned snapshot texts (from memory, or one query for those not seen). */
  async #hydrate(rows: Pick<SessionsTable, (typeof SESSION_COLUMNS)[number]>[]): Promise<Session[]> {
    if (rows.length === 0) return [];
    const bodies = await this.#snapshots.bodies(rows.flatMap((r) => [r.persona_snapshot_key, r.rubric_snapshot_key]));
    return rows.map((r) => rowToSession(r, bodies));
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
    // Calls still waiting would otherwise be written after their sessions are gone.
    await this.#callLog.flush();
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
    const personaKey = await this.#snapshots.save(session.personaSnapshot);
    const rubricKey = await this.#snapshots.save(session.rubricSnapshot);
    // A violation followed by no active session means the other one ended in between: try again.
    for (let attempt = 0; ; attempt++) {
      try {
        await this.db
          .insertInto("sessions")
          .values(sessionToRow(session, personaKey, rubricKey))
          .execute();
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
    const row = await this.db.selectFrom("sessions").select(SESSION_COLUMNS).where("id", "=", id).executeTakeFirst();
    return row === undefined ? null : ((await this.#hydrate([row]))[0] ?? null);
  }

  async findActiveSession(traineeId: string, place: Place): Promise<Session | null> {
    const row = await this.db
      .selectFrom("sessions")
      .select(SESSION_COLUMNS)
      .where("trainee_id", "=", traineeId)
      .where("place_key", "=", placeKey(place))
      .where("status", "=", "active")
      .executeTakeFirst();
    return row === undefined ? null : ((await this.#hydrate([row]))[0] ?? null);
  }

  async findActiveSessionsAt(place: Place): Promise<Session[]> {
    const rows = await this.db
      .selectFrom("sessions")
      .select(SESSION_COLUMNS)
      .where("place_key", "=", placeKey(place))
      .where("status", "=", "active")
      .orderBy("started_at", "asc")
      .orderBy("id", "asc")
      .execute();
    return this.#hydrate(rows);
  }

  async listActiveSessions(): Promise<Session[]> {
    const rows = await this.db
      .selectFrom("sessions")
      .select(SESSION_COLUMNS)
      .where("status", "=", "active")
      .orderBy("started_at", "asc")
      .orderBy("id", "asc")
      .execute();
    return this.#hydrate(rows);
  }

  /** Newest first (by startedAt). */
  async listSessions(query: SessionQuery): Promise<Session[]> {
    if (query.status !== undefined && query.status.length === 0) return [];
    let q = this.db.selectFrom("sessions").select(SESSION_COLUMNS);
    if (query.traineeId !== undefined) q = q.where("trainee_id", "=", query.traineeId);
    if (query.scopeId !== undefined) q = q.where("scope_id", "=", query.scopeId);
    if (query.platform !== undefined) q = q.where("platform", "=", query.platform);
    if (query.status !== undefined) q = q.where("status", "in", query.status);
    if (query.since !== undefined) q = q.where("started_at", ">=", query.since);
    if (query.until !== undefined) q = q.where("started_at", "<", query.until);
    q = q.orderBy("started_at", "desc").orderBy("id", "desc");
    if (query.limit !== undefined) q = q.limit(query.limit);
    const rows = await q.execute();
    return this.#hydrate(rows);
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

  async claimAnswer(sessionId: string, holder: string, now: number, leaseMs: number): Promise<AnswerClaim> {
    // One upsert whose update only happens when the lease is free, expired or already ours:
    // atomic on both databases, whichever process gets there first. It also returns the session's
    // last seq, so a holder can tell whether its copy of the transcript is still complete.
    const lastSeq = sql<number | null>`(select max(seq) from turns where turns.session_id = ${sessionId})`;
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
      .returning(["answered_through", "lease_until", lastSeq.as("last_seq")])
      .executeTakeFirst();
    const row =
      won ??
      (await this.db
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

  async releaseAnswer(sessionId: string, holder: string, answeredThrough: number | null): Promise<number | null> {
    const row = await this.db
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
      .select(SESSION_COLUMNS)
      .where("eval_status", "=", "pending")
      .where((eb) => eb.or([eb("eval_next_at", "is", null), eb("eval_next_at", "<=", now)]))
      .orderBy(sql`coalesce(eval_next_at, 0)`, "asc")
      .orderBy(sql`coalesce(ended_at, last_activity_at)`, "asc")
      .orderBy("id", "asc")
      .limit(limit)
      .execute();
    return this.#hydrate(rows);
  }

  // ---- turns ----

  async appendTurn(turn: NewTurn): Promise<{ turn: Turn; duplicate: boolean }> {
    const result = await this.#append(turn, {});
    if (result === null) throw new Error("the turn was not stored");
    return result;
  }

  async appendTurnIfActive(
    turn: NewTurn,
    options: { responseSinceCustomer?: boolean } = {},
  ): Promise<{ turn: Turn; duplicate: boolean } | null> {
    return this.#append(turn, { ...options, onlyIfActive: true });
  }

  async #append(turn: NewTurn, options: AppendOptions): Promise<{ turn: Turn; duplicate: boolean } | null> {
    for (let attempt = 1; ; attempt++) {
      try {
        const stored = await runAppend(this.db, this.dialect, turn, options);
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
        const existing = await this.db
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

  async replaceTurnText(sessionId: string, seq: number, text: string): Promise<void> {
    await this.db
      .updateTable("turns")
      .set({ text })
      .where("session_id", "=", sessionId)
      .where("seq", "=", seq)
      .execute();
    // The text replaced held personal data: its old page image must not stay in the write-ahead
    // log (secure_delete, set at open, zeroes it in the main file).
    if (this.dialect === "sqlite") await sql`pragma wal_checkpoint(TRUNCATE)`.execute(this.db);
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
    const digest = JSON.stringify(digestOf(evaluation));
    await this.db
      .insertInto("evaluations")
      .values({ id: evaluation.id, session_id: evaluation.sessionId, created_at: evaluation.createdAt, body, digest })
      .onConflict((oc) =>
        oc
          .column("id")
          .doUpdateSet({ session_id: evaluation.sessionId, created_at: evaluation.createdAt, body, digest }),
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

  /** Queued and written in batches, off the turn's path; readers and close() flush first. */
  async recordLlmCall(call: LlmCallRecord): Promise<void> {
    this.#callLog.add(call);
  }

  /** Writes the call log waiting in memory (also done by close() and every reader of the log). */
  flushLlmCalls(): Promise<void> {
    return this.#callLog.flush();
  }

  reportSessions(query: ReportQuery): AsyncIterable<ReportSessionRow[]> {
    return reportSessionPages(this.db, this.#snapshots, query);
  }

  /** Oldest first. */
  async listLlmCalls(sessionId: string): Promise<LlmCallRecord[]> {
    await this.#callLog.flush();
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
  // Deleted and rewritten rows (a turn re-masked, a trainee forgotten) are zeroed, not left as
  // free space anyone reading the file could recover.
  database.pragma("secure_delete = ON");
  // In WAL mode NORMAL keeps every commit across a process crash (kill -9); only a power loss can
  // drop the last commits. FULL would fsync each commit on the event loop (the driver is
  // synchronous) and stall every other session: bench/README.md has the numbers.
  database.pragma("synchronous = NORMAL");
  const statements = new StatementCounter();
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: reusingSqlite(database, statements) }) });
  return new KyselyStore(db, "sqlite", undefined, statements);
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
  const statements = new StatementCounter();
  const dialect = new PostgresDialect({
    pool: reusingPostgres(pool, statements),
    ...(schema === undefined
      ? {}
      : {
          onCreateConnection: async (connection) => {
            await connection.executeQuery(CompiledQuery.raw(`set search_path to "${schema}"`));
          },
        }),
  });
  const db = new Kysely<Database>({ dialect });
  return new KyselyStore(db, "postgres", schema, statements);
}

/** A unique or primary-key violation, as either driver reports it. */
export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== "object" || err === null) return false;
  const code = (err as { code?: unknown }).code;
  return code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}
