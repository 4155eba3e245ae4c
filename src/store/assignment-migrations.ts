// The assignments feature's tables (migrations 6 and 7), listed in MIGRATIONS after the others.
import { type Kysely, sql } from "kysely";
import type { Migration } from "./migrations.ts";
import type { SqlDialectName } from "./schema.ts";

function ms(dialect: SqlDialectName) {
  return dialect === "postgres" ? "bigint" : "integer";
}
function float(dialect: SqlDialectName) {
  return dialect === "postgres" ? "double precision" : "real";
}

export const ASSIGNMENT_MIGRATIONS: readonly Migration[] = [
  {
    version: 6,
    name: "assignments and their attempts",
    // biome-ignore lint/suspicious/noExplicitAny: migrations describe tables as they were then
    async up(db: Kysely<any>, dialect) {
      await db.schema
        .createTable("assignments")
        .ifNotExists()
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("persona_ids", "text", (c) => c.notNull())
        .addColumn("targets", "text", (c) => c.notNull())
        .addColumn("due_day", "text", (c) => c.notNull())
        .addColumn("due_at", ms(dialect), (c) => c.notNull())
        .addColumn("mode", "text", (c) => c.notNull())
        .addColumn("max_attempts", "integer")
        .addColumn("pass_mark", float(dialect))
        .addColumn("created_by", "text", (c) => c.notNull())
        .addColumn("created_at", ms(dialect), (c) => c.notNull())
        .addColumn("closed_at", ms(dialect))
        .addColumn("released_at", ms(dialect))
        .execute();
      // The primary key is what makes the attempt count atomic: two starts that compute the same
      // next number cannot both be written. session_id has no foreign key because the attempt is
      // taken before its session exists; a trainee's deletion removes their attempts.
      await db.schema
        .createTable("assignment_attempts")
        .ifNotExists()
        .addColumn("assignment_id", "text", (c) => c.notNull().references("assignments.id").onDelete("cascade"))
        .addColumn("trainee_id", "text", (c) => c.notNull().references("trainees.id").onDelete("cascade"))
        .addColumn("persona_id", "text", (c) => c.notNull())
        .addColumn("attempt", "integer", (c) => c.notNull())
        .addColumn("session_id", "text", (c) => c.notNull().unique())
        .addColumn("started_at", ms(dialect), (c) => c.notNull())
        .addColumn("score", float(dialect))
        .addColumn("passed", "integer")
        .addColumn("evaluated_at", ms(dialect))
        .addColumn("card", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("assignment_attempts_pkey", ["assignment_id", "trainee_id", "persona_id", "attempt"])
        .execute();
      await db.schema
        .createIndex("assignment_attempts_trainee")
        .ifNotExists()
        .on("assignment_attempts")
        .columns(["trainee_id", "assignment_id"])
        .execute();
      await db.schema
        .createIndex("assignment_attempts_card")
        .ifNotExists()
        .on("assignment_attempts")
        .column("card")
        .where(sql.ref("card"), "=", "held")
        .execute();
      await db.schema
        .createTable("assignment_members")
        .ifNotExists()
        .addColumn("target_key", "text", (c) => c.notNull())
        .addColumn("trainee_id", "text", (c) => c.notNull().references("trainees.id").onDelete("cascade"))
        .addColumn("seen_at", ms(dialect), (c) => c.notNull())
        .addPrimaryKeyConstraint("assignment_members_pkey", ["target_key", "trainee_id"])
        .execute();
      await db.schema
        .createIndex("sessions_scope")
        .ifNotExists()
        .on("sessions")
        .columns(["platform", "scope_id"])
        .execute();
    },
  },
  {
    version: 7,
    name: "assignment reminders, one per trainee and day",
    // biome-ignore lint/suspicious/noExplicitAny: migrations describe tables as they were then
    async up(db: Kysely<any>, dialect) {
      await db.schema
        .createTable("assignment_reminders")
        .ifNotExists()
        .addColumn("assignment_id", "text", (c) => c.notNull().references("assignments.id").onDelete("cascade"))
        .addColumn("trainee_id", "text", (c) => c.notNull().references("trainees.id").onDelete("cascade"))
        .addColumn("day", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("sent_at", ms(dialect), (c) => c.notNull())
        .addPrimaryKeyConstraint("assignment_reminders_pkey", ["assignment_id", "trainee_id", "day"])
        .execute();
    },
  },
];
