// The interface between the session engine and the platforms (console, Telegram, Discord, and
// any later one). A platform adapter turns its updates into these calls and renders what the
// engine delivers to its Outlet; it holds no session state of its own.

import type { Difficulty, Language } from "../domain/persona.ts";
import type { Outcome, Place, Platform, Role, Session, TraineeIdentity } from "../domain/session.ts";
import type { Evaluation, EvaluationCard } from "../domain/evaluation.ts";

/** A short description of a persona for pickers and lists (never the hidden parts). */
export interface PersonaSummary {
  id: string;
  name: string;
  title: string;
  language: Language;
  archetype: string;
  difficulty: Difficulty;
  channel: string;
  hash: string;
  /** The customer's picture (an https URL), when the persona names one. */
  avatar?: string | null;
  /** Who speaks first: the customer (an opening line follows the start) or the trainee. Absent: the customer. */
  whoOpens?: "customer" | "trainee";
}

/** An active session a platform looks over after a reconnect (messages it may have missed). */
export interface RecoverableSession {
  session: Session;
  /** The trainee's user id on the session's platform. */
  traineeUserId: string;
  /** The newest platform message id among the session's turns (null: none recorded yet). */
  lastMessageId: string | null;
}

export interface StartRequest {
  trainee: TraineeIdentity;
  place: Place;
  /** A persona id; or leave it out and give `pick` for a random persona. */
  personaId?: string;
  pick?: { archetype?: string; difficulty?: Difficulty; language?: Language };
  /** The new session's id, when the caller reserved something under it (an assignment's attempt). */
  sessionId?: string;
  /**
   * Tells the trainee the session has started. Called once the session is stored (never before:
   * a crash must not leave someone talking to a session that does not exist) and before the
   * customer's opening line, so the chat reads in order. A failure here is logged; the session stands.
   */
  announce?: (session: Session, persona: PersonaSummary) => Promise<void>;
}

/** Trainee-facing failures: stable codes that each platform renders in the trainee's language. */
export type EngineErrorCode =
  | "persona_not_found"
  | "no_persona_matches"
  | "rubric_missing"
  | "session_already_active"
  | "no_active_session"
  | "session_not_found"
  | "not_allowed"
  | "customer_unavailable"
  /** An assessment's results are held until the trainer releases them or the due day passes. */
  | "results_held";

export interface EngineError {
  code: EngineErrorCode;
  /** e.g. the persona id asked for, or the active session's id */
  detail?: string;
}

export type StartResult = { ok: true; session: Session; persona: PersonaSummary } | { ok: false; error: EngineError };

/** One message from a trainee. */
export interface Inbound {
  trainee: TraineeIdentity;
  place: Place;
  text: string;
  /** Unique per platform message ("telegram:<chat>:<message_id>"): the same key is handled once. */
  inboundKey: string;
  /** Platform message id, to link the turn to its message. */
  messageId?: string;
  /** When the platform says it was sent (epoch ms); defaults to now. */
  at?: number;
}

export type MessageResult =
  /** Not part of any active session of this trainee in this place: the platform may ignore it. */
  | { status: "no_session" }
  /** Already handled (same inboundKey); `text` is that turn as stored (personal data masked). */
  | { status: "duplicate"; sessionId: string; text?: string }
  /** Nothing but spaces or invisible characters: no turn, no model call; the platform says so. */
  | { status: "blank"; sessionId: string }
  /** Recorded as a turn and answered (or the answer failed and the trainee was told). */
  | {
      status: "handled";
      sessionId: string;
      /** The trainee's words as stored and as the customer saw them: personal data masked. */
      text: string;
    };

/** Notices the engine asks a platform to show, in `language`. */
export type NoticeCode =
  | "pii_masked"
  | "customer_unavailable"
  | "customer_rate_limited"
  /** The customer's reply broke character twice (wrong language, labels, JSON ...): not shown, message kept. */
  | "customer_reply_rejected"
  | "evaluation_pending"
  | "evaluation_failed"
  | "evaluation_skipped"
  /** An assessment attempt was evaluated; its card is held until the results are released. */
  | "evaluation_held"
  | "session_resumed"
  /** Something failed on our side while answering (not the model): the message is kept. */
  | "engine_error";

