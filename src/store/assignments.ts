// The assignments store over Kysely, on the same database as the rest (SQLite or PostgreSQL). The
// attempt count is taken in one INSERT ... SELECT guarded by the attempts' primary key, so it holds
// across processes on both databases.
import { type Kysely, sql } from "kysely";
import type { AssignmentStore, AttemptReservation, ReminderKind, ReserveResult } from "../assignments/port.ts";
import {
  type Assignment,
  type AssignmentAttempt,
  type AssignmentMode,
  type AssignmentTarget,
  type NewAssignment,
  newAssignmentId,
} from "../domain/assignment.ts";
import type { Database, SqlDialectName } from "./schema.ts";

interface AssignmentsTable {
  id: string;
  persona_ids: string;
  targets: string;
  due_day: string;
  due_at: number;
  mode: string;
  max_attempts: number | null;
  pass_mark: number | null;
  created_by: string;
  created_at: number;
  closed_at: number | null;
  released_at: number | null;
}

interface AttemptsTable {
  assignment_id: string;
  trainee_id: string;
  persona_id: string;
  attempt: number;
  session_id: string;
  started_at: number;
  score: number | null;
  passed: number | null;
  evaluated_at: number | null;
  card: string;
}

interface AssignmentDatabase extends Database {
  assignments: AssignmentsTable;
  assignment_attempts: AttemptsTable;
  assignment_members: { target_key: string; trainee_id: string; seen_at: number };
  assignment_reminders: { assignment_id: string; trainee_id: string; day: string; kind: string; sent_at: number };
}

/** A reservation whose session never appeared (the process stopped in between) is given back after this. */
const ORPHAN_AFTER_MS = 10 * 60_000;
const RESERVE_ATTEMPTS = 20;

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

function rowToAssignment(r: AssignmentsTable): Assignment {
  return {
    id: r.id,
    personaIds: JSON.parse(r.persona_ids) as string[],
    targets: JSON.parse(r.targets) as AssignmentTarget[],
    dueDay: r.due_day,
    dueAt: Number(r.due_at),
    mode: r.mode as AssignmentMode,
    maxAttempts: num(r.max_attempts),
    passMark: num(r.pass_mark),
    createdBy: r.created_by,
    createdAt: Number(r.created_at),
    closedAt: num(r.closed_at),
    releasedAt: num(r.released_at),
  };
}

function rowToAttempt(r: AttemptsTable): AssignmentAttempt {
  return {
    assignmentId: r.assignment_id,
    traineeId: r.trainee_id,
    personaId: r.persona_id,
    attempt: Number(r.attempt),
    sessionId: r.session_id,
    startedAt: Number(r.started_at),
    score: num(r.score),
    passed: r.passed === null ? null : Number(r.passed) === 1,
    evaluatedAt: num(r.evaluated_at),
    card: r.card as AssignmentAttempt["card"],
  };
}

function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}

export class KyselyAssignmentStore implements AssignmentStore {
  readonly #db: Kysely<AssignmentDatabase>;
  readonly #dialect: SqlDialectName;

  constructor(db: Kysely<Database>, dialect: SqlDialectName) {
    this.#db = db as unknown as Kysely<AssignmentDatabase>;
    this.#dialect = dialect;
  }

  async createAssignment(input: NewAssignment, now: number): Promise<Assignment> {
    for (let attempt = 0; ; attempt++) {
      const assignment: Assignment = {
        ...input,
        id: newAssignmentId(),
        createdAt: now,
        closedAt: null,
        releasedAt: null,
      };
      try {
        await this.#db
          .insertInto("assignments")
          .values({
            id: assignment.id,
            persona_ids: JSON.stringify(assignment.personaIds),
            targets: JSON.stringify(assignment.targets),
            due_day: assignment.dueDay,
            due_at: assignment.dueAt,
            mode: assignment.mode,
            max_attempts: assignment.maxAttempts,
            pass_mark: assignment.passMark,
            created_by: assignment.createdBy,
            created_at: now,
            closed_at: null,
            released_at: null,
          })
          .execute();
        return assignment;
      } catch (err) {
        if (!isUniqueViolation(err) || attempt >= 10) throw err;
      }
    }
  }

