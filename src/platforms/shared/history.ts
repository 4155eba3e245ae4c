// A trainee's recent sessions as both platforms list them: the same number of entries, each
// dated in the team's zone (with its offset, so a trainee and a trainer read the same date), the
// same title and the same result. Platforms only decide the container (buttons, an embed).
import type { Language } from "../../domain/persona.ts";
import { formatDateTime } from "../../i18n/dates.ts";
import type { HistoryEntry } from "../../roleplay/api.ts";
import { sharedTexts } from "./messages.ts";

/** How many past sessions /history shows (docs/telegram.md and docs/discord.md say ten). */
export const HISTORY_LIMIT = 10;

export interface HistoryRow {
  sessionId: string;
  /** "2026-03-01 09:30 (UTC+08:00) · Counterfeit note at the ATM · 78 ✅" */
  label: string;
}

/** The rows of a history list, newest first as the engine gives them, at most HISTORY_LIMIT. */
export function historyRows(entries: HistoryEntry[], language: Language, timeZone: string): HistoryRow[] {
  const t = sharedTexts(language);
  return entries.slice(0, HISTORY_LIMIT).map((e) => ({
    sessionId: e.sessionId,
    label: t.historyLine(formatDateTime(e.startedAt, timeZone, language), e.personaTitle, historyResult(e, language)),
  }));
}

/** The score with a pass or fail mark once evaluated, otherwise what the session is waiting for. */
export function historyResult(e: Pick<HistoryEntry, "total" | "passed" | "status">, language: Language): string {
  const t = sharedTexts(language);
  return e.total !== null && e.passed !== null ? t.historyScore(e.total, e.passed) : t.historyStatus(e.status);
}
