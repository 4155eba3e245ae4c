// The session engine: starts sessions, stores every turn before anything else happens, asks the
// customer model, applies the persona's emotional rules, ends sessions and hands them to the
// evaluator. Platforms reach it through RoleplayApi and receive what it says through their Outlet.
//
// Ordering: a session's inbound messages are stored one at a time in arrival order. The customer
// answers in a loop: messages that arrive while it is "typing" are stored at once and answered
// together in its next reply (a burst is merged, never dropped or interleaved).
import type { Catalogue } from "../catalogue/index.ts";
import type { Evaluation, EvaluationCard } from "../domain/evaluation.ts";
import { type Language, type Persona, PersonaFile } from "../domain/persona.ts";
import {
  type EndReason,
  type Outcome,
  type Place,
  type Platform,
  type Session,
  type TraineeIdentity,
  type Turn,
  traineeKey,
} from "../domain/session.ts";
import { LlmError, type LlmPort, LlmRefusedError } from "../llm/port.ts";
import { isManipulation } from "../guard/index.ts";
import { errorFields, type Logger, silentLogger } from "../log.ts";
import { type AnswerClaim, SessionAlreadyActiveError, type Store } from "../store/port.ts";
import type {
  EngineError,
  HistoryEntry,
  Inbound,
  MessageResult,
  NoticeCode,
  Outbound,
  Outlet,
  PersonaSummary,
  RoleplayApi,
  StartRequest,
  StartResult,
  Viewer,
} from "./api.ts";
import {
  applyMoodRules,
  buildCustomerMessages,
  buildCustomerSystemPrompt,
  type CustomerReply,
  inConversationOrder,
  staffMarker,
  unproductiveTurns,
} from "./customer.ts";
import { isBlankText } from "./blank-text.ts";
import { platformLookups } from "./platform-lookups.ts";
import { anyFound, redactTurn } from "./privacy/index.ts";
import { askCustomer, citationHolds } from "./reply-check.ts";

/** What the engine needs from the evaluator (wired in app.ts; notices come back via evaluationNotice). */
export interface EvaluationHook {
  request(sessionId: string): Promise<unknown>;
  runDue(): Promise<number>;
}

export type EvaluationNoticeIn =
  | { kind: "ready"; session: Session; evaluation: Evaluation }
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

/** What the engine keeps of an active session it serves. */
interface LiveSession {
  session: Session;
  /** Every turn from seq 1 on, in order, or null when it must be read from the database. */
  turns: Turn[] | null;
}

/** Stands for the session's staff marker in a system prompt shared by sessions. */
const MARKER_SLOT = "\u0000staff-marker\u0000";
/** A card still pending after this long is sent again by any process (another may be sending it). */
const CARD_GRACE_MS = 60_000;
/** Cards older than this are no longer sent: the trainee has moved on (Telegram keeps updates 24 h). */
const CARD_WINDOW_MS = 24 * 3600_000;
/** Persona versions and prompts kept parsed; far more than a catalogue has. */
const VERSION_CACHE_LIMIT = 200;