  async getAssignment(id: string): Promise<Assignment | null> {
    const row = await this.#db.selectFrom("assignments").selectAll().where("id", "=", id).executeTakeFirst();
    return row === undefined ? null : rowToAssignment(row);
  }

  async listAssignments(options: { includeClosed?: boolean } = {}): Promise<Assignment[]> {
    let q = this.#db.selectFrom("assignments").selectAll();
    if (!options.includeClosed) q = q.where("closed_at", "is", null);
    const rows = await q.orderBy("created_at", "desc").orderBy("id", "asc").execute();
    return rows.map(rowToAssignment);
  }

  async closeAssignment(id: string, now: number): Promise<boolean> {
    const r = await this.#db
      .updateTable("assignments")
      .set({ closed_at: now })
      .where("id", "=", id)
      .where("closed_at", "is", null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async releaseAssignment(id: string, now: number): Promise<boolean> {
    const r = await this.#db
      .updateTable("assignments")
      .set({ released_at: now })
      .where("id", "=", id)
      .where("released_at", "is", null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async reserveAttempt(input: AttemptReservation): Promise<ReserveResult> {
    const { assignmentId, traineeId, personaId, sessionId, now, maxAttempts } = input;
    // Reservations left by a process that stopped before creating their session count no more.
    await this.#db
      .deleteFrom("assignment_attempts")
      .where("assignment_id", "=", assignmentId)
      .where("trainee_id", "=", traineeId)
      .where("persona_id", "=", personaId)
      .where("started_at", "<", now - ORPHAN_AFTER_MS)
      .where("session_id", "not in", (eb) => eb.selectFrom("sessions").select("id"))
      .execute();
    const limit = maxAttempts === null ? sql`` : sql`having coalesce(max(attempt), 0) < ${maxAttempts}`;
    for (let attempt = 1; ; attempt++) {
      try {
        const inserted = await sql<{ attempt: number | string }>`
          insert into assignment_attempts
            (assignment_id, trainee_id, persona_id, attempt, session_id, started_at, card)
          select ${assignmentId}, ${traineeId}, ${personaId}, coalesce(max(attempt), 0) + 1, ${sessionId}, ${now}, 'none'
          from assignment_attempts
          where assignment_id = ${assignmentId} and trainee_id = ${traineeId} and persona_id = ${personaId}
          ${limit}
          returning attempt`.execute(this.#db);
        const row = inserted.rows[0];
        if (row !== undefined) return { ok: true, attempt: Number(row.attempt) };
        return { ok: false, used: await this.#used(assignmentId, traineeId, personaId) };
      } catch (err) {
        // Another start took the same number at the same moment: count again.
        if (!isUniqueViolation(err) || attempt >= RESERVE_ATTEMPTS) throw err;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 3 * attempt));
      }
    }
  }

  async #used(assignmentId: string, traineeId: string, personaId: string): Promise<number> {
    const row = await this.#db
      .selectFrom("assignment_attempts")
      .select((eb) => eb.fn.countAll().as("n"))
      .where("assignment_id", "=", assignmentId)
      .where("trainee_id", "=", traineeId)
      .where("persona_id", "=", personaId)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async dropAttempt(sessionId: string): Promise<void> {
    await this.#db.deleteFrom("assignment_attempts").where("session_id", "=", sessionId).execute();
  }

  async attemptForSession(sessionId: string): Promise<AssignmentAttempt | null> {
    const row = await this.#db
      .selectFrom("assignment_attempts")
      .selectAll()
      .where("session_id", "=", sessionId)
      .executeTakeFirst();
    return row === undefined ? null : rowToAttempt(row);
  }

  async listAttempts(filter: { assignmentId?: string; traineeId?: string }): Promise<AssignmentAttempt[]> {
    let q = this.#db.selectFrom("assignment_attempts").selectAll();
    if (filter.assignmentId !== undefined) q = q.where("assignment_id", "=", filter.assignmentId);
    if (filter.traineeId !== undefined) q = q.where("trainee_id", "=", filter.traineeId);
    const rows = await q
      .orderBy("assignment_id")
      .orderBy("trainee_id")
      .orderBy("persona_id")
      .orderBy("attempt")
      .execute();
    return rows.map(rowToAttempt);
  }

  async recordResult(
    sessionId: string,
    result: { score: number; passed: boolean; at: number; card: "none" | "held" },
  ): Promise<boolean> {
    const r = await this.#db
      .updateTable("assignment_attempts")
      .set({ score: result.score, passed: result.passed ? 1 : 0, evaluated_at: result.at, card: result.card })
      .where("session_id", "=", sessionId)
      .where("evaluated_at", "is", null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async claimHeldCard(sessionId: string): Promise<boolean> {
    const r = await this.#db
      .updateTable("assignment_attempts")
      .set({ card: "delivered" })
      .where("session_id", "=", sessionId)
      .where("card", "=", "held")
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async heldCards(filter: { now: number; assignmentId?: string }): Promise<AssignmentAttempt[]> {
    let q = this.#db
      .selectFrom("assignment_attempts")
      .innerJoin("assignments", "assignments.id", "assignment_attempts.assignment_id")
      .selectAll("assignment_attempts")
      .where("assignment_attempts.card", "=", "held");
    q = q.where((eb) =>
      eb.or([eb("assignments.released_at", "is not", null), eb("assignments.due_at", "<=", filter.now)]),
    );
    if (filter.assignmentId !== undefined) q = q.where("assignment_attempts.assignment_id", "=", filter.assignmentId);
    const rows = await q.orderBy("assignment_attempts.started_at").execute();
    return rows.map(rowToAttempt);
  }

  async rememberMember(targetKey: string, traineeId: string, now: number): Promise<void> {
    await this.#db
      .insertInto("assignment_members")
      .values({ target_key: targetKey, trainee_id: traineeId, seen_at: now })
      .onConflict((oc) => oc.columns(["target_key", "trainee_id"]).doUpdateSet({ seen_at: now }))
      .execute();
  }

  async members(
    targetKeys: string[],
    scopes: Array<{ targetKey: string; platform: string; scopeId: string }>,
  ): Promise<Array<{ targetKey: string; traineeId: string }>> {
    const out: Array<{ targetKey: string; traineeId: string }> = [];
    if (targetKeys.length > 0) {
      const rows = await this.#db
        .selectFrom("assignment_members")
        .select(["target_key", "trainee_id"])
        .where("target_key", "in", targetKeys)
        .execute();
      for (const r of rows) out.push({ targetKey: r.target_key, traineeId: r.trainee_id });
    }
    for (const scope of scopes) {
      const rows = await this.#db
        .selectFrom("sessions")
        .select("trainee_id")
        .distinct()
        .where("platform", "=", scope.platform)
        .where("scope_id", "=", scope.scopeId)
        .execute();
      for (const r of rows) out.push({ targetKey: scope.targetKey, traineeId: r.trainee_id });
    }
    return out;
  }

  async claimReminder(
    assignmentId: string,
    traineeId: string,
    day: string,
    kind: ReminderKind,
    now: number,
  ): Promise<boolean> {
    const row = await this.#db
      .insertInto("assignment_reminders")
      .values({ assignment_id: assignmentId, trainee_id: traineeId, day, kind, sent_at: now })
      .onConflict((oc) => oc.columns(["assignment_id", "trainee_id", "day"]).doNothing())
      .returning("day")
      .executeTakeFirst();
    return row !== undefined;
  }

  async releaseReminder(assignmentId: string, traineeId: string, day: string): Promise<void> {
    await this.#db
      .deleteFrom("assignment_reminders")
      .where("assignment_id", "=", assignmentId)
      .where("trainee_id", "=", traineeId)
      .where("day", "=", day)
      .execute();
  }

  /** Which database this is (tests name it). */
  get dialect(): SqlDialectName {
    return this.#dialect;
  }
}

/** The assignments store on the same database as a KyselyStore (anything with its db and dialect). */
export function assignmentStoreFor(store: unknown): AssignmentStore {
  const s = store as { db?: Kysely<Database>; dialect?: SqlDialectName };
  if (s.db === undefined || (s.dialect !== "sqlite" && s.dialect !== "postgres")) {
    throw new Error("assignments need the Kysely store (SQLite or PostgreSQL)");
  }
  return new KyselyAssignmentStore(s.db, s.dialect);
}
