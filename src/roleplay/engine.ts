// The session engine: starts sessions, stores every turn before anything else happens, asks the
// customer model, applies the persona's emotional rules, ends sessions and hands them to the
// evaluator. Platforms reach it through RoleplayApi and receive what it says through their Outlet.
//
// Ordering: a session's inbound messages are stored one at a time in arrival order. The customer
// answers in a loop: messages that arrive while it is "typing" are stored at once and answered
// together in its next reply (a burst is merged, never dropped or interleaved).
//
// This file puts the engine together and answers the simple requests. The work is in modules:
// intake.ts (sessions and messages coming in), answering.ts (the customer's replies under the
// answer lease), ending.ts (ending a session, evaluation notices and cards), recovery.ts (resume
// after a crash, the sweep); engine-context.ts holds what they share.
import { type Place, type Session, type TraineeIdentity, traineeKey } from "../domain/session.ts";
import { errorFields } from "../log.ts";
import type { EngineError, HistoryEntry, Viewer } from "./api.ts";
import { createAnswering } from "./answering.ts";
import { createEngineContext, scopeLanguageKey, summary } from "./engine-context.ts";
import type { Engine, EngineDeps } from "./engine-types.ts";
import { createEnding } from "./ending.ts";
import { createIntake } from "./intake.ts";
import { platformLookups } from "./platform-lookups.ts";
import { createRecovery } from "./recovery.ts";

export type { Engine, EngineDeps, EvaluationHook, EvaluationNoticeIn } from "./engine-types.ts";
export { scopeLanguageKey } from "./engine-context.ts";
export { answeredThrough } from "./answering.ts";

export function createEngine(deps: EngineDeps): Engine {
  const ctx = createEngineContext(deps);
  const { store, now, log, outlets, inFlight, state, track, serial, forget, languageForSession } = ctx;
  const { catalogue } = deps;
  const ending = createEnding(ctx);
  const { finish } = ending;
  const answering = createAnswering(ctx, finish);
  const intake = createIntake(ctx, answering);
  const recovery = createRecovery(ctx, answering, ending);
  let timer: NodeJS.Timeout | null = null;

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

    start: intake.start,
    message: intake.message,

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

    evaluationNotice: ending.evaluationNotice,
    resume: recovery.resume,
    sweep: recovery.sweep,

    startTimers(intervalMs = deps.sweepIntervalMs ?? 60_000) {
      if (timer || state.closed) return;
      timer = setInterval(() => {
        track(engine.sweep().catch((e) => log.error("sweep_failed", errorFields(e))));
      }, intervalMs);
      timer.unref();
    },

    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },

    async close() {
      state.closed = true;
      if (timer) clearInterval(timer);
      answering.close();
      timer = null;
      await engine.idle();
    },
  };
  return engine;
}

/** Owners read their own sessions; trainers and managers read the scopes they manage. */
export function mayRead(viewer: Viewer, session: Session): boolean {
  if (traineeKey(viewer) === session.traineeId) return true;
  if (viewer.role === "trainee") return false;
  if (viewer.platform !== session.place.platform) return viewer.scopes === null;
  return viewer.scopes === null || (session.place.scopeId !== null && viewer.scopes.includes(session.place.scopeId));
}
