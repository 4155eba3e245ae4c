// `/roleplay personas` and the autocompletion of `/roleplay start`: the same archetype and
// difficulty labels as Telegram's menu (shared/menu.ts), personas in the trainee's language first.
import type { AutocompleteInteraction, ChatInputCommandInteraction } from "discord.js";
import { languageFromLocale } from "../../i18n/index.ts";
import { archetypeChoices } from "../shared/menu.ts";
import { START_OPTIONS } from "./commands.ts";
import { channelPlace, type DiscordContext, messagesFor, traineeOf } from "./context.ts";
import { classifyFault } from "./faults.ts";
import { discordMessages } from "./messages.ts";
import { threadName } from "./render.ts";
import { answer, defer, fitLines } from "./replies.ts";

export async function onPersonas(ctx: DiscordContext, i: ChatInputCommandInteraction): Promise<void> {
  if (!(await defer(ctx, i, true))) return;
  const m = await messagesFor(ctx, traineeOf(i.user, i.member, i.locale), channelPlace(i), i.locale);
  const list = ctx.engine.personas();
  if (list.length === 0) return answer(ctx, i, m.noPersonas);
  const lines = list.map((p) =>
    m.personaLine(p.name, p.title, m.archetype(p.archetype), m.difficulty(p.difficulty), p.id),
  );
  await i.editReply({ embeds: [{ title: m.personasTitle, description: fitLines(lines, 4000, m.moreOmitted) }] });
}

export async function onAutocomplete(ctx: DiscordContext, i: AutocompleteInteraction): Promise<void> {
  const focused = i.options.getFocused(true);
  const language = languageFromLocale(i.locale) ?? ctx.app.config.language;
  const m = discordMessages(language);
  const q = String(focused.value).trim().toLowerCase();
  const all = ctx.engine.personas();
  let choices: Array<{ name: string; value: string }>;
  if (focused.name === START_OPTIONS.archetype) {
    choices = archetypeChoices(all, language)
      .filter((a) => a.id.toLowerCase().includes(q) || a.label.toLowerCase().includes(q))
      .map((a) => ({ name: a.label, value: a.id }));
  } else {
    choices = [...all]
      .sort((a, b) => Number(a.language !== language) - Number(b.language !== language))
      .filter((p) => [p.id, p.name, p.title, p.archetype].some((s) => s.toLowerCase().includes(q)))
      .map((p) => ({
        name: threadName(`${p.name} · ${p.title} · ${m.archetype(p.archetype)} · ${m.difficulty(p.difficulty)}`),
        value: p.id,
      }));
  }
  try {
    await i.respond(choices.slice(0, 25));
  } catch (e) {
    const fault = classifyFault(e);
    if (fault.kind === "already_answered" || (fault.kind === "gone" && fault.what === "interaction")) return;
    throw e;
  }
}
