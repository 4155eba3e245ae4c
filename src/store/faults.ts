// How the database drivers report faults the store reacts to (better-sqlite3 and pg name them
// differently).

/** A unique or primary-key violation, as either driver reports it. */
export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== "object" || err === null) return false;
  const code = (err as { code?: unknown }).code;
  return code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}
