// The customer's answers: one at a time per session, under a lease in the database so that several
// processes never answer one session at once. A burst of messages is answered together; what a
// reply answered is stored in its own row, so a crash cannot leave it looking unanswered.
import type { Turn } from "../domain/session.ts";
import { isManipulation } from "../guard/index.ts";
import { LlmError, LlmRefusedError } from "../llm/port.ts";
import { errorFields } from "../log.ts";
import type { AnswerClaim } from "../store/port.ts";
import {
  applyMoodRules,
  buildCustomerMessages,
  type CustomerReply,
  inConversationOrder,
  staffMarker,
  unproductiveTurns,
} from "./customer.ts";
import type { EngineContext, LiveSession } from "./engine-context.ts";
import type { Finish } from "./ending.ts";
import { askCustomer, citationHolds } from "./reply-check.ts";

/** How one answer ended: the last seq its prompt held, and whether the session goes on. */
interface AnswerResult {
  promptThrough: number | null;
  continues: boolean;
}

/**
 * The last trainee turn seq a stored reply has answered: recorded in the replies' own rows, with
 * the lease's record of a run before schema version 5 as a floor; without either (replies stored
 * before then), the last customer turn.
 */
export function answeredThrough(turns: readonly Turn[], leaseRecord: number | null): number {
  let recorded = leaseRecord;
  let lastCustomer = 0;
  for (const t of turns) {
    if (t.speaker !== "customer") continue;
    lastCustomer = t.seq;
    if (t.answersThrough !== undefined && t.answersThrough !== null) {
      recorded = Math.max(recorded ?? 0, t.answersThrough);
    }
  }
  return recorded ?? lastCustomer;
}

export interface Answering {
  /** Schedules one customer answer to all unanswered trainee turns; coalesces bursts. */
  scheduleAnswer(sessionId: string): Promise<void>;
  /** With a store only this process uses: drops the leases a crashed run left, once. */
  clearCrashedLeases(): Promise<void>;
  /** Whether an answer of this session is queued or running here. */
  busy(sessionId: string): boolean;
  /** Stops waiting for other processes' leases. */
  close(): void;
}

