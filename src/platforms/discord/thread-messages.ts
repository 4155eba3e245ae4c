// Posting in a session's thread: bot text within Discord's 2000 characters, the customer through
// the channel webhook under the persona's name (or as the bot, the name in bold), and closing the
// thread once the session is over.
import type { Message, ThreadChannel } from "discord.js";
import type { DiscordContext } from "./context.ts";
import { apiErrorFields, isGone } from "./faults.ts";
import { customerMessages, textMessages, threadName } from "./render.ts";

export async function sendText(
  channel: { send(o: { content: string }): Promise<Message> },
  text: string,
): Promise<Message | undefined> {
  let last: Message | undefined;
  for (const part of textMessages(text)) last = await channel.send({ content: part });
  return last;
}

/** Posts one customer reply; returns the id of its last message. */
export async function sendCustomer(
  ctx: DiscordContext,
  thread: ThreadChannel,
  speaker: string,
  text: string,
  avatar: string | null = null,
): Promise<string | undefined> {
  const hook = thread.parentId ? await ctx.webhooks.forChannel(thread.parentId) : null;
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
      ctx.log.warn("discord.webhook_send_failed", { thread: thread.id, ...apiErrorFields(e) });
      if (thread.parentId) ctx.webhooks.failed(thread.parentId, isGone(e, "webhook"));
    }
  }
  let last: string | undefined;
  for (const part of customerMessages(speaker, text, false)) last = (await thread.send({ content: part })).id;
  return last;
}

/** Archives and locks the thread; locking needs Manage Threads, archiving its own thread the bot may always do. */
export async function closeThread(ctx: DiscordContext, thread: ThreadChannel): Promise<void> {
  try {
    await thread.edit({ archived: true, locked: true });
  } catch (e) {
    ctx.log.info("discord.thread_lock_failed", { thread: thread.id, ...apiErrorFields(e) });
    await thread
      .setArchived(true)
      .catch((e2) => ctx.log.warn("discord.thread_archive_failed", { thread: thread.id, ...apiErrorFields(e2) }));
  }
}
