// `/roleplay language`: the trainee's own language, or with `for: server` the server's default
// (its managers, and members who may manage the server, as a Telegram group's administrators).
import { type ChatInputCommandInteraction, PermissionFlagsBits } from "discord.js";
import type { Language } from "../../domain/persona.ts";
import { managesScope } from "../shared/roles.ts";
import { LANGUAGE_OPTIONS } from "./commands.ts";
import { channelPlace, type DiscordContext, messagesFor, traineeOf, viewerOf } from "./context.ts";
import { discordMessages } from "./messages.ts";
import { answer, defer } from "./replies.ts";

export async function onLanguage(ctx: DiscordContext, i: ChatInputCommandInteraction): Promise<void> {
  if (!(await defer(ctx, i, true))) return;
  const trainee = traineeOf(i.user, i.member, i.locale);
  const language = i.options.getString(LANGUAGE_OPTIONS.language, true) as Language;
  const scope = i.options.getString(LANGUAGE_OPTIONS.scope) ?? "me";
  const m = discordMessages(language);
  if (scope === "server") {
    const canManage =
      (i.guildId !== null && managesScope(viewerOf(ctx, i), i.guildId)) ||
      (i.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false);
    if (!i.guildId || !canManage)
      return answer(ctx, i, (await messagesFor(ctx, trainee, channelPlace(i), i.locale)).languageServerNeedsManager);
    await ctx.engine.setScopeLanguage("discord", i.guildId, language);
    return answer(ctx, i, m.languageSetServer);
  }
  await ctx.engine.setTraineeLanguage(trainee, language);
  await answer(ctx, i, m.languageSet);
}