export function createAnswering(ctx: EngineContext, finish: Finish): Answering {
  const { deps, store, now, log, live, state } = ctx;
  const { track, deliver, notice, personaOf, systemPromptFor, remember, noteStored, activityStale } = ctx;
  const llm = deps.llm;
  const answerChains = new Map<string, Promise<void>>();
  const answerQueued = new Set<string>();
  // This engine's identity for the per-session answer lease in the database.
  const holder = `engine-${crypto.randomUUID()}`;
  // Renewed by a heartbeat while the holder works: a crashed holder's lease expires within this.
  const answerLeaseMs = deps.answerLeaseMs ?? 30_000;
  const leaseWaits = new Map<string, NodeJS.Timeout>();

  // With a store only this process uses, leases left by a crashed run are dropped once, before this
  // engine claims any: the platforms may hand it a message before resume() runs, and clearing
  // after that would drop this engine's own lease (and what its reply had seen) mid-answer.
  let leasesCleared: Promise<void> | null = null;
  function clearCrashedLeases(): Promise<void> {
    if (!deps.singleProcessStore) return Promise.resolve();
    leasesCleared ??= store.clearAnswerLeases().then((cleared) => {
      if (cleared > 0) log.info("answer_leases_cleared", { count: cleared });
    });
    return leasesCleared;
  }

  /** Schedules one customer answer to all unanswered trainee turns; coalesces bursts. */
  function scheduleAnswer(sessionId: string): Promise<void> {
    const running = answerChains.get(sessionId);
    if (answerQueued.has(sessionId) && running) return running;
    answerQueued.add(sessionId);
    const next = (running ?? Promise.resolve())
      .catch(() => {})
      .then(() => {
        answerQueued.delete(sessionId);
        return answerOnce(sessionId);
      })
      .catch(async (e) => {
        // Not the model (that is handled inside): a bug, a broken template, the database. The turn
        // is stored; the trainee must not be left waiting in silence.
        log.error("answer_failed", { sessionId, ...errorFields(e) });
        const session = await store.getSession(sessionId).catch(() => null);
        if (session?.status === "active") await notice(session, "engine_error").catch(() => {});
      });
    answerChains.set(sessionId, next);
    next.finally(() => {
      if (answerChains.get(sessionId) === next) answerChains.delete(sessionId);
    });
    return track(next);
  }

  /**
   * Answers the session's unanswered trainee turns once. The answer lease in the database makes
   * this safe across processes: only the lease holder asks the model; it releases the lease before
   * looking for messages that arrived meanwhile, so none can fall between two processes.
   */
  async function answerOnce(sessionId: string): Promise<void> {
    let entry = live.get(sessionId);
    if (entry === undefined) {
      // Not served by this process since it started: the database has it.
      const stored = await store.getSession(sessionId);
      if (stored === null) return;
      entry = remember(stored);
    }
    if (entry.session.status !== "active") return;
    await clearCrashedLeases();
    const claim = await store.claimAnswer(sessionId, holder, now(), answerLeaseMs);
    if (!claim.claimed) {
      // Another process is answering (it looks for new messages when it is done), or one died
      // holding the lease: look again when the lease runs out.
      if (claim.leaseUntil !== null && !leaseWaits.has(sessionId) && !state.closed) {
        const timer = setTimeout(
          () => {
            leaseWaits.delete(sessionId);
            scheduleAnswer(sessionId);
          },
          Math.max(50, claim.leaseUntil - now() + 50),
        );
        timer.unref();
        leaseWaits.set(sessionId, timer);
      }
      return;
    }
    let result: AnswerResult = { promptThrough: null, continues: false };
    // A short lease kept alive while we work: a holder that dies frees the session within one lease,
    // however long a model call may take.
    const heartbeat = setInterval(
      () => {
        store
          .claimAnswer(sessionId, holder, now(), answerLeaseMs)
          .catch((e) => log.warn("lease_renew_failed", { sessionId, ...errorFields(e) }));
      },
      Math.max(10, Math.floor(answerLeaseMs / 3)),
    );
    heartbeat.unref();
    let lastTraineeSeq: number | null = null;
    try {
      result = await answerHoldingLease(entry, claim);
    } finally {
      clearInterval(heartbeat);
      // What the reply answered is in its own turn row already: the release records nothing more.
      lastTraineeSeq = await store.releaseAnswer(sessionId, holder, null);
    }
    // Messages that arrived while this reply was being written (or while the call failed) get
    // their own answer; seen by the release itself, so that none falls between two processes.
    const through = result.promptThrough;
    if (result.continues && through !== null) {
      const latest = lastTraineeSeq ?? (await store.lastTurn(sessionId, "trainee"))?.seq ?? 0;
      if (latest > through) scheduleAnswer(sessionId);
    }
  }

  async function answerHoldingLease(entry: LiveSession, claim: AnswerClaim): Promise<AnswerResult> {
    const sessionId = entry.session.id;
    const kept = entry.turns;
    if (kept === null || (kept.at(-1)?.seq ?? 0) < claim.lastSeq) {
      if (kept !== null) {
        // Another process wrote to this session: what this one remembers of it may be old too.
        const fresh = await store.getSession(sessionId);
        if (fresh === null) return { promptThrough: null, continues: false };
        entry.session = fresh;
      }
      entry.turns = await store.listTurns(sessionId);
    }
    const session = entry.session;
    if (session.status !== "active") return { promptThrough: null, continues: false };
    // A copy: messages stored while the customer is "typing" extend the kept transcript.
    const turns = (entry.turns ?? []).slice();
    const last = turns[turns.length - 1];
    if (!last) return { promptThrough: null, continues: false };
    // Trainee turns no stored reply has seen yet. Messages sent while the customer was "typing"
    // are stored before its reply, so "the last turn is the trainee's" would not be enough.
    const through = answeredThrough(turns, claim.answeredThrough);
    const unanswered = turns.filter((t) => t.speaker === "trainee" && t.seq > through).length;
    if (unanswered === 0) return { promptThrough: null, continues: false };
    const persona = personaOf(session);
    const traineeTurns = turns.filter((t) => t.speaker === "trainee").length;
    const unproductive = unproductiveTurns(turns, persona);
    await deliver({ type: "typing", session });
    const messages = buildCustomerMessages(
      systemPromptFor(session, persona),
      staffMarker(session.id),
      inConversationOrder(turns),
      {
        mood: session.mood,
        traineeTurns,
        maxTurns: persona.max_turns,
        unproductive,
        unanswered,
      },
    );
    let reply: CustomerReply;
    try {
      const answer = await askCustomer(llm, messages, persona, sessionId, deps.maxReplyChars);
      if (!answer.ok) {
        // Asked twice, unusable twice: nothing is shown, and the turn waits like a model failure.
        log.warn("customer_reply_rejected", { sessionId, problems: answer.problems.join(",") });
        await notice(session, "customer_reply_rejected");
        return { promptThrough: last.seq, continues: true };
      }
      reply = answer.reply;
    } catch (e) {
      if (!(e instanceof LlmError)) throw e;
      log.warn("customer_unavailable", { sessionId, ...errorFields(e) });
      const rateLimited = e instanceof LlmRefusedError && (e.status === 429 || e.code === "rate_limited");
      // The trainee's turns stay stored and unanswered: their next message (or a restart) retries.
      await notice(session, rateLimited ? "customer_rate_limited" : "customer_unavailable");
      return { promptThrough: last.seq, continues: true };
    }
    // The trainee may have ended the session while the customer was "typing": then the
    // conditional append below stores nothing.
    const current = entry.session;
    if (current.status !== "active") return { promptThrough: null, continues: false };
    // Only the messages this reply answers can have fired its trigger.
    const answered = turns.filter((t) => t.speaker === "trainee" && t.seq > through);
    const applied = applyMoodRules(persona, current.mood, reply, unproductive, {
      cited: citationHolds(reply.trigger_quote, answered),
      steering: answered.some((t) => isManipulation(t.text)),
    });
    const reason = [reply.reason, ...applied.adjusted].filter(Boolean).join(" | ").slice(0, 500);
    const stored = await store.appendTurnIfActive({
      sessionId,
      speaker: "customer",
      text: applied.text,
      at: now(),
      inboundKey: null,
      platformMessageId: null,
      mood: applied.mood,
      triggerId: applied.triggerId,
      reason,
      responseMs: null,
      // What this reply answered, in its own row: stored with it or not at all, so a crash right
      // after cannot leave the turns looking unanswered (and answered again by the next run).
      answersThrough: last.seq,
      // Only ids the persona really has: the model's list is a claim, kept for the evaluation.
      revealedFacts: reply.revealed_fact_ids.filter(
        (id, i, all) => persona.facts.some((f) => f.id === id) && all.indexOf(id) === i,
      ),
    });
    if (stored === null) return { promptThrough: null, continues: false };
    const { turn } = stored;
    noteStored(turn);
    // The sessions row carries the pinned persona and rubric: write it only when something changed.
    const patch = {
      ...(applied.mood !== current.mood ? { mood: applied.mood } : {}),
      ...(applied.outcome !== current.outcome ? { outcome: applied.outcome } : {}),
      ...(activityStale(current) ? { lastActivityAt: now() } : {}),
    };
    if (Object.keys(patch).length > 0) await store.updateSession(sessionId, patch);
    const updated = { ...current, ...patch };
    if (live.get(sessionId) === entry) entry.session = { ...entry.session, ...patch };
    const messageId = await deliver({
      type: "customer",
      session: updated,
      speaker: persona.name,
      avatar: persona.avatar ?? null,
      text: applied.text,
      mood: applied.mood,
      seq: turn.seq,
    });
    if (messageId) await store.setTurnMessageId(sessionId, turn.seq, messageId);
    if (applied.outcome !== "continue") {
      await finish(sessionId, "customer", applied.outcome);
      return { promptThrough: last.seq, continues: false };
    }
    if (traineeTurns >= persona.max_turns) {
      await finish(sessionId, "max_turns");
      return { promptThrough: last.seq, continues: false };
    }
    return { promptThrough: last.seq, continues: true };
  }

  return {
    scheduleAnswer,
    clearCrashedLeases,
    busy: (sessionId) => answerChains.has(sessionId),
    close() {
      for (const t of leaseWaits.values()) clearTimeout(t);
      leaseWaits.clear();
    },
  };
}
