// The simple commands: /start, /help, /personas, /end and /language (with its buttons), and the
// command menu registered with setMyCommands in each language.
import { type Api, Composer, type Context, type RawApi } from "grammy";
import { LANGUAGES, type Language } from "../../domain/persona.ts";
import { answer, type FeatureDeps, textsFor } from "./deps.ts";
import type { Logger } from "../../log.ts";
import { COMMAND_NAMES, telegramMessages } from "./messages.ts";
import { isGroup, placeOfMessage, traineeOf } from "./place.ts";

export function commandFeatures(deps: FeatureDeps): Composer<Context> {
  const c = new Composer<Context>();

  c.command(["start", "help"], async (ctx) => {
    const { t } = await textsFor(ctx, deps);
    await answer(ctx, deps, t.help);
  });

  c.command("personas", async (ctx) => {
    const { t } = await textsFor(ctx, deps);
    const personas = deps.engine.personas();
    if (personas.length === 0) {
      await answer(ctx, deps, t.noPersonas);
      return;
    }
    const lines = personas.map(
      (p) =>
        `${t.personaLine(p.name, p.title, t.archetype(p.archetype), t.difficulty(p.difficulty))}\n  /roleplay ${p.id}`,
    );
    await answer(ctx, deps, [t.personasTitle, "", ...lines].join("\n"));
  });

  c.command("end", async (ctx) => {
    if (!ctx.from) return;
    const result = await deps.engine.end(traineeOf(ctx.from), placeOfMessage(ctx.msg));
    // On success the engine itself announces the end and the evaluation through the outlet.
    if (!result.ok) {
      const { t } = await textsFor(ctx, deps);
      await answer(ctx, deps, t.error(result.error.code, result.error.detail), { replyTo: ctx.msg.message_id });
    }
  });

  c.command("language", async (ctx) => {
    if (!ctx.from) return;
    const { t } = await textsFor(ctx, deps);
    const rows = [LANGUAGES.map((l) => ({ text: t.languageForMe(t.languageNames[l]), callback_data: `lang:u:${l}` }))];
    if (isGroup(ctx.chat) && (await deps.roles.managesGroup(String(ctx.from.id), String(ctx.chat.id)))) {
      rows.push(LANGUAGES.map((l) => ({ text: t.languageForGroup(t.languageNames[l]), callback_data: `lang:g:${l}` })));
    }
    await answer(ctx, deps, t.languagePrompt, { replyMarkup: { inline_keyboard: rows } });
  });

  c.callbackQuery(/^lang:([ug]):(.+)$/, async (ctx) => {
    const [, who, code] = ctx.match;
    const language = LANGUAGES.find((l) => l === code);
    const chat = ctx.callbackQuery.message?.chat;
    if (!language || !chat) {
      await ctx.answerCallbackQuery();
      return;
    }
    const t = telegramMessages(language);
    if (who === "g") {
      if (!isGroup(chat) || !(await deps.roles.managesGroup(String(ctx.from.id), String(chat.id)))) {
        const { t: current } = await textsFor(ctx, deps);
        await ctx.answerCallbackQuery({ text: current.languageGroupNeedsManager, show_alert: true });
        return;
      }
      await deps.engine.setScopeLanguage("telegram", String(chat.id), language);
      await ctx.answerCallbackQuery({ text: t.languageSetGroup });
    } else {
      await deps.engine.setTraineeLanguage(traineeOf(ctx.from), language);
      await ctx.answerCallbackQuery({ text: t.languageSet });
    }
    await answer(ctx, deps, who === "g" ? t.languageSetGroup : t.languageSet);
  });

  return c;
}

/**
 * Registers the command menu in each supported language, and in the default language for
 * everyone else. Best effort: a server that lacks the method (or a flood wait) changes nothing.
 */
export async function registerCommands(api: Api<RawApi>, defaultLanguage: Language, log: Logger): Promise<void> {
  const list = (language: Language) => {
    const d = telegramMessages(language).commands();
    return COMMAND_NAMES.filter((n) => n !== "start").map((command) => ({ command, description: d[command] }));
  };
  const calls: Array<[Language, "zh" | "en" | undefined]> = [
    [defaultLanguage, undefined],
    ["zh-CN", "zh"],
    ["en", "en"],
  ];
  for (const [language, code] of calls) {
    try {
      await api.setMyCommands(list(language), code ? { language_code: code } : {});
    } catch (error) {
      log.debug("telegram.set_my_commands_failed", { language, error: (error as Error).name });
      return;
    }
  }
}
