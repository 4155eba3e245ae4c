// Words every chat platform shows the same way: customer kinds and difficulty levels, how a past
// session reads in a history list, and the steps of the persona menu. Platforms add their own
// texts (commands, markup) on top; these are the ones the shared presenters render.
import type { Difficulty } from "../../domain/persona.ts";
import type { SessionStatus } from "../../domain/session.ts";
import { defineMessages, type Language } from "../../i18n/index.ts";

const table = defineMessages({
  en: {
    difficulty: (d: Difficulty): string => ({ easy: "Easy", medium: "Medium", hard: "Hard" })[d],
    archetype: (id: string): string =>
      (
        ({
          angry: "Angry",
          confused: "Confused",
          suspicious: "Suspicious",
          anxious: "Anxious",
          demanding: "Demanding",
          elderly: "Elderly",
          hurried: "In a hurry",
          grieving: "Grieving",
        }) as Record<string, string>
      )[id] ?? id,
    historyStatus: (status: SessionStatus): string =>
      ({ active: "in progress", ended: "awaiting evaluation", evaluated: "evaluated", abandoned: "abandoned" })[status],
    historyScore: (total: number, passed: boolean): string => `${total} ${passed ? "✅" : "❌"}`,
    historyLine: (date: string, title: string, result: string): string => `${date} · ${title} · ${result}`,
    pickArchetype: "What kind of customer do you want to practise with?",
    pickDifficulty: (archetype: string) => `${archetype} customer: how difficult?`,
    pickPersona: (archetype: string, difficulty: string) => `${archetype} · ${difficulty}: pick a customer.`,
    anyPersona: "🎲 Any of them",
    back: "« Back",
    personaOption: (name: string, title: string) => `${name} · ${title}`,
    /** Each interface language by its own name, whatever language the reader has now. */
    languageNames: { "zh-CN": "简体中文", en: "English" },
  },
  "zh-CN": {
    difficulty: (d: Difficulty): string => ({ easy: "简单", medium: "中等", hard: "困难" })[d],
    archetype: (id: string): string =>
      (
        ({
          angry: "愤怒型",
          confused: "困惑型",
          suspicious: "怀疑型",
          anxious: "焦虑型",
          demanding: "苛刻型",
          elderly: "老年客户",
          hurried: "赶时间型",
          grieving: "悲伤型",
        }) as Record<string, string>
      )[id] ?? id,
    historyStatus: (status: SessionStatus): string =>
      ({ active: "进行中", ended: "等待评估", evaluated: "已评估", abandoned: "已放弃" })[status],
    historyScore: (total: number, passed: boolean): string => `${total} ${passed ? "✅" : "❌"}`,
    historyLine: (date: string, title: string, result: string): string => `${date} · ${title} · ${result}`,
    pickArchetype: "想和哪种类型的客户练习？",
    pickDifficulty: (archetype: string) => `${archetype}客户：选择难度`,
    pickPersona: (archetype: string, difficulty: string) => `${archetype} · ${difficulty}：选择一位客户`,
    anyPersona: "🎲 随机一位",
    back: "« 返回",
    personaOption: (name: string, title: string) => `${name} · ${title}`,
    languageNames: { "zh-CN": "简体中文", en: "English" },
  },
});

export type SharedTexts = ReturnType<typeof table>;

/** The shared words in `language`. */
export function sharedTexts(language: Language): SharedTexts {
  return table(language);
}
