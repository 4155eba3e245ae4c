// What every part of the Discord bot is given: the engine (the only way to sessions), the client,
// settings and log, and who is asking and where, in the engine's terms. Parts hold no session
// state; the webhook and typing caches here can always be rebuilt.
import { type Client, GuildMember, type Interaction } from "discord.js";
import type { AssignmentService } from "../../assignments/service.ts";
import type { Config } from "../../config.ts";
import type { Language } from "../../domain/persona.ts";
import type { Place, Role, TraineeIdentity } from "../../domain/session.ts";
import { processTimeZone } from "../../i18n/dates.ts";
import { languageFromLocale } from "../../i18n/index.ts";
import { errorFields, type Logger } from "../../log.ts";
import type { ManagerReportsApi, RoleplayApi, Viewer } from "../../roleplay/api.ts";
import { resolveViewer } from "../shared/roles.ts";
import type { TypingKeeper } from "../shared/typing.ts";
import { type DiscordMessages, discordMessages } from "./messages.ts";
import type { Webhooks } from "./webhooks.ts";

/** What the adapter needs from the application (structural, so tests and the app both fit). */
export interface DiscordApp {
  /** timeZone (TIME_ZONE) dates /roleplay history; absent: the process's zone. */
  config: Pick<Config, "language" | "logLevel"> & Partial<Pick<Config, "timeZone">>;
  engine: RoleplayApi;
  /** Team summaries for `/roleplay report` (absent: the command says reports are unavailable). */
  reports?: ManagerReportsApi;
  /** Assignments for `/roleplay assignments` (absent: the command says they are unavailable). */
  assignments?: AssignmentService;
}

export interface DiscordSettings {
  token: string;
  appId?: string | undefined;
  managerRoleIds: string[];
  trainerRoleIds: string[];
  log?: Logger;
  /** DISCORD_API_URL: the REST base (default Discord's); the gateway address comes from its GET /gateway/bot. */
  apiUrl?: string | undefined;
  /** Post the customer through a channel webhook under the persona's name (default true). */
  useWebhooks?: boolean;
  /** How often the typing indicator is renewed while the customer "types" (default 8 s; Discord shows it ~10 s). */
  typingRenewMs?: number;
}

export interface DiscordContext {
  app: DiscordApp;
  engine: RoleplayApi;
  settings: DiscordSettings;
  client: Client;
  log: Logger;
  webhooks: Webhooks;
  typing: TypingKeeper;
  /** Runs background work the bot waits for on idle() and stop(); failures are logged. */
  track(work: Promise<unknown>, what: string): void;
}

export function traineeOf(
  user: { id: string; username: string; globalName?: string | null },
  member?: unknown,
  locale?: string,
): TraineeIdentity {
  const displayName = member instanceof GuildMember ? member.displayName : (user.globalName ?? user.username);
  return { platform: "discord", userId: user.id, displayName, locale: languageFromLocale(locale) };
}

/** A session's place: the thread, under its channel, in its server. */
export function threadPlace(thread: { id: string; guildId: string; parentId: string | null }): Place {
  return { platform: "discord", scopeId: thread.guildId, chatId: thread.parentId ?? thread.id, threadId: thread.id };
}

export function channelPlace(i: Interaction): Place | null {
  if (!i.channelId) return null;
  return { platform: "discord", scopeId: i.guildId, chatId: i.channelId, threadId: null };
}

/** A server role gives rights in that server only (shared/roles.ts). */
export function viewerOf(
  ctx: DiscordContext,
  i: { user: { id: string }; member: unknown; guildId: string | null },
): Viewer {
  let ids: string[] = [];
  const member = i.member;
  if (member instanceof GuildMember) ids = [...member.roles.cache.keys()];
  else if (member && typeof member === "object" && Array.isArray((member as { roles?: unknown }).roles)) {
    ids = (member as { roles: string[] }).roles;
  }
  const { managerRoleIds, trainerRoleIds } = ctx.settings;
  const here: Role | null = ids.some((r) => managerRoleIds.includes(r))
    ? "manager"
    : ids.some((r) => trainerRoleIds.includes(r))
      ? "trainer"
      : null;
  return resolveViewer({ platform: "discord", userId: i.user.id, scopeId: i.guildId, here });
}

export async function languageOf(
  ctx: DiscordContext,
  trainee: TraineeIdentity,
  place: Place | null,
  locale?: string,
): Promise<Language> {
  try {
    return await ctx.engine.languageFor(trainee, place);
  } catch (e) {
    ctx.log.warn("discord.language_lookup_failed", errorFields(e));
    return languageFromLocale(locale) ?? ctx.app.config.language;
  }
}

export async function messagesFor(
  ctx: DiscordContext,
  trainee: TraineeIdentity,
  place: Place | null,
  locale?: string,
): Promise<DiscordMessages> {
  return discordMessages(await languageOf(ctx, trainee, place, locale));
}

/** The team's zone (TIME_ZONE) for the dates people read. */
export function timeZoneOf(ctx: DiscordContext): string {
  return ctx.app.config.timeZone ?? processTimeZone();
}
