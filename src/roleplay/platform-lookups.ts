// What platform adapters look up about sessions besides the conversation itself: a session behind
// a button, a trainee's running sessions, the sessions to look over after a reconnect, and
// one-time events. Part of RoleplayApi, so no adapter reads the store or takes storage keys apart.
import { type Session, traineeKey } from "../domain/session.ts";
import type { Store } from "../store/port.ts";
import type { RecoverableSession, RoleplayApi } from "./api.ts";

type LookupStore = Pick<Store, "getSession" | "listSessions" | "listActiveSessions" | "listTurns" | "claimInbound">;

export function platformLookups(
  store: LookupStore,
  now: () => number,
): Pick<RoleplayApi, "session" | "activeSessionsOf" | "recoverableSessions" | "claimOnce"> {
  return {
    session: (sessionId) => store.getSession(sessionId),

    activeSessionsOf: (trainee, scopeId) =>
      store.listSessions({
        traineeId: traineeKey(trainee),
        platform: trainee.platform,
        ...(scopeId !== undefined ? { scopeId } : {}),
        status: ["active"],
      }),

    async recoverableSessions(platform) {
      const out: RecoverableSession[] = [];
      for (const session of await store.listActiveSessions()) {
        if (session.place.platform !== platform) continue;
        const ids = (await store.listTurns(session.id)).map((t) => t.platformMessageId);
        out.push({ session, traineeUserId: userIdOf(session), lastMessageId: newestId(ids) });
      }
      return out;
    },

    claimOnce: (key) => store.claimInbound(key, now()),
  };
}

/** The platform user id inside the session's trainee key ("discord:123" → "123"). */
export function userIdOf(session: Pick<Session, "traineeId" | "place">): string {
  const prefix = `${session.place.platform}:`;
  return session.traineeId.startsWith(prefix) ? session.traineeId.slice(prefix.length) : session.traineeId;
}

/**
 * The newest of some platform message ids. Telegram's and Discord's ids are numbers that grow with
 * time (Discord's exceed 2^53, so they are compared as digit strings); other ids count in the
 * order their turns were stored.
 */
export function newestId(ids: Array<string | null>): string | null {
  let best: string | null = null;
  for (const id of ids) {
    if (id === null) continue;
    if (best === null || laterThan(id, best)) best = id;
  }
  return best;
}

function laterThan(a: string, b: string): boolean {
  const numeric = /^\d+$/;
  if (!numeric.test(a) || !numeric.test(b)) return true;
  return a.length !== b.length ? a.length > b.length : a > b;
}
