// /deletemydata: a trainee deletes everything stored about them (PIPL's right to deletion). The
// command only explains and asks; the deletion happens on a button that carries the asker's id, so
// in a group nobody else can confirm it for them. The question is answered where it was asked: it
// holds nothing personal, and a private chat may not be open yet.
import { Composer, type Context } from "grammy";
import { forgetClick } from "../shared/forget.ts";
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
    const chat = ctx.callbackQuery.message?.chat;
    const { state, effect } = await forgetClick(
      owner as string,
      { by: String(ctx.from.id), choice: choice === "y" ? "confirm" : "cancel" },
      t,
      chat !== undefined && isGroup(chat),
      () => deps.engine.forgetTrainee(traineeOf(ctx.from)),
    );
    if (state.step === "done") deps.log.info("telegram.trainee_forgotten", { sessions: state.sessions });
    await ctx.answerCallbackQuery(effect.tellClicker ? { text: effect.tellClicker, show_alert: true } : undefined);
    if (effect.replaceQuestion) await replaceQuestion(ctx, effect.replaceQuestion);
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
