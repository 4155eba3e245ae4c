// The store's public face: open a migrated store from DATABASE_URL, and describe that URL safely.
import type { Language } from "../domain/persona.ts";
import { RoleplayError } from "../errors/index.ts";
import { errorMessages } from "../errors/messages.ts";
import { classifyDatabaseFault, type DatabaseFault } from "./faults.ts";
import { KyselyStore } from "./kysely.ts";
import { createPostgresStore, createSqliteStore } from "./open.ts";
import { DatabaseTooNewError } from "./migrations.ts";

export type { NewSession, NewTurn, SessionPatch, SessionQuery, Store, StoredEvaluation } from "./port.ts";
export { SessionAlreadyActiveError } from "./port.ts";
export { createPostgresStore, createSqliteStore, KyselyStore };
export { DatabaseTooNewError, MIGRATIONS } from "./migrations.ts";

export type DatabaseTarget = { kind: "sqlite"; filename: string } | { kind: "postgres"; connectionString: string };

/** DATABASE_URL is not one of the accepted forms. The message never contains a password. */
export class DatabaseUrlError extends RoleplayError {
  readonly code = "database_url_invalid";
  readonly #shown: string;
  constructor(url: string) {
    super(errorMessages("en").databaseUrlInvalid(maskPassword(url)));
    this.#shown = maskPassword(url);
  }
  localized(language: Language): string {
    return errorMessages(language).databaseUrlInvalid(this.#shown);
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
 * masked), says what went wrong in plain words and what to do; `fault` keeps the driver's code.
 */
export class DatabaseOpenError extends RoleplayError {
  readonly code = "database_open_failed";
  readonly fault: DatabaseFault;
  /** What went wrong, in English (the driver's own words, URLs removed, when no kind fits). */
  readonly reason: string;
  readonly #database: string;
  constructor(url: string, cause: unknown) {
    const fault = classifyDatabaseFault(cause);
    const database = describeDatabase(url);
    super(openFailureText("en", database, fault, cause), { cause });
    this.fault = fault;
    this.#database = database;
    this.reason = reasonText("en", fault, cause);
  }
  localized(language: Language): string {
    return openFailureText(language, this.#database, this.fault, this.cause);
  }
}

function reasonText(language: Language, fault: DatabaseFault, cause: unknown): string {
  if (fault.kind !== "other") return errorMessages(language).databaseReason[fault.kind];
  // The driver's own words, without the URL (it may hold a password).
  const e = cause as { message?: string } | null;
  return (e?.message ?? String(cause)).replace(/\w+:\/\/[^\s]+/g, "<url>").slice(0, 200);
}

function openFailureText(language: Language, database: string, fault: DatabaseFault, cause: unknown): string {
  const m = errorMessages(language);
  return m.databaseOpenFailed(database, reasonText(language, fault, cause), m.databaseAdvice[fault.kind]);
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
