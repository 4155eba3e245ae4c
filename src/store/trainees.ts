// Trainees (one per platform user), their language choice, forgetting one with everything of
// theirs, and the small key/value settings table.
import type { Kysely } from "kysely";
import type { Language } from "../domain/persona.ts";
import { type Platform, type Trainee, type TraineeIdentity, traineeKey } from "../domain/session.ts";
import type { Database } from "./schema.ts";

export async function upsertTrainee(db: Kysely<Database>, identity: TraineeIdentity, now: number): Promise<Trainee> {
  const id = traineeKey(identity);
  await db
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
  const trainee = await getTrainee(db, id);
  if (trainee === null) throw new Error("trainee vanished right after it was written");
  return trainee;
}

export async function getTrainee(db: Kysely<Database>, id: string): Promise<Trainee | null> {
  const row = await db.selectFrom("trainees").selectAll().where("id", "=", id).executeTakeFirst();
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

export async function setTraineeLanguage(db: Kysely<Database>, id: string, language: Language | null): Promise<void> {
  await db.updateTable("trainees").set({ language }).where("id", "=", id).execute();
}

/** Deletes the trainee with their sessions, turns, evaluations, leases and logged calls. */
export async function deleteTrainee(db: Kysely<Database>, id: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const sessionIds = tx.selectFrom("sessions").select("id").where("trainee_id", "=", id);
    await tx.deleteFrom("llm_calls").where("session_id", "in", sessionIds).execute();
    await tx.deleteFrom("evaluations").where("session_id", "in", sessionIds).execute();
    await tx.deleteFrom("turns").where("session_id", "in", sessionIds).execute();
    await tx.deleteFrom("session_leases").where("session_id", "in", sessionIds).execute();
    await tx.deleteFrom("sessions").where("trainee_id", "=", id).execute();
    await tx.deleteFrom("trainees").where("id", "=", id).execute();
  });
}

export async function getSetting(db: Kysely<Database>, key: string): Promise<string | null> {
  const row = await db.selectFrom("settings").select("value").where("key", "=", key).executeTakeFirst();
  return row?.value ?? null;
}

export async function setSetting(db: Kysely<Database>, key: string, value: string | null): Promise<void> {
  if (value === null) {
    await db.deleteFrom("settings").where("key", "=", key).execute();
    return;
  }
  await db
    .insertInto("settings")
    .values({ key, value })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value }))
    .execute();
}
