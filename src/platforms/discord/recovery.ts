// After a restart or a fresh gateway session: Discord does not replay events missed while
// offline, so the recent messages of every active session's thread are read and what the trainee
// wrote since the last message the session knows is handled (the engine skips turns it already
// has). A thread that is gone ends its session; one that cannot be read gets a request to repeat.
import type { Message, ThreadChannel } from "discord.js";
import type { TraineeIdentity } from "../../domain/session.ts";
import { errorFields } from "../../log.ts";
import type { RecoverableSession } from "../../roleplay/api.ts";
import type { DiscordContext } from "./context.ts";
import { onThreadMessage } from "./conversation.ts";
import { apiErrorFields, isGone } from "./faults.ts";
import { discordMessages } from "./messages.ts";
import { sendText } from "./thread-messages.ts";

export async function recover(ctx: DiscordContext): Promise<void> {
  for (const r of await ctx.engine.recoverableSessions("discord")) {
    const s = r.session;
    if (!s.place.threadId) continue;
    // With shards, each shard recovers the guilds it holds.
    if (s.place.scopeId && !ctx.client.guilds.cache.has(s.place.scopeId)) continue;
    await recoverSession(ctx, r).catch((e) =>
      ctx.log.warn("discord.recover_failed", { session: s.id, ...errorFields(e) }),
    );
  }
}

async function recoverSession(ctx: DiscordContext, r: RecoverableSession): Promise<void> {
  const s = r.session;
  let thread: ThreadChannel;
  try {
    const ch = await ctx.client.channels.fetch(s.place.threadId as string);
    if (!ch?.isThread()) return;
    thread = ch;
  } catch (e) {
    if (isGone(e, "channel")) {
      ctx.log.info("discord.session_thread_gone", { session: s.id });
      await ctx.engine.abandon(s.id);
    }
    return;
  }
  let missed: Message[];
  try {
    const fetched = await thread.messages.fetch({ limit: 50, ...(r.lastMessageId ? { after: r.lastMessageId } : {}) });
    missed = [...fetched.values()]
      .filter((msg) => msg.author.id === r.traineeUserId && !msg.author.bot && msg.createdTimestamp >= s.startedAt)
      .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  } catch (e) {
    ctx.log.warn("discord.recover_fetch_failed", { session: s.id, ...apiErrorFields(e) });
    const trainee: TraineeIdentity = { platform: "discord", userId: r.traineeUserId, displayName: r.traineeUserId };
    const m = discordMessages(await ctx.engine.languageFor(trainee, s.place));
    await sendText(thread, m.reconnectRepeat).catch(() => undefined);
    return;
  }
  for (const msg of missed) await onThreadMessage(ctx, msg);
}
