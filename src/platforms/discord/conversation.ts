// Messages in a session thread. Only the session's trainee speaks to the customer; other members
// may comment in a public thread. Attachments, stickers and blank messages are answered briefly
// (once per message, across instances) and are not turns. Edits are never turns: what counts is
// what was said.
import type { Message } from "discord.js";
import { type DiscordContext, threadPlace, traineeOf } from "./context.ts";
import { discordMessages } from "./messages.ts";
import { sendText } from "./thread-messages.ts";

export async function onThreadMessage(ctx: DiscordContext, msg: Message): Promise<void> {
  if (msg.author.bot || msg.webhookId || msg.system) return;
  if (!msg.inGuild() || !msg.channel.isThread()) return;
  const place = threadPlace(msg.channel);
  const trainee = traineeOf(msg.author, msg.member);
  // Other members may talk in a public thread; only the session's trainee speaks to the customer.
  if (!(await ctx.engine.activeSession(trainee, place))) return;
  const channel = msg.channel;
  const say = async (pick: (m: ReturnType<typeof discordMessages>) => string) => {
    if (!(await ctx.engine.claimOnce(`discord:nonturn:${msg.id}`))) return;
    await sendText(channel, pick(discordMessages(await ctx.engine.languageFor(trainee, place))));
  };
  if (msg.attachments.size > 0 || msg.stickers.size > 0) return say((m) => m.textOnly);
  if (msg.content.trim() === "") {
    ctx.log.warn("discord.empty_message_content", {
      hint: "enable the Message Content intent in the developer portal",
    });
    return say((m) => m.cannotRead);
  }
  const result = await ctx.engine.message({
    trainee,
    place,
    text: msg.content,
    inboundKey: `discord:${msg.channelId}:${msg.id}`,
    messageId: msg.id,
    at: msg.createdTimestamp,
  });
  if (result.status === "blank") await say((m) => m.blankMessage);
}
