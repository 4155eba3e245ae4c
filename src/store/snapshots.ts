// Pinned persona and rubric versions, stored once per version in `snapshots` and referenced from
// sessions by the hash of their text. A session row stays small (no tens of KB copied per session,
// none re-read every turn), and since a key names immutable text, the process may keep what it
// has read: a session read costs one small row.
import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "./schema.ts";

/** The key of a snapshot: the SHA-256 of its exact text. */
export function snapshotKey(body: string): string {
  return createHash("sha256").update(body).digest("hex");
}

/** Distinct persona and rubric versions a process meets; a bound, not an expected size. */
const CACHE_LIMIT = 500;
const IN_CHUNK = 500;

export class SnapshotCache {
  readonly #db: Kysely<Database>;
  readonly #bodies = new Map<string, string>();
  /** Keys known to be in the table, so a version is written once, not once per session. */
  readonly #stored = new Set<string>();

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** Stores the text unless this process already knows it is there; returns its key. */
  async save(body: string): Promise<string> {
    const key = snapshotKey(body);
    if (this.#stored.has(key)) return key;
    await this.#db
      .insertInto("snapshots")
      .values({ key, body })
      .onConflict((oc) => oc.column("key").doNothing())
      .execute();
    this.#remember(key, body);
    return key;
  }

  /** The texts of these keys; one query for those not already in memory. */
  async bodies(keys: Iterable<string>): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const missing: string[] = [];
    for (const key of keys) {
      if (out.has(key)) continue;
      const body = this.#bodies.get(key);
      if (body === undefined) missing.push(key);
      else out.set(key, body);
    }
    const unique = [...new Set(missing)];
    for (let i = 0; i < unique.length; i += IN_CHUNK) {
      const rows = await this.#db
        .selectFrom("snapshots")
        .select(["key", "body"])
        .where("key", "in", unique.slice(i, i + IN_CHUNK))
        .execute();
      for (const row of rows) {
        this.#remember(row.key, row.body);
        out.set(row.key, row.body);
      }
    }
    return out;
  }

  #remember(key: string, body: string): void {
    if (this.#bodies.size >= CACHE_LIMIT) {
      const oldest = this.#bodies.keys().next().value as string;
      this.#bodies.delete(oldest);
      this.#stored.delete(oldest);
    }
    this.#bodies.set(key, body);
    this.#stored.add(key);
  }
}
