// Starting a session: /roleplay with a persona id starts at once; without one, inline keyboards lead
// from archetype to difficulty to persona. In a forum supergroup each session gets its own topic
// when the bot may create topics. The card's "Try again" button comes back here too.
import { Composer, type Context } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import { DIFFICULTIES } from "../../domain/persona.ts";
import type { Place } from "../../domain/session.ts";
import type { PersonaSummary, StartRequest, StartResult } from "../../roleplay/api.ts";
import {
  archetypeMenu,
  findPersona,
  type Menu,
  type MenuAction,
  menuFor,
  randomPersona,
  visiblePersonas,
} from "../shared/menu.ts";
import { answer, type FeatureDeps, textsFor } from "./deps.ts";
import { fitsCallback } from "./outlet.ts";
import { isGroup, messageOf, placeOfMessage, targetOf, traineeOf } from "./place.ts";
import { plainText } from "./render.ts";

export function roleplayFeatures(deps: FeatureDeps): Composer<Context> {
  const c = new Composer<Context>();

  c.command("roleplay", async (ctx) => {
    if (!ctx.from) return;
    const { language, t } = await textsFor(ctx, deps);
    const personaId = ctx.match.trim().split(/\s+/)[0];
    if (personaId) {
      await startSession(ctx, deps, personaId);
      return;
    }
    const personas = visiblePersonas(deps.engine.personas(), language);
    if (personas.length === 0) {
      await answer(ctx, deps, t.noPersonas);
      return;
    }
    const menu = archetypeMenu(personas, language);
    await answer(ctx, deps, menu.text, { replyMarkup: { inline_keyboard: keyboardOf(menu, ctx.from.id) } });
  });

  c.callbackQuery(/^rp:([adprb]):(\d+)(?::([^:]+))?(?::([^:]+))?$/, async (ctx) => {
    const [, step, owner, a, b] = ctx.match;
    const { language, t } = await textsFor(ctx, deps);
    if (String(ctx.from.id) !== owner) {
      await ctx.answerCallbackQuery({ text: t.menuNotYours, show_alert: true });
      return;
    }
    await ctx.answerCallbackQuery();
    const uid = ctx.from.id;
    const all = deps.engine.personas();
    const personas = visiblePersonas(all, language);
    const action = actionOf(step as string, a, b);
    const menu = action ? menuFor(action, personas, language) : null;
    if (menu) {
      await editMenu(ctx, menu.text, keyboardOf(menu, uid));
      return;
    }
    let chosen: PersonaSummary | undefined;
    if (action?.kind === "persona") chosen = all.find((p) => p.id === action.personaId);
    if (action?.kind === "random") chosen = randomPersona(personas, { ...action, language });
    if (!chosen) {
      await editMenu(ctx, t.menuExpired, []);
      return;
    }
    await editMenu(ctx, t.chosen(chosen.name, chosen.title), []);
    await startSession(ctx, deps, chosen.id);
  });

  c.callbackQuery(/^again:(.+)$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    await startSession(ctx, deps, ctx.match[1] as string);
  });

  return c;
}

type Keyboard = InlineKeyboardButton[][];

/** The callback data of a menu action; the user id makes each menu usable only by whoever opened it. */
function callbackOf(uid: number, action: MenuAction): string {
  switch (action.kind) {
    case "archetypes":
      return `rp:b:${uid}`;
    case "archetype":
      return `rp:a:${uid}:${action.archetype}`;
    case "difficulty":
      return `rp:d:${uid}:${action.archetype}:${action.difficulty}`;
    case "persona":
      return `rp:p:${uid}:${action.personaId}`;
    case "random":
      return `rp:r:${uid}:${action.archetype}:${action.difficulty}`;
  }
}

