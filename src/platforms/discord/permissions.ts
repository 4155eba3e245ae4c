// The permissions the bot asks for when it is invited, and why each one is needed.
import { OAuth2Scopes, PermissionFlagsBits } from "discord.js";

/** Each permission with the reason the bot needs it (docs/discord.md explains them the same way). */
export const BOT_PERMISSIONS: Array<{ flag: bigint; name: string; why: string }> = [
  { flag: PermissionFlagsBits.ViewChannel, name: "View Channels", why: "see the training channel" },
  { flag: PermissionFlagsBits.SendMessages, name: "Send Messages", why: "answer in the channel" },
  { flag: PermissionFlagsBits.CreatePublicThreads, name: "Create Public Threads", why: "a thread per session" },
  { flag: PermissionFlagsBits.CreatePrivateThreads, name: "Create Private Threads", why: "private sessions" },
  {
    flag: PermissionFlagsBits.SendMessagesInThreads,
    name: "Send Messages in Threads",
    why: "the customer speaks in the thread",
  },
  { flag: PermissionFlagsBits.ManageThreads, name: "Manage Threads", why: "lock the thread after the evaluation" },
  { flag: PermissionFlagsBits.ManageWebhooks, name: "Manage Webhooks", why: "the customer speaks under its own name" },
  { flag: PermissionFlagsBits.EmbedLinks, name: "Embed Links", why: "the evaluation card" },
  { flag: PermissionFlagsBits.AttachFiles, name: "Attach Files", why: "the full report as a file" },
  {
    flag: PermissionFlagsBits.ReadMessageHistory,
    name: "Read Message History",
    why: "pick up messages sent while the bot was offline",
  },
];

export const BOT_PERMISSION_BITS: bigint = BOT_PERMISSIONS.reduce((all, p) => all | p.flag, 0n);

/** The OAuth2 link that adds the bot to a server with its commands and permissions. */
/**
 * The link that adds the bot to a server. `apiUrl` (DISCORD_API_URL) points it at a
 * Discord-compatible server's own authorize page: the REST base without its trailing /api.
 */
export function inviteUrl(appId: string, apiUrl?: string): string {
  const params = new URLSearchParams({
    client_id: appId,
    scope: [OAuth2Scopes.Bot, OAuth2Scopes.ApplicationsCommands].join(" "),
    permissions: BOT_PERMISSION_BITS.toString(),
  });
  const base = apiUrl ? apiUrl.replace(/\/+$/, "").replace(/\/api(\/v\d+)?$/, "") : "https://discord.com";
  return `${base}/oauth2/authorize?${params.toString()}`;
}
