// A trainee's own past sessions (/history) and full reports as Markdown documents, for the card's
// "Full report" button too. In groups both go to the person privately: a history is nobody
// else's business, and a report can be long.
import { Composer, type Context, InputFile } from "grammy";
import type { Chat } from "grammy/types";
import { HISTORY_LIMIT, historyRows } from "../shared/history.ts";
import { reportFileName } from "../shared/report-file.ts";
import { answer, type FeatureDeps, textsFor } from "./deps.ts";
import { classifyFault } from "./faults.ts";
import { callbackData, fitsCallback } from "./outlet.ts";
import { isGroup, traineeOf } from "./place.ts";
import { plainText } from "./render.ts";

export function historyFeatures(deps: FeatureDeps): Composer<Context> {
  const c = new Composer<Context>();

  c.command("history", async (ctx) => {
    if (!ctx.from) return;
    const { language, t } = await textsFor(ctx, deps);
    const entries = await deps.engine.history(traineeOf(ctx.from), HISTORY_LIMIT);
    const keyboard = historyRows(entries, language, deps.timeZone)
      .filter((row) => fitsCallback(callbackData.report(row.sessionId)))
      .map((row) => [{ text: row.label, callback_data: callbackData.report(row.sessionId) }]);
    const text = entries.length === 0 ? t.historyEmpty : t.historyTitle;
    if (!isGroup(ctx.chat)) {
      await answer(ctx, deps, text, { replyMarkup: { inline_keyboard: keyboard } });
      return;
    }
    try {
      await deps.courier.send({ chatId: ctx.from.id }, plainText(text), { replyMarkup: { inline_keyboard: keyboard } });
      await answer(ctx, deps, t.sentPrivately, { replyTo: ctx.msg.message_id });
    } catch (error) {
      if (!isUnreachable(error)) throw error;
      await answer(ctx, deps, t.openPrivateChat, { replyTo: ctx.msg.message_id });
    }
  });

  c.callbackQuery(/^rep:(.+)$/, async (ctx) => {
    const { t } = await textsFor(ctx, deps);
    const sessionId = ctx.match[1] as string;
    const chat: Pick<Chat, "id" | "type"> | null = ctx.callbackQuery.message?.chat ?? null;
    const viewer = await deps.roles.viewer(String(ctx.from.id), chat);
    const report = await deps.engine.report(sessionId, viewer);
    if (!report.ok) {
      await ctx.answerCallbackQuery({ text: t.error(report.error.code, report.error.detail), show_alert: true });
      return;
    }
    const persona = deps.engine.personas().find((p) => p.id === report.session.personaId);
    const file = new InputFile(Buffer.from(report.markdown, "utf8"), reportFileName(report.session, deps.timeZone));
    // In a group the report goes to whoever pressed the button, privately.
    const to = chat && !isGroup(chat) ? chat.id : ctx.from.id;
    try {
      await ctx.api.sendDocument(to, file, { caption: t.reportCaption(persona?.name ?? report.session.personaId) });
      await ctx.answerCallbackQuery(chat && isGroup(chat) ? { text: t.sentPrivately } : undefined);
    } catch (error) {
      if (!isUnreachable(error)) throw error;
      await ctx.answerCallbackQuery({ text: t.openPrivateChat, show_alert: true });
    }
  });

  return c;
}

/** The user never opened a private chat with the bot, or blocked it. */
function isUnreachable(error: unknown): boolean {
  const kind = classifyFault(error).kind;
  return kind === "blocked" || kind === "bad_request";
}
