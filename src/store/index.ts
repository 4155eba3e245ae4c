// The store's public face: open a migrated store from DATABASE_URL, and describe that URL safely.
import { createPostgresStore, createSqliteStore, KyselyStore } from "./kysely.ts";

export type { NewSession, NewTurn, SessionPatch, SessionQuery, Store, StoredEvaluation } from "./port.ts";
export { SessionAlreadyActiveError } from "./port.ts";
export { createPostgresStore, createSqliteStore, KyselyStore };
export { DatabaseTooNewError, MIGRATIONS } from "./migrations.ts";

export type DatabaseTarget = { kind: "sqlite"; filename: string } | { kind: "postgres"; connectionString: string };

const ACCEPTED_FORMS =
  "sqlite:./data/roleplay.sqlite, sqlite::memory:, a file path ending in .sqlite, .sqlite3 or .db, or postgres://user:password@host:5432/database";

/** DATABASE_URL is not one of the accepted forms. The message never contains a password. */
export class DatabaseUrlError extends Error {
  constructor(url: string) {
    super(`DATABASE_URL "${maskPassword(url)}" is not understood. Use ${ACCEPTED_FORMS}.`);
    this.name = "DatabaseUrlError";
  }
}

export function parseDatabaseUrl(url: string): DatabaseTarget {
  const trimmed = url.trim();
  if (/^postgres(ql)?:\/\//i.test(trimmed)) return { kind: "postgres", connectionString: trimmed };
  if (/^sqlite:/i.test(trimmed)) {
    let rest = trimmed.slice("sqlite:".length);
    if (rest === ":memory:") return { kind: "sqlite", filename: ":memory:" };
    // sqlite:///abs/path and sqlite://relative/path, as other tools write them.
    if (rest.startsWith("//")) rest = rest.slice(2);
    if (rest === "") throw new DatabaseUrlError(url);
    return { kind: "sqlite", filename: rest };
  }
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) && /\.(sqlite3?|db)$/i.test(trimmed)) {
    return { kind: "sqlite", filename: trimmed };
  }
  throw new DatabaseUrlError(url);
}

/** Opens the store for DATABASE_URL and brings its tables up to date. */
export async function openStore(databaseUrl: string, options: { pgSchema?: string } = {}): Promise<KyselyStore> {
  const target = parseDatabaseUrl(databaseUrl);
  const store =
    target.kind === "sqlite"
      ? createSqliteStore({ filename: target.filename })
      : createPostgresStore({
          connectionString: target.connectionString,
          ...(options.pgSchema === undefined ? {} : { pgSchema: options.pgSchema }),
        });
  try {
    await store.migrate();
  } catch (err) {
    await store.close().catch(() => undefined);
    throw err;
  }
  return store;
}

/** A display string for logs and status commands: the password, if any, is masked. */
export function describeDatabase(url: string): string {
  let target: DatabaseTarget;
  try {
    target = parseDatabaseUrl(url);
  } catch {
    return `unrecognised DATABASE_URL (${maskPassword(url)})`;
  }
  if (target.kind === "sqlite") {
    return target.filename === ":memory:" ? "SQLite (in memory)" : `SQLite file ${target.filename}`;
  }
  return `PostgreSQL ${maskPassword(target.connectionString)}`;
}

/**
 * Replaces the password of scheme://user:password@host (and a password= parameter) with ***.
 * Splits at the last "@" so a password with an unencoded "@" is masked whole; masking too much
 * is the safe error.
 */
export function maskPassword(url: string): string {
  let out = url;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(out);
  const start = scheme === null ? 0 : scheme[0].length;
  const at = out.lastIndexOf("@");
  const colon = out.indexOf(":", start);
  if (at > start && colon !== -1 && colon < at) out = `${out.slice(0, colon + 1)}***${out.slice(at)}`;
  return out.replace(/([?&]password=)[^&#]*/gi, "$1***");
}
