// A small in-memory stand-in for the session engine, as the Telegram adapter sees it (RoleplayApi),
// for unit tests of routing: it keeps active sessions per trainee and place, records every call,
// and lets a test slow down or script what it returns.
import { isBlankText } from "../../src/roleplay/blank-text.ts";
import type { Language } from "../../src/domain/persona.ts";
import { type Place, placeKey, type Session, type TraineeIdentity, traineeKey } from "../../src/domain/session.ts";
import type {
  HistoryEntry,
  Inbound,
  MessageResult,
  Outlet,
  PersonaSummary,
  RoleplayApi,
  StartRequest,
  Viewer,
} from "../../src/roleplay/api.ts";

export const TEST_PERSONAS: PersonaSummary[] = [
  persona("atm-counterfeit-note", "王先生", "ATM 取出疑似假币", "angry", "medium"),
  persona("atm-counterfeit-note-hard", "王先生", "ATM 假币（难）", "angry", "hard"),
  persona("fee-deduction", "李女士", "莫名扣费", "suspicious", "medium"),
  persona("fee-deduction-easy", "赵阿姨", "扣费疑问", "suspicious", "easy"),
];

function persona(
  id: string,
  name: string,
  title: string,
  archetype: string,
  difficulty: PersonaSummary["difficulty"],
): PersonaSummary {
  return { id, name, title, archetype, difficulty, language: "zh-CN", channel: "branch", hash: `h-${id}` };
}

export function makeSession(over: Partial<Session> & { place: Place; traineeId: string }): Session {
  return {
    id: `s-${Math.random().toString(36).slice(2, 10)}`,
    personaId: "atm-counterfeit-note",
    personaHash: "h",
    personaSnapshot: "{}",
    rubricId: "default",
    rubricHash: "r",
    rubricSnapshot: "{}",
    language: "en",
    status: "active",
    mood: 2,
    outcome: "continue",
    endReason: null,
    evalStatus: "none",
    evalAttempts: 0,
    evalNextAt: null,
    piiNoticeSent: false,
    startedAt: Date.now(),
    lastActivityAt: Date.now(),
    endedAt: null,
    ...over,
  };
}

export interface FakeEngine extends RoleplayApi {
  sessions: Session[];
  messages: Inbound[];
  starts: StartRequest[];
  abandoned: string[];
  reports: Array<{ sessionId: string; viewer: Viewer }>;
  /** Trainees whose data was deleted (forgetTrainee), in order. */
  forgotten: TraineeIdentity[];
  outlets: Map<string, Outlet>;
  language: Language;
  /** Runs inside message() before it answers, e.g. a delay to observe ordering. */
  onMessage?: (inbound: Inbound) => Promise<void>;
  historyEntries: HistoryEntry[];
  reportResult?: Awaited<ReturnType<RoleplayApi["report"]>>;
  /** Keys claimOnce has seen. */
  claimed: Set<string>;
  /** Adds an active session for this trainee and place. */
  activate(trainee: Pick<TraineeIdentity, "userId">, place: Place): Session;
}

export function fakeEngine(personas: PersonaSummary[] = TEST_PERSONAS): FakeEngine {
  const find = (trainee: Pick<TraineeIdentity, "userId">, place: Place) =>
    engine.sessions.find(
      (s) =>
        s.status === "active" &&
        s.traineeId === traineeKey({ platform: "telegram", userId: trainee.userId }) &&
        placeKey(s.place) === placeKey(place),
    ) ?? null;

  const engine: FakeEngine = {
    sessions: [],
    messages: [],
    starts: [],
    abandoned: [],
    reports: [],
    forgotten: [],
    outlets: new Map(),
    language: "en",
    historyEntries: [],
    claimed: new Set(),
    activate(trainee, place) {
      const s = makeSession({ traineeId: traineeKey({ platform: "telegram", userId: trainee.userId }), place });
      engine.sessions.push(s);
      return s;
    },
    personas(filter) {
      return personas.filter(
        (p) =>
          (!filter?.language || p.language === filter.language) &&
          (!filter?.archetype || p.archetype === filter.archetype) &&
          (!filter?.difficulty || p.difficulty === filter.difficulty),
      );
    },
    async start(req) {
      engine.starts.push(req);
      const p = personas.find((x) => x.id === req.personaId);
      if (!p) return { ok: false, error: { code: "persona_not_found", detail: req.personaId } };
      if (find(req.trainee, req.place)) return { ok: false, error: { code: "session_already_active" } };
      const s = engine.activate(req.trainee, req.place);
      s.personaId = p.id;
      // Like the real engine: announced once the session exists.
      await req.announce?.(s, p).catch(() => undefined);
      return { ok: true, session: s, persona: p };
    },
    async message(inbound): Promise<MessageResult> {
      const s = find(inbound.trainee, inbound.place);
      if (!s) return { status: "no_session" };
      if (isBlankText(inbound.text)) return { status: "blank", sessionId: s.id };
      engine.messages.push(inbound);
      await engine.onMessage?.(inbound);
      return { status: "handled", sessionId: s.id, text: inbound.text };
    },
    async end(trainee, place) {
      const s = find(trainee, place);
      if (!s) return { ok: false, error: { code: "no_active_session" } };
      s.status = "ended";
      return { ok: true, session: s };
    },
    async activeSession(trainee, place) {
      return find(trainee, place);
    },
    async sessionsAt(place) {
      return engine.sessions.filter((s) => s.status === "active" && placeKey(s.place) === placeKey(place));
    },
    async abandon(sessionId) {
      engine.abandoned.push(sessionId);
      const s = engine.sessions.find((x) => x.id === sessionId);
      if (s) s.status = "abandoned";
    },
    async forgetTrainee(trainee) {
      engine.forgotten.push(trainee);
      const mine = engine.sessions.filter((s) => s.traineeId === traineeKey(trainee));
      engine.sessions = engine.sessions.filter((s) => s.traineeId !== traineeKey(trainee));
      return { ok: true, sessions: mine.length };
    },
    async history() {
      return engine.historyEntries;
    },
    async report(sessionId, viewer) {
      engine.reports.push({ sessionId, viewer });
      const s = engine.sessions.find((x) => x.id === sessionId);
      if (engine.reportResult) return engine.reportResult;
      if (!s) return { ok: false, error: { code: "session_not_found" } };
      return { ok: true, markdown: `# Report ${sessionId}`, session: s };
    },
    async languageFor() {
      return engine.language;
    },
    async setTraineeLanguage() {},
    async setScopeLanguage() {},
    registerOutlet(platform, outlet) {
      engine.outlets.set(platform, outlet);
    },
    async session(sessionId) {
      return engine.sessions.find((s) => s.id === sessionId) ?? null;
    },
    async activeSessionsOf(trainee, scopeId) {
      return engine.sessions.filter(
        (s) =>
          s.status === "active" &&
          s.traineeId === traineeKey(trainee) &&
          (scopeId === undefined || s.place.scopeId === scopeId),
      );
    },
    async recoverableSessions(platform) {
      return engine.sessions
        .filter((s) => s.status === "active" && s.place.platform === platform)
        .map((session) => ({
          session,
          traineeUserId: session.traineeId.slice(platform.length + 1),
          lastMessageId: null,
        }));
    },
    async claimOnce(key) {
      if (engine.claimed.has(key)) return false;
      engine.claimed.add(key);
      return true;
    },
  };
  return engine;
}
