// The database boundary's one fault classifier: what better-sqlite3, pg and the file system report,
// told apart by their codes (never by message text), as kinds the store and its errors act on.

export type DatabaseFaultKind =
  /** Nothing answers at the host and port. */
  | "refused"
  | "unknown_host"
  | "timeout"
  /** The user name or password was refused. */
  | "auth"
  | "no_database"
  /** The user may not create tables (migrations). */
  | "no_ddl_rights"
  /** A file stands where a folder of the SQLite path should be. */
  | "path_blocked"
  | "no_write_permission"
  /** The SQLite file is locked by another process. */
  | "locked"
  | "cannot_open"
  | "not_a_database"
  /** A unique or primary-key violation (a race the store resolves by reading the winner). */
  | "unique_violation"
  | "other";

export interface DatabaseFault {
  kind: DatabaseFaultKind;
  /** The driver's code, when it gave one (kept for logs; never the message, which may hold data). */
  code: string | null;
}

const BY_CODE: Record<string, DatabaseFaultKind> = {
  ECONNREFUSED: "refused",
  ENOTFOUND: "unknown_host",
  EAI_AGAIN: "unknown_host",
  ETIMEDOUT: "timeout",
  "28P01": "auth",
  "28000": "auth",
  "3D000": "no_database",
  "42501": "no_ddl_rights",
  EEXIST: "path_blocked",
  ENOTDIR: "path_blocked",
  EACCES: "no_write_permission",
  EPERM: "no_write_permission",
  EROFS: "no_write_permission",
  SQLITE_BUSY: "locked",
  SQLITE_CANTOPEN: "cannot_open",
  SQLITE_NOTADB: "not_a_database",
  SQLITE_CORRUPT: "not_a_database",
  "23505": "unique_violation",
  SQLITE_CONSTRAINT_UNIQUE: "unique_violation",
  SQLITE_CONSTRAINT_PRIMARYKEY: "unique_violation",
};

export function classifyDatabaseFault(err: unknown): DatabaseFault {
  const raw = typeof err === "object" && err !== null ? (err as { code?: unknown }).code : undefined;
  const code = typeof raw === "string" && raw !== "" ? raw : null;
  return { kind: (code !== null && Object.hasOwn(BY_CODE, code) ? BY_CODE[code] : undefined) ?? "other", code };
}

/** A unique or primary-key violation, as either driver reports it. */
export function isUniqueViolation(err: unknown): boolean {
  return classifyDatabaseFault(err).kind === "unique_violation";
}
