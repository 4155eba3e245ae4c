// Acknowledging interactions within Discord's 3 seconds, and answering them by editing the
// deferred reply: the trainee sees "thinking…" at once, however slow the model is.
import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  MessageFlags,
} from "discord.js";
import type { DiscordContext } from "./context.ts";
import { classifyFault, isGone, isLostReply } from "./faults.ts";
import { textMessages } from "./render.ts";

export type ReplyTarget = ChatInputCommandInteraction | ButtonInteraction;

/** Acknowledges the interaction; false when another instance or the clock beat us to it. */
export async function defer(ctx: DiscordContext, i: ReplyTarget, ephemeral: boolean): Promise<boolean> {
  try {
    await i.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
    return true;
  } catch (e) {
    if (classifyFault(e).kind === "already_answered") {
      ctx.log.warn("discord.interaction_already_acknowledged", { interaction: i.id });
      return false;
    }
    if (isGone(e, "interaction")) {
      ctx.log.warn("discord.interaction_expired", { interaction: i.id });
      return false;
    }
    throw e;
  }
}

/** Replaces the deferred reply with `content` (and files); a reply whose token is gone is logged. */
export async function answer(
  ctx: DiscordContext,
  i: ReplyTarget,
  content: string,
  extra: {
    files?: Array<{ attachment: Buffer; name: string }>;
    components?: APIActionRowComponent<APIButtonComponent>[];
  } = {},
): Promise<void> {
  try {
    await i.editReply({ content: textMessages(content)[0] ?? content, ...extra });
  } catch (e) {
    // The token lasts 15 minutes; after that (or if the reply was deleted) there is no one to tell.
    if (isLostReply(e)) {
      ctx.log.warn("discord.reply_lost", { interaction: i.id });
      return;
    }
    throw e;
  }
}

/** Lines joined up to `max` characters, with `more` when some had to be left out. */
export function fitLines(lines: string[], max: number, more: string): string {
  let out = "";
  for (const line of lines) {
    const next = out ? `${out}\n${line}` : line;
    if (next.length > max - more.length - 1) return `${out}\n${more}`;
    out = next;
  }
  return out;
}
