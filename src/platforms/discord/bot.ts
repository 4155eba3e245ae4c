// The Discord adapter: slash commands and thread messages become engine calls, and what the
// engine delivers (customer replies, notices, the evaluation) is posted in the session's thread.
// It keeps no session state: a thread's session is looked up in the store on every message, so
// restarts and shards are safe. In-memory caches here (webhooks) can always be rebuilt.
import {
  type AutocompleteInteraction,
  type ButtonInteraction,
  ButtonStyle,
  ChannelType,
  type ChatInputCommandInteraction,
  Client,
  ComponentType,
  type ClientOptions,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  GuildMember,
  type Interaction,
  type Message,
  MessageFlags,
  PermissionFlagsBits,
  type PermissionsBitField,
  RESTJSONErrorCodes,
  type TextChannel,
  type ThreadChannel,
  ThreadAutoArchiveDuration,
  type Webhook,
} from "discord.js";
import type { Config } from "../../config.ts";
import type { Difficulty, Language } from "../../domain/persona.ts";
import { type Place, type Role, type Session, type TraineeIdentity, traineeKey } from "../../domain/session.ts";
import { processTimeZone } from "../../i18n/dates.ts";
import { languageFromLocale } from "../../i18n/index.ts";
import { createLogger, errorFields, type Logger } from "../../log.ts";
import type { ManagerReportsApi, Outbound, Outlet, PersonaSummary, RoleplayApi, Viewer } from "../../roleplay/api.ts";
import type { Store } from "../../store/port.ts";
import {
  COMMAND_NAME,
  forgetButtonId,
  LANGUAGE_OPTIONS,
  parseButtonId,
  parseForgetButtonId,
  REPORT_OPTIONS,
  START_OPTIONS,
  type Subcommand,
} from "./commands.ts";
import { forgetStep } from "../shared/forget.ts";
import { HISTORY_LIMIT, historyRows } from "../shared/history.ts";
import { archetypeChoices, findPersona, randomPersona } from "../shared/menu.ts";
import { reportFileName } from "../shared/report-file.ts";
import { managesScope, resolveViewer } from "../shared/roles.ts";
import { createTypingKeeper } from "../shared/typing.ts";
import { guardGateway } from "./gateway-guard.ts";
import { type DiscordMessages, discordMessages } from "./messages.ts";
import { customerMessages, evaluationButtons, evaluationEmbed, textMessages, threadName } from "./render.ts";

/** What the adapter needs from the application (structural, so tests and the app both fit). */
export interface DiscordApp {
  /** timeZone (TIME_ZONE) dates /roleplay history; absent: the process's zone. */
  config: Pick<Config, "language" | "logLevel"> & Partial<Pick<Config, "timeZone">>;
  store: Pick<Store, "claimInbound" | "getSession" | "listActiveSessions" | "listSessions" | "listTurns">;
  engine: RoleplayApi;
  /** Team summaries for `/roleplay report` (absent: the command says reports are unavailable). */
  reports?: ManagerReportsApi;
}

export interface DiscordSettings {
  token: string;
  appId?: string | undefined;
  managerRoleIds: string[];
  trainerRoleIds: string[];
  log?: Logger;
  /** Post the customer through a channel webhook under the persona's name (default true). */
  useWebhooks?: boolean;
  /** How often the typing indicator is renewed while the customer "types" (default 8 s; Discord shows it ~10 s). */
  typingRenewMs?: number;
}

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

export const INTENTS = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent];

/** Permissions a session thread cannot work without, with the names Discord shows for them. */
const PERMISSION_NAMES: Array<[bigint, string, string]> = [
  [PermissionFlagsBits.ViewChannel, "View Channel", "查看频道"],
  [PermissionFlagsBits.CreatePublicThreads, "Create Public Threads", "创建公开子区"],
  [PermissionFlagsBits.CreatePrivateThreads, "Create Private Threads", "创建私密子区"],
  [PermissionFlagsBits.SendMessagesInThreads, "Send Messages in Threads", "在子区中发送消息"],
  [PermissionFlagsBits.EmbedLinks, "Embed Links", "嵌入链接"],
  [PermissionFlagsBits.ReadMessageHistory, "Read Message History", "阅读消息历史记录"],
];

const TYPING_RENEW_MS = 8_000;

/** A webhook we may not create is re-tried after this long (a server admin may grant it). */
const WEBHOOK_RETRY_MS = 10 * 60_000;

type ReplyTarget = ChatInputCommandInteraction | ButtonInteraction;

