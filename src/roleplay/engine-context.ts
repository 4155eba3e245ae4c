// What the modules of the session engine share: the dependencies, the sessions this process
// serves with their kept transcripts, the cached personas and prompts, the way out to the
// platforms, and the per-session queue that stores a session's messages one at a time.
import { type Language, type Persona, PersonaFile } from "../domain/persona.ts";
import type { Platform, Session, Turn } from "../domain/session.ts";
import { errorFields, type Logger, silentLogger } from "../log.ts";
import type { Store } from "../store/port.ts";
import type { NoticeCode, Outbound, Outlet, PersonaSummary } from "./api.ts";
import { buildCustomerSystemPrompt, staffMarker } from "./customer.ts";
import type { EngineDeps } from "./engine-types.ts";

/** What the engine keeps of an active session it serves. */
export interface LiveSession {
  session: Session;
  /** Every turn from seq 1 on, in order, or null when it must be read from the database. */
  turns: Turn[] | null;
}

/** Stands for the session's staff marker in a system prompt shared by sessions. */
const MARKER_SLOT = "\u0000staff-marker\u0000";
/** Persona versions and prompts kept parsed; far more than a catalogue has. */
const VERSION_CACHE_LIMIT = 200;

export interface EngineContext {
  deps: EngineDeps;
  store: Store;
  now: () => number;
  log: Logger;
  outlets: Map<Platform, Outlet>;
  live: Map<string, LiveSession>;
  inboundChains: Map<string, Promise<unknown>>;
  inFlight: Set<Promise<unknown>>;
  /** Set once the engine is closing: nothing new is scheduled. */
  state: { closed: boolean };
  track<T>(p: Promise<T>): Promise<T>;
  /** Hands an event to its platform; the platform's message id, or undefined when it failed. */
  deliver(event: Outbound): Promise<string | undefined>;
  languageForSession(session: Session): Promise<Language>;
  notice(session: Session, code: NoticeCode): Promise<void>;
  personaOf(session: Session): PersonaFile;
  systemPromptFor(session: Session, persona: PersonaFile): string;
  remember(session: Session): LiveSession;
  noteStored(turn: Turn): void;
  forget(sessionId: string): void;
  activityStale(session: Session): boolean;
  serial<T>(sessionId: string, work: () => Promise<T>): Promise<T>;
}

export function createEngineContext(deps: EngineDeps): EngineContext {
  const { store, catalogue } = deps;
  const now = deps.now ?? Date.now;
  const log = deps.log ?? silentLogger;
  const template = deps.customerTemplate ?? (() => catalogue.template("customer.md"));
  const outlets = new Map<Platform, Outlet>();
  const inboundChains = new Map<string, Promise<unknown>>();
  const inFlight = new Set<Promise<unknown>>();
  // Per session, the system prompt it started with (shared by the sessions of one persona version,
  // with a slot for the session's marker): byte-identical on every turn of the session.
  const systemPrompts = new Map<string, string>();
  // The active sessions this process serves: the session as last read or written, and its
  // transcript. The database stays the truth: a transcript is only extended by a turn stored right
  // after its last one, and is read again when the database holds turns it lacks (a restart, or
  // another process wrote).
  const live = new Map<string, LiveSession>();
  const state = { closed: false };

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

  return {
    deps,
    store,
    now,
    log,
    outlets,
    live,
    inboundChains,
    inFlight,
    state,
    track,
    deliver,
    languageForSession,
    notice,
    personaOf,
    systemPromptFor,
    remember,
    noteStored,
    forget,
    activityStale,
    serial,
  };
}

/** What platforms are told about a persona. */
export function summary(p: Persona): PersonaSummary {
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

export function scopeLanguageKey(platform: Platform, scopeId: string): string {
  return `language:${platform}:${scopeId}`;
}
