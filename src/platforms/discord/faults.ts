// The Discord boundary's one classifier: what a failed Discord API call means for the bot, told
// apart by Discord's JSON error codes and HTTP status (never by message text), in the platforms'
// shared words; and the fields of one that are safe to log.
import { DiscordAPIError, HTTPError, RateLimitError, RESTJSONErrorCodes } from "discord.js";
import { errorFields } from "../../log.ts";
import type { PlatformFault } from "../shared/faults.ts";

const GONE: Partial<Record<number, "interaction" | "webhook" | "channel" | "message">> = {
  [RESTJSONErrorCodes.UnknownInteraction]: "interaction",
  [RESTJSONErrorCodes.UnknownWebhook]: "webhook",
  // An interaction's follow-ups go through a webhook whose token is the interaction's.
  [RESTJSONErrorCodes.InvalidWebhookToken]: "webhook",
  [RESTJSONErrorCodes.UnknownChannel]: "channel",
  [RESTJSONErrorCodes.UnknownMessage]: "message",
};

export function classifyFault(e: unknown): PlatformFault {
  if (e instanceof RateLimitError) return { kind: "rate_limited", retryAfterSeconds: Math.ceil(e.retryAfter / 1000) };
  if (e instanceof DiscordAPIError) {
    const code = typeof e.code === "number" ? e.code : -1;
    const what = GONE[code];
    if (what !== undefined) return { kind: "gone", what };
    if (code === RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged) return { kind: "already_answered" };
    if (code === RESTJSONErrorCodes.MissingPermissions || code === RESTJSONErrorCodes.MissingAccess) {
      return { kind: "forbidden" };
    }
    if (code === RESTJSONErrorCodes.MaximumActiveThreads) return { kind: "limit_reached" };
    if (e.status === 429) return { kind: "rate_limited", retryAfterSeconds: 0 };
    if (e.status >= 500) return { kind: "network" };
    return { kind: "bad_request", description: `HTTP ${e.status}, code ${String(e.code)}` };
  }
  if (e instanceof HTTPError) return { kind: "network" };
  return { kind: "other" };
}

/** What the call addressed is gone: `what` names it. */
export function isGone(e: unknown, what: "interaction" | "webhook" | "channel" | "message"): boolean {
  const fault = classifyFault(e);
  return fault.kind === "gone" && fault.what === what;
}

/** The interaction's token is gone (15 minutes passed, or the reply was deleted): nobody to tell. */
export function isLostReply(e: unknown): boolean {
  const fault = classifyFault(e);
  return fault.kind === "gone" && (fault.what === "interaction" || fault.what === "webhook");
}

/** Status and code of a Discord error (nothing from its body, which may quote user text). */
export function apiErrorFields(e: unknown): Record<string, string | number> {
  if (e instanceof DiscordAPIError)
    return {
      status: e.status,
      code: typeof e.code === "number" ? e.code : String(e.code),
    };
  return errorFields(e) as Record<string, string | number>;
}
