// Who may see what: managers and trainers named by user id in the configuration, and (when
// enabled) a group's administrators as managers of that group. Admin lookups are cached briefly so
// pressing a few buttons does not cost a Bot API call each.
import type { Api, RawApi } from "grammy";
import type { Chat } from "grammy/types";
import type { Viewer } from "../../roleplay/api.ts";
import { resolveViewer } from "../shared/roles.ts";
import { isGroup } from "./place.ts";

export interface RoleSettings {
  managerIds: string[];
  trainerIds: string[];
  groupAdminsAreManagers: boolean;
}

export interface Roles {
  /** The viewer `userId` is, looking from `chat` (group admins manage only their group). */
  viewer(userId: string, chat: Pick<Chat, "id" | "type"> | null): Promise<Viewer>;
  /** Configured managers, and group admins when that is enabled. */
  managesGroup(userId: string, chatId: string): Promise<boolean>;
}

const ADMIN_TTL_MS = 5 * 60_000;

export function createRoles(settings: RoleSettings, api: Api<RawApi>, now: () => number = Date.now): Roles {
  const cache = new Map<string, { admin: boolean; until: number }>();

  async function isAdmin(userId: string, chatId: string): Promise<boolean> {
    const key = `${chatId}:${userId}`;
    const hit = cache.get(key);
    if (hit && hit.until > now()) return hit.admin;
    let admin = false;
    try {
      const member = await api.getChatMember(chatId, Number(userId));
      admin = member.status === "creator" || member.status === "administrator";
    } catch {
      // Unknown means "not an admin": a failed lookup must never grant rights.
      admin = false;
    }
    cache.set(key, { admin, until: now() + ADMIN_TTL_MS });
    return admin;
  }

  return {
    async viewer(userId, chat) {
      const everywhere = settings.managerIds.includes(userId)
        ? "manager"
        : settings.trainerIds.includes(userId)
          ? "trainer"
          : null;
      const scopeId = chat && isGroup(chat) ? String(chat.id) : null;
      // An admin lookup costs a Bot API call: only when it could change the answer.
      const admin =
        everywhere !== "manager" &&
        scopeId !== null &&
        settings.groupAdminsAreManagers &&
        (await isAdmin(userId, scopeId));
      return resolveViewer({ platform: "telegram", userId, scopeId, everywhere, here: admin ? "manager" : null });
    },
    async managesGroup(userId, chatId) {
      if (settings.managerIds.includes(userId)) return true;
      return settings.groupAdminsAreManagers && isAdmin(userId, chatId);
    },
  };
}
