// Produces each session's evaluation exactly once, and never loses one: a compare-and-set claim
// in the store decides who evaluates, a failed judge leaves the session pending with a retry time
// (kept in the store, so a restart picks it up), and a retry limit marks it failed.
import type { Evaluation } from "../domain/evaluation.ts";
import type { EvalStatus, Session } from "../domain/session.ts";
import { LlmError, type LlmPort } from "../llm/port.ts";
import type { Store } from "../store/port.ts";
import { type JudgeTemplate, loadJudgeTemplate, parseJudgeTemplate } from "./judge.ts";
import { type EvaluationLease, keepEvaluationLease } from "./lease.ts";
import { evaluateTranscript, pinnedVersions } from "./transcript-evaluation.ts";
import { InvalidJudgementError } from "./verify.ts";

export {
  type EvaluatedPersona,
  type EvaluatedRubric,
  evaluateTranscript,
  pinnedVersions,
  type TranscriptEvaluationInput,
} from "./transcript-evaluation.ts";

export type EvaluationNotice =
  | { kind: "ready"; session: Session; evaluation: Evaluation }
  | { kind: "pending"; session: Session; attempts: number; nextAt: number }
  | { kind: "failed"; session: Session; attempts: number }
  | { kind: "skipped"; session: Session };

export type RequestResult =
  | EvaluationNotice
  /** Someone else holds the evaluation, it is already done, or the session does not exist. */
  | { kind: "not_claimed"; evalStatus: EvalStatus | null };

export type RerunResult =
  | { ok: true; evaluation: Evaluation }
  | { ok: false; reason: "session_not_found" | "busy" | "judge_failed" | "snapshot_invalid"; error?: unknown };

/** What the evaluator reports for operators: never transcript text. */
export type EvaluatorEvent =
  | { type: "judge_failed"; sessionId: string; attempts: number; error: string; final: boolean }
  | { type: "lease_expired"; sessionId: string }
  | { type: "lease_renew_failed"; sessionId: string; error: string }
  | { type: "snapshot_invalid"; sessionId: string; error: string }
  | { type: "notify_failed"; sessionId: string; error: string };

export interface EvaluatorOptions {
  store: Store;
  llm: LlmPort;
  /** The judge template's text (or parsed), or the prompts folder holding judge.md. */
  judgeTemplate?: JudgeTemplate | string;
  promptsDir?: string;
  now?: () => number;
  /** Told about every evaluation that finished, is pending, failed or was skipped. */
  notify?: (sessionId: string, result: EvaluationNotice) => void | Promise<void>;
  /** Sessions with fewer trainee turns are closed without a score (default 2). */
  minTraineeTurns?: number;
  /** Judge attempts (each with its immediate retry) before the evaluation is marked failed (default 5). */
  maxAttempts?: number;
  /** Judgements per evaluation, folded into one by the median per criterion (default 1). */
  judgeSamples?: number;
  /** The first retry waits this long; each next one twice as long (default 60 s). */
  backoffMs?: number;
  /**
   * How long an evaluation's claim lasts without renewal (default 30 s). A heartbeat renews it every
   * third of that while the judge works, so only a dead process lets it run out.
   */
  leaseMs?: number;
  /**
   * The store is used by this process only (SQLite): the first runDue (at start) takes back every
   * "running" evaluation at once, since only a crashed run can have left one.
   */
  singleProcessStore?: boolean;
  /** How far back runDue looks for sessions whose evaluation was never requested or crashed (default 30 days). */
  recoveryWindowMs?: number;
  log?: (event: EvaluatorEvent) => void;
}

export interface Evaluator {
  /**
   * Evaluates an ended session unless someone else already did or is doing it. Safe to call from
   * every end trigger at once: one claim wins, the others get "not_claimed". Rejects only when the
   * store fails; the claim's lease then runs out and runDue takes the session up again.
   */
  requestEvaluation(sessionId: string): Promise<RequestResult>;
  /**
   * Runs the evaluations that are due: pending ones whose retry time has come, running ones whose
   * lease ran out (the process died mid-evaluation) and ended sessions never requested. Call at
   * start and from a timer. Returns how many it processed.
   */
  runDue(now?: number): Promise<number>;
  /** A new evaluation of an evaluated session; the earlier ones stay in the history. */
  rerun(sessionId: string): Promise<RerunResult>;
}

const FINISHED_STATUSES = ["ended", "abandoned"] as const;

function errorText(e: unknown): string {
  if (e instanceof InvalidJudgementError) return e.message;
  if (e instanceof LlmError) return `${e.name}: ${e.message}`;
  return e instanceof Error ? e.name : "unknown error";
}

