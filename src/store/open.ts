// Opening a KyselyStore over a driver: SQLite (better-sqlite3) with its pragmas, or a PostgreSQL
// pool (pg) with bigint parsing and an optional schema of its own.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import { KyselyStore } from "./kysely.ts";
import type { Database } from "./schema.ts";
import { reusingPostgres, reusingSqlite, StatementCounter } from "./statements.ts";

/** PostgreSQL type oid of int8/bigint. */
const INT8_OID = 20;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

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
