// The language packs by language: what the detectors run and what trainers' patterns compile against.
import type { Language } from "../../domain/persona.ts";
import { en } from "./en/index.ts";
import type { LanguagePack } from "./families.ts";
import { zh } from "./zh/index.ts";

export const PACKS: Record<Language, LanguagePack> = { "zh-CN": zh, en };
