// A fake Discord for tests: no network. It answers discord.js's REST calls like Discord would
// (through the client's `rest.makeRequest` option), records every request, seeds the guild and
// channel caches, and injects gateway events (interactions, messages). Every use of discord.js
// internals (`client.actions`, `client.ws`, `guilds._add`, message caches) is confined to this
// file, so a discord.js upgrade that moves them breaks one place.
//
//   const discord = createFakeDiscord();
//   const bot = createDiscordBot(app, settings, discord.clientOptions);
//   discord.attach(bot.client);
//   const id = discord.command(alice, "start", { persona: "atm-note" });
//   await settle();                     // bot.idle() + engine.idle()
//   discord.callbacks(id)               // the interaction's acknowledgements
//   discord.messagesIn(threadId)        // what was posted there (bot, webhook and users)
import { type Client, type ClientOptions, Events, PermissionFlagsBits, SnowflakeUtil } from "discord.js";

// biome-ignore lint/suspicious/noExplicitAny: raw gateway and REST payloads are loose JSON
type Raw = any;

export interface RecordedRequest {
  /** Order of arrival (1-based). */
  seq: number;
  /** performance.now() when it arrived. */
  at: number;
  method: string;
  /** Decoded path after /api/v10, e.g. "/channels/1/messages" or "/webhooks/9/tok/messages/@original". */
  path: string;
  query: URLSearchParams;
  /** Parsed JSON body (payload_json for multipart). */
  body: Raw;
  files: Array<{ name: string; data: Buffer }>;
}

export interface FakeUser {
  id: string;
  username: string;
  roles: string[];
}

export interface FakeError {
  status: number;
  code: number;
  message: string;
  /** Discord's nested field errors of a 50035 "Invalid Form Body". */
  errors?: Raw;
}

interface Failure {
  method: string;
  path: RegExp;
  error: FakeError;
  times: number;
}

const ALL_BOT_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.CreatePrivateThreads |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.ManageThreads |
  PermissionFlagsBits.ManageWebhooks |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.ReadMessageHistory;

export interface FakeDiscordOptions {
  /** Whether the bot may manage webhooks in the channel (otherwise 50013 on webhook calls). */
  webhooks?: boolean;
}

