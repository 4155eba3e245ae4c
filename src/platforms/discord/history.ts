// `/roleplay history`: the trainee's last sessions, as Telegram lists them (shared/history.ts),
// in an embed only they see. Dated in the team's zone with its offset rather than Discord's
// <t:…> markup, which shows each reader their own device's zone: a trainer and a trainee must read
// the same date as the reports.
import type { ChatInputCommandInteraction } from "discord.js";
import { HISTORY_LIMIT, historyRows } from "../shared/history.ts";
import { channelPlace, type DiscordContext, languageOf, timeZoneOf, traineeOf } from "./context.ts";
import { discordMessages } from "./messages.ts";
import { answer, defer, fitLines } from "./replies.ts";

export async function onHistory(ctx: DiscordContext, i: ChatInputCommandInteraction): Promise<void> {
  if (!(await defer(ctx, i, true))) return;
  const trainee = traineeOf(i.user, i.member, i.locale);
  const language = await languageOf(ctx, trainee, channelPlace(i), i.locale);
  const m = discordMessages(language);
  const entries = await ctx.engine.history(trainee, HISTORY_LIMIT);
  if (entries.length === 0) return answer(ctx, i, m.historyEmpty);
  const lines = historyRows(entries, language, timeZoneOf(ctx)).map((row) => row.label);
  await i.editReply({ embeds: [{ title: m.historyTitle, description: fitLines(lines, 4000, m.moreOmitted) }] });
}
