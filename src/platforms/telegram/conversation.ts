// Messages during a session. A text from the session's trainee in the session's place is a turn;
// everyone else's messages are left alone. Media get a "text only" answer and are not turns; an
// edit is never re-processed, and the trainee is told so.
import { Composer, type Context } from "grammy";
import type { Message } from "grammy/types";
import { isBlankText } from "../../roleplay/blank-text.ts";
import { answer, type FeatureDeps, textsFor } from "./deps.ts";
import { placeOfMessage, traineeOf } from "./place.ts";

/** Kinds of message a trainee might send that carry no text for the customer. */
const MEDIA_KEYS = [
  "sticker",
  "photo",
  "voice",
  "video",
  "video_note",
  "audio",
  "document",
  "animation",
  "location",
  "venue",
  "contact",
  "poll",
  "dice",
] as const satisfies ReadonlyArray<keyof Message>;

export function conversationFeatures(deps: FeatureDeps): Composer<Context> {
  const c = new Composer<Context>();

  c.on("message:text", async (ctx) => {
    const message = ctx.message;
    if (ctx.from.is_bot) return;
    // Commands (ours are handled before; others belong to other bots) are never turns.
    if (message.entities?.some((e) => e.type === "bot_command" && e.offset === 0)) return;
    const result = await deps.engine.message({
      trainee: traineeOf(ctx.from),
      place: placeOfMessage(message),
      text: message.text,
      inboundKey: `telegram:${message.chat.id}:${message.message_id}`,
      messageId: String(message.message_id),
      at: message.date * 1000,
    });
    if (result.status === "blank") {
      const { t } = await textsFor(ctx, deps);
      await answer(ctx, deps, t.blankMessage, { replyTo: message.message_id });
    } else if (result.status === "no_session" && ctx.chat.type === "private" && !isBlankText(message.text)) {
      const { t } = await textsFor(ctx, deps);
      await answer(ctx, deps, t.noSessionHint);
    }
  });

  c.on("message", async (ctx) => {
    const message = ctx.message;
    if (ctx.from.is_bot || !MEDIA_KEYS.some((k) => message[k] !== undefined)) return;
    const active = await deps.engine.activeSession(traineeOf(ctx.from), placeOfMessage(message));
    if (!active && ctx.chat.type !== "private") return;
    const { t } = await textsFor(ctx, deps);
    await answer(ctx, deps, active ? t.textOnly : t.noSessionHint, { replyTo: message.message_id });
  });

  c.on("edited_message", async (ctx) => {
    const message = ctx.editedMessage;
    if (!ctx.from || ctx.from.is_bot) return;
    const active = await deps.engine.activeSession(traineeOf(ctx.from), placeOfMessage(message));
    if (!active) return;
    const { t } = await textsFor(ctx, deps);
    await answer(ctx, deps, t.editedIgnored, { replyTo: message.message_id });
  });

  return c;
}
