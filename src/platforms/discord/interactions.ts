// Routes interactions: `/roleplay <sub>` to one handler per subcommand, the card's and the
// deletion question's buttons, and autocompletion. An interaction is claimed once (two instances
// or a redelivery must not both act on it), and one that failed is answered, never left thinking.
import type { ChatInputCommandInteraction, Interaction } from "discord.js";
import { errorFields } from "../../log.ts";
import { onAssign } from "./assign.ts";
import { onAssignmentButton, onAssignments, parseAssignmentButtonId } from "./assignments.ts";
import { onCardButton } from "./buttons.ts";
import { COMMAND_NAME, parseButtonId, parseForgetButtonId, type Subcommand } from "./commands.ts";
import { type DiscordContext, messagesFor, traineeOf } from "./context.ts";
import { onEnd } from "./end.ts";
import { onForget, onForgetButton } from "./forget.ts";
import { onHistory } from "./history.ts";
import { onLanguage } from "./language.ts";
import { onAutocomplete, onPersonas } from "./personas.ts";
import { answer, type ReplyTarget } from "./replies.ts";
import { onReport } from "./reports.ts";
import { onStart } from "./start.ts";

/** One handler per `/roleplay` subcommand (definitions in commands.ts). */
const SUBCOMMANDS: Record<Subcommand, (ctx: DiscordContext, i: ChatInputCommandInteraction) => Promise<void>> = {
  start: onStart,
  end: onEnd,
  personas: onPersonas,
  history: onHistory,
  language: onLanguage,
  report: onReport,
  forget: onForget,
  assignments: onAssignments,
  assign: onAssign,
};

export async function onInteraction(ctx: DiscordContext, i: Interaction): Promise<void> {
  if (i.isAutocomplete()) return onAutocomplete(ctx, i);
  if (!i.isChatInputCommand() && !i.isButton()) return;
  if (i.isChatInputCommand() && i.commandName !== COMMAND_NAME) return;
  if (
    i.isButton() &&
    !parseButtonId(i.customId) &&
    !parseForgetButtonId(i.customId) &&
    !parseAssignmentButtonId(i.customId)
  ) {
    return;
  }
  if (!(await ctx.engine.claimOnce(`discord:interaction:${i.id}`))) return;
  if (i.isButton()) {
    try {
      if (parseForgetButtonId(i.customId)) return await onForgetButton(ctx, i);
      if (parseAssignmentButtonId(i.customId)) return await onAssignmentButton(ctx, i);
      return await onCardButton(ctx, i);
    } catch (e) {
      ctx.log.error("discord.button_failed", errorFields(e));
      return tellFailed(ctx, i);
    }
  }
  const sub = i.options.getSubcommand(false) as Subcommand | null;
  const handler = sub ? SUBCOMMANDS[sub] : undefined;
  if (!handler) return;
  try {
    await handler(ctx, i);
  } catch (e) {
    ctx.log.error("discord.command_failed", { command: sub, ...errorFields(e) });
    await tellFailed(ctx, i);
  }
}

/** The trainee must not be left with "thinking…" forever. */
async function tellFailed(ctx: DiscordContext, i: ReplyTarget): Promise<void> {
  if (!i.deferred) return;
  const m = await messagesFor(ctx, traineeOf(i.user, i.member, i.locale), null, i.locale);
  await answer(ctx, i, m.internalError);
}
