// The engine's way out to Discord: typing, customer lines, notices, the end of a session and the
// evaluation card, posted in the session's thread. A thread that was deleted ends its session as
// abandoned; the evaluation closes the thread.
import type { ThreadChannel } from "discord.js";
import type { Session } from "../../domain/session.ts";
import type { Outbound, Outlet } from "../../roleplay/api.ts";
import type { DiscordContext } from "./context.ts";
import { apiErrorFields, isGone } from "./faults.ts";
import { discordMessages } from "./messages.ts";
import { evaluationButtons, evaluationEmbed } from "./render.ts";
import { closeThread, sendCustomer, sendText } from "./thread-messages.ts";

async function sessionThread(ctx: DiscordContext, session: Session): Promise<ThreadChannel | null> {
  if (!session.place.threadId) return null;
  const ch = await ctx.client.channels.fetch(session.place.threadId);
  return ch?.isThread() ? ch : null;
}

export function createDiscordOutlet(ctx: DiscordContext): Outlet {
  return {
    async deliver(event: Outbound) {
      if (event.type !== "typing") ctx.typing.stop(event.session.id);
      let thread: ThreadChannel | null;
      try {
        thread = await sessionThread(ctx, event.session);
      } catch (e) {
        if (isGone(e, "channel") && event.type !== "evaluation") {
          // The thread was deleted: the session can no longer be reached.
          ctx.track(ctx.engine.abandon(event.session.id), "abandon");
        }
        ctx.log.warn("discord.deliver_no_thread", {
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
          ctx.typing.start(event.session.id, () => t.sendTyping());
          return undefined;
        }
        case "customer": {
          const messageId = await sendCustomer(ctx, thread, event.speaker, event.text, event.avatar ?? null);
          return messageId ? { messageId } : undefined;
        }
        case "notice": {
          const sent = await sendText(thread, discordMessages(event.language).notice(event.code));
          if (event.code === "evaluation_skipped" || event.code === "evaluation_failed") await closeThread(ctx, thread);
          return sent ? { messageId: sent.id } : undefined;
        }
        case "ended": {
          const sent = await sendText(thread, discordMessages(event.language).ended(event.outcome));
          return sent ? { messageId: sent.id } : undefined;
        }
        case "evaluation": {
          const m = discordMessages(event.language);
          const sent = await thread.send({
            embeds: [evaluationEmbed(event.card, m)],
            components: [evaluationButtons(event.session.id, m, event.assessment === true)],
          });
          await closeThread(ctx, thread);
          return { messageId: sent.id };
        }
      }
    },
  };
}