export function createDiscordBot(
  app: DiscordApp,
  settings: DiscordSettings,
  clientOptions?: Partial<ClientOptions>,
): DiscordBot {
  const log = settings.log ?? createLogger(app.config.logLevel);
  const engine = app.engine;
  const client = new Client({
    intents: INTENTS,
    // Customer text comes from a model: it must never ping @everyone, roles or people.
    allowedMentions: { parse: [], repliedUser: false },
    ...clientOptions,
  });
  const gateway = guardGateway(client, log);
  const pending = new Set<Promise<unknown>>();
  const webhooks = new Map<string, { hook: Webhook | null; at: number }>();
  const webhookLookups = new Map<string, Promise<Webhook | null>>();
  // Discord shows "typing" for about 10 s; a slow model needs it renewed until it speaks.
  const typing = createTypingKeeper({ everyMs: settings.typingRenewMs ?? TYPING_RENEW_MS });
  let stopping = false;

  function track(work: Promise<unknown>, what: string): void {
    const p = work
      .catch((e) => log.error("discord.handler_failed", { what, ...errorFields(e) }))
      .finally(() => pending.delete(p));
    pending.add(p);
  }

  // ---- identities, places, roles ------------------------------------------------------------

  function traineeOf(
    user: { id: string; username: string; globalName?: string | null },
    member?: unknown,
    locale?: string,
  ): TraineeIdentity {
    const displayName = member instanceof GuildMember ? member.displayName : (user.globalName ?? user.username);
    return { platform: "discord", userId: user.id, displayName, locale: languageFromLocale(locale) };
  }

  function threadPlace(thread: { id: string; guildId: string; parentId: string | null }): Place {
    return {
      platform: "discord",
      scopeId: thread.guildId,
      chatId: thread.parentId ?? thread.id,
      threadId: thread.id,
    };
  }

  function channelPlace(i: Interaction): Place | null {
    if (!i.channelId) return null;
    return {
      platform: "discord",
      scopeId: i.guildId,
      chatId: i.channelId,
      threadId: null,
    };
  }

  /** A server role gives rights in that server only (shared/roles.ts). */
  function viewerOf(i: { user: { id: string }; member: unknown; guildId: string | null }): Viewer {
    let ids: string[] = [];
    const member = i.member;
    if (member instanceof GuildMember) ids = [...member.roles.cache.keys()];
    else if (member && typeof member === "object" && Array.isArray((member as { roles?: unknown }).roles)) {
      ids = (member as { roles: string[] }).roles;
    }
    const here: Role | null = ids.some((r) => settings.managerRoleIds.includes(r))
      ? "manager"
      : ids.some((r) => settings.trainerRoleIds.includes(r))
        ? "trainer"
        : null;
    return resolveViewer({ platform: "discord", userId: i.user.id, scopeId: i.guildId, here });
  }

  async function languageOf(trainee: TraineeIdentity, place: Place | null, locale?: string): Promise<Language> {
    try {
      return await engine.languageFor(trainee, place);
    } catch (e) {
      log.warn("discord.language_lookup_failed", errorFields(e));
      return languageFromLocale(locale) ?? app.config.language;
    }
  }

  async function messagesFor(trainee: TraineeIdentity, place: Place | null, locale?: string): Promise<DiscordMessages> {
    return discordMessages(await languageOf(trainee, place, locale));
  }

  // ---- acknowledging interactions -----------------------------------------------------------

  /** Acknowledges within Discord's 3 s; false when another instance or the clock beat us to it. */
  async function defer(i: ReplyTarget, ephemeral: boolean): Promise<boolean> {
    try {
      await i.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
      return true;
    } catch (e) {
      if (isApiError(e, RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged)) {
        log.warn("discord.interaction_already_acknowledged", {
          interaction: i.id,
        });
        return false;
      }
      if (isApiError(e, RESTJSONErrorCodes.UnknownInteraction)) {
        log.warn("discord.interaction_expired", { interaction: i.id });
        return false;
      }
      throw e;
    }
  }

  async function answer(
    i: ReplyTarget,
    content: string,
    extra: { files?: Array<{ attachment: Buffer; name: string }> } = {},
  ) {
    try {
      await i.editReply({
        content: textMessages(content)[0] ?? content,
        ...extra,
      });
    } catch (e) {
      // The token lasts 15 minutes; after that (or if the reply was deleted) there is no one to tell.
      if (
        isApiError(e, RESTJSONErrorCodes.UnknownInteraction) ||
        isApiError(e, RESTJSONErrorCodes.UnknownWebhook) ||
        isApiError(e, RESTJSONErrorCodes.InvalidWebhookToken)
      ) {
        log.warn("discord.reply_lost", { interaction: i.id });
        return;
      }
      throw e;
    }
  }

  // ---- interactions -------------------------------------------------------------------------

  async function onInteraction(i: Interaction): Promise<void> {
    if (i.isAutocomplete()) return autocomplete(i);
    if (!i.isChatInputCommand() && !i.isButton()) return;
    if (i.isChatInputCommand() && i.commandName !== COMMAND_NAME) return;
    if (i.isButton() && !parseButtonId(i.customId) && !parseForgetButtonId(i.customId)) return;
    // Two instances (or a redelivery) must not both act on one interaction.
    if (!(await app.store.claimInbound(`discord:interaction:${i.id}`, Date.now()))) return;
    if (i.isButton()) {
      try {
        if (parseForgetButtonId(i.customId)) return await onForgetButton(i);
        return await onButton(i);
      } catch (e) {
        log.error("discord.button_failed", errorFields(e));
        if (i.deferred)
          await answer(i, (await messagesFor(traineeOf(i.user, i.member, i.locale), null, i.locale)).internalError);
        return;
      }
    }
    const sub = i.options.getSubcommand(false) as Subcommand | null;
    const handler = sub ? subcommandHandlers[sub] : undefined;
    if (!handler) return;
    try {
      await handler(i);
    } catch (e) {
      // The trainee must not be left with "thinking…" forever.
      log.error("discord.command_failed", { command: sub, ...errorFields(e) });
      if (i.deferred)
        await answer(i, (await messagesFor(traineeOf(i.user, i.member, i.locale), null, i.locale)).internalError);
    }
  }

  /** One handler per `/roleplay` subcommand (definitions in commands.ts). */
  const subcommandHandlers: Record<Subcommand, (i: ChatInputCommandInteraction) => Promise<void>> = {
    start: onStart,
    end: onEnd,
    personas: onPersonas,
    history: onHistory,
    language: onLanguage,
    report: onReport,
    forget: onForget,
  };

  /** Asks first: the deletion itself waits for the trainee's click on "Delete everything". */
  async function onForget(i: ChatInputCommandInteraction): Promise<void> {
    if (!(await defer(i, true))) return;
    const trainee = traineeOf(i.user, i.member, i.locale);
    const m = await messagesFor(trainee, channelPlace(i), i.locale);
    await i.editReply({
      content: m.forgetExplain("Discord"),
      components: [
        {
          type: ComponentType.ActionRow,
          components: [
            {
              type: ComponentType.Button,
              style: ButtonStyle.Danger,
              label: m.forgetConfirm,
              custom_id: forgetButtonId("confirm", i.user.id),
            },
            {
              type: ComponentType.Button,
              style: ButtonStyle.Secondary,
              label: m.forgetCancel,
              custom_id: forgetButtonId("cancel", i.user.id),
            },
          ],
        },
      ],
    });
  }

  /** One click on the deletion question, through the shared state machine (shared/forget.ts). */
  async function onForgetButton(i: ButtonInteraction): Promise<void> {
    const parsed = parseForgetButtonId(i.customId);
    if (!parsed) return;
    const trainee = traineeOf(i.user, i.member, i.locale);
    // The language is looked up before the deletion removes the trainee's own setting.
    const m = await messagesFor(trainee, channelPlace(i), i.locale);
    // The question is ephemeral (only the asker reads it); the owner check holds even if not.
    const click = forgetStep(
      { step: "asked", owner: parsed.userId },
      { type: "click", by: i.user.id, choice: parsed.kind },
      m,
      false,
    );
    if (!click.effect.delete) {
      if (click.effect.replaceQuestion) await i.update({ content: click.effect.replaceQuestion, components: [] });
      else if (click.effect.tellClicker)
        await i.reply({ content: click.effect.tellClicker, flags: MessageFlags.Ephemeral });
      return;
    }
    await i.deferUpdate();
    const result = await engine.forgetTrainee(trainee);
    const { state, effect } = forgetStep(
      click.state,
      result.ok ? { type: "deleted", sessions: result.sessions } : { type: "failed", error: result.error },
      m,
      false,
    );
    if (state.step === "done") log.info("discord.trainee_forgotten", { sessions: state.sessions });
    if (effect.replaceQuestion) await i.editReply({ content: effect.replaceQuestion, components: [] });
    if (effect.tellClicker) await i.followUp({ content: effect.tellClicker, flags: MessageFlags.Ephemeral });
  }

  async function onReport(i: ChatInputCommandInteraction): Promise<void> {
    if (!(await defer(i, true))) return;
    const trainee = traineeOf(i.user, i.member, i.locale);
    const language = await languageOf(trainee, channelPlace(i), i.locale);
    const m = discordMessages(language);
    if (!app.reports) return answer(i, m.reportsUnavailable);
    const viewer = viewerOf(i);
    const period = i.options.getString(REPORT_OPTIONS.period) ?? undefined;
    const scope = i.guildId ? { platform: "discord" as const, scopeId: i.guildId } : null;
    const r = await app.reports.forChat(viewer, period, language, scope);
    if (!r.ok) return answer(i, r.message);
    return answer(i, r.text, { files: r.files.map((f) => ({ attachment: f.content, name: f.name })) });
  }

  async function onStart(i: ChatInputCommandInteraction): Promise<void> {
    const isPrivate = i.options.getBoolean(START_OPTIONS.private) ?? false;
    if (!(await defer(i, true))) return;
    const trainee = traineeOf(i.user, i.member, i.locale);
    const language = await languageOf(trainee, channelPlace(i), i.locale);
    const m = discordMessages(language);
    const personaArg = i.options.getString(START_OPTIONS.persona);
    const archetype = i.options.getString(START_OPTIONS.archetype) ?? undefined;
    const difficulty = (i.options.getString(START_OPTIONS.difficulty) ?? undefined) as Difficulty | undefined;
    let persona: PersonaSummary | undefined;
    const all = engine.personas();
    if (personaArg) {
      persona = findPersona(all, personaArg);
      if (!persona) return answer(i, m.error("persona_not_found", personaArg));
    } else {
      // A random customer speaks the trainee's language when one does (shared/menu.ts).
      persona = randomPersona(all, { archetype, difficulty, language });
      if (!persona) return answer(i, m.error("no_persona_matches"));
    }
    await startInChannel(i, trainee, m, persona, i.channelId, isPrivate, i.appPermissions);
  }

  /** Opens the session's thread under `channelId` and starts the session in it. */
  async function startInChannel(
    i: ReplyTarget,
    trainee: TraineeIdentity,
    m: DiscordMessages,
    persona: PersonaSummary,
    channelId: string,
    isPrivate: boolean,
    appPermissions: Readonly<PermissionsBitField> | null,
  ): Promise<void> {
    if (!i.inGuild()) return answer(i, m.guildOnly);
    const channel = await client.channels.fetch(channelId).catch(() => null);
    if (channel?.isThread()) return answer(i, m.startInThread);
    if (!channel || channel.type !== ChannelType.GuildText) return answer(i, m.notATextChannel);
    const missing = missingPermissions(appPermissions, isPrivate);
    if (missing.length > 0) return answer(i, m.missingPermissions(permissionList(missing, m)));
    const running = await activeThreadOf(trainee, i.guildId);
    if (running) return answer(i, m.alreadyActiveIn(running));

    let thread: ThreadChannel;
    try {
      thread = await (channel as TextChannel).threads.create({
        name: threadName(m.threadName(persona.name, trainee.displayName)),
        type: isPrivate ? ChannelType.PrivateThread : ChannelType.PublicThread,
        autoArchiveDuration: ThreadAutoArchiveDuration.OneDay,
        ...(isPrivate ? { invitable: false } : {}),
      });
    } catch (e) {
      log.warn("discord.thread_create_failed", {
        channel: channelId,
        ...apiErrorFields(e),
      });
      if (isApiError(e, RESTJSONErrorCodes.MaximumActiveThreads)) return answer(i, m.tooManyThreads);
      if (isApiError(e, RESTJSONErrorCodes.MissingPermissions) || isApiError(e, RESTJSONErrorCodes.MissingAccess)) {
        return answer(i, m.missingPermissions(permissionList(requiredPermissions(isPrivate), m)));
      }
      return answer(i, m.threadFailed);
    }

    try {
      // In a private thread this is what lets the trainee in; in a public one it follows it for them.
      await thread.members.add(trainee.userId);
    } catch (e) {
      log.warn("discord.thread_setup_failed", { thread: thread.id, ...apiErrorFields(e) });
    }

    // The intro and "started" are said only once the session is stored.
    const announce = async () => {
      await thread.send({
        content: m.threadIntro(trainee.userId, persona.name, persona.title),
        allowedMentions: { users: [trainee.userId] },
      });
    };
    let result: Awaited<ReturnType<RoleplayApi["start"]>>;
    try {
      result = await engine.start({ trainee, place: threadPlace(thread), personaId: persona.id, announce });
    } catch (e) {
      await thread.delete().catch(() => undefined);
      throw e;
    }
    if (!result.ok) {
      await thread.delete().catch((e) =>
        log.warn("discord.thread_delete_failed", {
          thread: thread.id,
          ...apiErrorFields(e),
        }),
      );
      return answer(i, m.error(result.error.code, result.error.detail));
    }
    await answer(i, m.started(thread.id));
  }

  /**
   * The thread of the trainee's running session in this server, if any. One session at a time
   * keeps the channel readable; a session whose thread was deleted is abandoned instead.
   */
  async function activeThreadOf(trainee: TraineeIdentity, guildId: string): Promise<string | null> {
    const sessions = await app.store.listSessions({
      traineeId: traineeKey(trainee),
      platform: "discord",
      scopeId: guildId,
      status: ["active"],
    });
    for (const s of sessions) {
      if (!s.place.threadId) continue;
      try {
        const ch = await client.channels.fetch(s.place.threadId);
        if (ch?.isThread()) return ch.id;
      } catch (e) {
        if (!isApiError(e, RESTJSONErrorCodes.UnknownChannel)) return s.place.threadId;
      }
      await engine.abandon(s.id);
    }
    return null;
  }

  async function onEnd(i: ChatInputCommandInteraction): Promise<void> {
    if (!(await defer(i, true))) return;
    const trainee = traineeOf(i.user, i.member, i.locale);
    const channel = i.channel;
    const place = channel?.isThread() && i.guildId ? threadPlace(channel) : channelPlace(i);
    const m = await messagesFor(trainee, place, i.locale);
    let target: Place | null = channel?.isThread() ? threadPlace(channel) : null;
    if (!target && i.guildId) {
      // From the channel itself: the trainee's one running session in this server, if there is one.
      const threadId = await activeThreadOf(trainee, i.guildId);
      const ch = threadId ? await client.channels.fetch(threadId).catch(() => null) : null;
      if (ch?.isThread()) target = threadPlace(ch);
    }
    if (!target) return answer(i, channel?.isThread() ? m.error("no_active_session") : m.endOutsideThread);
    await answer(i, m.ending);
    // The engine posts the ending and the evaluation through the outlet, in the thread.
    const result = await engine.end(trainee, target);
    if (!result.ok) return answer(i, m.error(result.error.code, result.error.detail));
  }

  async function onPersonas(i: ChatInputCommandInteraction): Promise<void> {
    if (!(await defer(i, true))) return;
    const trainee = traineeOf(i.user, i.member, i.locale);
    const m = await messagesFor(trainee, channelPlace(i), i.locale);
    const list = engine.personas();
    if (list.length === 0) return answer(i, m.noPersonas);
    const lines = list.map((p) =>
      m.personaLine(p.name, p.title, m.archetype(p.archetype), m.difficulty(p.difficulty), p.id),
    );
    const description = fitLines(lines, 4000, m.moreOmitted);
    await i.editReply({ embeds: [{ title: m.personasTitle, description }] });
  }

  async function onHistory(i: ChatInputCommandInteraction): Promise<void> {
    if (!(await defer(i, true))) return;
    const trainee = traineeOf(i.user, i.member, i.locale);
    const language = await languageOf(trainee, channelPlace(i), i.locale);
    const m = discordMessages(language);
    const entries = await engine.history(trainee, HISTORY_LIMIT);
    // The team's zone with its offset rather than Discord's <t:…> markup, which shows each reader
    // their own device's zone: a trainer and a trainee must read the same date as the reports.
    const timeZone = app.config.timeZone ?? processTimeZone();
    if (entries.length === 0) return answer(i, m.historyEmpty);
    const lines = historyRows(entries, language, timeZone).map((row) => row.label);
    await i.editReply({
      embeds: [
        {
          title: m.historyTitle,
          description: fitLines(lines, 4000, m.moreOmitted),
        },
      ],
    });
  }

  async function onLanguage(i: ChatInputCommandInteraction): Promise<void> {
    if (!(await defer(i, true))) return;
    const trainee = traineeOf(i.user, i.member, i.locale);
    const language = i.options.getString(LANGUAGE_OPTIONS.language, true) as Language;
    const scope = i.options.getString(LANGUAGE_OPTIONS.scope) ?? "me";
    const m = discordMessages(language);
    if (scope === "server") {
      // Like a Telegram group's administrators, members who may manage the server set its language.
      const canManage =
        (i.guildId !== null && managesScope(viewerOf(i), i.guildId)) ||
        (i.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false);
      if (!i.guildId || !canManage)
        return answer(i, (await messagesFor(trainee, channelPlace(i), i.locale)).languageServerNeedsManager);
      await engine.setScopeLanguage("discord", i.guildId, language);
      return answer(i, m.languageSetServer);
    }
    await engine.setTraineeLanguage(trainee, language);
    await answer(i, m.languageSet);
  }

  async function autocomplete(i: AutocompleteInteraction): Promise<void> {
    const focused = i.options.getFocused(true);
    const language = languageFromLocale(i.locale) ?? app.config.language;
    const m = discordMessages(language);
    const q = String(focused.value).trim().toLowerCase();
    const all = engine.personas();
    let choices: Array<{ name: string; value: string }>;
    if (focused.name === START_OPTIONS.archetype) {
      choices = archetypeChoices(all, language)
        .filter((a) => a.id.toLowerCase().includes(q) || a.label.toLowerCase().includes(q))
        .map((a) => ({ name: a.label, value: a.id }));
    } else {
      choices = [...all]
        .sort((a, b) => Number(a.language !== language) - Number(b.language !== language))
        .filter((p) => [p.id, p.name, p.title, p.archetype].some((s) => s.toLowerCase().includes(q)))
        .map((p) => ({
          name: threadName(`${p.name} · ${p.title} · ${m.archetype(p.archetype)} · ${m.difficulty(p.difficulty)}`),
          value: p.id,
        }));
    }
    try {
      await i.respond(choices.slice(0, 25));
    } catch (e) {
      if (
        isApiError(e, RESTJSONErrorCodes.UnknownInteraction) ||
        isApiError(e, RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged)
      )
        return;
      throw e;
    }
  }

  async function onButton(i: ButtonInteraction): Promise<void> {
    const parsed = parseButtonId(i.customId);
    if (!parsed) return;
    if (!(await defer(i, true))) return;
    const trainee = traineeOf(i.user, i.member, i.locale);
    const m = await messagesFor(trainee, channelPlace(i), i.locale);
    const session = await app.store.getSession(parsed.sessionId);
    if (session?.place.platform !== "discord") return answer(i, m.error("session_not_found"));

    if (parsed.kind === "fullReport") {
      // Trainers and managers read the reports of their own server only (the engine checks).
      const report = await engine.report(session.id, viewerOf(i));
      if (!report.ok) return answer(i, m.error(report.error.code, report.error.detail));
      const persona = engine.personas().find((p) => p.id === session.personaId);
      return answer(i, m.reportFile(persona?.name ?? session.personaId), {
        files: [
          {
            attachment: Buffer.from(report.markdown, "utf8"),
            name: reportFileName(report.session, app.config.timeZone ?? processTimeZone()),
          },
        ],
      });
    }

    // Try again: the same persona in a new thread of the same channel, for whoever clicked.
    const persona = engine.personas().find((p) => p.id === session.personaId);
    if (!persona) return answer(i, m.error("persona_not_found", session.personaId));
    const isPrivate = i.channel?.type === ChannelType.PrivateThread;
    await startInChannel(i, trainee, m, persona, session.place.chatId, isPrivate, null);
  }

  // ---- thread messages ------------------------------------------------------------------------

  async function onMessage(msg: Message): Promise<void> {
    if (msg.author.bot || msg.webhookId || msg.system) return;
    if (!msg.inGuild() || !msg.channel.isThread()) return;
    const place = threadPlace(msg.channel);
    const sessions = await engine.sessionsAt(place);
    const trainee = traineeOf(msg.author, msg.member);
    const session = sessions.find((s) => s.traineeId === traineeKey(trainee));
    // Other members may talk in a public thread; only the trainee speaks to the customer.
    if (!session) return;
    if (msg.attachments.size > 0 || msg.stickers.size > 0) {
      if (await app.store.claimInbound(`discord:nonturn:${msg.id}`, Date.now())) {
        await sendText(msg.channel, discordMessages(await engine.languageFor(trainee, place)).textOnly);
      }
      return;
    }
    if (msg.content.trim() === "") {
      log.warn("discord.empty_message_content", {
        hint: "enable the Message Content intent in the developer portal",
      });
      if (await app.store.claimInbound(`discord:nonturn:${msg.id}`, Date.now())) {
        await sendText(msg.channel, discordMessages(await engine.languageFor(trainee, place)).cannotRead);
      }
      return;
    }
    const result = await engine.message({
      trainee,
      place,
      text: msg.content,
      inboundKey: `discord:${msg.channelId}:${msg.id}`,
      messageId: msg.id,
      at: msg.createdTimestamp,
    });
    if (result.status === "blank" && (await app.store.claimInbound(`discord:nonturn:${msg.id}`, Date.now()))) {
      await sendText(msg.channel, discordMessages(await engine.languageFor(trainee, place)).blankMessage);
    }
  }

  // ---- after a reconnect ----------------------------------------------------------------------

  async function recover(): Promise<void> {
    const sessions = await app.store.listActiveSessions();
    for (const s of sessions) {
      if (s.place.platform !== "discord" || !s.place.threadId) continue;
      // With shards, each shard recovers the guilds it holds.
      if (s.place.scopeId && !client.guilds.cache.has(s.place.scopeId)) continue;
      await recoverSession(s).catch((e) =>
        log.warn("discord.recover_failed", {
          session: s.id,
          ...errorFields(e),
        }),
      );
    }
  }

  async function recoverSession(s: Session): Promise<void> {
    const threadId = s.place.threadId as string;
    let thread: ThreadChannel;
    try {
      const ch = await client.channels.fetch(threadId);
      if (!ch?.isThread()) throw new Error("not a thread");
      thread = ch;
    } catch (e) {
      if (isApiError(e, RESTJSONErrorCodes.UnknownChannel)) {
        log.info("discord.session_thread_gone", { session: s.id });
        await engine.abandon(s.id);
      }
      return;
    }
    const turns = await app.store.listTurns(s.id);
    const known = turns.map((t) => t.platformMessageId).filter((x): x is string => x !== null);
    const after = known.reduce<string | undefined>(
      (a, id) => (a === undefined || BigInt(id) > BigInt(a) ? id : a),
      undefined,
    );
    const userId = s.traineeId.slice("discord:".length);
    let missed: Message[];
    try {
      const fetched = await thread.messages.fetch({
        limit: 50,
        ...(after ? { after } : {}),
      });
      missed = [...fetched.values()]
        .filter((msg) => msg.author.id === userId && !msg.author.bot && msg.createdTimestamp >= s.startedAt)
        .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
    } catch (e) {
      log.warn("discord.recover_fetch_failed", {
        session: s.id,
        ...apiErrorFields(e),
      });
      const trainee: TraineeIdentity = { platform: "discord", userId, displayName: userId };
      await sendText(thread, discordMessages(await engine.languageFor(trainee, s.place)).reconnectRepeat).catch(
        () => undefined,
      );
      return;
    }
    // Turns already stored carry the same inbound key, so the engine skips them.
    for (const msg of missed) await onMessage(msg);
  }

  // ---- the outlet: what the engine delivers -----------------------------------------------------

  async function sessionThread(session: Session): Promise<ThreadChannel | null> {
    if (!session.place.threadId) return null;
    const ch = await client.channels.fetch(session.place.threadId);
    return ch?.isThread() ? ch : null;
  }

  function webhookFor(channelId: string): Promise<Webhook | null> {
    if (settings.useWebhooks === false) return Promise.resolve(null);
    const cached = webhooks.get(channelId);
    if (cached && (cached.hook || Date.now() - cached.at < WEBHOOK_RETRY_MS)) return Promise.resolve(cached.hook);
    // Sessions starting together in one channel share one lookup (and never create two webhooks).
    let lookup = webhookLookups.get(channelId);
    if (!lookup) {
      lookup = findOrCreateWebhook(channelId).finally(() => webhookLookups.delete(channelId));
      webhookLookups.set(channelId, lookup);
    }
    return lookup;
  }

  async function findOrCreateWebhook(channelId: string): Promise<Webhook | null> {
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
    webhooks.set(channelId, { hook, at: Date.now() });
    return hook;
  }

  async function sendText(
    channel: { send(o: { content: string }): Promise<Message> },
    text: string,
  ): Promise<Message | undefined> {
    let last: Message | undefined;
    for (const part of textMessages(text)) last = await channel.send({ content: part });
    return last;
  }

  async function sendCustomer(
    thread: ThreadChannel,
    speaker: string,
    text: string,
    avatar: string | null = null,
  ): Promise<string | undefined> {
    const hook = thread.parentId ? await webhookFor(thread.parentId) : null;
    if (hook) {
      try {
        let last: string | undefined;
        for (const part of customerMessages(speaker, text, true)) {
          const sent = await hook.send({
            content: part,
            username: threadName(speaker).slice(0, 80),
            ...(avatar ? { avatarURL: avatar } : {}),
            threadId: thread.id,
            allowedMentions: { parse: [] },
          });
          last = sent.id;
        }
        return last;
      } catch (e) {
        log.warn("discord.webhook_send_failed", {
          thread: thread.id,
          ...apiErrorFields(e),
        });
        // A webhook deleted by an admin is recreated on the next message; other failures wait a while.
        if (thread.parentId) {
          if (isApiError(e, RESTJSONErrorCodes.UnknownWebhook)) webhooks.delete(thread.parentId);
          else webhooks.set(thread.parentId, { hook: null, at: Date.now() });
        }
      }
    }
    let last: string | undefined;
    for (const part of customerMessages(speaker, text, false)) last = (await thread.send({ content: part })).id;
    return last;
  }

  async function closeThread(thread: ThreadChannel): Promise<void> {
    try {
      await thread.edit({ archived: true, locked: true });
    } catch (e) {
      // Locking needs Manage Threads; archiving its own thread the bot may always do.
      log.info("discord.thread_lock_failed", {
        thread: thread.id,
        ...apiErrorFields(e),
      });
      await thread.setArchived(true).catch((e2) =>
        log.warn("discord.thread_archive_failed", {
          thread: thread.id,
          ...apiErrorFields(e2),
        }),
      );
    }
  }

  const outlet: Outlet = {
    async deliver(event: Outbound) {
      if (event.type !== "typing") typing.stop(event.session.id);
      let thread: ThreadChannel | null;
      try {
        thread = await sessionThread(event.session);
      } catch (e) {
        if (isApiError(e, RESTJSONErrorCodes.UnknownChannel) && event.type !== "evaluation") {
          // The thread was deleted: the session can no longer be reached.
          track(engine.abandon(event.session.id), "abandon");
        }
        log.warn("discord.deliver_no_thread", {
          session: event.session.id,
          type: event.type,
          ...apiErrorFields(e),
        });
        return undefined;
      }
      if (!thread) return undefined;
      switch (event.type) {
        case "typing": {
          const t = thread;
          typing.start(event.session.id, () => t.sendTyping());
          return undefined;
        }
        case "customer": {
          const messageId = await sendCustomer(thread, event.speaker, event.text, event.avatar ?? null);
          return messageId ? { messageId } : undefined;
        }
        case "notice": {
          const sent = await sendText(thread, discordMessages(event.language).notice(event.code));
          if (event.code === "evaluation_skipped" || event.code === "evaluation_failed") await closeThread(thread);
          return sent ? { messageId: sent.id } : undefined;
        }
        case "ended": {
          const m = discordMessages(event.language);
          const sent = await sendText(thread, m.ended(event.outcome));
          return sent ? { messageId: sent.id } : undefined;
        }
        case "evaluation": {
          const m = discordMessages(event.language);
          const sent = await thread.send({
            embeds: [evaluationEmbed(event.card, m)],
            components: [evaluationButtons(event.session.id, m)],
          });
          await closeThread(thread);
          return { messageId: sent.id };
        }
      }
    },
  };

  engine.registerOutlet("discord", outlet);

  // ---- wiring -----------------------------------------------------------------------------------

  client.on(Events.InteractionCreate, (i) => {
    if (!stopping) track(onInteraction(i), "interaction");
  });
  client.on(Events.MessageCreate, (msg) => {
    if (!stopping) track(onMessage(msg), "message");
  });
  // Edits (Events.MessageUpdate) are deliberately not handled: a turn is what was sent.
  client.once(Events.ClientReady, () => track(recover(), "recover"));
  // A shard that had to start a fresh gateway session (not a resume) missed events: look again.
  client.on(Events.ShardReady, (shardId) => {
    if (client.isReady()) {
      log.info("discord.shard_reconnected", { shard: shardId });
      track(recover(), "recover");
    }
  });
  client.on(Events.Error, (e) => log.error("discord.client_error", errorFields(e)));
  client.on(Events.ShardError, (e, shardId) => log.warn("discord.shard_error", { shard: shardId, ...errorFields(e) }));

  return {
    client,
    outlet,
    async login() {
      await client.login(settings.token);
    },
    async idle() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    recover,
    malformedEvents: () => gateway.malformed(),
    async stop(graceMs = 10_000) {
      stopping = true;
      typing.close();
      await Promise.race([
        (async () => {
          while (pending.size > 0) await Promise.allSettled([...pending]);
        })(),
        new Promise((r) => setTimeout(r, graceMs).unref()),
      ]);
      await client.destroy();
    },
  };
}