/** What the engine delivers to a platform. Every event carries the session it belongs to. */
export type Outbound =
  | { type: "typing"; session: Session }
  | {
      type: "customer";
      session: Session;
      /** The persona's display name, for "name: text" or a webhook username. */
      speaker: string;
      /** The persona's picture (an https URL) for platforms that show one. */
      avatar?: string | null;
      text: string;
      mood: number;
      seq: number;
    }
  | { type: "notice"; session: Session; code: NoticeCode; language: Language }
  | { type: "ended"; session: Session; outcome: Outcome; language: Language }
  | {
      type: "evaluation";
      session: Session;
      evaluation: Evaluation;
      card: EvaluationCard;
      language: Language;
      /** An assessment's card: no "try again". */
      assessment?: boolean;
    };

/** Implemented by each platform adapter. Returns the platform message id when it sent one. */
export interface Outlet {
  deliver(event: Outbound): Promise<{ messageId?: string } | undefined>;
}

/** Who is looking: decides what history and reports they may read. */
export interface Viewer {
  platform: Platform;
  userId: string;
  role: Role;
  /** The scopes (guilds / groups) a manager or trainer manages; null = everything. */
  scopes: string[] | null;
}

export interface HistoryEntry {
  sessionId: string;
  personaId: string;
  personaTitle: string;
  startedAt: number;
  status: Session["status"];
  evalStatus: Session["evalStatus"];
  total: number | null;
  passed: boolean | null;
}

/** The engine as the platforms see it. */
export interface RoleplayApi {
  personas(filter?: { language?: Language; archetype?: string; difficulty?: Difficulty }): PersonaSummary[];
  start(req: StartRequest): Promise<StartResult>;
  message(inbound: Inbound): Promise<MessageResult>;
  /** Ends the trainee's active session in this place (by the trainee's command). */
  end(
    trainee: TraineeIdentity,
    place: Place,
  ): Promise<{ ok: true; session: Session } | { ok: false; error: EngineError }>;
  activeSession(trainee: TraineeIdentity, place: Place): Promise<Session | null>;
  /** Active sessions whose place is exactly this one (a Discord thread, a Telegram topic). */
  sessionsAt(place: Place): Promise<Session[]>;
  /** Ends a session the platform can no longer reach (e.g. the trainee blocked the bot). */
  abandon(sessionId: string): Promise<void>;
  history(trainee: TraineeIdentity, limit?: number): Promise<HistoryEntry[]>;
  /**
   * Deletes everything stored about this trainee at their own request (PIPL): sessions,
   * transcripts, evaluations. A running session is ended first, without evaluation. Irreversible.
   */
  forgetTrainee(trainee: TraineeIdentity): Promise<{ ok: true; sessions: number } | { ok: false; error: EngineError }>;
  /** The full Markdown report of a session, if the viewer may read it. */
  report(
    sessionId: string,
    viewer: Viewer,
  ): Promise<{ ok: true; markdown: string; session: Session } | { ok: false; error: EngineError }>;
  /** The language the bot speaks to this trainee in this place. */
  languageFor(trainee: TraineeIdentity, place: Place | null): Promise<Language>;
  setTraineeLanguage(trainee: TraineeIdentity, language: Language): Promise<void>;
  setScopeLanguage(platform: Platform, scopeId: string, language: Language): Promise<void>;
  registerOutlet(platform: Platform, outlet: Outlet): void;
  /** A session by id (e.g. from a button), or null. */
  session(sessionId: string): Promise<Session | null>;
  /** The trainee's active sessions on their platform: in one scope (a server, a group), or in all. */
  activeSessionsOf(trainee: TraineeIdentity, scopeId?: string): Promise<Session[]>;
  /** Active sessions on `platform`, with what a platform needs to pick up messages it missed. */
  recoverableSessions(platform: Platform): Promise<RecoverableSession[]>;
  /**
   * Marks a one-time platform event (an interaction, a notice) as handled, durably, across
   * processes; false when it was handled before.
   */
  claimOnce(key: string): Promise<boolean>;
}

/** Team summaries for managers in chat (implemented by src/reports, wired in app.ts). */
export interface ManagerReportsApi {
  /**
   * A short summary text and the HTML report file, for the scopes the viewer manages. `period`
   * is "7d", "30d", "90d" or "2026-01-01..2026-01-31" (default 7 days); `scope` narrows to one
   * server or group. Refused (with a sentence in `language`) for trainees and unreadable periods.
   */
  forChat(
    viewer: Viewer,
    period: string | undefined,
    language: Language,
    scope: { platform: Platform; scopeId: string } | null,
  ): Promise<
    { ok: true; text: string; files: Array<{ name: string; content: Buffer }> } | { ok: false; message: string }
  >;
}
