// Interface text in Simplified Chinese and English. Each area of the code defines its own
// messages with `defineMessages`, so the two languages are checked against each other by the
// type checker (a key missing in one language is a compile error).
import type { Language } from "../domain/persona.ts";

export type { Language };
export const DEFAULT_LANGUAGE: Language = "zh-CN";

// biome-ignore lint/suspicious/noExplicitAny: message functions take any parameter shape
type Message = string | ((...args: any[]) => unknown) | { readonly [key: string]: string };

/**
 * Declares one area's messages in both languages; returns a lookup by language.
 * English is the reference shape: the Chinese set must have the same keys and signatures.
 */
export function defineMessages<const T extends Record<string, Message>>(sets: {
  en: T;
  "zh-CN": Widened<T>;
}): (language: Language) => Widened<T> {
  definedTables.push(sets as MessageTable);
  const en: Widened<T> = sets.en as Widened<T>;
  return (language) => (language === "en" ? en : sets["zh-CN"]);
}

export type MessageTable = Record<Language, Record<string, Message>>;
const definedTables: MessageTable[] = [];

/** Every table defined so far (by the modules imported): for the tests that read them all. */
export function messageTables(): readonly MessageTable[] {
  return definedTables;
}

/** String literals widened to string, so the two languages need only match in shape. */
export type Widened<T> = {
  [K in keyof T]: T[K] extends string
    ? string
    : T[K] extends (...args: never[]) => unknown
      ? T[K]
      : { [P in keyof T[K]]: string };
};

/** Picks a supported language from a platform's locale code (e.g. Telegram "zh-hans", Discord "zh-CN"). */
export function languageFromLocale(code: string | null | undefined): Language | null {
  if (!code) return null;
  const c = code.toLowerCase();
  if (c.startsWith("zh")) return "zh-CN";
  if (c.startsWith("en")) return "en";
  return null;
}