export function createEngine(deps: EngineDeps): Engine {
  const { store, llm, catalogue } = deps;
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const log = deps.log ?? silentLogger;
  const minTraineeTurns = deps.minTraineeTurns ?? 2;
  const template = deps.customerTemplate ?? (() => catalogue.template("customer.md"));
  const outlets = new Map<Platform, Outlet>();
  const inboundChains = new Map<string, Promise<unknown>>();
  const answerChains = new Map<string, Promise<void>>();
  const answerQueued = new Set<string>();
  const inFlight = new Set<Promise<unknown>>();
  // Per session, the system prompt it started with (shared by the sessions of one persona version,
  // with a slot for the session's marker): byte-identical on every turn of the session.
  const systemPrompts = new Map<string, string>();
  // The active sessions this process serves: the session as last read or written, and its
  // transcript. The database stays the truth: a transcript is only extended by a turn stored right
  // after its last one, and is read again when the database holds turns it lacks (a restart, or
  // another process wrote).
  const live = new Map<string, LiveSession>();
  // This engine's identity for the per-session answer lease in the database.
  const holder = `engine-${crypto.randomUUID()}`;
  // Renewed by a heartbeat while the holder works: a crashed holder's lease expires within this.
  const answerLeaseMs = deps.answerLeaseMs ?? 30_000;
  const leaseWaits = new Map<string, NodeJS.Timeout>();
  let timer: NodeJS.Timeout | null = null;
  let closed = false;

  function track<T>(p: Promise<T>): Promise<T> {
    inFlight.add(p);
    p.finally(() => inFlight.delete(p)).catch(() => {});
    return p;
  }

  async function deliver(event: Outbound): Promise<string | undefined> {
    const outlet = outlets.get(event.session.place.platform);
    if (!outlet) {
      log.warn("no_outlet", { platform: event.session.place.platform, sessionId: event.session.id, type: event.type });
      return undefined;
    }
    try {
      const r = await outlet.deliver(event);
      return r?.messageId;
    } catch (e) {
      log.error("deliver_failed", { sessionId: event.session.id, type: event.type, ...errorFields(e) });
      return undefined;
    }
  }

  async function languageForSession(session: Session): Promise<Language> {
    const trainee = await store.getTrainee(session.traineeId);
    if (trainee?.language) return trainee.language;
    if (session.place.scopeId) {
      const scoped = await store.getSetting(scopeLanguageKey(session.place.platform, session.place.scopeId));
      if (scoped === "zh-CN" || scoped === "en") return scoped;
    }
    return deps.defaultLanguage;
  }

  async function notice(session: Session, code: NoticeCode): Promise<void> {
    await deliver({ type: "notice", session, code, language: await languageForSession(session) });
  }

  // Parsed pinned personas by snapshot text: a version is parsed once, whatever its sessions.
  const personaCache = new Map<string, PersonaFile>();
  function personaOf(session: Session): PersonaFile {
    let p = personaCache.get(session.personaSnapshot);
    if (!p) {
      const { hash: _h, file: _f, ...rest } = JSON.parse(session.personaSnapshot) as Record<string, unknown>;
      p = PersonaFile.parse(rest);
      if (personaCache.size >= VERSION_CACHE_LIMIT) personaCache.delete(personaCache.keys().next().value as string);
      personaCache.set(session.personaSnapshot, p);
    }
    return p;
  }

  // System prompts by persona version and template, with a slot for the session's marker.
  const promptBases = new Map<string, { template: string; base: string }>();
  function systemPromptFor(session: Session, persona: PersonaFile): string {
    let base = systemPrompts.get(session.id);
    if (base === undefined) {
      const current = template();
      let cached = promptBases.get(session.personaSnapshot);
      if (cached?.template !== current) {
        cached = { template: current, base: buildCustomerSystemPrompt(current, persona, MARKER_SLOT) };
        if (promptBases.size >= VERSION_CACHE_LIMIT) promptBases.delete(promptBases.keys().next().value as string);
        promptBases.set(session.personaSnapshot, cached);
      }
      base = cached.base;
      systemPrompts.set(session.id, base);
    }
    return base.replaceAll(MARKER_SLOT, staffMarker(session.id));
  }

  function remember(session: Session): LiveSession {
    const entry = live.get(session.id);
    if (entry === undefined) {
      const created = { session, turns: null };
      live.set(session.id, created);
      return created;
    }
    // The notice flag only ever turns on; a read that raced with setting it must not undo it.
    entry.session = { ...session, piiNoticeSent: session.piiNoticeSent || entry.session.piiNoticeSent };
    return entry;
  }

  /** A turn this process stored: extends the kept transcript only if it follows its last turn. */
  function noteStored(turn: Turn): void {
    const entry = live.get(turn.sessionId);
    if (!entry?.turns) return;
    const lastSeq = entry.turns.at(-1)?.seq ?? 0;
    if (turn.seq === lastSeq + 1) entry.turns.push(turn);
    else if (turn.seq > lastSeq) entry.turns = null;
  }

  function forget(sessionId: string): void {
    live.delete(sessionId);
    systemPrompts.delete(sessionId);
  }

  function summary(p: Persona): PersonaSummary {
    return {
      id: p.id,
      name: p.name,
      title: p.title,
      language: p.language,
      archetype: p.archetype,
      difficulty: p.difficulty,
      channel: p.channel,
      hash: p.hash,
      avatar: p.avatar ?? null,
      whoOpens: p.who_opens,
    };
  }

  // lastActivityAt only feeds the idle timeout (minutes): refreshing it every few seconds would
  // rewrite the session row, with its pinned persona and rubric, on every message.
  const activityResolution = Math.min(60_000, Math.floor(deps.idleMs / 4));
  function activityStale(session: Session): boolean {
    return now() - session.lastActivityAt >= activityResolution;
  }

  /** Runs `work` after everything queued before it for the same session. */
  function serial<T>(sessionId: string, work: () => Promise<T>): Promise<T> {
    const prev = inboundChains.get(sessionId) ?? Promise.resolve();
    const next = prev.catch(() => {}).then(work);
    inboundChains.set(sessionId, next);
    next
      .finally(() => {
        if (inboundChains.get(sessionId) === next) inboundChains.delete(sessionId);
      })
      .catch(() => {});
    return track(next);
  }

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
      if (claim.leaseUntil !== null && !leaseWaits.has(sessionId) && !closed) {
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

  const engine: Engine = {
    ...platformLookups(store, now),
    registerOutlet(platform, outlet) {
      outlets.set(platform, outlet);
    },

    personas(filter = {}) {
      return catalogue
        .personas()
        .filter(
          (p) =>
            (!filter.language || p.language === filter.language) &&
            (!filter.archetype || p.archetype === filter.archetype) &&
            (!filter.difficulty || p.difficulty === filter.difficulty),
        )
        .sort((a, b) => a.archetype.localeCompare(b.archetype) || a.id.localeCompare(b.id))
        .map(summary);
    },

    async start(req: StartRequest): Promise<StartResult> {
      let persona: Persona | undefined;
      if (req.personaId) {
        persona = catalogue.persona(req.personaId);
        if (!persona) return { ok: false, error: { code: "persona_not_found", detail: req.personaId } };
      } else {
        persona = catalogue.pick(req.pick ?? {}, random);
        if (!persona) return { ok: false, error: { code: "no_persona_matches" } };
      }
      const rubric = catalogue.rubric(persona.rubric, persona.language);
      if (!rubric)
        return { ok: false, error: { code: "rubric_missing", detail: `${persona.rubric}.${persona.language}` } };
      const at = now();
      const trainee = await store.upsertTrainee(req.trainee, at);
      let session: Session;
      try {
        session = await store.createSession({
          id: crypto.randomUUID(),
          traineeId: trainee.id,
          personaId: persona.id,
          personaHash: persona.hash,
          personaSnapshot: JSON.stringify(persona),
          rubricId: rubric.id,
          rubricHash: rubric.hash,
          rubricSnapshot: JSON.stringify(rubric),
          language: persona.language,
          place: req.place,
          mood: persona.emotion.mood_start,
          startedAt: at,
        });
      } catch (e) {
        if (e instanceof SessionAlreadyActiveError) {
          return { ok: false, error: { code: "session_already_active", detail: e.existingSessionId } };
        }
        throw e;
      }
      log.info("session_started", { sessionId: session.id, personaId: persona.id, platform: req.place.platform });
      if (req.announce) {
        await req
          .announce(session, summary(persona))
          .catch((e) => log.warn("announce_failed", { sessionId: session.id, ...errorFields(e) }));
      }
      remember(session).turns = [];
      if (persona.who_opens === "customer" && persona.opening.length > 0) {
        const opening = persona.opening[Math.floor(random() * persona.opening.length)] ?? persona.opening[0] ?? "";
        const { turn } = await store.appendTurn({
          sessionId: session.id,
          speaker: "customer",
          text: opening.trim(),
          at: now(),
          inboundKey: null,
          platformMessageId: null,
          mood: persona.emotion.mood_start,
          triggerId: null,
          reason: "opening line",
          responseMs: null,
        });
        noteStored(turn);
        const messageId = await deliver({
          type: "customer",
          session,
          speaker: persona.name,
          avatar: persona.avatar ?? null,
          text: turn.text,
          mood: turn.mood ?? persona.emotion.mood_start,
          seq: turn.seq,
        });
        if (messageId) await store.setTurnMessageId(session.id, turn.seq, messageId);
      }
      return { ok: true, session, persona: summary(persona) };
    },

    async message(inbound: Inbound): Promise<MessageResult> {
      const tid = traineeKey(inbound.trainee);
      const session = await store.findActiveSession(tid, inbound.place);
      if (!session) return { status: "no_session" };
      if (isBlankText(inbound.text)) return { status: "blank", sessionId: session.id };
      // The one read of the session this turn: everything after works from it.
      const entry = remember(session);
      return serial(session.id, async (): Promise<MessageResult> => {
        const current = entry.session;
        if (current.status !== "active") return { status: "no_session" };
        const at = inbound.at ?? now();
        // The previous trainee turn: a number split over two messages is masked in both. The kept
        // transcript has it without a statement; it is read back only when none is kept.
        const previous = entry.turns
          ? entry.turns.findLast((t) => t.speaker === "trainee")
          : await store.lastTurn(session.id, "trainee");
        const red = redactTurn(inbound.text, current.language, previous?.text);
        // Stored only while the session is still active; the reply time is measured in the same
        // statement from the last customer turn the database holds.
        const stored = await store.appendTurnIfActive(
          {
            sessionId: session.id,
            speaker: "trainee",
            text: red.text,
            at,
            inboundKey: inbound.inboundKey,
            platformMessageId: inbound.messageId ?? null,
            mood: null,
            triggerId: null,
            reason: null,
            responseMs: null,
          },
          { responseSinceCustomer: true },
        );
        if (stored === null) {
          forget(session.id);
          return { status: "no_session" };
        }
        const { turn, duplicate } = stored;
        if (duplicate) return { status: "duplicate", sessionId: session.id, text: turn.text };
        if (red.previous !== undefined && previous) {
          await store.replaceTurnText(session.id, previous.seq, red.previous);
          entry.turns = null; // the kept transcript still holds the earlier half in clear
        }
        noteStored(turn);
        if (activityStale(current)) {
          const activeAt = now();
          await store.updateSession(session.id, { lastActivityAt: activeAt });
          entry.session = { ...entry.session, lastActivityAt: activeAt };
        }
        if (anyFound(red)) {
          log.info("pii_masked", { sessionId: session.id, seq: turn.seq, kinds: Object.keys(red.found).join(",") });
          if (!entry.session.piiNoticeSent) {
            entry.session = { ...entry.session, piiNoticeSent: true };
            await store.updateSession(session.id, { piiNoticeSent: true });
            await notice(current, "pii_masked");
          }
        }
        scheduleAnswer(session.id);
        return { status: "handled", sessionId: session.id, text: turn.text };
      });
    },

    async end(trainee: TraineeIdentity, place: Place) {
      const session = await store.findActiveSession(traineeKey(trainee), place);
      if (!session) return { ok: false, error: { code: "no_active_session" } satisfies EngineError };
      // Let turns already received be stored first, so the evaluation sees them.
      await serial(session.id, async () => {});
      const ended = await finish(session.id, "trainee");
      if (!ended) return { ok: false, error: { code: "no_active_session" } satisfies EngineError };
      return { ok: true, session: ended };
    },

    activeSession: (trainee, place) => store.findActiveSession(traineeKey(trainee), place),
    sessionsAt: (place) => store.findActiveSessionsAt(place),

    async abandon(sessionId) {
      await finish(sessionId, "blocked");
    },

    async history(trainee, limit = 20) {
      const sessions = await store.listSessions({ traineeId: traineeKey(trainee), limit });
      const evals = await store.latestEvaluations(sessions.map((s) => s.id));
      return sessions.map((s): HistoryEntry => {
        const ev = evals.get(s.id);
        let title = s.personaId;
        try {
          title = (JSON.parse(s.personaSnapshot) as { title?: string }).title ?? s.personaId;
        } catch {
          // an unreadable snapshot still lists the session by persona id
        }
        return {
          sessionId: s.id,
          personaId: s.personaId,
          personaTitle: title,
          startedAt: s.startedAt,
          status: s.status,
          evalStatus: s.evalStatus,
          total: ev?.total ?? null,
          passed: ev?.passed ?? null,
        };
      });
    },

    async forgetTrainee(trainee) {
      const id = traineeKey(trainee);
      const sessions = await store.listSessions({ traineeId: id });
      for (const s of sessions) {
        if (s.status === "active") {
          // Let a message being stored finish first; its turn is deleted with the rest.
          await serial(s.id, async () => {});
          // Ended without evaluation: the evaluation would be deleted with everything else.
          await store.updateSession(
            s.id,
            { status: "abandoned", endReason: "trainee", endedAt: now(), evalStatus: "skipped", evalNextAt: null },
            { status: ["active"] },
          );
          forget(s.id);
        } else if (s.evalStatus !== "done" && s.evalStatus !== "skipped" && s.evalStatus !== "failed") {
          // An evaluation waiting or running loses its claim, so it saves nothing afterwards.
          await store.updateSession(
            s.id,
            { evalStatus: "skipped", evalNextAt: null },
            { evalStatus: ["none", "pending", "running"] },
          );
        }
      }
      await store.deleteTrainee(id);
      log.info("trainee_forgotten", { platform: trainee.platform, sessions: sessions.length });
      return { ok: true, sessions: sessions.length };
    },

    async report(sessionId: string, viewer: Viewer) {
      const session = await store.getSession(sessionId);
      if (!session) return { ok: false, error: { code: "session_not_found" } };
      if (!mayRead(viewer, session)) return { ok: false, error: { code: "not_allowed" } };
      const turns = await store.listTurns(sessionId);
      const evaluation = await store.latestEvaluation(sessionId);
      const language = (await store.getTrainee(traineeKey(viewer)))?.language ?? (await languageForSession(session));
      const markdown = deps.renderReport
        ? await deps.renderReport(evaluation, session, turns, language)
        : turns.map((t) => `${t.speaker}: ${t.text}`).join("\n");
      return { ok: true, markdown, session };
    },

    async languageFor(trainee, place) {
      const t = await store.getTrainee(traineeKey(trainee));
      if (t?.language) return t.language;
      if (place?.scopeId) {
        const scoped = await store.getSetting(scopeLanguageKey(place.platform, place.scopeId));
        if (scoped === "zh-CN" || scoped === "en") return scoped;
      }
      return trainee.locale ?? deps.defaultLanguage;
    },

    async setTraineeLanguage(trainee, language) {
      await store.upsertTrainee(trainee, now());
      await store.setTraineeLanguage(traineeKey(trainee), language);
    },

    async setScopeLanguage(platform, scopeId, language) {
      await store.setSetting(scopeLanguageKey(platform, scopeId), language);
    },

    async evaluationNotice(n) {
      const session = (await store.getSession(n.session.id)) ?? n.session;
      if (n.kind === "ready") {
        await deliverCard(session, n.evaluation);
        return;
      }
      if (n.kind === "pending") await notice(session, "evaluation_pending");
      else if (n.kind === "failed") await notice(session, "evaluation_failed");
      else if (n.kind === "skipped" && session.endReason !== "blocked") await notice(session, "evaluation_skipped");
    },

    async resume() {
      await clearCrashedLeases();
      const active = await store.listActiveSessions();
      for (const session of active) {
        const turns = await store.listTurns(session.id);
        remember(session).turns = turns;
        const last = turns[turns.length - 1];
        if (!last) continue;
        // The latest reply stored but never confirmed sent (a crash between the two, maybe with
        // messages the trainee sent meanwhile after it): send it now. Telegram has no idempotency
        // key, so a reply sent just before the crash but not yet recorded goes out twice: the
        // at-least-once window docs/telegram.md describes.
        const reply = turns.findLast((t) => t.speaker === "customer");
        if (reply && reply.platformMessageId === null && session.place.platform !== "console") {
          const persona = personaOf(session);
          log.info("resume_resend", { sessionId: session.id, seq: reply.seq });
          const messageId = await deliver({
            type: "customer",
            session,
            speaker: persona.name,
            avatar: persona.avatar ?? null,
            text: reply.text,
            mood: reply.mood ?? session.mood,
            seq: reply.seq,
          });
          if (messageId) await store.setTurnMessageId(session.id, reply.seq, messageId);
        }
        if (last.speaker === "trainee") {
          log.info("resume_answer", { sessionId: session.id, seq: last.seq });
          scheduleAnswer(session.id);
        }
      }
      await engine.sweep();
    },

    async sweep() {
      const cutoff = now() - deps.idleMs;
      const active = await store.listActiveSessions();
      // Sessions ended elsewhere (another process, an administrator) are no longer kept here.
      const activeIds = new Set(active.map((s) => s.id));
      for (const id of live.keys()) {
        if (!activeIds.has(id) && !answerChains.has(id) && !inboundChains.has(id)) forget(id);
      }
      for (const session of active) {
        if (session.lastActivityAt < cutoff && !answerChains.has(session.id)) await finish(session.id, "idle");
      }
      await deliverPendingCards().catch((e) => log.error("evaluation_cards_failed", errorFields(e)));
      if (deps.evaluation) {
        await deps.evaluation.runDue().catch((e) => log.error("evaluation_run_due_failed", errorFields(e)));
      }
    },

    startTimers(intervalMs = deps.sweepIntervalMs ?? 60_000) {
      if (timer || closed) return;
      timer = setInterval(() => {
        track(engine.sweep().catch((e) => log.error("sweep_failed", errorFields(e))));
      }, intervalMs);
      timer.unref();
    },

    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },

    async close() {
      closed = true;
      if (timer) clearInterval(timer);
      for (const t of leaseWaits.values()) clearTimeout(t);
      leaseWaits.clear();
      timer = null;
      await engine.idle();
    },
  };
  return engine;
}

export function scopeLanguageKey(platform: Platform, scopeId: string): string {
  return `language:${platform}:${scopeId}`;
}

/** Owners read their own sessions; trainers and managers read the scopes they manage. */
export function mayRead(viewer: Viewer, session: Session): boolean {
  if (traineeKey(viewer) === session.traineeId) return true;
  if (viewer.role === "trainee") return false;
  if (viewer.platform !== session.place.platform) return viewer.scopes === null;
  return viewer.scopes === null || (session.place.scopeId !== null && viewer.scopes.includes(session.place.scopeId));
}
