// The summary as CSV for Excel: UTF-8 with a byte-order mark (without it Excel reads Chinese as
// mojibake), CRLF line ends, RFC 4180 quoting. Two sheets: one row per session, one per trainee.
import type { Language } from "../domain/persona.ts";
import { difficultyLabel, evalStatusLabel, minute, statusLabel, trendLabel, zoneText } from "./format.ts";
import { reportMessages } from "./messages.ts";
import { collectText, type SessionRowPages, type TextSink } from "./sink.ts";
import type { SessionRow, TeamSummary } from "./summary.ts";

export const BOM = "\uFEFF";

type Cell = string | number | null;

/**
 * One field. Text that Excel would run as a formula (=, +, -, @, tab, CR at the start) gets a
 * leading apostrophe: names and titles are typed by users, and a report must not execute them.
 * Plain negative numbers (Telegram group ids) are left alone.
 */
export function csvField(value: Cell): string {
  if (value === null) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(Math.round(value * 10) / 10) : "";
  const text = FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

function csvLine(row: Cell[]): string {
  let line = "";
  for (let i = 0; i < row.length; i++) line += (i === 0 ? "" : ",") + csvField(row[i] as Cell);
  return `${line}\r\n`;
}

export function csvDocument(header: string[], rows: Cell[][]): string {
  return `${BOM}${csvLine(header)}${rows.map(csvLine).join("")}`;
}

/**
 * One row per session started in the period, with a column per criterion, written a page at a
 * time (header first) as the rows arrive.
 */
export async function writeSessionsCsv(
  summary: TeamSummary,
  pages: SessionRowPages,
  language: Language,
  write: TextSink,
): Promise<void> {
  const m = reportMessages(language);
  const criteria = [...summary.criteria].sort((a, b) => a.criterionId.localeCompare(b.criterionId));
  const zone = zoneText(summary);
  const header = [
    m.col_session,
    m.col_started(zone),
    m.col_ended(zone),
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
  await write(`${BOM}${csvLine(header)}`);
  const tz = summary.timeZone;
  const row = (s: SessionRow): Cell[] => [
    s.sessionId,
    minute(s.startedAt, tz),
    s.endedAt === null ? null : minute(s.endedAt, tz),
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
  ];
  for await (const page of pages) {
    if (page.length === 0) continue;
    let text = "";
    for (const s of page) text += csvLine(row(s));
    await write(text);
  }
}

/** The session sheet as one string: for a small period or a test (a file should stream). */
export function renderSessionsCsv(summary: TeamSummary, pages: SessionRowPages, language: Language): Promise<string> {
  return collectText((write) => writeSessionsCsv(summary, pages, language, write));
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
