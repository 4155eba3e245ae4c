// Delivers rendered messages to a chat or forum topic: HTML first and the plain twin when Telegram
// rejects the markup; a long rate limit (auto-retry already waited for the short ones) is not
// waited out inside a turn: the rest is queued for later and the trainee is told. Also keeps a
// typing indicator alive while the customer "types" (a chat action lasts about five seconds).
import type { Api, RawApi } from "grammy";
import type { InlineKeyboardMarkup, Message } from "grammy/types";
import { classifyFault } from "./faults.ts";
import type { Logger } from "../../log.ts";
import type { Rendered } from "./render.ts";
import { createTypingKeeper, TYPING_MAX_MS } from "../shared/typing.ts";

/** Where a message goes: a chat, and a forum topic in it when the session lives in one. */
export interface Target {
  chatId: string | number;
  threadId?: number;
}

export interface SendOptions {
  /** Attached to the last message. */
  replyMarkup?: InlineKeyboardMarkup;
  /** Reply to this message (ignored by Telegram if it is gone). */
  replyTo?: number;
  /** What to tell the chat when the rest is queued behind a long rate limit. */
  onDefer?: (seconds: number) => Rendered;
}

export type SendResult =
  | { status: "sent"; messages: Message.TextMessage[] }
  /** Some parts (maybe none) were sent; the rest goes out after `seconds`. */
  | { status: "deferred"; messages: Message.TextMessage[]; seconds: number };

export interface Courier {
  send(target: Target, parts: Rendered[], options?: SendOptions): Promise<SendResult>;
  /** Best effort: a failure is logged at debug level and otherwise ignored. */
  startTyping(key: string, target: Target): void;
  stopTyping(key: string): void;
  /** Deliveries still queued behind a rate limit. */
  pending(): number;
  /** Stops typing indicators and drops queued deliveries (their text is in the store already). */
  close(): void;
}

export interface CourierOptions {
  typingEveryMs?: number;
  /** Typing stops by itself after this long, in case the customer's message never comes. */
  typingMaxMs?: number;
  /** How many times a queued delivery meets a rate limit again before it is dropped. */
  maxDeferrals?: number;
  /** Pause before the one retry of a send that failed on the network. */
  networkRetryMs?: number;
}

/** Group ids help an operator find a noisy group; a private chat's id is a person's id, so it stays out. */
function chatLabel(chatId: string | number): string {
  return Number(chatId) < 0 ? String(chatId) : "private";
}

export function createCourier(api: Api<RawApi>, log: Logger, options: CourierOptions = {}): Courier {
  const maxDeferrals = options.maxDeferrals ?? 5;
  const networkRetryMs = options.networkRetryMs ?? 1000;
  const typing = createTypingKeeper({
    everyMs: options.typingEveryMs ?? 4500,
    maxMs: options.typingMaxMs ?? TYPING_MAX_MS,
    onError: (error) => log.debug("telegram.typing_failed", { fault: classifyFault(error).kind }),
  });
  const queued = new Set<NodeJS.Timeout>();
  let closed = false;

  async function sendOne(target: Target, part: Rendered, options: SendOptions, last: boolean) {
    const extra = {
      ...(target.threadId !== undefined ? { message_thread_id: target.threadId } : {}),
      ...(last && options.replyMarkup ? { reply_markup: options.replyMarkup } : {}),
      ...(options.replyTo !== undefined
        ? { reply_parameters: { message_id: options.replyTo, allow_sending_without_reply: true } }
        : {}),
      link_preview_options: { is_disabled: true },
    };
    try {
      return await withOneNetworkRetry(() =>
        api.sendMessage(target.chatId, part.html, { ...extra, parse_mode: "HTML" }),
      );
    } catch (error) {
      if (classifyFault(error).kind !== "bad_markup") throw error;
      log.warn("telegram.markup_rejected", { chat: chatLabel(target.chatId) });
      return await withOneNetworkRetry(() => api.sendMessage(target.chatId, part.plain, extra));
    }
  }

  // Auto-retry is told not to loop on network errors (it would, without bound); one blip is
  // still worth a second try before a customer's line is reported undelivered.
  async function withOneNetworkRetry<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (classifyFault(error).kind !== "network" || closed) throw error;
      await new Promise((r) => setTimeout(r, networkRetryMs));
      return await call();
    }
  }

  async function send(
    target: Target,
    parts: Rendered[],
    options: SendOptions = {},
    deferrals = 0,
  ): Promise<SendResult> {
    const messages: Message.TextMessage[] = [];
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as Rendered;
      try {
        messages.push(await sendOne(target, part, options, i === parts.length - 1));
      } catch (error) {
        const fault = classifyFault(error);
        if (fault.kind !== "rate_limited") throw error;
        const seconds = fault.retryAfterSeconds;
        defer(target, parts.slice(i), options, seconds, deferrals);
        return { status: "deferred", messages, seconds };
      }
    }
    return { status: "sent", messages };
  }

  function defer(target: Target, rest: Rendered[], options: SendOptions, seconds: number, deferrals: number) {
    if (closed || deferrals >= maxDeferrals) {
      log.warn("telegram.delivery_dropped", { chat: chatLabel(target.chatId), parts: rest.length, deferrals });
      return;
    }
    log.warn("telegram.rate_limited", {
      chat: chatLabel(target.chatId),
      retryAfterSeconds: seconds,
      parts: rest.length,
    });
    let later = rest;
    if (options.onDefer && deferrals === 0) {
      const notice = options.onDefer(seconds);
      // One attempt, now: if the chat is limited too, the notice rides along with the queued parts.
      sendOne(target, notice, {}, false).catch(() => {
        later = [notice, ...rest];
      });
    }
    const timer = setTimeout(
      () => {
        queued.delete(timer);
        send(target, later, { ...options, onDefer: undefined }, deferrals + 1).catch((error) => {
          log.warn("telegram.delayed_delivery_failed", {
            chat: chatLabel(target.chatId),
            fault: classifyFault(error).kind,
          });
        });
      },
      seconds * 1000 + 250,
    );
    timer.unref();
    queued.add(timer);
  }

  function sendTyping(target: Target) {
    return api.sendChatAction(
      target.chatId,
      "typing",
      target.threadId !== undefined ? { message_thread_id: target.threadId } : {},
    );
  }

  return {
    send: (target, parts, options) => send(target, parts, options),
    startTyping(key, target) {
      if (!closed) typing.start(key, () => sendTyping(target));
    },
    stopTyping: (key) => typing.stop(key),
    pending: () => queued.size,
    close() {
      closed = true;
      typing.close();
      if (queued.size > 0) log.warn("telegram.queued_deliveries_dropped", { count: queued.size });
      for (const t of queued) clearTimeout(t);
      queued.clear();
    },
  };
}
