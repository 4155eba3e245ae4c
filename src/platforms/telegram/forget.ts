// /deletemydata: a trainee deletes everything stored about them (PIPL's right to deletion). The
// command only explains and asks; the deletion happens on a button that carries the asker's id, so
// in a group nobody else can confirm it for them. The question is answered where it was asked: it
// holds nothing personal, and a private chat may not be open yet.
import { Composer, type Context } from "grammy";
import { answer, type FeatureDeps, textsFor } from "./deps.ts";
import { isGroup, traineeOf } from "./place.ts";

export const forgetCallback = {
  confirm: (uid: number) => `forget:y:${uid}`,
  cancel: (uid: number) => `forget:n:${uid}`,
};

export function forgetFeatures(deps: FeatureDeps): Composer<Context> {
  const c = new Composer<Context>();

  c.command("deletemydata", async (ctx) => {
    if (!ctx.from) return;
    const { t } = await textsFor(ctx, deps);
    await answer(ctx, deps, t.forgetExplain("Telegram"), {
      replyTo: ctx.msg.message_id,
      replyMarkup: {
        inline_keyboard: [
          [
            { text: t.forgetConfirm, callback_data: forgetCallback.confirm(ctx.from.id) },
            { text: t.forgetCancel, callback_data: forgetCallback.cancel(ctx.from.id) },
          ],
        ],
      },
    });
  });

  c.callbackQuery(/^forget:([yn]):(\d+)$/, async (ctx) => {
    const [, choice, owner] = ctx.match;
    // The language is looked up before the deletion removes the trainee's own setting.
    const { t } = await textsFor(ctx, deps);
    if (String(ctx.from.id) !== owner) {
      await ctx.answerCallbackQuery({ text: t.forgetNotYours, show_alert: true });
      return;
    }
    if (choice === "n") {
      await ctx.answerCallbackQuery();
      await replaceQuestion(ctx, t.forgetCancelled);
      return;
    }
    const result = await deps.engine.forgetTrainee(traineeOf(ctx.from));
    if (!result.ok) {
      await ctx.answerCallbackQuery({ text: t.error(result.error.code, result.error.detail), show_alert: true });
      return;
    }
    deps.log.info("telegram.trainee_forgotten", { sessions: result.sessions });
    const done = t.forgetDone(result.sessions);
    const chat = ctx.callbackQuery.message?.chat;
    // In a group the count is for the trainee's eyes only; the group sees that it was done.
    if (chat && isGroup(chat)) {
      await ctx.answerCallbackQuery({ text: done, show_alert: true });
      await replaceQuestion(ctx, t.forgetDoneShort);
      return;
    }
    await ctx.answerCallbackQuery();
    await replaceQuestion(ctx, done);
  });

  return c;
}

/** The question becomes the answer, and its buttons go, so it cannot be pressed twice. */
async function replaceQuestion(ctx: Context, text: string): Promise<void> {
  try {
    await ctx.editMessageText(text, { reply_markup: { inline_keyboard: [] } });
  } catch {
    // Too old to edit: the alert or the deletion already happened, which is what matters.
  }
}
