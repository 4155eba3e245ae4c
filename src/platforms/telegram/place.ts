// Who is talking and where, in the engine's terms. A private chat is its own place; in a group the
// place is the chat, or the forum topic the message was posted in; the scope is the group.
import type { Context } from "grammy";
import type { Chat, MaybeInaccessibleMessage, Message, User } from "grammy/types";
import type { Place, TraineeIdentity } from "../../domain/session.ts";
import { languageFromLocale } from "../../i18n/index.ts";
import type { Target } from "./courier.ts";

export function traineeOf(user: User): TraineeIdentity {
  const name = [user.first_name, user.last_name].filter(Boolean).join(" ").trim();
  return {
    platform: "telegram",
    userId: String(user.id),
    displayName: name || user.username || String(user.id),
    locale: languageFromLocale(user.language_code),
  };
}

export function isGroup(chat: Pick<Chat, "type">): boolean {
  return chat.type === "group" || chat.type === "supergroup";
}

/** A topic id only for real forum topics: replies in ordinary supergroups carry thread ids too. */
export function topicOf(message: Pick<Message, "message_thread_id" | "is_topic_message">): number | null {
  return message.is_topic_message && message.message_thread_id !== undefined ? message.message_thread_id : null;
}

export function placeOf(chat: Pick<Chat, "id" | "type">, topic: number | null): Place {
  return {
    platform: "telegram",
    scopeId: isGroup(chat) ? String(chat.id) : null,
    chatId: String(chat.id),
    threadId: topic === null ? null : String(topic),
  };
}

export function placeOfMessage(message: Pick<Message, "chat" | "message_thread_id" | "is_topic_message">): Place {
  return placeOf(message.chat, topicOf(message));
}

export function targetOf(place: Place): Target {
  // Telegram chat ids fit in a double (at most 52 bits), so numbers are exact.
  const chatId = Number(place.chatId);
  return place.threadId === null ? { chatId } : { chatId, threadId: Number(place.threadId) };
}

/** The message an update is about: a message, an edit, or the message a button was pressed on. */
export function messageOf(
  ctx: Context,
): Pick<Message, "chat" | "message_thread_id" | "is_topic_message" | "message_id"> | undefined {
  const m = ctx.message ?? ctx.editedMessage;
  if (m) return m;
  const cb: MaybeInaccessibleMessage | undefined = ctx.callbackQuery?.message;
  if (cb && cb.date !== 0) return cb as Message;
  if (cb) return { chat: cb.chat, message_id: cb.message_id };
  return undefined;
}

/**
 * The key updates are ordered by: one trainee in one place, which is one session at most. Updates
 * with the same key run one after another; different keys run concurrently.
 */
export function sessionKey(ctx: Context): string | undefined {
  const message = messageOf(ctx);
  const from = ctx.from;
  if (!message) return from ? `user:${from.id}` : undefined;
  return `${message.chat.id}:${topicOf(message) ?? ""}:${from?.id ?? ""}`;
}
