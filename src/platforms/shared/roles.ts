// Who is asking, as both platforms decide it. Rights named in the configuration by user id
// (Telegram's TELEGRAM_MANAGER_IDS, TELEGRAM_TRAINER_IDS) hold everywhere; rights that come from
// the place (a Discord server role, a Telegram group's administrators) hold in that place only.
// A manager outranks a trainer, and anything outranks a plain trainee.
import type { Platform, Role } from "../../domain/session.ts";
import type { Viewer } from "../../roleplay/api.ts";

export interface RoleFacts {
  platform: Platform;
  userId: string;
  /** Where the question is asked: a Discord server, a Telegram group; null in a private chat. */
  scopeId: string | null;
  /** Named a manager or a trainer for every place (by user id in the configuration). */
  everywhere?: Role | null;
  /** A manager or a trainer of `scopeId` only (a server role, a group's administrators). */
  here?: Role | null;
}

const RANK: Record<Role, number> = { trainee: 0, trainer: 1, manager: 2 };

/** The viewer for these facts: its role, and the scopes that role covers (null: every scope). */
export function resolveViewer(f: RoleFacts): Viewer {
  const everywhere = f.everywhere ?? "trainee";
  const here = f.scopeId !== null ? (f.here ?? "trainee") : "trainee";
  if (everywhere !== "trainee" && RANK[everywhere] >= RANK[here])
    return { platform: f.platform, userId: f.userId, role: everywhere, scopes: null };
  if (here !== "trainee") return { platform: f.platform, userId: f.userId, role: here, scopes: [f.scopeId as string] };
  return { platform: f.platform, userId: f.userId, role: "trainee", scopes: [] };
}

/** Whether this viewer manages `scopeId` (may set its language, read its team report). */
export function managesScope(viewer: Viewer, scopeId: string): boolean {
  return viewer.role === "manager" && (viewer.scopes === null || viewer.scopes.includes(scopeId));
}
