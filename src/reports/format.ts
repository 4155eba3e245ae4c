// How numbers, dates and codes in a summary read in each report format: shared so chat, Markdown,
// CSV and HTML say the same thing the same way.
import type { Language } from "../domain/persona.ts";
import type { EvalStatus, SessionStatus } from "../domain/session.ts";
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

/** YYYY-MM-DD in UTC. */
export function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** YYYY-MM-DD HH:MM in UTC. */
export function minute(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace("T", " ");
}

/** The period as dates, both inclusive: the exclusive end is shown as the day before. */
export function periodText(p: Period): string {
  const lastDay = day(Math.max(p.from, p.to - 1));
  const firstDay = day(p.from);
  return firstDay === lastDay ? firstDay : `${firstDay} – ${lastDay}`;
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
  return `report-${day(p.from)}_${day(Math.max(p.from, p.to - 1))}.${ext}`;
}
