// What the session engine is built from (EngineDeps) and what it offers (Engine): the types the
// modules of the engine share, and the ones app.ts wires it with.
import type { Catalogue } from "../catalogue/index.ts";
import type { Evaluation, EvaluationCard } from "../domain/evaluation.ts";
import type { Language } from "../domain/persona.ts";
import type { Session, Turn } from "../domain/session.ts";
import type { LlmPort } from "../llm/port.ts";
import type { Logger } from "../log.ts";
import type { Store } from "../store/port.ts";
import type { RoleplayApi } from "./api.ts";

/** What the engine needs from the evaluator (wired in app.ts; notices come back via evaluationNotice). */
export interface EvaluationHook {
  request(sessionId: string): Promise<unknown>;
  runDue(): Promise<number>;
}

export type EvaluationNoticeIn =
  | { kind: "ready"; session: Session; evaluation: Evaluation }
  /** An assessment's card held back until its results are released (src/assignments). */
  | { kind: "held"; session: Session }
  | { kind: "pending"; session: Session }
  | { kind: "failed"; session: Session }
  | { kind: "skipped"; session: Session };

export interface EngineDeps {
  store: Store;
  llm: LlmPort;
  catalogue: Catalogue;
  evaluation?: EvaluationHook | null;
  /** Builds the trainee-facing card of an evaluation (from src/evaluation). */
  buildCard?: (evaluation: Evaluation, session: Session, turns: Turn[], language: Language) => EvaluationCard;
  /** Renders the full Markdown report (from src/evaluation). */
  renderReport?: (
    evaluation: Evaluation | null,
    session: Session,
    turns: Turn[],
    language: Language,
  ) => string | Promise<string>;
  /** The customer prompt template (prompts/customer.md); read from the catalogue when absent. */
  customerTemplate?: () => string;
  defaultLanguage: Language;
  idleMs: number;
  /** The longest customer reply shown, in Chinese characters (English: three times as many). */
  maxReplyChars?: number;
  minTraineeTurns?: number;
  /** How long a session's answer lease lasts without renewal (default 30 s; renewed every third of it). */
  answerLeaseMs?: number;
  /** How often startTimers sweeps idle sessions and due evaluations (default 60 s). */
  sweepIntervalMs?: number;
  /**
   * The store is used by this process only (SQLite): at resume, leases left by a crashed run are
   * dropped at once instead of waiting for them to expire.
   */
  singleProcessStore?: boolean;
  now?: () => number;
  random?: () => number;
  log?: Logger;
}

export interface Engine extends RoleplayApi {
  /** At start: answers turns a crash interrupted, redelivers unsent replies, runs due evaluations. */
  resume(): Promise<void>;
  /** Ends idle sessions and runs due evaluations (called by the timer). */
  sweep(): Promise<void>;
  /** Starts the sweep timer. */
  startTimers(intervalMs?: number): void;
  /** Receives the evaluator's notices and tells the trainee. */
  evaluationNotice(notice: EvaluationNoticeIn): Promise<void>;
  /** Resolves when no work is queued or running (tests, graceful shutdown). */
  idle(): Promise<void>;
  /** Stops the timers and waits for in-flight turns. */
  close(): Promise<void>;
}
