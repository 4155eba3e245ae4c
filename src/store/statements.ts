// Statement reuse and counting under Kysely. Kysely prepares every query again on each run; a turn
// repeats the same few statements, so both drivers get a thin wrapper that keeps them prepared: a
// cache of better-sqlite3 statements by SQL text, and named (server-side prepared) statements on
// each PostgreSQL connection. The same wrappers count statements, so a test can hold a turn to its
// budget on either database.
import { createHash } from "node:crypto";
import type { Database as SqliteDatabaseType, Statement } from "better-sqlite3";
import type { PostgresPool, PostgresPoolClient, SqliteDatabase } from "kysely";
import type pg from "pg";

/** Every statement sent to the database, begin and commit included. */
export class StatementCounter {
  count = 0;
}

/** Statements a long-lived process keeps prepared; far above what the store ever issues. */
const SQLITE_CACHE_LIMIT = 200;

export function reusingSqlite(database: SqliteDatabaseType, counter: StatementCounter): SqliteDatabase {
  const cache = new Map<string, Statement>();
  return {
    prepare(sql: string) {
      counter.count++;
      const cached = cache.get(sql);
      // A statement still iterating (a streamed query) cannot run again until it is done.
      if (cached !== undefined && !cached.busy) return cached;
      const stmt = database.prepare(sql);
      if (cached === undefined) {
        if (cache.size >= SQLITE_CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
        cache.set(sql, stmt);
      }
      return stmt;
    },
    close() {
      cache.clear();
      database.close();
    },
  };
}

/** Only data statements are named: DDL and transaction control stay one-off. */
const PREPARABLE = /^\s*(select|insert|update|delete|with)\b/i;

export function reusingPostgres(pool: pg.Pool, counter: StatementCounter): PostgresPool {
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const names = new Map<string, string>();
  const nameOf = (text: string): string => {
    let name = names.get(text);
    if (name === undefined) {
      name = `s${createHash("sha1").update(text).digest("hex").slice(0, 20)}`;
      if (names.size < 1000) names.set(text, name);
    }
    return name;
  };
  return {
    async connect() {
      const client = await pool.connect();
      let wrapper = wrappers.get(client);
      if (wrapper === undefined) {
        // One wrapper per connection: Kysely keys its per-connection state on the object.
        wrapper = {
          // biome-ignore lint/suspicious/noExplicitAny: forwards both of pg's query overloads
          query(sqlOrCursor: any, parameters?: ReadonlyArray<unknown>): any {
            counter.count++;
            if (typeof sqlOrCursor === "string" && PREPARABLE.test(sqlOrCursor)) {
              return client.query({ name: nameOf(sqlOrCursor), text: sqlOrCursor, values: [...(parameters ?? [])] });
            }
            return typeof sqlOrCursor === "string"
              ? client.query(sqlOrCursor, parameters as unknown[])
              : client.query(sqlOrCursor);
          },
          release() {
            client.release();
          },
        } as PostgresPoolClient;
        wrappers.set(client, wrapper);
      }
      return wrapper;
    },
    end() {
      return pool.end();
    },
  };
}
