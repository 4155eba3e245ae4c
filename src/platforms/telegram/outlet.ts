// The engine's way out to Telegram: it hands over typing, customer lines, notices, the end of a
// session and the evaluation; this renders them into the session's chat or topic. A chat that
// blocked the bot ends its session as abandoned, once, without a retry loop.
import type { InlineKeyboardMarkup } from "grammy/types";
import type { Session } from "../../domain/session.ts";
import type { Outbound, Outlet, RoleplayApi } from "../../roleplay/api.ts";
import type { Courier, SendResult } from "./courier.ts";
import { classifyFault } from "./faults.ts";
import type { Logger } from "../../log.ts";
import { telegramMessages } from "./messages.ts";
import { targetOf } from "./place.ts";
import { customerLine, plainText, type Rendered, renderEvaluationCard } from "./render.ts";

/** Callback data of the card's buttons (Telegram allows 64 bytes). */
export const callbackData = {
  report: (sessionId: string) => `rep:${sessionId}`,
  again: (personaId: string) => `again:${personaId}`,
};

export function fitsCallback(data: string): boolean {
  return Buffer.byteLength(data, "utf8") <= 64;
}

export function evaluationKeyboard(
  session: Session,
  language: Session["language"],
  assessment = false,
): InlineKeyboardMarkup {
  const t = telegramMessages(language);
  const row = [{ text: t.fullReport, callback_data: callbackData.report(session.id) }];
  const again = callbackData.again(session.personaId);
  // An assessment is not practice: its attempts are counted, so its card offers no retry.
  if (fitsCallback(again) && !assessment) row.push({ text: t.tryAgain, callback_data: again });
  return { inline_keyboard: [row] };
}

export interface TelegramOutlet extends Outlet {
  close(): void;
}

export function createTelegramOutlet(
  courier: Courier,
  engine: Pick<RoleplayApi, "abandon">,
  log: Logger,
): TelegramOutlet {
  // Sessions already being abandoned: their own "ended" message fails with 403 too.
  const abandoning = new Set<string>();

  async function deliver(event: Outbound): Promise<{ messageId?: string } | undefined> {
    const session = event.session;
    const target = targetOf(session.place);
    const language = "language" in event ? event.language : session.language;
    const t = telegramMessages(language);
    const onDefer = (seconds: number): Rendered => ({ html: t.rateLimited(seconds), plain: t.rateLimited(seconds) });

    if (event.type === "typing") {
      courier.startTyping(session.id, target);
      return undefined;
    }
    courier.stopTyping(session.id);

    let parts: Rendered[];
    let replyMarkup: InlineKeyboardMarkup | undefined;
    switch (event.type) {
      case "customer":
        parts = customerLine(event.speaker, event.text, session.place.scopeId !== null);
        break;
      case "notice":
        parts = plainText(t.notice(event.code));
        break;
      case "ended":
        parts = plainText(t.ended(event.outcome));
        break;
      case "evaluation":
        parts = renderEvaluationCard(event.card);
        replyMarkup = evaluationKeyboard(session, event.card.language, event.assessment === true);
        break;
    }

    let result: SendResult;
    try {
      result = await courier.send(target, parts, { replyMarkup, onDefer });
    } catch (error) {
      const fault = classifyFault(error);
      if (fault.kind === "blocked") {
        await abandon(session);
        return undefined;
      }
      log.warn("telegram.delivery_failed", { sessionId: session.id, event: event.type, fault: fault.kind });
      throw error;
    }
    const first = result.messages[0];
    return first ? { messageId: String(first.message_id) } : undefined;
  }

  async function abandon(session: Session) {
    if (session.status !== "active" || abandoning.has(session.id)) return;
    abandoning.add(session.id);
    log.info("telegram.chat_unreachable_session_abandoned", { sessionId: session.id });
    try {
      await engine.abandon(session.id);
    } catch (error) {
      log.warn("telegram.abandon_failed", { sessionId: session.id, error: (error as Error).name });
    }
  }

  return {
    deliver,
    close: () => courier.close(),
  };
}
