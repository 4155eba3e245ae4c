// The summary as CSV for Excel: UTF-8 with a byte-order mark (without it Excel reads Chinese as
// mojibake), CRLF line ends, RFC 4180 quoting. Two sheets: one row per session, one per trainee.
import type { Language } from "../domain/persona.ts";
import { difficultyLabel, evalStatusLabel, minute, statusLabel, trendLabel, zoneText } from "./format.ts";
import { reportMessages } from "./messages.ts";
import type { TeamSummary } from "./summary.ts";

export const BOM = "\uFEFF";

type Cell = string | number | null;

/**
 * One field. Text that Excel would run as a formula (=, +, -, @, tab, CR at the start) gets a
 * leading apostrophe: names and titles are typed by users, and a report must not execute them.
 * Plain negative numbers (Telegram group ids) are left alone.
 */
export function csvField(value: Cell): string {
  if (value === null) return "";
  let text: string;
  if (typeof value === "number") text = Number.isFinite(value) ? String(Math.round(value * 10) / 10) : "";
  else text = /^[=+\-@\t\r]/.test(value) && !/^-?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvDocument(header: string[], rows: Cell[][]): string {
  const lines = [header, ...rows].map((r) => r.map(csvField).join(","));
  return `${BOM}${lines.join("\r\n")}\r\n`;
}

/** One row per session started in the period, with a column per criterion. */
export function renderSessionsCsv(summary: TeamSummary, language: Language): string {
  const m = reportMessages(language);
  const criteria = [...summary.criteria].sort((a, b) => a.criterionId.localeCompare(b.criterionId));
  const header = [
    m.col_session,
    m.col_started(zoneText(summary)),
    m.col_ended(zoneText(summary)),
    m.col_trainee,
    m.col_traineeId,
    m.col_platform,
    m.col_scope,
    m.col_personaId,
    m.col_persona,
    m.col_difficulty,
    m.col_status,
    m.col_evalStatus,
    m.col_outcome,
    m.col_endReason,
    m.col_total,
    m.col_passed,
    ...criteria.map((c) => c.name),
    m.col_turns,
    m.col_taboos,
    m.col_manipulation,
  ];
  const rows = summary.sessions.map((s) => [
    s.sessionId,
    minute(s.startedAt, summary.timeZone),
    s.endedAt === null ? null : minute(s.endedAt, summary.timeZone),
    s.displayName,
    s.traineeId,
    s.platform,
    s.scopeId,
    s.personaId,
    s.personaTitle,
    difficultyLabel(s.declaredDifficulty, language),
    statusLabel(s.status, language),
    evalStatusLabel(s.evalStatus, language),
    s.outcome,
    s.endReason,
    s.total,
    s.passed === null ? null : s.passed ? m.yes : m.no,
    ...criteria.map((c) => s.criterionScores[c.criterionId] ?? null),
    s.traineeTurns,
    s.total === null ? null : s.tabooHits,
    s.total === null ? null : s.manipulationHits,
  ]);
  return csvDocument(header, rows);
}

/** One row per trainee: progress over the period. */
export function renderTraineesCsv(summary: TeamSummary, language: Language): string {
  const m = reportMessages(language);
  const header = [
    m.col_trainee,
    m.col_traineeId,
    m.col_platform,
    m.sessions,
    m.col_evaluated,
    m.col_passedCount,
    m.first,
    m.best,
    m.latest,
    m.col_averageScore,
    m.trend,
    m.col_lastPractice(zoneText(summary)),
    m.weakness,
  ];
  const rows = summary.trainees.map((t) => [
    t.displayName,
    t.traineeId,
    t.platform,
    t.sessions,
    t.evaluated,
    t.passed,
    t.firstScore,
    t.bestScore,
    t.latestScore,
    t.averageScore,
    trendLabel(t.trend, language),
    minute(t.lastPracticeAt, summary.timeZone),
    t.weakness?.name ?? null,
  ]);
  return csvDocument(header, rows);
}

/** "report.csv" → "report-trainees.csv"; "out" → "out-trainees.csv". */
export function traineesCsvPath(sessionsPath: string): string {
  const m = /^(.*?)(\.csv)?$/i.exec(sessionsPath);
  const stem = m?.[1] ?? sessionsPath;
  return `${stem}-trainees${m?.[2] ?? ".csv"}`;
}
