// The LLM call log, written off the turn's critical path: records wait in memory and go to the
// database in one multi-row insert shortly after, or at once when enough are waiting. Readers of
// the log and close() flush first, so a graceful stop loses nothing and a reader sees every call.
import type { Kysely } from "kysely";
import type { LlmCallRecord, LlmRole } from "../llm/port.ts";
import { nullableNumber } from "./rows.ts";
import type { Database, LlmCallsTable } from "./schema.ts";

/** How long a record may wait: short enough that a crash loses little, long enough to batch. */
const FLUSH_AFTER_MS = 250;
const FLUSH_AT = 100;
/** Both databases bind at most a few thousand parameters per statement; 12 per row. */
const ROWS_PER_INSERT = 200;
/** A database that stays unreachable must not grow the queue without end. */
const MAX_WAITING = 10_000;

export class CallLogWriter {
  readonly #db: Kysely<Database>;
  #waiting: LlmCallsTable[] = [];
  #timer: NodeJS.Timeout | null = null;
  #flushing: Promise<void> = Promise.resolve();
  #onError: (err: unknown) => void;

  constructor(db: Kysely<Database>, onError: (err: unknown) => void = () => undefined) {
    this.#db = db;
    this.#onError = onError;
  }

  add(call: LlmCallRecord): void {
    this.#waiting.push(toRow(call));
    if (this.#waiting.length > MAX_WAITING) this.#waiting.splice(0, this.#waiting.length - MAX_WAITING);
    if (this.#waiting.length >= FLUSH_AT) {
      this.flush().catch(this.#onError);
    } else if (this.#timer === null) {
      this.#timer = setTimeout(() => {
        this.#timer = null;
        this.flush().catch(this.#onError);
      }, FLUSH_AFTER_MS);
      // A pending flush must not keep a finished process alive; close() flushes what is left.
      this.#timer.unref();
    }
  }

  /** Writes everything waiting; resolves when it (and any flush before it) is in the database. */
  flush(): Promise<void> {
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    const batch = this.#waiting;
    this.#waiting = [];
    const run = this.#flushing.then(async () => {
      for (let i = 0; i < batch.length; i += ROWS_PER_INSERT) {
        const rows = batch.slice(i, i + ROWS_PER_INSERT);
        try {
          await this.#db
            .insertInto("llm_calls")
            .values(rows)
            .onConflict((oc) => oc.column("id").doNothing())
            .execute();
        } catch (err) {
          // Kept for the next flush: accounting is retried, never allowed to fail a turn.
          this.#waiting.unshift(...batch.slice(i));
          throw err;
        }
      }
    });
    this.#flushing = run.catch(() => undefined);
    return run;
  }
}

/** A session's logged calls, oldest first (flush the writer before, so none is missed). */
export async function readLlmCalls(db: Kysely<Database>, sessionId: string): Promise<LlmCallRecord[]> {
  const rows = await db
    .selectFrom("llm_calls")
    .selectAll()
    .where("session_id", "=", sessionId)
    .orderBy("started_at", "asc")
    .orderBy("id", "asc")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    sessionId: r.session_id,
    role: r.role as LlmRole,
    purpose: r.purpose,
    model: r.model,
    startedAt: Number(r.started_at),
    latencyMs: Number(r.latency_ms),
    promptTokens: nullableNumber(r.prompt_tokens),
    completionTokens: nullableNumber(r.completion_tokens),
    cachedPromptTokens: nullableNumber(r.cached_prompt_tokens),
    outcome: r.outcome,
    error: r.error,
  }));
}

function toRow(call: LlmCallRecord): LlmCallsTable {
  return {
    id: call.id,
    session_id: call.sessionId,
    role: call.role,
    purpose: call.purpose,
    model: call.model,
    started_at: call.startedAt,
    latency_ms: call.latencyMs,
    prompt_tokens: call.promptTokens,
    completion_tokens: call.completionTokens,
    cached_prompt_tokens: call.cachedPromptTokens,
    outcome: call.outcome,
    error: call.error,
  };
}
