// The end of a session and what follows it: ending once (compare-and-set), telling the trainee,
// handing the session to the evaluator, and delivering the evaluation's card, also one a crash
// kept from going out.
import type { Evaluation } from "../domain/evaluation.ts";
import type { EndReason, Outcome, Session } from "../domain/session.ts";
import { errorFields } from "../log.ts";
import type { EngineContext } from "./engine-context.ts";
import type { EvaluationNoticeIn } from "./engine-types.ts";

/** A card still pending after this long is sent again by any process (another may be sending it). */
const CARD_GRACE_MS = 60_000;
/**
 * Cards older than this are no longer sent. A card that cannot be delivered (a chat that blocked the
 * bot, a deleted thread) is tried once per sweep until then, so this also bounds those attempts.
 */
const CARD_WINDOW_MS = 6 * 3600_000;

export type Finish = (sessionId: string, reason: EndReason, outcome?: Outcome) => Promise<Session | null>;

export interface Ending {
  /** Ends an active session once; null when it was not active (any more). */
  finish: Finish;
  /** Sends the cards still owed (see deliverPendingCards). */
  deliverPendingCards(): Promise<void>;
  /** Receives the evaluator's notices and tells the trainee. */
  evaluationNotice(n: EvaluationNoticeIn): Promise<void>;
}

export function createEnding(ctx: EngineContext): Ending {
  const { deps, store, now, log, outlets } = ctx;
  const { track, deliver, notice, languageForSession, forget } = ctx;
  const minTraineeTurns = deps.minTraineeTurns ?? 2;

  // Cards being delivered by this process, by evaluation id: a sweep must not send one twice.
  const cardsInFlight = new Set<string>();
  const startedAt = now();

  /** Sends an evaluation's card and records that it went out (a crash before leaves it pending). */
  async function deliverCard(session: Session, evaluation: Evaluation): Promise<void> {
    if (!deps.buildCard || cardsInFlight.has(evaluation.id)) return;
    cardsInFlight.add(evaluation.id);
    try {
      const language = await languageForSession(session);
      const turns = await store.listTurns(session.id);
      const card = deps.buildCard(evaluation, session, turns, language);
      const messageId = await deliver({ type: "evaluation", session, evaluation, card, language });
      if (messageId) await store.markCardDelivered(evaluation.id);
    } finally {
      cardsInFlight.delete(evaluation.id);
    }
  }

  /**
   * Cards a run was killed before delivering (or whose delivery failed): sent again. With a store
   * only this process uses, every card saved before it started is an orphan; otherwise another live
   * process may be sending it right now, so only cards older than CARD_GRACE_MS are taken.
   */
  async function deliverPendingCards(): Promise<void> {
    if (!deps.buildCard) return;
    const at = now();
    const before = deps.singleProcessStore ? Math.max(startedAt, at - CARD_GRACE_MS) : at - CARD_GRACE_MS;
    const pending = await store.pendingCards({ after: at - CARD_WINDOW_MS, before }, 20);
    for (const evaluation of pending) {
      const session = await store.getSession(evaluation.sessionId);
      if (session === null) continue;
      if (session.place.platform === "console" || !outlets.has(session.place.platform)) continue;
      log.info("evaluation_card_resent", { sessionId: session.id });
      await deliverCard(session, evaluation);
    }
  }

  /** Ends an active session once (compare-and-set), tells the trainee, and hands it to the evaluator. */
  async function finish(sessionId: string, reason: EndReason, outcome?: Outcome): Promise<Session | null> {
    const session = await store.getSession(sessionId);
    if (session?.status !== "active") return null;
    const turns = await store.listTurns(sessionId);
    const traineeTurns = turns.filter((t) => t.speaker === "trainee").length;
    const abandoned = reason === "blocked" || (reason === "idle" && traineeTurns < minTraineeTurns);
    const status = abandoned ? "abandoned" : "ended";
    const at = now();
    const changed = await store.updateSession(
      sessionId,
      { status, endReason: reason, endedAt: at, ...(outcome ? { outcome } : {}) },
      { status: ["active"] },
    );
    if (!changed) return null;
    forget(sessionId);
    const ended: Session = { ...session, status, endReason: reason, endedAt: at, outcome: outcome ?? session.outcome };
    log.info("session_ended", { sessionId, reason, status, traineeTurns });
    if (reason !== "blocked") {
      await deliver({
        type: "ended",
        session: ended,
        outcome: ended.outcome,
        language: await languageForSession(ended),
      });
    }
    if (deps.evaluation) {
      const evaluation = deps.evaluation;
      track(
        evaluation
          .request(sessionId)
          .catch((e) => log.error("evaluation_request_failed", { sessionId, ...errorFields(e) })),
      );
    }
    return ended;
  }

  async function evaluationNotice(n: EvaluationNoticeIn): Promise<void> {
    const session = (await store.getSession(n.session.id)) ?? n.session;
    if (n.kind === "ready") {
      await deliverCard(session, n.evaluation);
      return;
    }
    if (n.kind === "held") await notice(session, "evaluation_held");
    else if (n.kind === "pending") await notice(session, "evaluation_pending");
    else if (n.kind === "failed") await notice(session, "evaluation_failed");
    else if (n.kind === "skipped" && session.endReason !== "blocked") await notice(session, "evaluation_skipped");
  }

  return { finish, deliverPendingCards, evaluationNotice };
}
