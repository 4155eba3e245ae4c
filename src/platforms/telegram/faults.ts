// What a failed Bot API call means for the bot. Telegram's answers are told apart by code (and, for
// the markup case, by its documented description), never by guessing from other text.
import { GrammyError, HttpError } from "grammy";
import type { PlatformFault } from "../shared/faults.ts";

/** Telegram's faults use the platforms' shared words; Telegram gives no other kinds. */
export type TelegramFault = PlatformFault;

/** The Telegram boundary's one classifier: a failed Bot API call, by error code. */
export function classifyFault(error: unknown): PlatformFault {
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
