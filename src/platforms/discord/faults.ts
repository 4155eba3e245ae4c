// What a failed Discord API call means for the bot, told apart by Discord's JSON error codes
// (never by message text), and the fields of one that are safe to log.
import { DiscordAPIError, RESTJSONErrorCodes } from "discord.js";
import { errorFields } from "../../log.ts";

export { RESTJSONErrorCodes as DiscordCodes };

export function isApiError(e: unknown, code: number): boolean {
  return e instanceof DiscordAPIError && e.code === code;
}

/** The interaction's token is gone (15 minutes passed, or the reply was deleted): nobody to tell. */
export function isLostReply(e: unknown): boolean {
  return (
    isApiError(e, RESTJSONErrorCodes.UnknownInteraction) ||
    isApiError(e, RESTJSONErrorCodes.UnknownWebhook) ||
    isApiError(e, RESTJSONErrorCodes.InvalidWebhookToken)
  );
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
