// The store port: everything the core keeps. One adapter (Kysely) implements it over SQLite and
// PostgreSQL; the core imports only this file.
import { RoleplayError } from "../errors/index.ts";
import { errorMessages } from "../errors/messages.ts";
import type { Evaluation } from "../domain/evaluation.ts";
import type { Language } from "../domain/persona.ts";
import type {
  EndReason,
  EvalStatus,
  Outcome,
  Place,
  Platform,
  Session,
  SessionStatus,
  Trainee,
  TraineeIdentity,
  Turn,
} from "../domain/session.ts";
import type { LlmCallRecord, LlmCallSink } from "../llm/port.ts";

export type NewSession = Omit<
  Session,
  | "status"
  | "outcome"
  | "endReason"
  | "evalStatus"
  | "evalAttempts"
  | "evalNextAt"
  | "piiNoticeSent"
  | "endedAt"
  | "lastActivityAt"
>;

export type NewTurn = Omit<Turn, "seq">;

export interface SessionPatch {
  status?: SessionStatus;
  mood?: number;
  outcome?: Outcome;
  endReason?: EndReason | null;
  evalStatus?: EvalStatus;
  evalAttempts?: number;
  evalNextAt?: number | null;
  piiNoticeSent?: boolean;
  lastActivityAt?: number;
  endedAt?: number | null;
}

export interface SessionQuery {
  traineeId?: string;
  /** Discord guild or Telegram group id. */
  scopeId?: string;
  platform?: Platform;
  status?: SessionStatus[];
  /** startedAt >= since (epoch ms) */
  since?: number;
  /** startedAt < until (epoch ms) */
  until?: number;
  limit?: number;
}

/** Thrown by createSession when the trainee already has an active session in that place. */
export class SessionAlreadyActiveError extends RoleplayError {
  readonly code = "session_already_active";
  readonly existingSessionId: string;
  constructor(existingSessionId: string) {
    super(errorMessages("en").sessionAlreadyActive);
    this.existingSessionId = existingSessionId;
  }
  localized(language: Language): string {
    return errorMessages(language).sessionAlreadyActive;
  }
}

export interface StoredEvaluation {
  evaluation: Evaluation;
  /** Latest first when listed. */
  createdAt: number;
}

/** Sessions a team report covers: started in [since, until), in these places (null: everywhere). */
export interface ReportQuery {
  since: number;
  until: number;
  scopes: Array<{ platform: Platform; scopeId: string }> | null;
}

/** What a team report reads of one session, its trainee and its newest finished evaluation. */
export interface ReportSessionRow {
  id: string;
  traineeId: string;
  /** Null when the trainee record is gone. */
  displayName: string | null;
  traineePlatform: Platform | null;
  personaId: string;
  /** The pinned persona's text (one shared string per version). */
  personaSnapshot: string;
  platform: Platform;
  scopeId: string | null;
  status: SessionStatus;
  evalStatus: EvalStatus;
  outcome: Outcome;
  endReason: EndReason | null;
  startedAt: number;
  lastActivityAt: number;
  endedAt: number | null;
  /** The newest evaluation's figures, only when evalStatus is "done". */
  evaluation: EvaluationDigest | null;
}

/** The figures of an evaluation a team report reads (stored beside the full evaluation). */
export interface EvaluationDigest {
  sessionId: string;
  createdAt: number;
  total: number;
  passed: boolean;
  scale: { min: number; max: number };
  criteria: Array<{ criterionId: string; name: string; score: number }>;
  traineeTurns: number;
  taboo: Array<{ phrase: string; group?: string; label?: string }>;
  /** Manipulation phrases found by the program plus those the judge flagged. */
  manipulation: number;
}

/** What claimAnswer found. */
export interface AnswerClaim {
  claimed: boolean;
  /**
   * The last turn seq a stored customer reply had seen, as recorded in the lease by a run before
   * schema version 5 (null when none). Replies now carry it in their turn (Turn.answersThrough).
   */
  answeredThrough: number | null;
  /** When the current lease ends (null when nobody holds it). */
  leaseUntil: number | null;
  /** The session's last turn seq in the database (0 without turns): whether a copy is complete. */
  lastSeq: number;
}

export interface Store extends LlmCallSink {
  /** Creates or upgrades the tables (run at start; idempotent). */
  migrate(): Promise<void>;
  close(): Promise<void>;

  upsertTrainee(identity: TraineeIdentity, now: number): Promise<Trainee>;
  getTrainee(id: string): Promise<Trainee | null>;
  setTraineeLanguage(id: string, language: Language | null): Promise<void>;
  /** Deletes the trainee, their sessions, turns and evaluations (a data deletion request). */
  deleteTrainee(id: string): Promise<void>;

  /** A small key-value table for settings (e.g. a group's language). */
  getSetting(key: string): Promise<string | null>;
  setSetting(key: string, value: string | null): Promise<void>;

