// The platform boundary: each adapter reads its library's errors by code into the same words.
import { DiscordAPIError, HTTPError, RESTJSONErrorCodes } from "discord.js";
import { GrammyError, HttpError } from "grammy";
import { describe, expect, it } from "vitest";
import { classifyFault as discordFault, isGone, isLostReply } from "../../src/platforms/discord/faults.ts";
import { classifyFault as telegramFault } from "../../src/platforms/telegram/faults.ts";

const telegram = (error_code: number, description: string, retry_after?: number) =>
  new GrammyError(
    "call failed",
    { ok: false, error_code, description, ...(retry_after === undefined ? {} : { parameters: { retry_after } }) },
    "sendMessage",
    {},
  );

const discord = (code: number, status = 400) =>
  new DiscordAPIError({ code, message: "whatever the text says" }, code, status, "POST", "/x", { body: undefined });

describe("Telegram's classifier", () => {
  it("sorts Bot API errors by code into the shared words", () => {
    expect(telegramFault(telegram(403, "Forbidden: bot was blocked by the user"))).toEqual({ kind: "blocked" });
    expect(telegramFault(telegram(429, "Too Many Requests", 120))).toEqual({
      kind: "rate_limited",
      retryAfterSeconds: 120,
    });
    expect(telegramFault(telegram(409, "Conflict"))).toEqual({ kind: "conflict" });
    expect(telegramFault(telegram(400, "Bad Request: can't parse entities: x"))).toEqual({ kind: "bad_markup" });
    expect(telegramFault(telegram(400, "Bad Request: message thread not found"))).toEqual({
      kind: "bad_request",
      description: "Bad Request: message thread not found",
    });
    expect(telegramFault(new HttpError("network", new Error("ECONNRESET")))).toEqual({ kind: "network" });
    expect(telegramFault(new Error("x"))).toEqual({ kind: "other" });
  });
});

describe("Discord's classifier", () => {
  it("sorts API errors by JSON code and status into the same words", () => {
    expect(discordFault(discord(RESTJSONErrorCodes.UnknownInteraction, 404))).toEqual({
      kind: "gone",
      what: "interaction",
    });
    expect(discordFault(discord(RESTJSONErrorCodes.UnknownChannel, 404))).toEqual({ kind: "gone", what: "channel" });
    expect(discordFault(discord(RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged))).toEqual({
      kind: "already_answered",
    });
    expect(discordFault(discord(RESTJSONErrorCodes.MissingPermissions, 403))).toEqual({ kind: "forbidden" });
    expect(discordFault(discord(RESTJSONErrorCodes.MissingAccess, 403))).toEqual({ kind: "forbidden" });
    expect(discordFault(discord(RESTJSONErrorCodes.MaximumActiveThreads))).toEqual({ kind: "limit_reached" });
    expect(discordFault(discord(0, 502))).toEqual({ kind: "network" });
    expect(discordFault(discord(50035))).toEqual({ kind: "bad_request", description: "HTTP 400, code 50035" });
    expect(discordFault(new HTTPError(503, "Service Unavailable", "GET", "/x", { body: undefined }))).toEqual({
      kind: "network",
    });
    expect(discordFault(new Error("x"))).toEqual({ kind: "other" });
  });

  it("a lost reply is an expired interaction or its webhook, nothing else", () => {
    expect(isLostReply(discord(RESTJSONErrorCodes.UnknownInteraction, 404))).toBe(true);
    expect(isLostReply(discord(RESTJSONErrorCodes.InvalidWebhookToken, 401))).toBe(true);
    expect(isLostReply(discord(RESTJSONErrorCodes.UnknownChannel, 404))).toBe(false);
    expect(isGone(discord(RESTJSONErrorCodes.UnknownWebhook, 404), "webhook")).toBe(true);
    expect(isGone(discord(RESTJSONErrorCodes.UnknownWebhook, 404), "channel")).toBe(false);
  });
});
