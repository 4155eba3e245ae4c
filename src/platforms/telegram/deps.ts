// What every feature of the Telegram bot is given: the engine, the way out (courier), roles and
// the log. Features hold no session state; everything about a session is asked of the engine.
import type { Context } from "grammy";
import type { AssignmentService } from "../../assignments/service.ts";
import type { Language } from "../../domain/persona.ts";
import type { ManagerReportsApi, RoleplayApi } from "../../roleplay/api.ts";
import type { Courier, SendOptions } from "./courier.ts";
import type { Logger } from "../../log.ts";
import { telegramMessages } from "./messages.ts";
import { messageOf, placeOfMessage, targetOf, traineeOf } from "./place.ts";
import { plainText } from "./render.ts";
import type { Roles } from "./roles.ts";

export interface FeatureDeps {
  engine: RoleplayApi;
  /** Assignments (/assign, /assignments); absent: those commands say they are unavailable. */
  assignments?: AssignmentService;
  /** Team summaries for managers' /report (absent: the command says it is unavailable). */
  reports?: ManagerReportsApi;
  courier: Courier;
  roles: Roles;
  log: Logger;
  /** For updates without a user (rare: channel posts). */
  defaultLanguage: Language;
  /** IANA zone (TIME_ZONE) for the dates people read, e.g. in /history. */
  timeZone: string;
  /** Whether the bot sees every message in this group (privacy mode off, or the bot is an admin). */
  seesAllMessages(chatId: number): Promise<boolean>;
  /**
   * Marks a one-time event (e.g. the privacy notice in a group) as done, durably; false when it
   * was done before. Absent (tests without a store): every time is the first.
   */
  once?(key: string): Promise<boolean>;
}

export type Texts = ReturnType<typeof telegramMessages>;

/** The language to answer this update in, and its texts. */
export async function textsFor(ctx: Context, deps: FeatureDeps): Promise<{ language: Language; t: Texts }> {
  const message = messageOf(ctx);
  const language = ctx.from
    ? await deps.engine.languageFor(traineeOf(ctx.from), message ? placeOfMessage(message) : null)
    : deps.defaultLanguage;
  return { language, t: telegramMessages(language) };
}

/** Answers in the chat and topic the update came from, as plain (escaped) text. */
export async function answer(ctx: Context, deps: FeatureDeps, text: string, options: SendOptions = {}): Promise<void> {
  const message = messageOf(ctx);
  if (!message) return;
  await deps.courier.send(targetOf(placeOfMessage(message)), plainText(text), options);
}