function actionOf(step: string, a: string | undefined, b: string | undefined): MenuAction | null {
  const difficulty = DIFFICULTIES.find((d) => d === b);
  if (step === "b" || (step === "a" && !a)) return { kind: "archetypes" };
  if (step === "a" && a) return { kind: "archetype", archetype: a };
  if (step === "d" && a && difficulty) return { kind: "difficulty", archetype: a, difficulty };
  if (step === "p" && a) return { kind: "persona", personaId: a };
  if (step === "r" && a && difficulty) return { kind: "random", archetype: a, difficulty };
  return null;
}

/** The shared menu as inline buttons (a persona whose id makes the data too long is left out). */
function keyboardOf(menu: Menu, uid: number): Keyboard {
  return menu.rows
    .map((row) =>
      row
        .map((o) => ({ text: o.label, callback_data: callbackOf(uid, o.action) }))
        .filter((button) => fitsCallback(button.callback_data)),
    )
    .filter((row) => row.length > 0);
}

async function editMenu(ctx: Context, text: string, keyboard: Keyboard): Promise<void> {
  try {
    await ctx.editMessageText(text, { reply_markup: { inline_keyboard: keyboard } });
  } catch {
    // The menu may be too old to edit, or unchanged; the next step does not depend on it.
  }
}

/**
 * Starts a session with `personaId` for the user behind this update, in the place the update came
 * from, or in a new forum topic. The intro goes out once the session is stored and before the
 * customer's opening line, so the chat reads in order and never announces a session that is not there.
 */
export async function startSession(
  ctx: Context,
  deps: FeatureDeps,
  personaId: string,
  /** Starts instead of the engine (an assigned customer, its attempt counted); may refuse in its own words. */
  start?: (req: StartRequest) => Promise<StartResult | { ok: false; text: string }>,
): Promise<void> {
  const message = messageOf(ctx);
  if (!ctx.from || !message) return;
  const { t } = await textsFor(ctx, deps);
  const trainee = traineeOf(ctx.from);
  const origin = placeOfMessage(message);
  const chat = message.chat;

  const persona = findPersona(deps.engine.personas(), personaId);
  if (!persona) {
    await answer(ctx, deps, t.error("persona_not_found", personaId));
    return;
  }
  if (await deps.engine.activeSession(trainee, origin)) {
    await answer(ctx, deps, t.error("session_already_active"));
    return;
  }

  let place: Place = origin;
  if (chat.type === "supergroup" && "is_forum" in chat && chat.is_forum) {
    const name = t.topicName(persona.name, trainee.displayName).slice(0, 128);
    try {
      const topic = await ctx.api.createForumTopic(chat.id, name);
      place = { ...origin, threadId: String(topic.message_thread_id) };
      await answer(ctx, deps, t.topicOpened(trainee.displayName, name));
    } catch (error) {
      // No right to manage topics: the session runs in the topic the trainee is in.
      deps.log.info("telegram.topic_not_created", { chatId: String(chat.id), error: (error as Error).name });
    }
  }

  const group = isGroup(chat);
  // Said only once the session is stored (the engine calls it before the customer's first line).
  const announce = async () => {
    const intro = [t.sessionIntro(trainee.displayName, persona.name, persona.title, group)];
    // Issue 5: the privacy hint is said once per group, not at every session start.
    if (group && !(await deps.seesAllMessages(chat.id)) && (await firstPrivacyNotice(deps, chat.id))) {
      intro.push("", t.privacyMode);
    }
    await deps.courier.send(targetOf(place), plainText(intro.join("\n")));
  };

  const result = await (start ?? deps.engine.start)({ trainee, place, personaId: persona.id, announce });
  if (!result.ok) {
    const why = "text" in result ? result.text : t.error(result.error.code, result.error.detail);
    await deps.courier.send(targetOf(place), plainText(why));
    if (place !== origin) {
      await ctx.api.closeForumTopic(chat.id, Number(place.threadId)).catch(() => undefined);
    }
  }
}

function firstPrivacyNotice(deps: FeatureDeps, chatId: number): Promise<boolean> {
  return deps.once ? deps.once(`telegram:privacy-notice:${chatId}`) : Promise.resolve(true);
}
