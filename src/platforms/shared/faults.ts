// The platform boundary's fault vocabulary: what a failed chat-platform call means for the bot,
// the same words for every platform. Each adapter has one classifier (telegram/faults.ts,
// discord/faults.ts) that reads its library's errors by code, never by message text, into these.

export type PlatformFault =
  /** The user blocked the bot, or the bot was removed from the chat: retrying cannot help. */
  | { kind: "blocked" }
  /** The bot lacks a permission where it tried to act. */
  | { kind: "forbidden" }
  /** What the call addressed no longer exists (an expired interaction, a deleted thread or webhook). */
  | { kind: "gone"; what: "interaction" | "webhook" | "channel" | "message" }
  /** The interaction was answered already (by this process or another). */
  | { kind: "already_answered" }
  /** A platform limit was reached (too many active threads). */
  | { kind: "limit_reached" }
  /** Asked to wait longer than the bot waits inside a turn. */
  | { kind: "rate_limited"; retryAfterSeconds: number }
  /** The formatted text was refused; the plain text may still go through. */
  | { kind: "bad_markup" }
  /** Another process receives this bot's updates (one poller per token). */
  | { kind: "conflict" }
  /** Any other refusal of the request; the platform's description, safe to log. */
  | { kind: "bad_request"; description: string }
  /** The request failed before the platform answered (network, DNS, timeout, server error). */
  | { kind: "network" }
  | { kind: "other" };