function isApiError(e: unknown, code: number): boolean {
  return e instanceof DiscordAPIError && e.code === code;
}

function apiErrorFields(e: unknown): Record<string, string | number> {
  if (e instanceof DiscordAPIError)
    return {
      status: e.status,
      code: typeof e.code === "number" ? e.code : String(e.code),
    };
  return errorFields(e) as Record<string, string | number>;
}

function requiredPermissions(isPrivate: boolean): bigint[] {
  return [
    PermissionFlagsBits.ViewChannel,
    isPrivate ? PermissionFlagsBits.CreatePrivateThreads : PermissionFlagsBits.CreatePublicThreads,
    PermissionFlagsBits.SendMessagesInThreads,
    PermissionFlagsBits.EmbedLinks,
    PermissionFlagsBits.ReadMessageHistory,
  ];
}

function missingPermissions(have: Readonly<PermissionsBitField> | null, isPrivate: boolean): bigint[] {
  if (!have) return [];
  return requiredPermissions(isPrivate).filter((p) => !have.has(p, false));
}

function permissionList(perms: bigint[], m: DiscordMessages): string {
  return perms
    .map((p) => {
      const entry = PERMISSION_NAMES.find(([bit]) => bit === p);
      return entry ? m.permission(entry[1], entry[2]) : String(p);
    })
    .join(m.listSeparator);
}

function fitLines(lines: string[], max: number, more: string): string {
  let out = "";
  for (const line of lines) {
    const next = out ? `${out}\n${line}` : line;
    if (next.length > max - more.length - 1) return `${out}\n${more}`;
    out = next;
  }
  return out;
}
