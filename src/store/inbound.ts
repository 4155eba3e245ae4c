// Inbound keys: each platform update is handled once, across processes and redeliveries.
import type { Kysely } from "kysely";
import type { Database } from "./schema.ts";

/** True when this call claimed the key; false when it was claimed before. */
export async function claimInbound(db: Kysely<Database>, key: string, now: number): Promise<boolean> {
  const row = await db
    .insertInto("inbound")
    .values({ key, at: now })
    .onConflict((oc) => oc.column("key").doNothing())
    .returning("key")
    .executeTakeFirst();
  return row !== undefined;
}

export async function inboundClaimed(db: Kysely<Database>, key: string): Promise<boolean> {
  const row = await db.selectFrom("inbound").select("key").where("key", "=", key).executeTakeFirst();
  return row !== undefined;
}

/**
 * Forgets inbound keys claimed before `before` (epoch ms), returning how many. Platforms
 * redeliver within hours, so keys older than a few days only take space.
 */
export async function pruneInbound(db: Kysely<Database>, before: number): Promise<number> {
  const result = await db.deleteFrom("inbound").where("at", "<", before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
