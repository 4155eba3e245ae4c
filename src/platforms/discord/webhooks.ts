// The channel webhooks the customer speaks through under the persona's name and picture. One per
// channel, found or created once (sessions starting together share the lookup); a webhook the bot
// may not create is tried again after a while, since a server admin may grant Manage Webhooks.
import { ChannelType, type Client, type Webhook } from "discord.js";
import type { Logger } from "../../log.ts";
import { apiErrorFields } from "./faults.ts";

/** A webhook we may not create is re-tried after this long. */
const WEBHOOK_RETRY_MS = 10 * 60_000;

export interface Webhooks {
  /** The channel's webhook, or null when the bot cannot use one there (it then posts as itself). */
  forChannel(channelId: string): Promise<Webhook | null>;
  /** A send through the channel's webhook failed: a deleted one is recreated, others wait a while. */
  failed(channelId: string, deleted: boolean): void;
}

export function createWebhooks(client: Client, log: Logger, enabled: boolean): Webhooks {
  const cache = new Map<string, { hook: Webhook | null; at: number }>();
  const lookups = new Map<string, Promise<Webhook | null>>();

  async function findOrCreate(channelId: string): Promise<Webhook | null> {
    let hook: Webhook | null = null;
    try {
      const ch = await client.channels.fetch(channelId);
      if (ch && ch.type === ChannelType.GuildText) {
        const own = (await ch.fetchWebhooks()).find(
          (w) => w.token && (w.applicationId === client.application?.id || w.owner?.id === client.user?.id),
        );
        hook =
          own ??
          (await ch.createWebhook({ name: "Roleplay customers", reason: "customers speak under their own names" }));
      }
    } catch (e) {
      log.info("discord.webhook_unavailable", { channel: channelId, ...apiErrorFields(e) });
    }
    cache.set(channelId, { hook, at: Date.now() });
    return hook;
  }

  return {
    forChannel(channelId) {
      if (!enabled) return Promise.resolve(null);
      const cached = cache.get(channelId);
      if (cached && (cached.hook || Date.now() - cached.at < WEBHOOK_RETRY_MS)) return Promise.resolve(cached.hook);
      let lookup = lookups.get(channelId);
      if (!lookup) {
        lookup = findOrCreate(channelId).finally(() => lookups.delete(channelId));
        lookups.set(channelId, lookup);
      }
      return lookup;
    },
    failed(channelId, deleted) {
      if (deleted) cache.delete(channelId);
      else cache.set(channelId, { hook: null, at: Date.now() });
    },
  };
}
