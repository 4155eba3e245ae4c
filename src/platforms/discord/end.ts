// `/roleplay end`: in the session's thread, or from the channel (the trainee's one running
// session in this server). The engine posts the ending and the evaluation in the thread.
import type { ChatInputCommandInteraction } from "discord.js";
import type { Place } from "../../domain/session.ts";
import { channelPlace, type DiscordContext, messagesFor, threadPlace, traineeOf } from "./context.ts";
import { answer, defer } from "./replies.ts";
import { activeThreadOf } from "./start.ts";

export async function onEnd(ctx: DiscordContext, i: ChatInputCommandInteraction): Promise<void> {
  if (!(await defer(ctx, i, true))) return;
  const trainee = traineeOf(i.user, i.member, i.locale);
  const channel = i.channel;
  const place = channel?.isThread() && i.guildId ? threadPlace(channel) : channelPlace(i);
  const m = await messagesFor(ctx, trainee, place, i.locale);
  let target: Place | null = channel?.isThread() ? threadPlace(channel) : null;
  if (!target && i.guildId) {
    const threadId = await activeThreadOf(ctx, trainee, i.guildId);
    const ch = threadId ? await ctx.client.channels.fetch(threadId).catch(() => null) : null;
    if (ch?.isThread()) target = threadPlace(ch);
  }
  if (!target) return answer(ctx, i, channel?.isThread() ? m.error("no_active_session") : m.endOutsideThread);
  await answer(ctx, i, m.ending);
  const result = await ctx.engine.end(trainee, target);
  if (!result.ok) return answer(ctx, i, m.error(result.error.code, result.error.detail));
}
