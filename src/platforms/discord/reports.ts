// `/roleplay report [period]`: a manager's or trainer's team summary of this server with the HTML
// report, in a reply only they see; trainees are refused by the reports themselves.
import type { ChatInputCommandInteraction } from "discord.js";
import { REPORT_OPTIONS } from "./commands.ts";
import { channelPlace, type DiscordContext, languageOf, traineeOf, viewerOf } from "./context.ts";
import { discordMessages } from "./messages.ts";
import { answer, defer } from "./replies.ts";

export async function onReport(ctx: DiscordContext, i: ChatInputCommandInteraction): Promise<void> {
  if (!(await defer(ctx, i, true))) return;
  const trainee = traineeOf(i.user, i.member, i.locale);
  const language = await languageOf(ctx, trainee, channelPlace(i), i.locale);
  const m = discordMessages(language);
  if (!ctx.app.reports) return answer(ctx, i, m.reportsUnavailable);
  const period = i.options.getString(REPORT_OPTIONS.period) ?? undefined;
  const scope = i.guildId ? { platform: "discord" as const, scopeId: i.guildId } : null;
  const r = await ctx.app.reports.forChat(viewerOf(ctx, i), period, language, scope);
  if (!r.ok) return answer(ctx, i, r.message);
  return answer(ctx, i, r.text, { files: r.files.map((f) => ({ attachment: f.content, name: f.name })) });
}
