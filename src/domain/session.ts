// Sessions, turns, trainees and places: the records the engine keeps and the platforms address.
import type { Language } from "./persona.ts";

/**
 * A chat platform's id ("telegram", "discord", "console", ...): an open set, since platforms are
 * registered (src/platforms/registry.ts), not listed here. Ids match PLATFORM_ID.
 */
export type Platform = string;

/** What a platform id looks like: 2-32 lower-case letters, digits or dashes, starting with a letter. */
export const PLATFORM_ID = /^[a-z][a-z0-9-]{1,31}$/;

export function isPlatformId(text: string): boolean {
  return PLATFORM_ID.test(text);
}

/** Who is practising: one user on one platform. */
export interface TraineeIdentity {
  platform: Platform;
  /** The platform's user id (as text). */
  userId: string;
  displayName: string;
  /** The platform's language setting for this user, when it maps to one we support (a hint). */
  locale?: Language | null;
}

/** Where a session's messages go: a chat, and optionally a thread or forum topic in it. */
export interface Place {
  platform: Platform;
  /** Discord guild id or Telegram chat id of a group; null for private chats and the console. */
  scopeId: string | null;
  /** The chat or channel id. */
  chatId: string;
  /** The Discord thread id or Telegram topic id, if the session lives in one. */
  threadId: string | null;
}

/** A stable text key for a place ("telegram:-100123:45"). */
export function placeKey(p: Place): string {
  return `${p.platform}:${p.chatId}:${p.threadId ?? ""}`;
}

export function traineeKey(t: Pick<TraineeIdentity, "platform" | "userId">): string {
  return `${t.platform}:${t.userId}`;
}

export type Role = "trainee" | "trainer" | "manager";

export interface Trainee {
  /** traineeKey(identity) */
  id: string;
  platform: Platform;
  userId: string;
  displayName: string;
  language: Language | null;
  createdAt: number;
}

export const SESSION_STATUSES = ["active", "ended", "evaluated", "abandoned"] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

/** How the conversation ended (from the customer's side or the trainee's). */
export const OUTCOMES = ["continue", "satisfied", "walked_out", "supervisor"] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const END_REASONS = ["trainee", "customer", "max_turns", "idle", "blocked", "admin"] as const;
export type EndReason = (typeof END_REASONS)[number];

export const EVAL_STATUSES = ["none", "pending", "running", "done", "failed", "skipped"] as const;
export type EvalStatus = (typeof EVAL_STATUSES)[number];

export interface Session {
  id: string;
  traineeId: string;
  personaId: string;
  personaHash: string;
  /** The persona file as it was when the session started (JSON): the session's pinned version. */
  personaSnapshot: string;
  rubricId: string;
  rubricHash: string;
  /** The rubric as it was when the session started (JSON). */
  rubricSnapshot: string;
  language: Language;
  place: Place;
  status: SessionStatus;
  mood: number;
  outcome: Outcome;
  endReason: EndReason | null;
  evalStatus: EvalStatus;
  evalAttempts: number;
  /** Epoch ms; when the next evaluation attempt may run. */
  evalNextAt: number | null;
  /** Whether the trainee has been told that personal data was masked. */
  piiNoticeSent: boolean;
  startedAt: number;
  lastActivityAt: number;
  endedAt: number | null;
}

/** "colleague" is a second member of staff, who appears only in written dialogues (`--file`). */
export type Speaker = "trainee" | "customer" | "colleague" | "system";

export interface Turn {
  sessionId: string;
  /** 1-based position in the session. */
  seq: number;
  speaker: Speaker;
  /** The text after personal data was masked. */
  text: string;
  at: number;
  /** Idempotency key of the inbound message ("telegram:chat:msgid"), or null. */
  inboundKey: string | null;
  /** Platform message id of the message carrying this turn, when known. */
  platformMessageId: string | null;
  /** Customer turns: the mood after it. */
  mood: number | null;
  /** Customer turns: the persona trigger that moved the mood, if any. */
  triggerId: string | null;
  /** Customer turns: the model's private reason (stored, never shown). */
  reason: string | null;
  /** Trainee turns: ms between the previous customer message and this one. */
  responseMs: number | null;
  /** Customer turns: ids of the persona's hidden facts this reply revealed (as the customer model said). */
  revealedFacts?: string[];
  /**
   * Customer turns: the last trainee turn seq this reply answered. Stored in the reply's own row,
   * so "these turns are answered" is written by the same statement as the reply itself.
   */
  answersThrough?: number | null;
}