  /** Throws SessionAlreadyActiveError when the trainee has an active session in the same place. */
  createSession(session: NewSession): Promise<Session>;
  getSession(id: string): Promise<Session | null>;
  findActiveSession(traineeId: string, place: Place): Promise<Session | null>;
  /** Active sessions whose place (platform, chat, thread) is exactly this one. */
  findActiveSessionsAt(place: Place): Promise<Session[]>;
  listActiveSessions(): Promise<Session[]>;
  listSessions(query: SessionQuery): Promise<Session[]>;
  /**
   * Applies the patch. With `onlyIf`, only when the session's current status, evalStatus and/or
   * evalNextAt match (compare-and-set); returns whether a row changed.
   */
  updateSession(
    id: string,
    patch: SessionPatch,
    onlyIf?: { status?: SessionStatus[]; evalStatus?: EvalStatus[]; evalNextAt?: number },
  ): Promise<boolean>;
  /**
   * Takes the right to ask the customer model for this session, for `leaseMs`, unless another
   * holder's lease is still running: per-session ordering guaranteed by the database, so several
   * bot processes never answer one session at once. One statement.
   */
  claimAnswer(sessionId: string, holder: string, now: number, leaseMs: number): Promise<AnswerClaim>;
  /**
   * Gives the lease back; with `answeredThrough`, records what the stored reply had seen. Returns
   * the session's last trainee turn seq (0 without one), or null when the lease was not ours.
   */
  releaseAnswer(sessionId: string, holder: string, answeredThrough: number | null): Promise<number | null>;
  /**
   * Drops every answer lease. Only for a store no other process uses (SQLite) at start: a lease
   * found then was left by a process that crashed.
   */
  clearAnswerLeases(): Promise<number>;

  /** Sessions whose evaluation is pending and due (evalNextAt <= now), oldest first. */
  sessionsDueForEvaluation(now: number, limit: number): Promise<Session[]>;

  /**
   * Appends a turn with the next seq. When a turn with the same inboundKey exists, nothing is
   * written and that turn is returned with duplicate: true.
   */
  appendTurn(turn: NewTurn): Promise<{ turn: Turn; duplicate: boolean }>;
  /**
   * appendTurn in one statement, written only while the session is active: null when it is not.
   * With `responseSinceCustomer`, the turn's responseMs is measured in the database from the
   * session's latest customer turn (null when there is none).
   */
  appendTurnIfActive(
    turn: NewTurn,
    options?: { responseSinceCustomer?: boolean },
  ): Promise<{ turn: Turn; duplicate: boolean } | null>;
  listTurns(sessionId: string): Promise<Turn[]>;
  /** The session's latest turn, or its latest turn by this speaker; null when there is none. */
  lastTurn(sessionId: string, speaker?: Turn["speaker"]): Promise<Turn | null>;
  setTurnMessageId(sessionId: string, seq: number, platformMessageId: string): Promise<void>;
  /**
   * Rewrites a stored turn's text (a trainee turn masked again once the next message showed it
   * held half of a number); the old text is not left recoverable in a SQLite file.
   */
  replaceTurnText(sessionId: string, seq: number, text: string): Promise<void>;

  /**
   * Records that an inbound event (update id, interaction id) was seen. Returns false when it was
   * seen before: the caller must not handle it again.
   */
  claimInbound(key: string, now: number): Promise<boolean>;
  /** Whether `claimInbound` has recorded this key (a read: nothing is claimed). */
  inboundClaimed(key: string): Promise<boolean>;

  /**
   * With `cardPending`, the trainee's card of it is marked as still to be delivered, in the same
   * statement: a crash before the card goes out leaves the mark for the next run.
   */
  saveEvaluation(evaluation: Evaluation, options?: { cardPending?: boolean }): Promise<void>;
  /** Evaluations created in [after, before) whose card is still to be delivered, oldest first. */
  pendingCards(window: { after: number; before: number }, limit: number): Promise<Evaluation[]>;
  /** The card of this evaluation was delivered. */
  markCardDelivered(evaluationId: string): Promise<void>;
  /** The newest evaluation of a session, or null. */
  latestEvaluation(sessionId: string): Promise<Evaluation | null>;
  listEvaluations(sessionId: string): Promise<Evaluation[]>;
  /** The newest evaluation of each of these sessions (sessions without one are absent). */
  latestEvaluations(sessionIds: string[]): Promise<Map<string, Evaluation>>;

  /** May be written later, in a batch; listLlmCalls and close() see every recorded call. */
  recordLlmCall(call: LlmCallRecord): Promise<void>;
  /**
   * The sessions of a team report, in pages (ordered by start time and id): one query per page
   * with the trainee's name and the newest finished evaluation, so a report's memory does not
   * hold the whole period's rows and evaluations at once.
   */
  reportSessions(query: ReportQuery): AsyncIterable<ReportSessionRow[]>;
  listLlmCalls(sessionId: string): Promise<LlmCallRecord[]>;
}
