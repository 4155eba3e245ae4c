// How numbers, dates and codes in a summary read in each report format: shared so chat, Markdown,
// CSV and HTML say the same thing the same way.
import type { Language } from "../domain/persona.ts";
import type { EvalStatus, SessionStatus } from "../domain/session.ts";
import { formatDay, formatMinute, offsetLabel } from "../i18n/dates.ts";
import { reportMessages } from "./messages.ts";
import type { Period, ReportScope, TeamSummary, Trend } from "./summary.ts";

/** A score to one decimal ("72.5"), or "—" when there is none. */
export function score(n: number | null): string {
  return n === null ? "—" : (Math.round(n * 10) / 10).toFixed(1);
}

/** A 0-1 share as a whole percentage ("67%"), or "—". */
export function percent(share: number | null): string {
  return share === null ? "—" : `${Math.round(share * 100)}%`;
}

/** "Label: value" in English, "标签：值" in Chinese. */
export function labelled(label: string, value: string, language: Language): string {
  return language === "en" ? `${label}: ${value}` : `${label}：${value}`;
}

/** YYYY-MM-DD: the day in the summary's zone. */
export function day(ms: number, timeZone: string): string {
  return formatDay(ms, timeZone);
}

/** YYYY-MM-DD HH:MM on the summary zone's clock (the zone is named once, by zoneText). */
export function minute(ms: number, timeZone: string): string {
  return formatMinute(ms, timeZone);
}

/** The period as dates, both inclusive: the exclusive end is shown as the day before. */
export function periodText(p: Period, timeZone: string): string {
  const lastDay = day(Math.max(p.from, p.to - 1), timeZone);
  const firstDay = day(p.from, timeZone);
  return firstDay === lastDay ? firstDay : `${firstDay} – ${lastDay}`;
}

/**
 * The zone the summary's times are in, as readers know it: "UTC+8", "UTC"; the zone's name when
 * its offset changes within the period (daylight saving time), as one offset would be wrong.
 */
export function zoneText(summary: Pick<TeamSummary, "period" | "timeZone">): string {
  const { period: p, timeZone } = summary;
  const first = offsetLabel(p.from, timeZone);
  return first === offsetLabel(Math.max(p.from, p.to - 1), timeZone) ? first : timeZone;
}

export function scopeText(scope: ReportScope[] | null, language: Language): string {
  if (scope === null) return reportMessages(language).scopeAll;
  if (scope.length === 0) return reportMessages(language).none;
  return scope.map((s) => `${s.platform}:${s.scopeId}`).join(", ");
}

export function trendLabel(t: Trend, language: Language): string {
  return reportMessages(language)[`trend_${t}`];
}

export function difficultyLabel(d: "easy" | "medium" | "hard" | null, language: Language): string {
  return d === null ? "—" : reportMessages(language)[`difficulty_${d}`];
}

export function statusLabel(s: SessionStatus, language: Language): string {
  return reportMessages(language)[`status_${s}`];
}

export function evalStatusLabel(s: EvalStatus, language: Language): string {
  return reportMessages(language)[`eval_${s}`];
}

/** A file name for the period: report-2026-01-01_2026-01-31.ext */
export function reportFileName(summary: TeamSummary, ext: string): string {
  const p = summary.period;
  return `report-${day(p.from, summary.timeZone)}_${day(Math.max(p.from, p.to - 1), summary.timeZone)}.${ext}`;
}
