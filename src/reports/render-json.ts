// The summary as JSON with a stable, documented shape (docs/reports.md). Fields are only ever
// added within a schemaVersion; renaming or removing one raises it. Times are ISO 8601 with the
// offset of `timeZone` (the same instants as UTC, readable as local times),
// scores 0-100 rounded to 2 decimals, shares 0-1 rounded to 4.
import { completionJson } from "./completion.ts";
import { isoWithOffset } from "../i18n/dates.ts";
import { collectText, type SessionRowPages, type TextSink } from "./sink.ts";
import type { SessionRow, TeamSummary, Trend } from "./summary.ts";

export const REPORT_SCHEMA_VERSION = 2;

export interface ReportJson {
  schemaVersion: 2;
  generatedAt: string;
  /** IANA zone of every time's offset and of the period's day boundaries. */
  timeZone: string;
  period: { from: string; to: string };
  /** null: every place. */
  scope: Array<{ platform: string; scopeId: string }> | null;
  totals: {
    started: number;
    completed: number;
    abandoned: number;
    active: number;
    evaluated: number;
    passed: number;
    passRate: number | null;
    averageScore: number | null;
    medianScore: number | null;
  };
  criteria: Array<{
    criterionId: string;
    name: string;
    sessions: number;
    average: number;
    averagePercent: number;
    scale: { min: number; max: number };
    belowMiddleShare: number;
  }>;
  trainees: Array<{
    traineeId: string;
    displayName: string;
    platform: string;
    sessions: number;
    evaluated: number;
    passed: number;
    firstScore: number | null;
    bestScore: number | null;
    latestScore: number | null;
    averageScore: number | null;
    trend: Trend;
    lastPracticeAt: string;
    weakness: { criterionId: string; name: string; times: number } | null;
    scores: Array<{ sessionId: string; startedAt: string; total: number; passed: boolean; personaId: string }>;
  }>;
  personas: Array<{
    personaId: string;
    title: string;
    declaredDifficulty: "easy" | "medium" | "hard" | null;
    attempts: number;
    evaluated: number;
    passRate: number | null;
    averageScore: number | null;
  }>;
  taboos: Array<{ group: string; label: string; hits: number; sessions: number; phrases: string[] }>;
  manipulation: Array<{
    sessionId: string;
    traineeId: string;
    displayName: string;
    personaTitle: string;
    startedAt: string;
    hits: number;
  }>;
  outstanding: {
    pending: number;
    running: number;
    failed: number;
    sessions: Array<{
      sessionId: string;
      traineeId: string;
      displayName: string;
      startedAt: string;
      evalStatus: "pending" | "running" | "failed";
    }>;
  };
  /** Added in version 2: completion per assignment (docs/reports.md). */
  assignments: ReturnType<typeof completionJson>;
  sessions: SessionJson[];
}

export interface SessionJson {
  sessionId: string;
  traineeId: string;
  displayName: string;
  platform: string;
  scopeId: string | null;
  personaId: string;
  personaTitle: string;
  declaredDifficulty: "easy" | "medium" | "hard" | null;
  startedAt: string;
  endedAt: string | null;
  status: string;
  evalStatus: string;
  outcome: string;
  endReason: string | null;
  total: number | null;
  passed: boolean | null;
  criterionScores: Record<string, number>;
  traineeTurns: number | null;
  tabooHits: number;
  manipulationHits: number;
}

const r2 = (n: number) => Math.round(n * 100) / 100;
const r2n = (n: number | null) => (n === null ? null : r2(n));
const r4n = (n: number | null) => (n === null ? null : Math.round(n * 10_000) / 10_000);

