// Starting a session: /roleplay with a persona id starts at once; without one, inline keyboards lead
// from archetype to difficulty to persona. In a forum supergroup each session gets its own topic
// when the bot may create topics. The card's "Try again" button comes back here too.
import { Composer, type Context } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import type { Difficulty } from "../../domain/persona.ts";
import { DIFFICULTIES } from "../../domain/persona.ts";
import type { Place } from "../../domain/session.ts";
import type { PersonaSummary } from "../../roleplay/api.ts";
import { answer, type FeatureDeps, type Texts, textsFor } from "./deps.ts";
import { fitsCallback } from "./outlet.ts";
import { isGroup, messageOf, placeOfMessage, targetOf, traineeOf } from "./place.ts";
import { plainText } from "./render.ts";

/** Callback data of the picker; the user id makes each menu usable only by whoever opened it. */
const pick = {
  archetype: (uid: number, a: string) => `rp:a:${uid}:${a}`,
  difficulty: (uid: number, a: string, d: Difficulty) => `rp:d:${uid}:${a}:${d}`,
  persona: (uid: number, id: string) => `rp:p:${uid}:${id}`,
  random: (uid: number, a: string, d: Difficulty) => `rp:r:${uid}:${a}:${d}`,
  back: (uid: number) => `rp:b:${uid}`,
};

export function roleplayFeatures(deps: FeatureDeps): Composer<Context> {
  const c = new Composer<Context>();

  c.command("roleplay", async (ctx) => {
    if (!ctx.from) return;
    const { t } = await textsFor(ctx, deps);
    const personaId = ctx.match.trim().split(/\s+/)[0];
    if (personaId) {
      await startSession(ctx, deps, personaId);
      return;
    }
    const personas = await visiblePersonas(ctx, deps);
    if (personas.length === 0) {
      await answer(ctx, deps, t.noPersonas);
      return;
    }
    const menu = archetypeMenu(t, ctx.from.id, personas);
    await answer(ctx, deps, menu.text, { replyMarkup: { inline_keyboard: menu.keyboard } });
  });

  c.callbackQuery(/^rp:([adprb]):(\d+)(?::([^:]+))?(?::([^:]+))?$/, async (ctx) => {
    const [, step, owner, a, b] = ctx.match;
    const { t } = await textsFor(ctx, deps);
    if (String(ctx.from.id) !== owner) {
      await ctx.answerCallbackQuery({ text: t.menuNotYours, show_alert: true });
      return;
    }
    await ctx.answerCallbackQuery();
    const uid = ctx.from.id;
    const personas = await visiblePersonas(ctx, deps);
    const difficulty = DIFFICULTIES.find((d) => d === b);

    if (step === "b" || (step === "a" && a)) {
      const menu = step === "b" || !a ? archetypeMenu(t, uid, personas) : difficultyMenu(t, uid, a, personas);
      await editMenu(ctx, menu.text, menu.keyboard);
      return;
    }
    if (step === "d" && a && difficulty) {
      const menu = personaMenu(t, uid, a, difficulty, personas);
      await editMenu(ctx, menu.text, menu.keyboard);
      return;
    }
    let chosen: PersonaSummary | undefined;
    if (step === "p" && a) chosen = deps.engine.personas().find((p) => p.id === a);
    if (step === "r" && a && difficulty) {
      const matching = personas.filter((p) => p.archetype === a && p.difficulty === difficulty);
      chosen = matching[Math.floor(Math.random() * matching.length)];
    }
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

/** Personas in the trainee's language when there are any, otherwise all of them. */
async function visiblePersonas(ctx: Context, deps: FeatureDeps): Promise<PersonaSummary[]> {
  const { language } = await textsFor(ctx, deps);
  const own = deps.engine.personas({ language });
  return own.length > 0 ? own : deps.engine.personas();
}

type Keyboard = InlineKeyboardButton[][];

function archetypeMenu(t: Texts, uid: number, personas: PersonaSummary[]): { text: string; keyboard: Keyboard } {
  const archetypes = [...new Set(personas.map((p) => p.archetype))];
  // With one archetype the first question answers itself: go straight to the difficulty.
  if (archetypes.length === 1) return difficultyMenu(t, uid, archetypes[0] as string, personas, false);
  return {
    text: t.pickArchetype,
    keyboard: rows(
      archetypes.map((a) => ({ text: t.archetype(a), callback_data: pick.archetype(uid, a) })),
      2,
    ),
  };
}

function difficultyMenu(
  t: Texts,
  uid: number,
  archetype: string,
  personas: PersonaSummary[],
  withBack = true,
): { text: string; keyboard: Keyboard } {
  const levels = DIFFICULTIES.filter((d) => personas.some((p) => p.archetype === archetype && p.difficulty === d));
  const keyboard = rows(
    levels.map((d) => ({ text: t.difficulty(d), callback_data: pick.difficulty(uid, archetype, d) })),
    3,
  );
  if (withBack) keyboard.push([{ text: t.back, callback_data: pick.back(uid) }]);
  return { text: t.pickDifficulty(t.archetype(archetype)), keyboard };
}

function personaMenu(
  t: Texts,
  uid: number,
  archetype: string,
  difficulty: Difficulty,
  personas: PersonaSummary[],
): { text: string; keyboard: Keyboard } {
  const matching = personas.filter((p) => p.archetype === archetype && p.difficulty === difficulty);
  const keyboard: Keyboard = matching
    .filter((p) => fitsCallback(pick.persona(uid, p.id)))
    .map((p) => [{ text: `${p.name} · ${p.title}`, callback_data: pick.persona(uid, p.id) }]);
  if (matching.length > 1)
    keyboard.push([{ text: t.anyPersona, callback_data: pick.random(uid, archetype, difficulty) }]);
  keyboard.push([{ text: t.back, callback_data: pick.archetype(uid, archetype) }]);
  return { text: t.pickPersona(t.archetype(archetype), t.difficulty(difficulty)), keyboard };
}

function rows<T>(items: T[], width: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += width) out.push(items.slice(i, i + width));
  return out;
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
export async function startSession(ctx: Context, deps: FeatureDeps, personaId: string): Promise<void> {
  const message = messageOf(ctx);
  if (!ctx.from || !message) return;
  const { t } = await textsFor(ctx, deps);
  const trainee = traineeOf(ctx.from);
  const origin = placeOfMessage(message);
  const chat = message.chat;

  const persona = deps.engine.personas().find((p) => p.id === personaId);
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

  const result = await deps.engine.start({ trainee, place, personaId: persona.id, announce });
  if (!result.ok) {
    await deps.courier.send(targetOf(place), plainText(t.error(result.error.code, result.error.detail)));
    if (place !== origin) {
      await ctx.api.closeForumTopic(chat.id, Number(place.threadId)).catch(() => undefined);
    }
  }
}

function firstPrivacyNotice(deps: FeatureDeps, chatId: number): Promise<boolean> {
  return deps.once ? deps.once(`telegram:privacy-notice:${chatId}`) : Promise.resolve(true);
}
