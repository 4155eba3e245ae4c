// Choosing a customer, as both platforms offer it: archetype → difficulty → persona (or any of
// them), from the personas in the trainee's language when there are any. Telegram shows each step
// as buttons; Discord offers the same choices as the options and autocompletion of
// `/roleplay start`. The labels come from one table, so both read "Angry", "Easy", "愤怒型", "简单".
import { DIFFICULTIES, type Difficulty, type Language } from "../../domain/persona.ts";
import type { PersonaSummary } from "../../roleplay/api.ts";
import { sharedTexts } from "./messages.ts";

export type MenuAction =
  | { kind: "archetypes" }
  | { kind: "archetype"; archetype: string }
  | { kind: "difficulty"; archetype: string; difficulty: Difficulty }
  | { kind: "persona"; personaId: string }
  | { kind: "random"; archetype: string; difficulty: Difficulty };

export interface MenuOption {
  label: string;
  action: MenuAction;
}

export interface Menu {
  text: string;
  /** Rows of options as they should be laid out. */
  rows: MenuOption[][];
}

/** Personas in the trainee's language when there are any, otherwise all of them. */
export function visiblePersonas(all: PersonaSummary[], language: Language): PersonaSummary[] {
  const own = all.filter((p) => p.language === language);
  return own.length > 0 ? own : all;
}

/** Archetypes in catalogue order, with their labels. */
export function archetypeChoices(personas: PersonaSummary[], language: Language): Array<{ id: string; label: string }> {
  const t = sharedTexts(language);
  return [...new Set(personas.map((p) => p.archetype))].map((id) => ({ id, label: t.archetype(id) }));
}

/** The difficulties that have at least one persona of `archetype`, easiest first. */
export function difficultiesOf(personas: PersonaSummary[], archetype: string): Difficulty[] {
  return DIFFICULTIES.filter((d) => personas.some((p) => p.archetype === archetype && p.difficulty === d));
}

/** The first step; with a single archetype it answers itself and the menu starts at the difficulty. */
export function archetypeMenu(personas: PersonaSummary[], language: Language): Menu {
  const choices = archetypeChoices(personas, language);
  if (choices.length === 1) return difficultyMenu(personas, (choices[0] as { id: string }).id, language, false);
  const t = sharedTexts(language);
  return {
    text: t.pickArchetype,
    rows: rows(
      choices.map((c) => ({ label: c.label, action: { kind: "archetype", archetype: c.id } })),
      2,
    ),
  };
}

export function difficultyMenu(
  personas: PersonaSummary[],
  archetype: string,
  language: Language,
  withBack = true,
): Menu {
  const t = sharedTexts(language);
  const options: MenuOption[] = difficultiesOf(personas, archetype).map((difficulty) => ({
    label: t.difficulty(difficulty),
    action: { kind: "difficulty", archetype, difficulty },
  }));
  const out = rows(options, 3);
  if (withBack) out.push([{ label: t.back, action: { kind: "archetypes" } }]);
  return { text: t.pickDifficulty(t.archetype(archetype)), rows: out };
}

export function personaMenu(
  personas: PersonaSummary[],
  archetype: string,
  difficulty: Difficulty,
  language: Language,
): Menu {
  const t = sharedTexts(language);
  const matching = personas.filter((p) => p.archetype === archetype && p.difficulty === difficulty);
  const out: MenuOption[][] = matching.map((p) => [
    { label: t.personaOption(p.name, p.title), action: { kind: "persona", personaId: p.id } },
  ]);
  if (matching.length > 1) out.push([{ label: t.anyPersona, action: { kind: "random", archetype, difficulty } }]);
  out.push([{ label: t.back, action: { kind: "archetype", archetype } }]);
  return { text: t.pickPersona(t.archetype(archetype), t.difficulty(difficulty)), rows: out };
}

/** The menu an action leads to (null for the actions that choose a persona). */
export function menuFor(action: MenuAction, personas: PersonaSummary[], language: Language): Menu | null {
  switch (action.kind) {
    case "archetypes":
      return archetypeMenu(personas, language);
    case "archetype":
      return difficultyMenu(personas, action.archetype, language);
    case "difficulty":
      return personaMenu(personas, action.archetype, action.difficulty, language);
    default:
      return null;
  }
}

/**
 * A random persona among `personas` of this archetype and difficulty (either may be left out),
 * preferring the trainee's language when one of them speaks it.
 */
export function randomPersona(
  personas: PersonaSummary[],
  want: { archetype?: string; difficulty?: Difficulty; language: Language },
  random: () => number = Math.random,
): PersonaSummary | undefined {
  const matching = personas.filter(
    (p) =>
      (want.archetype === undefined || p.archetype === want.archetype) &&
      (want.difficulty === undefined || p.difficulty === want.difficulty),
  );
  const pool = visiblePersonas(matching, want.language);
  return pool[Math.floor(random() * pool.length)];
}

/** A persona named by its id, or by its id or name in any case (what a trainee may type). */
export function findPersona(all: PersonaSummary[], query: string): PersonaSummary | undefined {
  const q = query.trim().toLowerCase();
  if (q === "") return undefined;
  return (
    all.find((p) => p.id === query.trim()) ?? all.find((p) => p.id.toLowerCase() === q || p.name.toLowerCase() === q)
  );
}

function rows<T>(items: T[], width: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += width) out.push(items.slice(i, i + width));
  return out;
}
