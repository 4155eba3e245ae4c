// Row mapping between the domain types and the tables.
import type { Language } from "../domain/persona.ts";
import {
  type EndReason,
  type EvalStatus,
  type Outcome,
  type Platform,
  placeKey,
  type Session,
  type SessionStatus,
  type Speaker,
  type Turn,
} from "../domain/session.ts";
import type { SessionPatch } from "./port.ts";
import type { SessionsTable, TurnsTable } from "./schema.ts";

export function sessionToRow(s: Session, personaKey: string, rubricKey: string): SessionsTable {
  return {
    id: s.id,
    trainee_id: s.traineeId,
    persona_id: s.personaId,
    persona_hash: s.personaHash,
    persona_snapshot_key: personaKey,
    rubric_id: s.rubricId,
    rubric_hash: s.rubricHash,
    rubric_snapshot_key: rubricKey,
    language: s.language,
    platform: s.place.platform,
    scope_id: s.place.scopeId,
    chat_id: s.place.chatId,
    thread_id: s.place.threadId,
    place_key: placeKey(s.place),
    status: s.status,
    mood: s.mood,
    outcome: s.outcome,
    end_reason: s.endReason,
    eval_status: s.evalStatus,
    eval_attempts: s.evalAttempts,
    eval_next_at: s.evalNextAt,
    pii_notice_sent: s.piiNoticeSent ? 1 : 0,
    started_at: s.startedAt,
    last_activity_at: s.lastActivityAt,
    ended_at: s.endedAt,
  };
}

/** The sessions columns a Session needs, named (never `select *`: prepared statements stay valid). */
export const SESSION_COLUMNS = [
  "id",
  "trainee_id",
  "persona_id",
  "persona_hash",
  "persona_snapshot_key",
  "rubric_id",
  "rubric_hash",
  "rubric_snapshot_key",
  "language",
  "platform",
  "scope_id",
  "chat_id",
  "thread_id",
  "place_key",
  "status",
  "mood",
  "outcome",
  "end_reason",
  "eval_status",
  "eval_attempts",
  "eval_next_at",
  "pii_notice_sent",
  "started_at",
  "last_activity_at",
  "ended_at",
] as const satisfies readonly (keyof SessionsTable)[];

/** `bodies` holds the snapshot texts by key (an unknown key reads as an empty object). */
export function rowToSession(r: SessionsTable, bodies: Map<string, string>): Session {
  return {
    id: r.id,
    traineeId: r.trainee_id,
    personaId: r.persona_id,
    personaHash: r.persona_hash,
    personaSnapshot: bodies.get(r.persona_snapshot_key) ?? "{}",
    rubricId: r.rubric_id,
    rubricHash: r.rubric_hash,
    rubricSnapshot: bodies.get(r.rubric_snapshot_key) ?? "{}",
    language: r.language as Language,
    place: {
      platform: r.platform as Platform,
      scopeId: r.scope_id,
      chatId: r.chat_id,
      threadId: r.thread_id,
    },
    status: r.status as SessionStatus,
    mood: Number(r.mood),
    outcome: r.outcome as Outcome,
    endReason: r.end_reason as EndReason | null,
    evalStatus: r.eval_status as EvalStatus,
    evalAttempts: Number(r.eval_attempts),
    evalNextAt: nullableNumber(r.eval_next_at),
    piiNoticeSent: Number(r.pii_notice_sent) === 1,
    startedAt: Number(r.started_at),
    lastActivityAt: Number(r.last_activity_at),
    endedAt: nullableNumber(r.ended_at),
  };
}

export function patchToRow(p: SessionPatch): Partial<SessionsTable> {
  const row: Partial<SessionsTable> = {};
  if (p.status !== undefined) row.status = p.status;
  if (p.mood !== undefined) row.mood = p.mood;
  if (p.outcome !== undefined) row.outcome = p.outcome;
  if (p.endReason !== undefined) row.end_reason = p.endReason;
  if (p.evalStatus !== undefined) row.eval_status = p.evalStatus;
  if (p.evalAttempts !== undefined) row.eval_attempts = p.evalAttempts;
  if (p.evalNextAt !== undefined) row.eval_next_at = p.evalNextAt;
  if (p.piiNoticeSent !== undefined) row.pii_notice_sent = p.piiNoticeSent ? 1 : 0;
  if (p.lastActivityAt !== undefined) row.last_activity_at = p.lastActivityAt;
  if (p.endedAt !== undefined) row.ended_at = p.endedAt;
  return row;
}

export function turnToRow(t: Turn): TurnsTable {
  return {
    session_id: t.sessionId,
    seq: t.seq,
    speaker: t.speaker,
    text: t.text,
    at: t.at,
    inbound_key: t.inboundKey,
    platform_message_id: t.platformMessageId,
    mood: t.mood,
    trigger_id: t.triggerId,
    reason: t.reason,
    response_ms: t.responseMs,
    // [] ("revealed nothing") is kept apart from null ("not recorded", e.g. an opening line).
    revealed_facts: t.revealedFacts === undefined ? null : JSON.stringify(t.revealedFacts),
    answers_through: t.answersThrough ?? null,
  };
}

export function rowToTurn(r: TurnsTable): Turn {
  return {
    sessionId: r.session_id,
    seq: Number(r.seq),
    speaker: r.speaker as Speaker,
    text: r.text,
    at: Number(r.at),
    inboundKey: r.inbound_key,
    platformMessageId: r.platform_message_id,
    mood: nullableNumber(r.mood),
    triggerId: r.trigger_id,
    reason: r.reason,
    responseMs: nullableNumber(r.response_ms),
    ...(r.revealed_facts !== null ? { revealedFacts: parseIdList(r.revealed_facts) } : {}),
    ...(r.answers_through !== null && r.answers_through !== undefined
      ? { answersThrough: Number(r.answers_through) }
      : {}),
  };
}

function parseIdList(json: string): string[] {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

export function nullableNumber(v: number | string | null): number | null {
  return v === null ? null : Number(v);
}
