// After a start or a crash, and on every sweep: answers the turns a crash interrupted, sends the
// reply it kept from going out, ends idle sessions, sends owed evaluation cards and runs the
// evaluations that are due.
import { errorFields } from "../log.ts";
import type { Answering } from "./answering.ts";
import type { EngineContext } from "./engine-context.ts";
import type { Ending } from "./ending.ts";

export interface Recovery {
  resume(): Promise<void>;
  sweep(): Promise<void>;
}

export function createRecovery(ctx: EngineContext, answering: Answering, ending: Ending): Recovery {
  const { deps, store, now, log, live, inboundChains } = ctx;
  const { deliver, personaOf, remember, forget } = ctx;
  const { clearCrashedLeases, scheduleAnswer } = answering;
  const { finish, deliverPendingCards } = ending;

  async function resume(): Promise<void> {
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
    await sweep();
  }

  async function sweep(): Promise<void> {
    const cutoff = now() - deps.idleMs;
    const active = await store.listActiveSessions();
    // Sessions ended elsewhere (another process, an administrator) are no longer kept here.
    const activeIds = new Set(active.map((s) => s.id));
    for (const id of live.keys()) {
      if (!activeIds.has(id) && !answering.busy(id) && !inboundChains.has(id)) forget(id);
    }
    for (const session of active) {
      if (session.lastActivityAt < cutoff && !answering.busy(session.id)) await finish(session.id, "idle");
    }
    await deliverPendingCards().catch((e) => log.error("evaluation_cards_failed", errorFields(e)));
    if (deps.evaluation) {
      await deps.evaluation.runDue().catch((e) => log.error("evaluation_run_due_failed", errorFields(e)));
    }
  }

  return { resume, sweep };
}
