// The Store over Kysely: one adapter, one table interface, SQLite (better-sqlite3) or PostgreSQL
// (pg). Race-sensitive rules (one active session per place, one turn per inbound message, one
// handling per platform update) are enforced by unique indexes, so they hold across processes.
// This class is the Store's face and owns sessions; each other table's statements live in their
// own module (trainees, turns, inbound, answer-lease, evaluations, call-log); open.ts opens one.
import { type Kysely as KyselyType, sql } from "kysely";
import type { Evaluation } from "../domain/evaluation.ts";
import type { Language } from "../domain/persona.ts";
import {
  type EvalStatus,
  type Place,
  placeKey,
  type Session,
  type SessionStatus,
  type Trainee,
  type TraineeIdentity,
  type Turn,
} from "../domain/session.ts";
import type { LlmCallRecord } from "../llm/port.ts";
import * as lease from "./answer-lease.ts";
import { CallLogWriter, readLlmCalls } from "./call-log.ts";
import * as evaluations from "./evaluations.ts";
import { isUniqueViolation } from "./faults.ts";
import * as inbound from "./inbound.ts";
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
import { patchToRow, rowToSession, SESSION_COLUMNS, sessionToRow } from "./rows.ts";
import type { Database, SessionsTable, SqlDialectName } from "./schema.ts";
import { SnapshotCache } from "./snapshots.ts";
import { StatementCounter } from "./statements.ts";
import * as trainees from "./trainees.ts";
import * as turns from "./turns.ts";

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

  upsertTrainee(identity: TraineeIdentity, now: number): Promise<Trainee> {
    return trainees.upsertTrainee(this.db, identity, now);
  }

  getTrainee(id: string): Promise<Trainee | null> {
    return trainees.getTrainee(this.db, id);
  }

  setTraineeLanguage(id: string, language: Language | null): Promise<void> {
    return trainees.setTraineeLanguage(this.db, id, language);
  }

  async deleteTrainee(id: string): Promise<void> {
    // Calls still waiting would otherwise be written after their sessions are gone.
    await this.#callLog.flush();
    await trainees.deleteTrainee(this.db, id);
  }

  // ---- settings ----

  getSetting(key: string): Promise<string | null> {
    return trainees.getSetting(this.db, key);
  }

  setSetting(key: string, value: string | null): Promise<void> {
    return trainees.setSetting(this.db, key, value);
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

  // ---- answer lease ----

  claimAnswer(sessionId: string, holder: string, now: number, leaseMs: number): Promise<AnswerClaim> {
    return lease.claimAnswer(this.db, sessionId, holder, now, leaseMs);
  }

  releaseAnswer(sessionId: string, holder: string, answeredThrough: number | null): Promise<number | null> {
    return lease.releaseAnswer(this.db, sessionId, holder, answeredThrough);
  }

  clearAnswerLeases(): Promise<number> {
    return lease.clearAnswerLeases(this.db);
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
    const result = await turns.appendTurn(this.db, this.dialect, turn, {});
    if (result === null) throw new Error("the turn was not stored");
    return result;
  }

  async appendTurnIfActive(
    turn: NewTurn,
    options: { responseSinceCustomer?: boolean } = {},
  ): Promise<{ turn: Turn; duplicate: boolean } | null> {
    return turns.appendTurn(this.db, this.dialect, turn, { ...options, onlyIfActive: true });
  }

  listTurns(sessionId: string): Promise<Turn[]> {
    return turns.listTurns(this.db, sessionId);
  }

  lastTurn(sessionId: string, speaker?: Turn["speaker"]): Promise<Turn | null> {
    return turns.lastTurn(this.db, sessionId, speaker);
  }

  replaceTurnText(sessionId: string, seq: number, text: string): Promise<void> {
    return turns.replaceTurnText(this.db, this.dialect, sessionId, seq, text);
  }

  setTurnMessageId(sessionId: string, seq: number, platformMessageId: string): Promise<void> {
    return turns.setTurnMessageId(this.db, sessionId, seq, platformMessageId);
  }

  // ---- inbound ----

  claimInbound(key: string, now: number): Promise<boolean> {
    return inbound.claimInbound(this.db, key, now);
  }

  inboundClaimed(key: string): Promise<boolean> {
    return inbound.inboundClaimed(this.db, key);
  }

  /**
   * Forgets inbound keys claimed before `before` (epoch ms), returning how many. Platforms
   * redeliver within hours, so keys older than a few days only take space.
   */
  pruneInbound(before: number): Promise<number> {
    return inbound.pruneInbound(this.db, before);
  }

  // ---- evaluations ----

  /** Saving the same evaluation id again replaces it. */
  saveEvaluation(evaluation: Evaluation, options: { cardPending?: boolean } = {}): Promise<void> {
    return evaluations.saveEvaluation(this.db, evaluation, options);
  }

  pendingCards(window: { after: number; before: number }, limit: number): Promise<Evaluation[]> {
    return evaluations.pendingCards(this.db, window, limit);
  }

  markCardDelivered(evaluationId: string): Promise<void> {
    return evaluations.markCardDelivered(this.db, evaluationId);
  }

  latestEvaluation(sessionId: string): Promise<Evaluation | null> {
    return evaluations.latestEvaluation(this.db, sessionId);
  }

  /** Newest first. */
  listEvaluations(sessionId: string): Promise<Evaluation[]> {
    return evaluations.listEvaluations(this.db, sessionId);
  }

  latestEvaluations(sessionIds: string[]): Promise<Map<string, Evaluation>> {
    return evaluations.latestEvaluations(this.db, sessionIds);
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
    return readLlmCalls(this.db, sessionId);
  }
}
