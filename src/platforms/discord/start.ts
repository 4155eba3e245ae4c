// `/roleplay start` and the card's "Try again": a session runs in a new thread of a text channel,
// public so the team can watch or private on request. The thread is opened only when the bot has
// what it needs there and the trainee has no session running in this server; the intro and the
// "ready" answer come only once the session is stored.
import {
  type ChatInputCommandInteraction,
  ChannelType,
  type PermissionsBitField,
  type TextChannel,
  ThreadAutoArchiveDuration,
  type ThreadChannel,
} from "discord.js";
import type { Difficulty } from "../../domain/persona.ts";
import type { TraineeIdentity } from "../../domain/session.ts";
import type { PersonaSummary, StartRequest, StartResult } from "../../roleplay/api.ts";
import { findPersona, randomPersona } from "../shared/menu.ts";
import { START_OPTIONS } from "./commands.ts";
import { channelPlace, type DiscordContext, languageOf, threadPlace, traineeOf } from "./context.ts";
import { apiErrorFields, classifyFault, isGone } from "./faults.ts";
import { type DiscordMessages, discordMessages } from "./messages.ts";
import { threadName } from "./render.ts";
import { answer, defer, type ReplyTarget } from "./replies.ts";
import { missingPermissions, permissionList, requiredPermissions } from "./thread-permissions.ts";

/** A start's outcome; a refusal the caller has already put in words carries its text. */
export type BeginResult = StartResult | { ok: false; text: string };

export async function onStart(ctx: DiscordContext, i: ChatInputCommandInteraction): Promise<void> {
  const isPrivate = i.options.getBoolean(START_OPTIONS.private) ?? false;
  if (!(await defer(ctx, i, true))) return;
  const trainee = traineeOf(i.user, i.member, i.locale);
  const language = await languageOf(ctx, trainee, channelPlace(i), i.locale);
  const m = discordMessages(language);
  const personaArg = i.options.getString(START_OPTIONS.persona);
  const archetype = i.options.getString(START_OPTIONS.archetype) ?? undefined;
  const difficulty = (i.options.getString(START_OPTIONS.difficulty) ?? undefined) as Difficulty | undefined;
  let persona: PersonaSummary | undefined;
  const all = ctx.engine.personas();
  if (personaArg) {
    persona = findPersona(all, personaArg);
    if (!persona) return answer(ctx, i, m.error("persona_not_found", personaArg));
  } else {
    // A random customer speaks the trainee's language when one does (shared/menu.ts).
    persona = randomPersona(all, { archetype, difficulty, language });
    if (!persona) return answer(ctx, i, m.error("no_persona_matches"));
  }
  await startInChannel(ctx, i, trainee, m, persona, i.channelId, isPrivate, i.appPermissions);
}

