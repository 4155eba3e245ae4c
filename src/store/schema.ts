// The one table interface both databases share. Epoch-ms columns are bigint on PostgreSQL and
// integer on SQLite; the adapter parses PostgreSQL's bigint text back to numbers, so every
// timestamp here is a plain number. JSON lives in text columns; booleans are 0/1 integers.
import type { Generated } from "kysely";

export interface TraineesTable {
  id: string;
  platform: string;
  user_id: string;
  display_name: string;
  language: string | null;
  created_at: number;
}

export interface SessionsTable {
  id: string;
  trainee_id: string;
  persona_id: string;
  persona_hash: string;
  /** Key of the pinned persona's text in `snapshots`. */
  persona_snapshot_key: string;
  rubric_id: string;
  rubric_hash: string;
  rubric_snapshot_key: string;
  language: string;
  platform: string;
  scope_id: string | null;
  chat_id: string;
  thread_id: string | null;
  /** placeKey(place): the one-active-session rule is a unique index over (trainee_id, place_key). */
  place_key: string;
  status: string;
  mood: number;
  outcome: string;
  end_reason: string | null;
  eval_status: string;
  eval_attempts: number;
  eval_next_at: number | null;
  pii_notice_sent: number;
  started_at: number;
  last_activity_at: number;
  ended_at: number | null;
}

/** A pinned persona or rubric version, written once and shared by every session that uses it. */
export interface SnapshotsTable {
  /** SHA-256 of body. */
  key: string;
  body: string;
}

export interface TurnsTable {
  session_id: string;
  seq: number;
  speaker: string;
  text: string;
  at: number;
  inbound_key: string | null;
  platform_message_id: string | null;
  mood: number | null;
  trigger_id: string | null;
  reason: string | null;
  response_ms: number | null;
  /** JSON list of persona fact ids a customer turn revealed, or null. */
  revealed_facts: string | null;
  /** Customer turns: the last trainee turn seq this reply answered (null: not recorded). */
  answers_through: number | null;
}

export interface InboundTable {
  key: string;
  at: number;
}

export interface LlmCallsTable {
  id: string;
  session_id: string | null;
  role: string;
  purpose: string;
  model: string;
  started_at: number;
  latency_ms: number;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  cached_prompt_tokens: number | null;
  outcome: string;
  error: string | null;
}

export interface EvaluationsTable {
  id: string;
  session_id: string;
  created_at: number;
  /** The whole Evaluation as JSON. */
  body: string;
  /** What reports read of it (EvaluationDigest as JSON); null only before it was computed. */
  digest: string | null;
  /** 1 while the trainee's card of this evaluation is still to be delivered, else 0. */
  card_pending: Generated<number>;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface MigrationsTable {
  version: number;
  name: string;
  applied_at: number;
}

/** Who may ask the customer model for a session now, and what its stored replies have seen. */
export interface SessionLeasesTable {
  session_id: string;
  /** An engine instance id, or null when nobody holds the lease. */
  holder: string | null;
  lease_until: number | null;
  /**
   * The last turn seq a stored customer reply had seen, as written before schema version 5. Newer
   * replies carry it in their own turn row (turns.answers_through); this is only read as a floor.
   */
  answered_through: number | null;
}

export interface Database {
  trainees: TraineesTable;
  sessions: SessionsTable;
  session_leases: SessionLeasesTable;
  snapshots: SnapshotsTable;
  turns: TurnsTable;
  inbound: InboundTable;
  llm_calls: LlmCallsTable;
  evaluations: EvaluationsTable;
  settings: SettingsTable;
  schema_migrations: MigrationsTable;
}

export type SqlDialectName = "sqlite" | "postgres";
