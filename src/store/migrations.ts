// One versioned migration list for both databases, and the small runner that applies it.
// The whole run is one transaction: on PostgreSQL under an advisory lock (so two bot processes
// starting together apply each migration once), on SQLite under BEGIN IMMEDIATE (so a second
// writer waits for the lock instead of failing when it upgrades a read lock).
import type { Language } from "../domain/persona.ts";
import { RoleplayError } from "../errors/index.ts";
import { errorMessages } from "../errors/messages.ts";
import { type Kysely, sql } from "kysely";
import type { Database, SqlDialectName } from "./schema.ts";
import { digestOf } from "./evaluation-digest.ts";
import { snapshotKey } from "./snapshots.ts";
import { ASSIGNMENT_MIGRATIONS } from "./assignment-migrations.ts";
import type { Evaluation } from "../domain/evaluation.ts";

export interface Migration {
  version: number;
  name: string;
  // biome-ignore lint/suspicious/noExplicitAny: migrations describe tables that may no longer match the current interface
  up(db: Kysely<any>, dialect: SqlDialectName): Promise<void>;
}

/** Column types that differ: epoch ms needs 64 bits on PostgreSQL; mood needs a double there. */
function types(dialect: SqlDialectName) {
  return dialect === "postgres"
    ? ({ ms: "bigint", float: "double precision" } as const)
    : ({ ms: "integer", float: "real" } as const);
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "initial tables",
    async up(db, dialect) {
      const t = types(dialect);
      await db.schema
        .createTable("trainees")
        .ifNotExists()
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("platform", "text", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("display_name", "text", (c) => c.notNull())
        .addColumn("language", "text")
        .addColumn("created_at", t.ms, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("sessions")
        .ifNotExists()
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("trainee_id", "text", (c) => c.notNull().references("trainees.id").onDelete("cascade"))
        .addColumn("persona_id", "text", (c) => c.notNull())
        .addColumn("persona_hash", "text", (c) => c.notNull())
        .addColumn("persona_snapshot", "text", (c) => c.notNull())
        .addColumn("rubric_id", "text", (c) => c.notNull())
        .addColumn("rubric_hash", "text", (c) => c.notNull())
        .addColumn("rubric_snapshot", "text", (c) => c.notNull())
        .addColumn("language", "text", (c) => c.notNull())
        .addColumn("platform", "text", (c) => c.notNull())
        .addColumn("scope_id", "text")
        .addColumn("chat_id", "text", (c) => c.notNull())
        .addColumn("thread_id", "text")
        .addColumn("place_key", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("mood", t.float, (c) => c.notNull())
        .addColumn("outcome", "text", (c) => c.notNull())
        .addColumn("end_reason", "text")
        .addColumn("eval_status", "text", (c) => c.notNull())
        .addColumn("eval_attempts", "integer", (c) => c.notNull())
        .addColumn("eval_next_at", t.ms)
        .addColumn("pii_notice_sent", "integer", (c) => c.notNull())
        .addColumn("started_at", t.ms, (c) => c.notNull())
        .addColumn("last_activity_at", t.ms, (c) => c.notNull())
        .addColumn("ended_at", t.ms)
        .execute();
      // The database, not a process, guarantees one active session per trainee per place.
      await db.schema
        .createIndex("sessions_one_active")
        .ifNotExists()
        .unique()
        .on("sessions")
        .columns(["trainee_id", "place_key"])
        .where(sql.ref("status"), "=", "active")
        .execute();
      await db.schema
        .createIndex("sessions_place_status")
        .ifNotExists()
        .on("sessions")
        .columns(["place_key", "status"])
        .execute();
      await db.schema
        .createIndex("sessions_eval_due")
        .ifNotExists()
        .on("sessions")
        .columns(["eval_status", "eval_next_at"])
        .execute();
      await db.schema.createIndex("sessions_started").ifNotExists().on("sessions").columns(["started_at"]).execute();
      await db.schema
        .createIndex("sessions_trainee")
        .ifNotExists()
        .on("sessions")
        .columns(["trainee_id", "started_at"])
        .execute();

      await db.schema
        .createTable("turns")
        .ifNotExists()
        .addColumn("session_id", "text", (c) => c.notNull().references("sessions.id").onDelete("cascade"))
        .addColumn("seq", "integer", (c) => c.notNull())
        .addColumn("speaker", "text", (c) => c.notNull())
        .addColumn("text", "text", (c) => c.notNull())
        .addColumn("at", t.ms, (c) => c.notNull())
        .addColumn("inbound_key", "text")
        .addColumn("platform_message_id", "text")
        .addColumn("mood", t.float)
        .addColumn("trigger_id", "text")
        .addColumn("reason", "text")
        .addColumn("response_ms", t.ms)
        .addPrimaryKeyConstraint("turns_pkey", ["session_id", "seq"])
        .execute();
      // A platform update delivered twice becomes one turn.
      await db.schema
        .createIndex("turns_inbound_key")
        .ifNotExists()
        .unique()
        .on("turns")
        .column("inbound_key")
        .where(sql.ref("inbound_key"), "is not", null)
        .execute();

      await db.schema
        .createTable("inbound")
        .ifNotExists()
        .addColumn("key", "text", (c) => c.primaryKey())
        .addColumn("at", t.ms, (c) => c.notNull())
        .execute();
      await db.schema.createIndex("inbound_at").ifNotExists().on("inbound").column("at").execute();

      // No foreign key: calls are logged for cost even when they serve no stored session
      // (scoring a transcript file, benchmarks).
      await db.schema
        .createTable("llm_calls")
        .ifNotExists()
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("session_id", "text")
        .addColumn("role", "text", (c) => c.notNull())
        .addColumn("purpose", "text", (c) => c.notNull())
        .addColumn("model", "text", (c) => c.notNull())
        .addColumn("started_at", t.ms, (c) => c.notNull())
        .addColumn("latency_ms", t.ms, (c) => c.notNull())
        .addColumn("prompt_tokens", "integer")
        .addColumn("completion_tokens", "integer")
        .addColumn("cached_prompt_tokens", "integer")
        .addColumn("outcome", "text", (c) => c.notNull())
        .addColumn("error", "text")
        .execute();
      await db.schema
        .createIndex("llm_calls_session")
        .ifNotExists()
        .on("llm_calls")
        .columns(["session_id", "started_at"])
        .execute();

      // No foreign key either: a written transcript can be scored without a stored session.
      await db.schema
        .createTable("evaluations")
        .ifNotExists()
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("session_id", "text", (c) => c.notNull())
        .addColumn("created_at", t.ms, (c) => c.notNull())
        .addColumn("body", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("evaluations_session")
        .ifNotExists()
        .on("evaluations")
        .columns(["session_id", "created_at"])
        .execute();

      await db.schema
        .createTable("settings")
        .ifNotExists()
        .addColumn("key", "text", (c) => c.primaryKey())
        .addColumn("value", "text", (c) => c.notNull())
        .execute();
    },
  },
  {
    version: 2,
    name: "answer lease per session",
    async up(db, dialect) {
      const t = types(dialect);
      // A table of its own: the lease changes twice per turn, and a sessions row carries the pinned
      // persona and rubric (tens of KB) that SQLite would rewrite with every update of the row.
      await db.schema
        .createTable("session_leases")
        .ifNotExists()
        .addColumn("session_id", "text", (c) => c.primaryKey().references("sessions.id").onDelete("cascade"))
        .addColumn("holder", "text")
        .addColumn("lease_until", t.ms)
        .addColumn("answered_through", "integer")
        .execute();
    },
  },
  {
    version: 3,
    name: "facts revealed by customer turns",
    async up(db) {
      await db.schema.alterTable("turns").addColumn("revealed_facts", "text").execute();
    },
  },
  {
    version: 4,
    name: "persona and rubric snapshots stored once per version",
    async up(db) {
      // Each session carried its own copy (tens of KB) of the same few versions, read with every
      // session row. Copies move to one row per distinct text, named by its hash.
      await db.schema
        .createTable("snapshots")
        .ifNotExists()
        .addColumn("key", "text", (c) => c.primaryKey())
        .addColumn("body", "text", (c) => c.notNull())
        .execute();
      await db.schema.alterTable("sessions").addColumn("persona_snapshot_key", "text").execute();
      await db.schema.alterTable("sessions").addColumn("rubric_snapshot_key", "text").execute();
      for (const kind of ["persona", "rubric"] as const) {
        const column = `${kind}_snapshot`;
        // Distinct texts are few (one per version), so this is one pass per version, not per session.
        const distinct = await sql<{ body: string }>`select distinct ${sql.ref(column)} as body from sessions`.execute(
          db,
        );
        for (const { body } of distinct.rows) {
          const key = snapshotKey(body);
          await db
            .insertInto("snapshots")
            .values({ key, body })
            .onConflict((oc) => oc.column("key").doNothing())
            .execute();
          await db
            .updateTable("sessions")
            .set({ [`${column}_key`]: key })
            .where(column, "=", body)
            .execute();
        }
        await db.schema.alterTable("sessions").dropColumn(column).execute();
      }
      // Reports read a small digest of each evaluation instead of parsing the whole of it.
      await db.schema.alterTable("evaluations").addColumn("digest", "text").execute();
      for (;;) {
        const rows = await db
          .selectFrom("evaluations")
          .select(["id", "body"])
          .where("digest", "is", null)
          .orderBy("id")
          .limit(500)
          .execute();
        if (rows.length === 0) break;
        for (const row of rows as Array<{ id: string; body: string }>) {
          let digest: string;
          try {
            digest = JSON.stringify(digestOf(JSON.parse(row.body) as Evaluation));
          } catch {
            // Unreadable: reports leave it out, as they would an evaluation they cannot parse.
            digest = "null";
          }
          await db.updateTable("evaluations").set({ digest }).where("id", "=", row.id).execute();
        }
      }
      // Reports read sessions in pages ordered by (started_at, id): the index walks them in that
      // order, so a page stops after its rows instead of sorting the whole period again.
      await db.schema
        .createIndex("sessions_started_id")
        .ifNotExists()
        .on("sessions")
        .columns(["started_at", "id"])
        .execute();
    },
  },
  {
    version: 5,
    name: "what each reply answered, and cards still to deliver",
    async up(db) {
      // A reply and the fact that it answered the trainee's turns up to a seq are one row, written
      // by one statement: a crash can no longer leave a stored reply whose turns look unanswered.
      // Older replies have null here; the lease table's answered_through still covers them.
      await db.schema.alterTable("turns").addColumn("answers_through", "integer").execute();
      // Set in the statement that saves an evaluation the trainee is waiting for, cleared once its
      // card is delivered: a crash in between leaves the card to be sent by the next run.
      await db.schema
        .alterTable("evaluations")
        .addColumn("card_pending", "integer", (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createIndex("evaluations_card_pending")
        .ifNotExists()
        .on("evaluations")
        .columns(["created_at"])
        .where(sql.ref("card_pending"), "=", 1)
        .execute();
    },
  },
  ...ASSIGNMENT_MIGRATIONS,
];

/** The database was upgraded by a newer build than this one. */
export class DatabaseTooNewError extends RoleplayError {
  readonly code = "database_too_new";
  readonly knownVersion: number;
  readonly databaseVersion: number;
  constructor(knownVersion: number, databaseVersion: number) {
    super(errorMessages("en").databaseTooNew(databaseVersion, knownVersion));
    this.knownVersion = knownVersion;
    this.databaseVersion = databaseVersion;
  }
  localized(language: Language): string {
    return errorMessages(language).databaseTooNew(this.databaseVersion, this.knownVersion);
  }
}

const LOCK_PREFIX = "roleplay-trainer/migrations/";

export async function runMigrations(
  db: Kysely<Database>,
  dialect: SqlDialectName,
  options: { pgSchema?: string; migrations?: readonly Migration[] } = {},
): Promise<void> {
  const migrations = [...(options.migrations ?? MIGRATIONS)].sort((a, b) => a.version - b.version);
  await db.connection().execute(async (conn) => {
    await sql.raw(dialect === "sqlite" ? "begin immediate" : "begin").execute(conn);
    try {
      if (dialect === "postgres") {
        // current_schema() is null while the schema does not exist yet, hence the explicit name.
        const scope = options.pgSchema ?? "";
        await sql`select pg_advisory_xact_lock(hashtext(${LOCK_PREFIX + scope} || coalesce(current_schema(), '')))`.execute(
          conn,
        );
        if (options.pgSchema !== undefined) {
          await sql`create schema if not exists ${sql.id(options.pgSchema)}`.execute(conn);
        }
      }
      await conn.schema
        .createTable("schema_migrations")
        .ifNotExists()
        .addColumn("version", "integer", (c) => c.primaryKey())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("applied_at", types(dialect).ms, (c) => c.notNull())
        .execute();
      const rows = await conn.selectFrom("schema_migrations").select("version").execute();
      const applied = new Set(rows.map((r) => Number(r.version)));
      const newest = Math.max(0, ...applied);
      const known = migrations.at(-1)?.version ?? 0;
      if (newest > known) throw new DatabaseTooNewError(known, newest);
      for (const m of migrations) {
        if (applied.has(m.version)) continue;
        await m.up(conn, dialect);
        await conn
          .insertInto("schema_migrations")
          .values({ version: m.version, name: m.name, applied_at: Date.now() })
          .execute();
      }
      await sql.raw("commit").execute(conn);
    } catch (err) {
      await sql
        .raw("rollback")
        .execute(conn)
        .catch(() => undefined);
      throw err;
    }
  });
}