export function createFakeDiscord(options: FakeDiscordOptions = {}) {
  const snow = () => SnowflakeUtil.generate().toString();
  const appId = snow();
  const guildId = snow();
  const channelId = snow();
  const trainerRoleId = snow();
  const managerRoleId = snow();
  const botUser = {
    id: appId,
    username: "roleplay-bot",
    discriminator: "0",
    global_name: null,
    bot: true,
    avatar: null,
  };

  const requests: RecordedRequest[] = [];
  const failures: Failure[] = [];
  const channels = new Map<string, Raw>();
  const messages = new Map<string, Raw[]>();
  const webhooks = new Map<string, Raw>();
  const acknowledged = new Map<string, Raw[]>();
  const expired = new Set<string>();
  const tokens = new Map<string, string>();
  const originals = new Map<string, Raw>();
  const followUps = new Map<string, Raw[]>();
  const interactions = new Map<string, Raw>();
  let client: Client | null = null;
  let seq = 0;

  channels.set(channelId, {
    id: channelId,
    type: 0,
    guild_id: guildId,
    name: "training",
    position: 0,
    permission_overwrites: [],
    nsfw: false,
    parent_id: null,
    topic: null,
    last_message_id: null,
    rate_limit_per_user: 0,
  });

  const users = new Map<string, FakeUser>();
  /** Direct-message channel id by the user it talks with. */
  const dmChannels = new Map<string, string>();

  function user(username: string, roles: string[] = []): FakeUser {
    const u = { id: snow(), username, roles };
    users.set(u.id, u);
    return u;
  }

  function rawUser(u: FakeUser): Raw {
    return { id: u.id, username: u.username, discriminator: "0", global_name: u.username, avatar: null };
  }

  function rawMember(u: FakeUser): Raw {
    return {
      user: rawUser(u),
      roles: u.roles,
      joined_at: new Date(0).toISOString(),
      deaf: false,
      mute: false,
      flags: 0,
      nick: null,
      avatar: null,
      pending: false,
      permissions: String(PermissionFlagsBits.SendMessages | PermissionFlagsBits.ViewChannel),
    };
  }

  /** Messages carry the member without its user (the author is given apart). */
  function memberWithoutUser(u: FakeUser): Raw {
    const { user: _user, ...member } = rawMember(u);
    return member;
  }

  function newMessage(channel: string, author: Raw, body: Raw, extra: Raw = {}): Raw {
    const id = snow();
    const msg: Raw = {
      id,
      channel_id: channel,
      guild_id: guildId,
      author,
      content: body.content ?? "",
      timestamp: new Date(SnowflakeUtil.timestampFrom(id)).toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: body.embeds ?? [],
      components: body.components ?? [],
      pinned: false,
      type: 0,
      flags: body.flags ?? 0,
      ...extra,
    };
    const list = messages.get(channel) ?? [];
    list.push(msg);
    messages.set(channel, list);
    return msg;
  }

  /** Discord sends MESSAGE_CREATE for every message, the bot's own included. */
  function echo(msg: Raw): void {
    setImmediate(() => (client as Raw)?.actions.MessageCreate.handle(msg));
  }

  function json(status: number, body: Raw): Response {
    return new Response(body === undefined ? null : JSON.stringify(body), {
      status,
      headers: body === undefined ? {} : { "content-type": "application/json" },
    });
  }

  function apiError(e: FakeError): Response {
    return json(e.status, { code: e.code, message: e.message, ...(e.errors ? { errors: e.errors } : {}) });
  }

  async function parseBody(init: RequestInit): Promise<{ body: Raw; files: RecordedRequest["files"] }> {
    const b = init.body;
    if (b == null) return { body: null, files: [] };
    if (typeof b === "string") return { body: b.length > 0 ? JSON.parse(b) : null, files: [] };
    if (b instanceof FormData) {
      let body: Raw = null;
      const files: RecordedRequest["files"] = [];
      for (const [key, value] of b.entries()) {
        if (key === "payload_json" && typeof value === "string") body = JSON.parse(value);
        else if (typeof value !== "string")
          files.push({ name: (value as File).name, data: Buffer.from(await value.arrayBuffer()) });
      }
      return { body, files };
    }
    return { body: null, files: [] };
  }

  async function makeRequest(url: string, init: RequestInit): Promise<Response> {
    const u = new URL(url);
    const path = decodeURIComponent(u.pathname.replace(/^\/api\/v\d+/, ""));
    const method = (init.method ?? "GET").toUpperCase();
    const { body, files } = await parseBody(init);
    const req: RecordedRequest = {
      seq: ++seq,
      at: performance.now(),
      method,
      path,
      query: u.searchParams,
      body,
      files,
    };
    requests.push(req);

    const failure = failures.find((f) => f.method === method && f.path.test(path) && f.times > 0);
    if (failure) {
      failure.times--;
      return apiError(failure.error);
    }
    return route(req);
  }

  function route(req: RecordedRequest): Response {
    const { method, path, body } = req;
    let m: RegExpMatchArray | null = null;

    m = path.match(/^\/interactions\/(\d+)\/([^/]+)\/callback$/);
    if (m && method === "POST") {
      const id = m[1] as string;
      if (expired.has(id)) return apiError({ status: 404, code: 10062, message: "Unknown interaction" });
      const list = acknowledged.get(id) ?? [];
      if (list.length > 0)
        return apiError({ status: 400, code: 40060, message: "Interaction has already been acknowledged." });
      list.push(body);
      acknowledged.set(id, list);
      return json(204, undefined);
    }
    m = path.match(/^\/webhooks\/(\d+)\/([^/]+)\/messages\/@original$/);
    if (m) {
      const token = m[2] as string;
      const id = tokens.get(token);
      if (!id || !acknowledged.has(id)) return apiError({ status: 404, code: 10015, message: "Unknown Webhook" });
      const prev = originals.get(id);
      const msg = {
        ...(prev ?? newMessage("0", botUser, {})),
        ...body,
        attachments: req.files.map((f) => ({ filename: f.name })),
      };
      msg.files = req.files;
      originals.set(id, msg);
      return json(200, { ...msg, files: undefined, channel_id: msg.channel_id });
    }
    m = path.match(/^\/webhooks\/(\d+)\/([^/]+)$/);
    if (m && method === "POST") {
      const [, hookId, token] = m as unknown as [string, string, string];
      if (hookId === appId) {
        const id = tokens.get(token);
        const list = followUps.get(id ?? "") ?? [];
        const msg = newMessage("0", botUser, body);
        list.push(msg);
        followUps.set(id ?? "", list);
        return json(200, msg);
      }
      const hook = webhooks.get(hookId);
      if (!hook || hook.token !== token) return apiError({ status: 404, code: 10015, message: "Unknown Webhook" });
      const target = req.query.get("thread_id") ?? hook.channel_id;
      const msg = newMessage(
        target,
        { id: hookId, username: body.username ?? hook.name, discriminator: "0000", bot: true, avatar: null },
        body,
        { webhook_id: hookId },
      );
      echo(msg);
      return json(200, msg);
    }
    m = path.match(/^\/channels\/(\d+)\/webhooks$/);
    if (m) {
      const ch = m[1] as string;
      if (options.webhooks === false) return apiError({ status: 403, code: 50013, message: "Missing Permissions" });
      if (method === "GET")
        return json(
          200,
          [...webhooks.values()].filter((w) => w.channel_id === ch),
        );
      const hook = {
        id: snow(),
        type: 1,
        guild_id: guildId,
        channel_id: ch,
        name: body.name,
        avatar: null,
        token: `hooktoken${seq}`,
        application_id: appId,
        user: botUser,
      };
      webhooks.set(hook.id, hook);
      return json(200, hook);
    }
    m = path.match(/^\/channels\/(\d+)\/threads$/);
    if (m && method === "POST") {
      const parent = m[1] as string;
      const thread = {
        id: snow(),
        type: body.type ?? 11,
        guild_id: guildId,
        parent_id: parent,
        owner_id: appId,
        name: body.name,
        last_message_id: null,
        rate_limit_per_user: 0,
        message_count: 0,
        member_count: 1,
        flags: 0,
        thread_metadata: {
          archived: false,
          auto_archive_duration: body.auto_archive_duration ?? 1440,
          archive_timestamp: new Date().toISOString(),
          locked: false,
          ...(body.invitable !== undefined ? { invitable: body.invitable } : {}),
        },
        member: { id: appId, user_id: appId, join_timestamp: new Date().toISOString(), flags: 0 },
      };
      channels.set(thread.id, thread);
      return json(201, thread);
    }
    if (path === "/users/@me/channels" && method === "POST") {
      const u = users.get(body?.recipient_id);
      if (!u) return apiError({ status: 400, code: 50007, message: "Cannot send messages to this user" });
      const id = dmChannels.get(u.id) ?? snow();
      dmChannels.set(u.id, id);
      const dm = { id, type: 1, last_message_id: null, recipients: [rawUser(u)] };
      channels.set(id, dm);
      return json(200, dm);
    }
    m = path.match(/^\/channels\/(\d+)\/thread-members\/(\d+)$/);
    if (m && method === "PUT") return json(204, undefined);
    m = path.match(/^\/channels\/(\d+)\/typing$/);
    if (m && method === "POST") return json(204, undefined);
    m = path.match(/^\/channels\/(\d+)\/messages$/);
    if (m) {
      const ch = m[1] as string;
      if (!channels.has(ch)) return apiError({ status: 404, code: 10003, message: "Unknown Channel" });
      if (method === "POST") {
        const msg = newMessage(ch, botUser, body);
        echo(msg);
        return json(200, msg);
      }
      // GET: newest first, like Discord.
      const after = req.query.get("after");
      const limit = Number(req.query.get("limit") ?? 50);
      const list = (messages.get(ch) ?? [])
        .filter((x) => !after || BigInt(x.id) > BigInt(after))
        .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1));
      return json(200, after ? list.slice(-limit) : list.slice(0, limit));
    }
    m = path.match(/^\/channels\/(\d+)$/);
    if (m) {
      const ch = channels.get(m[1] as string);
      if (!ch) return apiError({ status: 404, code: 10003, message: "Unknown Channel" });
      if (method === "GET") return json(200, ch);
      if (method === "PATCH") {
        if (ch.thread_metadata) {
          ch.thread_metadata = {
            ...ch.thread_metadata,
            ...(body.archived !== undefined ? { archived: body.archived } : {}),
            ...(body.locked !== undefined ? { locked: body.locked } : {}),
          };
        }
        if (body.name) ch.name = body.name;
        return json(200, ch);
      }
      if (method === "DELETE") {
        channels.delete(ch.id);
        return json(200, ch);
      }
    }
    m = path.match(/^\/applications\/(\d+)(\/guilds\/(\d+))?\/commands$/);
    if (m && method === "PUT") {
      return json(
        200,
        (body as Raw[]).map((c) => ({ ...c, id: snow(), application_id: appId, version: snow() })),
      );
    }
    return apiError({ status: 404, code: 0, message: `fake Discord has no route for ${method} ${path}` });
  }

  /** discord.js's internal gateway-event handlers. */
  function actions(): Raw {
    return (mustClient() as Raw).actions;
  }

  function mustClient(): Client {
    if (!client) throw new Error("call attach(client) first");
    return client;
  }

  function interactionBase(u: FakeUser, channel: string, extra: { locale?: string; appPermissions?: bigint }): Raw {
    const id = snow();
    const token = `itoken-${id}`;
    tokens.set(token, id);
    const ch = channels.get(channel);
    const raw: Raw = {
      id,
      application_id: appId,
      token,
      version: 1,
      guild_id: guildId,
      channel_id: channel,
      channel: ch,
      member: rawMember(u),
      app_permissions: String(extra.appPermissions ?? ALL_BOT_PERMISSIONS),
      locale: extra.locale ?? "en-US",
      guild_locale: "en-US",
      entitlements: [],
      authorizing_integration_owners: { "0": guildId },
      context: 0,
    };
    interactions.set(id, raw);
    return raw;
  }

  return {
    appId,
    guildId,
    channelId,
    trainerRoleId,
    managerRoleId,
    botUser,
    requests,
    /** Answers one REST request as Discord would (what `clientOptions.rest.makeRequest` calls). */
    handle: makeRequest,
    /** Options for `new Client(...)`: the fake REST layer, no retries. */
    clientOptions: {
      rest: { makeRequest: makeRequest as never, retries: 0, timeout: 5_000 },
    } satisfies Partial<ClientOptions>,
    user,

    /** Seeds the bot user, the application, the guild with its roles and the training channel. */
    attach(c: Client): void {
      client = c;
      c.token = "fake-token";
      c.rest.setToken("fake-token");
      // The READY packet sets client.user and client.application as the gateway would.
      const ws = c.ws as Raw;
      ws.status = 0;
      ws.handlePacket(
        { t: "READY", d: { user: botUser, guilds: [], application: { id: appId, flags: 0 } } },
        { id: 0, checkReady() {} },
      );
      const everyone = {
        id: guildId,
        name: "@everyone",
        permissions: String(PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages),
        position: 0,
        color: 0,
        hoist: false,
        managed: false,
        mentionable: false,
        flags: 0,
      };
      (c.guilds as Raw)._add({
        id: guildId,
        name: "Branch training",
        owner_id: snow(),
        unavailable: false,
        member_count: 3,
        roles: [
          everyone,
          { ...everyone, id: trainerRoleId, name: "trainer", position: 1 },
          { ...everyone, id: managerRoleId, name: "manager", position: 2 },
        ],
        channels: [channels.get(channelId)],
        threads: [],
        members: [{ ...rawMember({ id: appId, username: botUser.username, roles: [] }), user: botUser }],
        emojis: [],
        stickers: [],
        features: [],
        preferred_locale: "en-US",
      });
    },

    /** Emits the client's ready event (as after a login or a reconnect). */
    ready(): void {
      mustClient().emit(Events.ClientReady, mustClient() as Client<true>);
    },

    /** Injects `/roleplay <sub>` and returns the interaction id. */
    command(
      u: FakeUser,
      sub: string,
      opts: Record<string, string | boolean> = {},
      extra: { channelId?: string; locale?: string; appPermissions?: bigint } = {},
    ): string {
      const raw = interactionBase(u, extra.channelId ?? channelId, extra);
      raw.type = 2;
      raw.data = {
        id: "1",
        name: "roleplay",
        type: 1,
        options: [
          {
            type: 1,
            name: sub,
            options: Object.entries(opts).map(([name, value]) => ({
              name,
              type: typeof value === "boolean" ? 5 : 3,
              value,
            })),
          },
        ],
      };
      actions().InteractionCreate.handle(raw);
      return raw.id;
    },

    /** Sends a raw gateway dispatch the way discord.js receives one from the socket. */
    dispatch(t: string, d: unknown): void {
      (mustClient().ws as Raw).handlePacket({ op: 0, t, d }, { id: 0, status: 0 });
    },

    /** The payload of an interaction from `u` in the training channel, without its type-specific parts. */
    interactionPayload(u: FakeUser, extra: { locale?: string } = {}): Raw {
      return interactionBase(u, channelId, extra);
    },

    /** Injects an autocomplete request for a `/roleplay start` option. */
    autocomplete(u: FakeUser, focused: string, value: string, extra: { locale?: string } = {}): string {
      const raw = interactionBase(u, channelId, extra);
      raw.type = 4;
      raw.data = {
        id: "1",
        name: "roleplay",
        type: 1,
        options: [{ type: 1, name: "start", options: [{ name: focused, type: 3, value, focused: true }] }],
      };
      actions().InteractionCreate.handle(raw);
      return raw.id;
    },

    /** Clicks a button of a message in `channel`; returns the interaction id. */
    button(u: FakeUser, customId: string, channel: string, extra: { locale?: string } = {}): string {
      const raw = interactionBase(u, channel, extra);
      raw.type = 3;
      const msg = (messages.get(channel) ?? []).find((x) =>
        (x.components ?? []).some((row: Raw) => row.components.some((c: Raw) => c.custom_id === customId)),
      );
      raw.message = msg ?? newMessage(channel, botUser, {});
      raw.data = { component_type: 2, custom_id: customId };
      actions().InteractionCreate.handle(raw);
      return raw.id;
    },

    /** A member posts in a channel or thread: the message is stored and delivered to the bot. */
    message(
      u: FakeUser,
      channel: string,
      content: string,
      extra: { attachments?: number; sticker?: boolean } = {},
    ): Raw {
      const msg = newMessage(
        channel,
        rawUser(u),
        { content },
        {
          member: memberWithoutUser(u),
          attachments: Array.from({ length: extra.attachments ?? 0 }, (_, i) => ({
            id: snow(),
            filename: `photo${i}.png`,
            size: 1000,
            url: "https://cdn.invalid/photo.png",
            proxy_url: "https://cdn.invalid/photo.png",
          })),
          ...(extra.sticker ? { sticker_items: [{ id: snow(), name: "wave", format_type: 1 }] } : {}),
        },
      );
      actions().MessageCreate.handle(msg);
      return msg;
    },

    /**
     * Delivers a message the bot has seen before as a fresh event, as a second bot instance or a
     * restarted one would receive it (discord.js itself drops a repeat of a message in its cache).
     */
    redeliver(msg: Raw): void {
      const c = mustClient();
      const ch = c.channels.cache.get(msg.channel_id) as Raw;
      ch?.messages?.cache.delete(msg.id);
      (c as Raw).actions.MessageCreate.handle(msg);
    },

    /** A member posts while the bot is offline: stored in the channel, no event. */
    postWhileOffline(u: FakeUser, channel: string, content: string): Raw {
      return newMessage(channel, rawUser(u), { content }, { member: memberWithoutUser(u) });
    },

    /** Edits a message: MESSAGE_UPDATE with the new content. */
    edit(msg: Raw, content: string): void {
      msg.content = content;
      msg.edited_timestamp = new Date().toISOString();
      actions().MessageUpdate.handle(msg);
    },

    /** Delivers an interaction again (a gateway redelivery, or a second instance receiving it). */
    repeat(interactionId: string): void {
      const raw = interactions.get(interactionId);
      if (!raw) throw new Error(`no interaction ${interactionId}`);
      actions().InteractionCreate.handle(structuredClone(raw));
    },

    /** A moderator deletes a thread: gone from Discord, and THREAD_DELETE reaches the bot. */
    deleteThread(id: string): void {
      const raw = channels.get(id);
      if (!raw) throw new Error(`no thread ${id}`);
      channels.delete(id);
      actions().ThreadDelete.handle(raw);
    },

    /** The next `times` requests matching method and path fail with this Discord error. */
    failNext(method: string, path: RegExp, error: FakeError, times = 1): void {
      failures.push({ method, path, error, times });
    },

    /** Makes the interaction unknown to Discord (as when 3 s passed before the acknowledgement). */
    expire(interactionId: string): void {
      expired.add(interactionId);
    },

    /** The acknowledgements Discord accepted for an interaction. */
    callbacks(interactionId: string): Raw[] {
      return acknowledged.get(interactionId) ?? [];
    },

    /** The interaction's reply as last edited (content, embeds, files). */
    reply(interactionId: string): Raw | undefined {
      return originals.get(interactionId);
    },

    /** Messages in a channel or thread, oldest first (bot, webhook and members). */
    messagesIn(channel: string): Raw[] {
      return messages.get(channel) ?? [];
    },

    channel(id: string): Raw | undefined {
      return channels.get(id);
    },

    /** The bot's direct messages to a user, oldest first. */
    directMessages(u: FakeUser): Raw[] {
      const id = dmChannels.get(u.id);
      return id ? (messages.get(id) ?? []) : [];
    },

    /** Threads created by the bot, in order. */
    threads(): Raw[] {
      return [...channels.values()].filter((c) => c.thread_metadata);
    },

    requestsTo(method: string, path: RegExp): RecordedRequest[] {
      return requests.filter((r) => r.method === method && path.test(r.path));
    },
  };
}

export type FakeDiscord = ReturnType<typeof createFakeDiscord>;
