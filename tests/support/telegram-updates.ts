// Builders for Telegram updates as the Bot API sends them, for unit tests that feed
// `bot.handleUpdate` directly.
import type { Chat, Message, Update, User } from "grammy/types";

let nextUpdate = 1;
let nextMessage = 1;

export function user(id: number, first_name = `User${id}`): User {
  return { id, is_bot: false, first_name, language_code: "en" };
}

export const privateChat = (u: User): Chat.PrivateChat => ({ id: u.id, type: "private", first_name: u.first_name });
export const group = (id = -1001): Chat.SupergroupChat => ({ id, type: "supergroup", title: "Team" });
export const forum = (id = -1002): Chat.SupergroupChat => ({ id, type: "supergroup", title: "Forum", is_forum: true });

type Extra = Partial<Message> & Record<string, unknown>;

function baseMessage(from: User, chat: Chat, extra: Extra = {}): Message {
  return { message_id: nextMessage++, date: Math.floor(Date.now() / 1000), chat, from, ...extra } as Message;
}

export function textUpdate(from: User, chat: Chat, text: string, extra: Extra = {}): Update {
  return { update_id: nextUpdate++, message: baseMessage(from, chat, { text, ...extra }) as Update["message"] };
}

export function commandUpdate(from: User, chat: Chat, text: string, extra: Extra = {}): Update {
  const command = text.split(/\s/)[0] as string;
  return textUpdate(from, chat, text, {
    entities: [{ type: "bot_command", offset: 0, length: command.length }],
    ...extra,
  });
}

export function stickerUpdate(from: User, chat: Chat): Update {
  return {
    update_id: nextUpdate++,
    message: baseMessage(from, chat, {
      sticker: {
        file_id: "f",
        file_unique_id: "u",
        type: "regular",
        width: 1,
        height: 1,
        is_animated: false,
        is_video: false,
      },
    }) as Update["message"],
  };
}

export function editedUpdate(from: User, chat: Chat, text: string): Update {
  return {
    update_id: nextUpdate++,
    edited_message: { ...baseMessage(from, chat, { text }), edit_date: 1 } as Update["edited_message"],
  };
}

export function callbackUpdate(from: User, chat: Chat, data: string, messageId = 555, extra: Extra = {}): Update {
  return {
    update_id: nextUpdate++,
    callback_query: {
      id: String(nextUpdate),
      from,
      chat_instance: "ci",
      data,
      message: { message_id: messageId, date: Math.floor(Date.now() / 1000), chat, text: "menu", ...extra } as Message,
    },
  };
}