/** The report as one object: `sessions` are the rows given (none by default). */
export function toReportJson(s: TeamSummary, sessions: SessionRow[] = []): ReportJson {
  const iso = (ms: number) => isoWithOffset(ms, s.timeZone);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    generatedAt: iso(s.generatedAt),
    timeZone: s.timeZone,
    period: { from: iso(s.period.from), to: iso(s.period.to) },
    scope: s.scope === null ? null : s.scope.map((x) => ({ platform: x.platform, scopeId: x.scopeId })),
    totals: {
      ...s.totals,
      passRate: r4n(s.totals.passRate),
      averageScore: r2n(s.totals.averageScore),
      medianScore: r2n(s.totals.medianScore),
    },
    criteria: s.criteria.map((c) => ({
      criterionId: c.criterionId,
      name: c.name,
      sessions: c.sessions,
      average: r2(c.average),
      averagePercent: r2(c.averagePercent),
      scale: { min: c.scale.min, max: c.scale.max },
      belowMiddleShare: r4n(c.belowMiddleShare) ?? 0,
    })),
    trainees: s.trainees.map((t) => ({
      traineeId: t.traineeId,
      displayName: t.displayName,
      platform: t.platform,
      sessions: t.sessions,
      evaluated: t.evaluated,
      passed: t.passed,
      firstScore: r2n(t.firstScore),
      bestScore: r2n(t.bestScore),
      latestScore: r2n(t.latestScore),
      averageScore: r2n(t.averageScore),
      trend: t.trend,
      lastPracticeAt: iso(t.lastPracticeAt),
      weakness: t.weakness === null ? null : { ...t.weakness },
      scores: t.scores.map((p) => ({
        sessionId: p.sessionId,
        startedAt: iso(p.startedAt),
        total: r2(p.total),
        passed: p.passed,
        personaId: p.personaId,
      })),
    })),
    personas: s.personas.map((p) => ({
      personaId: p.personaId,
      title: p.title,
      declaredDifficulty: p.declaredDifficulty,
      attempts: p.attempts,
      evaluated: p.evaluated,
      passRate: r4n(p.passRate),
      averageScore: r2n(p.averageScore),
    })),
    taboos: s.taboos.map((t) => ({
      group: t.group,
      label: t.label,
      hits: t.hits,
      sessions: t.sessions,
      phrases: [...t.phrases],
    })),
    manipulation: s.manipulation.map((x) => ({
      sessionId: x.sessionId,
      traineeId: x.traineeId,
      displayName: x.displayName,
      personaTitle: x.personaTitle,
      startedAt: iso(x.startedAt),
      hits: x.hits,
    })),
    outstanding: {
      pending: s.outstanding.pending,
      running: s.outstanding.running,
      failed: s.outstanding.failed,
      sessions: s.outstanding.sessions.map((x) => ({
        sessionId: x.sessionId,
        traineeId: x.traineeId,
        displayName: x.displayName,
        startedAt: iso(x.startedAt),
        evalStatus: x.evalStatus,
      })),
    },
    assignments: completionJson(s.assignments, iso),
    sessions: sessions.map((x) => sessionJson(x, s.timeZone)),
  };
}

function sessionJson(x: SessionRow, timeZone: string): SessionJson {
  const iso = (ms: number) => isoWithOffset(ms, timeZone);
  return {
    sessionId: x.sessionId,
    traineeId: x.traineeId,
    displayName: x.displayName,
    platform: x.platform,
    scopeId: x.scopeId,
    personaId: x.personaId,
    personaTitle: x.personaTitle,
    declaredDifficulty: x.declaredDifficulty,
    startedAt: iso(x.startedAt),
    endedAt: x.endedAt === null ? null : iso(x.endedAt),
    status: x.status,
    evalStatus: x.evalStatus,
    outcome: x.outcome,
    endReason: x.endReason,
    total: r2n(x.total),
    passed: x.passed,
    criterionScores: { ...x.criterionScores },
    traineeTurns: x.traineeTurns,
    tabooHits: x.tabooHits,
    manipulationHits: x.manipulationHits,
  };
}

/**
 * The JSON file, written as JSON.stringify(report, null, 2) would write it, but with the
 * sessions (the last field) written a page at a time as they arrive.
 */
export async function writeJson(summary: TeamSummary, pages: SessionRowPages, write: TextSink): Promise<void> {
  const head = JSON.stringify(toReportJson(summary), null, 2);
  const empty = '\n  "sessions": []\n}';
  if (!head.endsWith(empty)) throw new Error("report JSON: sessions must be the last field");
  await write(`${head.slice(0, -empty.length)}\n  "sessions": [`);
  let first = true;
  for await (const page of pages) {
    if (page.length === 0) continue;
    let text = "";
    for (const row of page) {
      // An element of a top-level array sits four spaces in; JSON strings hold no raw line breaks.
      text += `${first ? "\n" : ",\n"}    ${JSON.stringify(sessionJson(row, summary.timeZone), null, 2).replace(/\n/g, "\n    ")}`;
      first = false;
    }
    await write(text);
  }
  await write(first ? "]\n}\n" : "\n  ]\n}\n");
}

/** The JSON file as one string: for a small period or a test (a file should stream). */
export function renderJson(summary: TeamSummary, pages: SessionRowPages): Promise<string> {
  return collectText((write) => writeJson(summary, pages, write));
}