export function createEvaluator(opts: EvaluatorOptions): Evaluator {
  const { store, llm } = opts;
  const now = opts.now ?? Date.now;
  const minTraineeTurns = opts.minTraineeTurns ?? 2;
  const maxAttempts = opts.maxAttempts ?? 5;
  const backoffMs = opts.backoffMs ?? 60_000;
  const leaseMs = opts.leaseMs ?? 30_000;
  let reclaimAllRunning = opts.singleProcessStore === true;
  const recoveryWindowMs = opts.recoveryWindowMs ?? 30 * 24 * 3600_000;
  const log = opts.log ?? (() => {});

  let template: Promise<JudgeTemplate> | null = null;
  const getTemplate = (): Promise<JudgeTemplate> => {
    if (!template) {
      const t = opts.judgeTemplate;
      if (typeof t === "string") template = Promise.resolve(parseJudgeTemplate(t));
      else if (t) template = Promise.resolve(t);
      else if (opts.promptsDir) template = loadJudgeTemplate(opts.promptsDir);
      else template = Promise.reject(new Error("createEvaluator needs judgeTemplate or promptsDir"));
      // A failed load must not be cached for ever: the trainer may fix the file.
      template.catch(() => {
        template = null;
      });
    }
    return template;
  };

  async function tell(sessionId: string, result: EvaluationNotice): Promise<void> {
    if (!opts.notify) return;
    try {
      await opts.notify(sessionId, result);
    } catch (e) {
      log({ type: "notify_failed", sessionId, error: e instanceof Error ? e.name : "error" });
    }
  }

  async function reload(id: string, fallback: Session): Promise<Session> {
    return (await store.getSession(id)) ?? fallback;
  }

  /** Whether this process still holds the claim (another may have taken over a lease that ran out). */
  async function stillHeld(id: string, lease: EvaluationLease): Promise<boolean> {
    await lease.stop();
    const s = await store.getSession(id);
    return s?.evalStatus === "running" && s.evalNextAt === lease.current();
  }

  function keepLease(sessionId: string, claimedUntil: number): EvaluationLease {
    return keepEvaluationLease(store, sessionId, claimedUntil, {
      leaseMs,
      now,
      onRenewFailed: (e) =>
        log({ type: "lease_renew_failed", sessionId, error: e instanceof Error ? e.name : "error" }),
    });
  }

  /** Evaluates a session this process has claimed (evalStatus "running"); null when the claim was lost. */
  async function evaluateClaimed(session: Session, lease: EvaluationLease): Promise<EvaluationNotice | null> {
    const turns = await store.listTurns(session.id);
    const traineeTurns = turns.filter((t) => t.speaker === "trainee").length;
    if (traineeTurns < minTraineeTurns) {
      await store.updateSession(session.id, { evalStatus: "skipped", evalNextAt: null }, { evalStatus: ["running"] });
      return { kind: "skipped", session: await reload(session.id, session) };
    }

    let pinned: ReturnType<typeof pinnedVersions>;
    try {
      pinned = pinnedVersions(session);
    } catch (e) {
      // A snapshot that cannot be read will not get better by retrying.
      log({ type: "snapshot_invalid", sessionId: session.id, error: e instanceof Error ? e.name : "error" });
      const attempts = session.evalAttempts + 1;
      await store.updateSession(
        session.id,
        { evalStatus: "failed", evalAttempts: attempts, evalNextAt: null },
        { evalStatus: ["running"] },
      );
      return { kind: "failed", session: await reload(session.id, session), attempts };
    }

    try {
      const evaluation = await evaluateTranscript({
        ...pinned,
        turns,
        outcome: session.outcome,
        endReason: session.endReason,
        llm,
        template: await getTemplate(),
        sessionId: session.id,
        now,
        samples: opts.judgeSamples,
      });
      // Another process took the evaluation over after our lease ran out (it will save its own),
      // or the trainee's data was deleted meanwhile: either way this one must not be saved.
      if (!(await stillHeld(session.id, lease))) return null;
      // The trainee is owed its card from now on: marked with the evaluation, cleared once delivered.
      await store.saveEvaluation(evaluation, { cardPending: opts.notify !== undefined });
      await store.updateSession(
        session.id,
        { evalStatus: "done", status: "evaluated", evalAttempts: session.evalAttempts + 1, evalNextAt: null },
        { evalStatus: ["running"] },
      );
      return { kind: "ready", session: await reload(session.id, session), evaluation };
    } catch (e) {
      if (!(await stillHeld(session.id, lease))) return null;
      const attempts = session.evalAttempts + 1;
      const final = attempts >= maxAttempts;
      log({ type: "judge_failed", sessionId: session.id, attempts, error: errorText(e), final });
      if (final) {
        await store.updateSession(
          session.id,
          { evalStatus: "failed", evalAttempts: attempts, evalNextAt: null },
          { evalStatus: ["running"] },
        );
        return { kind: "failed", session: await reload(session.id, session), attempts };
      }
      const nextAt = now() + backoffMs * 2 ** (attempts - 1);
      await store.updateSession(
        session.id,
        { evalStatus: "pending", evalAttempts: attempts, evalNextAt: nextAt },
        { evalStatus: ["running"] },
      );
      return { kind: "pending", session: await reload(session.id, session), attempts, nextAt };
    }
  }

  async function claimAndEvaluate(sessionId: string, from: EvalStatus[]): Promise<RequestResult> {
    const lease = now() + leaseMs;
    const claimed = await store.updateSession(
      sessionId,
      { evalStatus: "running", evalNextAt: lease },
      { evalStatus: from, status: [...FINISHED_STATUSES] },
    );
    if (!claimed) {
      const s = await store.getSession(sessionId);
      return { kind: "not_claimed", evalStatus: s?.evalStatus ?? null };
    }
    const held = keepLease(sessionId, lease);
    let result: EvaluationNotice | null;
    try {
      const session = await store.getSession(sessionId);
      if (!session) return { kind: "not_claimed", evalStatus: null };
      result = await evaluateClaimed(session, held);
    } finally {
      await held.stop();
    }
    if (result === null) return { kind: "not_claimed", evalStatus: "running" };
    await tell(sessionId, result);
    return result;
  }

  return {
    requestEvaluation(sessionId) {
      // Once this process evaluates, a "running" one may be its own: leave the rest to their leases.
      reclaimAllRunning = false;
      return claimAndEvaluate(sessionId, ["none", "pending"]);
    },

    async runDue(at) {
      const t = at ?? now();
      let processed = 0;
      // A crashed evaluation: hand it back to "pending" once (CAS), then claim it as usual.
      const recent = await store.listSessions({ status: [...FINISHED_STATUSES], since: t - recoveryWindowMs });
      const reclaimAll = reclaimAllRunning;
      reclaimAllRunning = false;
      for (const s of recent) {
        if (s.evalStatus === "running" && s.evalNextAt !== null && (reclaimAll || s.evalNextAt <= t)) {
          if (await store.updateSession(s.id, { evalStatus: "pending", evalNextAt: t }, { evalStatus: ["running"] })) {
            log({ type: "lease_expired", sessionId: s.id });
          }
        }
      }
      for (const s of recent) {
        // Ended, but the end trigger never asked (e.g. the process stopped in between).
        if (s.evalStatus === "none") {
          const r = await claimAndEvaluate(s.id, ["none"]);
          if (r.kind !== "not_claimed") processed++;
        }
      }
      for (;;) {
        const due = await store.sessionsDueForEvaluation(t, 20);
        if (due.length === 0) break;
        let claimedAny = false;
        for (const s of due) {
          const r = await claimAndEvaluate(s.id, ["pending"]);
          if (r.kind !== "not_claimed") {
            processed++;
            claimedAny = true;
          }
        }
        if (!claimedAny) break;
      }
      return processed;
    },

    async rerun(sessionId) {
      const before = await store.getSession(sessionId);
      if (!before) return { ok: false, reason: "session_not_found" };
      const previous = before.evalStatus;
      if (previous === "running") return { ok: false, reason: "busy" };
      const lease = now() + leaseMs;
      const claimed = await store.updateSession(
        sessionId,
        { evalStatus: "running", evalNextAt: lease },
        { evalStatus: [previous], status: ["ended", "abandoned", "evaluated"] },
      );
      if (!claimed) return { ok: false, reason: "busy" };
      const held = keepLease(sessionId, lease);
      const restore = async () => {
        await held.stop();
        await store.updateSession(
          sessionId,
          { evalStatus: previous, evalNextAt: before.evalNextAt },
          { evalStatus: ["running"] },
        );
      };
      let pinned: ReturnType<typeof pinnedVersions>;
      try {
        pinned = pinnedVersions(before);
      } catch (error) {
        await restore();
        return { ok: false, reason: "snapshot_invalid", error };
      }
      try {
        const evaluation = await evaluateTranscript({
          ...pinned,
          turns: await store.listTurns(sessionId),
          outcome: before.outcome,
          endReason: before.endReason,
          llm,
          template: await getTemplate(),
          sessionId,
          now,
          samples: opts.judgeSamples,
        });
        // The trainee's data was deleted meanwhile (their claim went with it): save nothing.
        if (!(await stillHeld(sessionId, held))) return { ok: false, reason: "session_not_found" };
        await store.saveEvaluation(evaluation);
        await store.updateSession(
          sessionId,
          { evalStatus: "done", status: "evaluated", evalNextAt: null },
          { evalStatus: ["running"] },
        );
        return { ok: true, evaluation };
      } catch (error) {
        await restore();
        return { ok: false, reason: "judge_failed", error };
      }
    },
  };
}
