// What a failed Bot API call means for the bot. Telegram's answers are told apart by code (and, for
// the markup case, by its documented description), never by guessing from other text.
import { GrammyError, HttpError } from "grammy";

export type TelegramFault =
  /** 403: the user blocked the bot, or the bot was removed from the chat. Retrying cannot help. */
  | { kind: "blocked" }
  /** 429 with a retry-after longer than the bot waits inside a turn (auto-retry gave up). */
  | { kind: "rate_limited"; retryAfterSeconds: number }
  /** 400 "can't parse entities": the HTML was rejected; the plain text may still go through. */
  | { kind: "bad_markup" }
  /** 409: another process polls with the same token, or a webhook is set. */
  | { kind: "conflict" }
  /** 400 for a topic that no longer exists, or a chat the bot cannot post in. */
  | { kind: "bad_request"; description: string }
  /** The request failed before Telegram answered (network, DNS, timeout). */
  | { kind: "network" }
  | { kind: "other" };

export function classifyFault(error: unknown): TelegramFault {
  if (error instanceof GrammyError) {
    if (error.error_code === 403) return { kind: "blocked" };
    if (error.error_code === 429)
      return { kind: "rate_limited", retryAfterSeconds: error.parameters.retry_after ?? 30 };
    if (error.error_code === 409) return { kind: "conflict" };
    if (error.error_code === 400 && /can't parse entities|can't find end of the entity/i.test(error.description)) {
      return { kind: "bad_markup" };
    }
    if (error.error_code === 400) return { kind: "bad_request", description: error.description };
    return { kind: "other" };
  }
  if (error instanceof HttpError) return { kind: "network" };
  return { kind: "other" };
}

/** What an operator should do about a 409, logged as is. */
export const CONFLICT_ADVICE =
  "Telegram answered 409 Conflict: another process is polling with this bot token, or a webhook is set. " +
  "Stop the other instance (only one poller per token is allowed), or run every instance in webhook mode " +
  "(TELEGRAM_WEBHOOK_URL); to leave webhook mode, unset TELEGRAM_WEBHOOK_URL and restart (the bot deletes the webhook).";
