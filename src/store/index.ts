// The store's public face: open a migrated store from DATABASE_URL, and describe that URL safely.
import { KyselyStore } from "./kysely.ts";
import { createPostgresStore, createSqliteStore } from "./open.ts";
import { DatabaseTooNewError } from "./migrations.ts";

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
export async function openStore(
  databaseUrl: string,
  options: { pgSchema?: string; poolMax?: number } = {},
): Promise<KyselyStore> {
  const target = parseDatabaseUrl(databaseUrl);
  let store: KyselyStore;
  try {
    store =
      target.kind === "sqlite"
        ? createSqliteStore({ filename: target.filename })
        : createPostgresStore({
            connectionString: target.connectionString,
            ...(options.pgSchema === undefined ? {} : { pgSchema: options.pgSchema }),
            ...(options.poolMax === undefined ? {} : { maxConnections: options.poolMax }),
          });
  } catch (err) {
    throw new DatabaseOpenError(databaseUrl, err);
  }
  try {
    await store.migrate();
  } catch (err) {
    await store.close().catch(() => undefined);
    if (err instanceof DatabaseTooNewError) throw err;
    throw new DatabaseOpenError(databaseUrl, err);
  }
  return store;
}

/**
 * The database could not be opened or prepared. The message names the database (password
 * masked), says what went wrong in plain words and what to do; `reason` keeps the driver's code.
 */
export class DatabaseOpenError extends Error {
  readonly reason: string;
  constructor(url: string, cause: unknown) {
    const { reason, advice } = explainOpenFailure(cause);
    super(`Cannot open the database (${describeDatabase(url)}): ${reason}. ${advice}`);
    this.name = "DatabaseOpenError";
    this.reason = reason;
  }
}

function explainOpenFailure(cause: unknown): { reason: string; advice: string } {
  const e = cause as { code?: string; message?: string } | null;
  const code = e?.code ?? "";
  const fix = "Check DATABASE_URL (see .env.example).";
  switch (code) {
    case "ECONNREFUSED":
      return { reason: "nothing answers at that host and port", advice: `Is PostgreSQL running there? ${fix}` };
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return { reason: "the host name is not known", advice: fix };
    case "ETIMEDOUT":
      return { reason: "the connection timed out", advice: `Is the server reachable from here? ${fix}` };
    case "28P01":
    case "28000":
      return { reason: "the user name or password was refused", advice: fix };
    case "3D000":
      return {
        reason: "that database does not exist",
        advice: "Create it (for example: createdb NAME), or fix DATABASE_URL.",
      };
    case "42501":
      return {
        reason: "the user may not create tables there",
        advice: "Grant it the rights, or use another user in DATABASE_URL.",
      };
    case "EEXIST":
    case "ENOTDIR":
      return { reason: "a file stands where a folder of the path should be", advice: fix };
    case "EACCES":
    case "EPERM":
    case "EROFS":
      return { reason: "no permission to write there", advice: `Use a writable folder. ${fix}` };
    case "SQLITE_BUSY":
      return {
        reason: "the file is locked by another process",
        advice: "Run one bot process per SQLite file; for several processes use PostgreSQL.",
      };
    case "SQLITE_CANTOPEN":
      return { reason: "the file cannot be opened", advice: `Check the path and its permissions. ${fix}` };
    case "SQLITE_NOTADB":
    case "SQLITE_CORRUPT":
      return {
        reason: "the file is not a usable SQLite database",
        advice: "Point DATABASE_URL at another file, or restore a backup.",
      };
    default:
      // The driver's own words, without the URL (it may hold a password).
      return { reason: (e?.message ?? String(cause)).replace(/\w+:\/\/[^\s]+/g, "<url>").slice(0, 200), advice: fix };
  }
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