/** Opens the session's thread under `channelId` and starts the session in it. */
export async function startInChannel(
  ctx: DiscordContext,
  i: ReplyTarget,
  trainee: TraineeIdentity,
  m: DiscordMessages,
  persona: PersonaSummary,
  channelId: string,
  isPrivate: boolean,
  appPermissions: Readonly<PermissionsBitField> | null,
  /** How the session is started (an assigned customer goes through the assignment service). */
  begin: (req: StartRequest) => Promise<BeginResult> = (req) => ctx.engine.start(req),
): Promise<void> {
  if (!i.inGuild()) return answer(ctx, i, m.guildOnly);
  const channel = await ctx.client.channels.fetch(channelId).catch(() => null);
  if (channel?.isThread()) return answer(ctx, i, m.startInThread);
  if (!channel || channel.type !== ChannelType.GuildText) return answer(ctx, i, m.notATextChannel);
  const missing = missingPermissions(appPermissions, isPrivate);
  if (missing.length > 0) return answer(ctx, i, m.missingPermissions(permissionList(missing, m)));
  const running = await activeThreadOf(ctx, trainee, i.guildId);
  if (running) return answer(ctx, i, m.alreadyActiveIn(running));

  let thread: ThreadChannel;
  try {
    thread = await (channel as TextChannel).threads.create({
      name: threadName(m.threadName(persona.name, trainee.displayName)),
      type: isPrivate ? ChannelType.PrivateThread : ChannelType.PublicThread,
      autoArchiveDuration: ThreadAutoArchiveDuration.OneDay,
      ...(isPrivate ? { invitable: false } : {}),
    });
  } catch (e) {
    ctx.log.warn("discord.thread_create_failed", { channel: channelId, ...apiErrorFields(e) });
    const fault = classifyFault(e).kind;
    if (fault === "limit_reached") return answer(ctx, i, m.tooManyThreads);
    if (fault === "forbidden") {
      return answer(ctx, i, m.missingPermissions(permissionList(requiredPermissions(isPrivate), m)));
    }
    return answer(ctx, i, m.threadFailed);
  }

  try {
    // In a private thread this is what lets the trainee in; in a public one it follows it for them.
    await thread.members.add(trainee.userId);
  } catch (e) {
    ctx.log.warn("discord.thread_member_add_failed", { thread: thread.id, ...apiErrorFields(e) });
    // Nobody sees a private thread they are not in: a session there could not be held at all.
    if (isPrivate) {
      await removeThread(ctx, thread);
      return answer(ctx, i, m.cannotJoinThread);
    }
  }

  // The intro and "started" are said only once the session is stored; the engine only logs an
  // announce that failed, so its failure is noted here: a session nobody was told of is undone.
  let introFailed = false;
  const announce = async (_session: unknown, started: PersonaSummary) => {
    try {
      await thread.send({
        content: m.threadIntro(trainee.userId, started.name, started.title, traineeFirst(started)),
        allowedMentions: { users: [trainee.userId] },
      });
    } catch (e) {
      introFailed = true;
      ctx.log.warn("discord.thread_intro_failed", { thread: thread.id, ...apiErrorFields(e) });
      throw e;
    }
  };
  let result: BeginResult;
  try {
    result = await begin({ trainee, place: threadPlace(thread), personaId: persona.id, announce });
  } catch (e) {
    await removeThread(ctx, thread);
    throw e;
  }
  if (!result.ok) {
    await removeThread(ctx, thread);
    return answer(ctx, i, "text" in result ? result.text : m.error(result.error.code, result.error.detail));
  }
  if (introFailed) {
    await ctx.engine.abandon(result.session.id);
    await removeThread(ctx, thread);
    return answer(ctx, i, m.introFailed);
  }
  await answer(ctx, i, m.started(thread.id, traineeFirst(result.persona)));
}

/** Whether the trainee opens the conversation (a hotline greeting) rather than the customer. */
function traineeFirst(persona: PersonaSummary): boolean {
  return persona.whoOpens === "trainee";
}

async function removeThread(ctx: DiscordContext, thread: ThreadChannel): Promise<void> {
  await thread
    .delete()
    .catch((e) => ctx.log.warn("discord.thread_delete_failed", { thread: thread.id, ...apiErrorFields(e) }));
}

/**
 * The thread of the trainee's running session in this server, if any. One session at a time
 * keeps the channel readable; a session whose thread was deleted is abandoned instead.
 */
export async function activeThreadOf(
  ctx: DiscordContext,
  trainee: TraineeIdentity,
  guildId: string,
): Promise<string | null> {
  for (const s of await ctx.engine.activeSessionsOf(trainee, guildId)) {
    if (!s.place.threadId) continue;
    try {
      const ch = await ctx.client.channels.fetch(s.place.threadId);
      if (ch?.isThread()) return ch.id;
    } catch (e) {
      if (!isGone(e, "channel")) return s.place.threadId;
    }
    await ctx.engine.abandon(s.id);
  }
  return null;
}
