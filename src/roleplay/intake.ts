// Sessions and turns coming in: a session is stored before it is announced (and its opening line
// before it is sent); a trainee's message is masked and stored, in arrival order, before anything
// else happens, and only then is the customer's answer scheduled.
import type { Persona } from "../domain/persona.ts";
import { type Session, traineeKey } from "../domain/session.ts";
import { errorFields } from "../log.ts";
import { SessionAlreadyActiveError } from "../store/port.ts";
import type { Inbound, MessageResult, StartRequest, StartResult } from "./api.ts";
import type { Answering } from "./answering.ts";
import { isBlankText } from "./blank-text.ts";
import { type EngineContext, summary } from "./engine-context.ts";
import { anyFound, redactTurn } from "./privacy/index.ts";

export interface Intake {
  start(req: StartRequest): Promise<StartResult>;
  message(inbound: Inbound): Promise<MessageResult>;
}

export function createIntake(ctx: EngineContext, answering: Answering): Intake {
  const { deps, store, now, log } = ctx;
  const { deliver, notice, remember, noteStored, forget, activityStale, serial } = ctx;
  const { catalogue } = deps;
  const random = deps.random ?? Math.random;
  const { scheduleAnswer } = answering;

  async function start(req: StartRequest): Promise<StartResult> {
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
        id: req.sessionId ?? crypto.randomUUID(),
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
  }

  async function message(inbound: Inbound): Promise<MessageResult> {
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
  }

  return { start, message };
}
