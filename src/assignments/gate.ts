// Between the evaluator and the trainee: an assessment's evaluation is done and stored at once,
// its result recorded on the attempt, but its card is held until the trainer releases the results
// or the due day passes. Released cards are delivered once (compare-and-set), by the process that
// serves the session's platform. While held, the trainee's history and full report hide it too.
import { resultsHeld } from "../domain/assignment.ts";
import type { Platform } from "../domain/session.ts";
import { errorFields, type Logger, silentLogger } from "../log.ts";
import type { Outbound, Outlet, RoleplayApi } from "../roleplay/api.ts";
import type { EvaluationNoticeIn } from "../roleplay/engine.ts";
import type { Store } from "../store/port.ts";
import type { AssignmentStore } from "./port.ts";
import type { AssignmentService } from "./service.ts";

export interface AssignmentGateDeps {
  assignments: AssignmentStore;
  service: Pick<AssignmentService, "resultOf">;
  store: Pick<Store, "getSession" | "latestEvaluation" | "markCardDelivered">;
  /** Where notices go on (the engine's evaluationNotice). */
  notify(notice: EvaluationNoticeIn): Promise<void>;
  now?: () => number;
  log?: Logger;
}

export type AssignmentGate = ReturnType<typeof createAssignmentGate>;

export function createAssignmentGate(deps: AssignmentGateDeps) {
  const { assignments } = deps;
  const now = deps.now ?? Date.now;
  const log = deps.log ?? silentLogger;

  // The platforms this process serves (their outlets registered): only their held cards go out here.
  const platforms = new Set<Platform>();

  /** Whether a session's card is held right now (an assessment attempt not yet released). */
  async function isHeld(sessionId: string): Promise<boolean> {
    const attempt = await assignments.attemptForSession(sessionId);
    if (attempt === null) return false;
    const assignment = await assignments.getAssignment(attempt.assignmentId);
    return assignment !== null && resultsHeld(assignment, now());
  }

  /**
   * Every card on its way to a platform passes here, whichever path sent it (the evaluator's
   * notice, the engine's redelivery after a crash): an assessment's card goes without "Try again",
   * and one still held does not go at all (it is marked delivered for the engine; the attempt
   * keeps it held until release).
   */
  function guardOutlet(outlet: Outlet): Outlet {
    return {
      async deliver(event: Outbound) {
        if (event.type !== "evaluation") return outlet.deliver(event);
        const attempt = await assignments.attemptForSession(event.session.id);
        const assignment = attempt ? await assignments.getAssignment(attempt.assignmentId) : null;
        if (assignment === null || assignment.mode !== "assessment") return outlet.deliver(event);
        if (resultsHeld(assignment, now()) || attempt?.card === "held") {
          log.info("assignment_card_held", { sessionId: event.session.id });
          await deps.store.markCardDelivered(event.evaluation.id);
          return undefined;
        }
        return outlet.deliver({ ...event, assessment: true });
      },
    };
  }

  const gate = {
    isHeld,

    /** Receives every evaluator notice: an assignment's result is recorded, a held card kept back. */
    async notice(notice: EvaluationNoticeIn): Promise<void> {
      if (notice.kind !== "ready") return deps.notify(notice);
      const attempt = await assignments.attemptForSession(notice.session.id);
      const assignment = attempt ? await assignments.getAssignment(attempt.assignmentId) : null;
      if (attempt === null || assignment === null) return deps.notify(notice);
      const held = resultsHeld(assignment, now());
      await assignments.recordResult(notice.session.id, deps.service.resultOf(assignment, notice.evaluation, held));
      const current = await assignments.attemptForSession(notice.session.id);
      if (current?.card === "held") {
        if (held) {
          // The engine's own redelivery of undelivered cards must not send it: this gate owns it now.
          await deps.store.markCardDelivered(notice.evaluation.id);
          return deps.notify({ kind: "held", session: notice.session });
        }
        // Released between the two reads: deliver it unless the release run already did.
        if (!(await assignments.claimHeldCard(notice.session.id))) return;
      }
      return deps.notify(notice);
    },

    /**
     * Delivers the held cards whose results were released or whose due day passed, for sessions on
     * these platforms (the ones this process serves). Returns how many went out.
     */
    async deliverReleased(platforms: readonly Platform[], assignmentId?: string): Promise<number> {
      const due = await assignments.heldCards({ now: now(), ...(assignmentId ? { assignmentId } : {}) });
      let sent = 0;
      for (const attempt of due) {
        const session = await deps.store.getSession(attempt.sessionId);
        if (session === null || !platforms.includes(session.place.platform)) continue;
        const evaluation = await deps.store.latestEvaluation(session.id);
        if (evaluation === null) continue;
        if (!(await assignments.claimHeldCard(session.id))) continue;
        try {
          await deps.notify({ kind: "ready", session, evaluation });
          sent++;
        } catch (e) {
          log.warn("assignment_card_delivery_failed", { sessionId: session.id, ...errorFields(e) });
        }
      }
      return sent;
    },

    /** Delivers the released held cards of one assignment now, for the platforms this process serves. */
    deliverNow: (assignmentId: string) => gate.deliverReleased([...platforms], assignmentId),

    /**
     * Wraps the engine: keeps held results out of the trainee's own history and full report
     * (trainers still see them), and delivers released cards (then runs `onSweep`) after each sweep.
     */
    guard(engine: RoleplayApi & { sweep(): Promise<void> }, onSweep: Array<() => Promise<unknown>> = []): void {
      const registerOutlet = engine.registerOutlet.bind(engine);
      engine.registerOutlet = (platform, outlet) => {
        platforms.add(platform);
        registerOutlet(platform, guardOutlet(outlet));
      };
      // Released cards go out with the engine's periodic sweep, from the process serving their platform.
      const sweep = engine.sweep.bind(engine);
      engine.sweep = async () => {
        await sweep();
        await gate.deliverReleased([...platforms]).catch((e) => log.error("assignment_release_failed", errorFields(e)));
        for (const run of onSweep) await run().catch((e) => log.error("assignment_sweep_failed", errorFields(e)));
      };
      const report = engine.report.bind(engine);
      const history = engine.history.bind(engine);
      engine.report = async (sessionId, viewer) => {
        const r = await report(sessionId, viewer);
        if (r.ok && viewer.role === "trainee" && (await isHeld(sessionId))) {
          return { ok: false, error: { code: "results_held" } };
        }
        return r;
      };
      engine.history = async (trainee, limit) => {
        const entries = await history(trainee, limit);
        const out = [];
        for (const e of entries) {
          out.push(e.total !== null && (await isHeld(e.sessionId)) ? { ...e, total: null, passed: null } : e);
        }
        return out;
      };
    },
  };
  return gate;
}
