// `/roleplay forget`: a trainee deletes everything stored about them (PIPL). The command only
// explains and asks, privately; the deletion waits for the asker's click on "Delete everything",
// through the state machine Telegram's /deletemydata uses too (shared/forget.ts).
import {
  type ButtonInteraction,
  ButtonStyle,
  type ChatInputCommandInteraction,
  ComponentType,
  MessageFlags,
} from "discord.js";
import type { Language } from "../../domain/persona.ts";
import { forgetStep } from "../shared/forget.ts";
import { forgetButtonId, parseForgetButtonId } from "./commands.ts";
import { channelPlace, type DiscordContext, messagesFor, traineeOf } from "./context.ts";
import { apiErrorFields } from "./faults.ts";
import { discordMessages } from "./messages.ts";
import { defer } from "./replies.ts";
import { closeThread, sendText } from "./thread-messages.ts";

export async function onForget(ctx: DiscordContext, i: ChatInputCommandInteraction): Promise<void> {
  if (!(await defer(ctx, i, true))) return;
  const m = await messagesFor(ctx, traineeOf(i.user, i.member, i.locale), channelPlace(i), i.locale);
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

/** One click on the deletion question. */
export async function onForgetButton(ctx: DiscordContext, i: ButtonInteraction): Promise<void> {
  const parsed = parseForgetButtonId(i.customId);
  if (!parsed) return;
  const trainee = traineeOf(i.user, i.member, i.locale);
  // The language is looked up before the deletion removes the trainee's own setting.
  const m = await messagesFor(ctx, trainee, channelPlace(i), i.locale);
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
  // The engine ends a running session without a word; its thread must not stay open, unanswered.
  const running = await ctx.engine.activeSessionsOf(trainee);
  const result = await ctx.engine.forgetTrainee(trainee);
  if (result.ok) for (const s of running) await closeSessionThread(ctx, s.place.threadId, s.language);
  const { state, effect } = forgetStep(
    click.state,
    result.ok ? { type: "deleted", sessions: result.sessions } : { type: "failed", error: result.error },
    m,
    false,
  );
  if (state.step === "done") ctx.log.info("discord.trainee_forgotten", { sessions: state.sessions });
  if (effect.replaceQuestion) await i.editReply({ content: effect.replaceQuestion, components: [] });
  if (effect.tellClicker) await i.followUp({ content: effect.tellClicker, flags: MessageFlags.Ephemeral });
}

/** Says in the thread why the session ended, then archives and locks it (best effort). */
async function closeSessionThread(ctx: DiscordContext, threadId: string | null, language: Language): Promise<void> {
  if (!threadId) return;
  try {
    const thread = await ctx.client.channels.fetch(threadId);
    if (!thread?.isThread()) return;
    await sendText(thread, discordMessages(language).forgetThreadClosed);
    await closeThread(ctx, thread);
  } catch (e) {
    ctx.log.warn("discord.forget_thread_close_failed", { thread: threadId, ...apiErrorFields(e) });
  }
}
