// The evaluation card's buttons: "Full report" (the Markdown report as a file, for the trainee and
// for the server's trainers and managers; the engine decides) and "Try again" (the same customer in
// a new thread of the same channel, for whoever clicked).
import { type ButtonInteraction, ChannelType } from "discord.js";
import { reportFileName } from "../shared/report-file.ts";
import { parseButtonId } from "./commands.ts";
import { channelPlace, type DiscordContext, messagesFor, timeZoneOf, traineeOf, viewerOf } from "./context.ts";
import { answer, defer } from "./replies.ts";
import { startInChannel } from "./start.ts";

export async function onCardButton(ctx: DiscordContext, i: ButtonInteraction): Promise<void> {
  const parsed = parseButtonId(i.customId);
  if (!parsed) return;
  if (!(await defer(ctx, i, true))) return;
  const trainee = traineeOf(i.user, i.member, i.locale);
  const m = await messagesFor(ctx, trainee, channelPlace(i), i.locale);
  const session = await ctx.engine.session(parsed.sessionId);
  if (session?.place.platform !== "discord") return answer(ctx, i, m.error("session_not_found"));

  if (parsed.kind === "fullReport") {
    const report = await ctx.engine.report(session.id, viewerOf(ctx, i));
    if (!report.ok) return answer(ctx, i, m.error(report.error.code, report.error.detail));
    const persona = ctx.engine.personas().find((p) => p.id === session.personaId);
    return answer(ctx, i, m.reportFile(persona?.name ?? session.personaId), {
      files: [
        { attachment: Buffer.from(report.markdown, "utf8"), name: reportFileName(report.session, timeZoneOf(ctx)) },
      ],
    });
  }

  const persona = ctx.engine.personas().find((p) => p.id === session.personaId);
  if (!persona) return answer(ctx, i, m.error("persona_not_found", session.personaId));
  const isPrivate = i.channel?.type === ChannelType.PrivateThread;
  await startInChannel(ctx, i, trainee, m, persona, session.place.chatId, isPrivate, null);
}
