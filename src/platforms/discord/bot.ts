// The Discord adapter as one testable object: a discord.js client whose events (slash commands,
// buttons, thread messages) become engine calls, and the outlet through which the engine's
// deliveries are posted in each session's thread. Each interaction, thread messages, recovery,
// the outlet and Discord's faults live in their own files; this file wires them. It keeps no
// session state: everything about a session is asked of the engine (RoleplayApi), so restarts
// and shards are safe.
import { Client, type ClientOptions, Events, GatewayIntentBits } from "discord.js";
import { createLogger, errorFields } from "../../log.ts";
import type { Outlet } from "../../roleplay/api.ts";
import { createTypingKeeper } from "../shared/typing.ts";
import { ASSIGNMENTS_HINT } from "./assignments.ts";
import type { DiscordApp, DiscordContext, DiscordSettings } from "./context.ts";
import { onThreadMessage } from "./conversation.ts";
import { guardGateway } from "./gateway-guard.ts";
import { onInteraction } from "./interactions.ts";
import { createDiscordOutlet } from "./outlet.ts";
import { recover } from "./recovery.ts";
import { textMessages } from "./render.ts";
import { createWebhooks } from "./webhooks.ts";

export type { DiscordApp, DiscordSettings } from "./context.ts";

export interface DiscordBot {
  client: Client;
  outlet: Outlet;
  /** Connects to the gateway. */
  login(): Promise<void>;
  /** Resolves when every event received so far has been handled (tests, shutdown). */
  idle(): Promise<void>;
  /** Picks up trainee messages sent while the bot was offline (runs on every fresh gateway session). */
  recover(): Promise<void>;
  /** Stops taking events, lets running work finish (up to `graceMs`), then disconnects. */
  stop(graceMs?: number): Promise<void>;
  /** Malformed gateway events counted and dropped (gateway-guard.ts). */
  malformedEvents(): number;
}

/** Writes to a member privately; throws when Discord refuses (DMs closed, user unknown). */
async function sendDirect(client: Client, userId: string, text: string): Promise<void> {
  const dm = await client.users.createDM(userId);
  for (const part of textMessages(text)) await dm.send({ content: part, allowedMentions: { parse: [] } });
}

export const INTENTS = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent];

/** Discord shows "typing" for about 10 s: renewed a little before it fades. */
const TYPING_RENEW_MS = 8_000;

export function createDiscordBot(
  app: DiscordApp,
  settings: DiscordSettings,
  clientOptions?: Partial<ClientOptions>,
): DiscordBot {
  const log = settings.log ?? createLogger(app.config.logLevel);
  const client = new Client({
    intents: INTENTS,
    // Customer text comes from a model: it must never ping @everyone, roles or people.
    allowedMentions: { parse: [], repliedUser: false },
    ...clientOptions,
    rest: { ...(settings.apiUrl ? { api: settings.apiUrl } : {}), ...clientOptions?.rest },
  });
  const gateway = guardGateway(client, log);
  const pending = new Set<Promise<unknown>>();
  let stopping = false;

  const ctx: DiscordContext = {
    app,
    engine: app.engine,
    settings,
    client,
    log,
    webhooks: createWebhooks(client, log, settings.useWebhooks !== false),
    typing: createTypingKeeper({ everyMs: settings.typingRenewMs ?? TYPING_RENEW_MS }),
    track(work, what) {
      const p = work
        .catch((e) => log.error("discord.handler_failed", { what, ...errorFields(e) }))
        .finally(() => pending.delete(p));
      pending.add(p);
    },
  };

  const outlet = createDiscordOutlet(ctx);
  app.engine.registerOutlet("discord", outlet);
  // Assignment reminders reach a Discord trainee as a direct message (whichever shard sends it:
  // each reminder is claimed once in the database, and given back when the DM fails).
  app.assignments?.addReminderSender("discord", (userId, text) => sendDirect(client, userId, text), ASSIGNMENTS_HINT);

  client.on(Events.InteractionCreate, (i) => {
    if (!stopping) ctx.track(onInteraction(ctx, i), "interaction");
  });
  client.on(Events.MessageCreate, (msg) => {
    if (!stopping) ctx.track(onThreadMessage(ctx, msg), "message");
  });
  // Edits (Events.MessageUpdate) are deliberately not handled: a turn is what was sent.
  client.once(Events.ClientReady, () => ctx.track(recover(ctx), "recover"));
  // A shard that had to start a fresh gateway session (not a resume) missed events: look again.
  client.on(Events.ShardReady, (shardId) => {
    if (client.isReady()) {
      log.info("discord.shard_reconnected", { shard: shardId });
      ctx.track(recover(ctx), "recover");
    }
  });
  client.on(Events.Error, (e) => log.error("discord.client_error", errorFields(e)));
  client.on(Events.ShardError, (e, shardId) => log.warn("discord.shard_error", { shard: shardId, ...errorFields(e) }));

  const idle = async () => {
    while (pending.size > 0) await Promise.allSettled([...pending]);
  };

  return {
    client,
    outlet,
    async login() {
      await client.login(settings.token);
    },
    idle,
    recover: () => recover(ctx),
    malformedEvents: () => gateway.malformed(),
    async stop(graceMs = 10_000) {
      stopping = true;
      ctx.typing.close();
      await Promise.race([idle(), new Promise((r) => setTimeout(r, graceMs).unref())]);
      await client.destroy();
    },
  };
}
