// The name prompts give the model for each supported language (prompts are written in English, and
// the model reads the language's own name beside it): one copy for the customer prompt and the
// reply check. Interface labels for languages are in the message tables.
import type { Language } from "../domain/persona.ts";

/** The language as an English prompt names it for the model. */
export const LANGUAGE_NAMES_FOR_MODEL: Record<Language, string> = {
  "zh-CN": "Simplified Chinese (简体中文)",
  en: "English",
};
