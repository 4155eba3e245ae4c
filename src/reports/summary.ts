// A team's training over a period, computed from the store: what managers read in chat, in
// Markdown, CSV, JSON and HTML. Language-neutral; the renderers put it into words.
//
// The summary holds the figures, never the sessions themselves: it is added up while the store's
// pages stream past (tally.ts), and a report that lists every session (the CSV's session sheet,
// JSON) reads them again page by page with sessionRows() and writes them as they come. So memory
// stays flat whatever the number of sessions in the period.
import { type AssignmentCompletion, assignmentCompletion } from "./completion.ts";
import type { Difficulty } from "../domain/persona.ts";
import type { EndReason, EvalStatus, Outcome, Platform, SessionStatus } from "../domain/session.ts";
import type { Store } from "../store/port.ts";
import type { Period } from "./period.ts";
import { reportSessions } from "./report-sessions.ts";
import type { Trend } from "./scores.ts";
import { SummaryTally } from "./tally.ts";

export { type Period, parseDay, parsePeriod } from "./period.ts";
export { readSessionRows, sessionRows } from "./report-sessions.ts";
export {
  classifyTrend,
  median,
  recencyWeightedAverage,
  type Trend,
  TREND_MIN_SCORES,
  TREND_THRESHOLD,
} from "./scores.ts";

/** A Discord server or a Telegram group. */
export interface ReportScope {
  platform: Platform;
  scopeId: string;
}

export interface SummaryOptions extends Period {
  /** One place, several (a manager's scopes), or null/absent for everything. */
  scope?: ReportScope | ReportScope[] | null;
  now: number;
  /** IANA zone the summary's dates are read in (TIME_ZONE); the renderers use it. */
  timeZone: string;
}

export interface ScorePoint {
  sessionId: string;
  startedAt: number;
  total: number;
  passed: boolean;
  personaId: string;
}

export interface CriterionSummary {
  criterionId: string;
  /** The name in the newest evaluation that scored it. */
  name: string;
  /** Evaluated sessions that scored this criterion. */
  sessions: number;
  /** Mean raw score, on the criterion's own scale. */
  average: number;
  /** Mean score as a percentage of the scale (0 at the bottom, 100 at the top): comparable across scales. */
  averagePercent: number;
  scale: { min: number; max: number };
  /** Share (0-1) of sessions scoring below the middle of the scale. */
  belowMiddleShare: number;
}

export interface TraineeSummary {
  traineeId: string;
  displayName: string;
  platform: Platform;
  /** Sessions started in the period. */
  sessions: number;
  evaluated: number;
  passed: number;
  firstScore: number | null;
  bestScore: number | null;
  latestScore: number | null;
  averageScore: number | null;
  trend: Trend;
  /** Epoch ms of the trainee's last activity in the period. */
  lastPracticeAt: number;
  /** The criterion most often scored lowest in the trainee's sessions. */
  weakness: { criterionId: string; name: string; times: number } | null;
  /** Evaluated scores, oldest first. */
  scores: ScorePoint[];
}

export interface PersonaStats {
  personaId: string;
  title: string;
  declaredDifficulty: Difficulty | null;
  attempts: number;
  evaluated: number;
  passRate: number | null;
  averageScore: number | null;
}

export interface TabooStat {
  group: string;
  label: string;
  /** Hits across all evaluated sessions. */
  hits: number;
  /** Sessions with at least one hit. */
  sessions: number;
  /** The most frequent phrases that matched, most frequent first (at most 3). */
  phrases: string[];
}

export interface SessionRow {
  sessionId: string;
  traineeId: string;
  displayName: string;
  platform: Platform;
  scopeId: string | null;
  personaId: string;
  personaTitle: string;
  declaredDifficulty: Difficulty | null;
  startedAt: number;
  endedAt: number | null;
  status: SessionStatus;
  evalStatus: EvalStatus;
  outcome: Outcome;
  endReason: EndReason | null;
  /** Set only when the evaluation is done (evalStatus "done"). */
  total: number | null;
  passed: boolean | null;
  /** criterionId → score, for evaluated sessions. */
  criterionScores: Record<string, number>;
  traineeTurns: number | null;
  tabooHits: number;
  manipulationHits: number;
}

export interface FlaggedSession {
  sessionId: string;
  traineeId: string;
  displayName: string;
  personaTitle: string;
  startedAt: number;
  /** Manipulation phrases found by the program plus those the judge flagged. */
  hits: number;
}

export interface OutstandingEvaluation {
  sessionId: string;
  traineeId: string;
  displayName: string;
  startedAt: number;
  evalStatus: "pending" | "running" | "failed";
}

export interface TeamSummary {
  period: Period;
  /** IANA zone every date of this summary is shown in. */
  timeZone: string;
  /** null: every place. */
  scope: ReportScope[] | null;
  generatedAt: number;
  totals: {
    started: number;
    /** Ended normally (status ended or evaluated). */
    completed: number;
    abandoned: number;
    /** Still running at the time of the report. */
    active: number;
    /** Sessions with a finished evaluation: the only ones in scores and averages. */
    evaluated: number;
    passed: number;
    passRate: number | null;
    averageScore: number | null;
    medianScore: number | null;
  };
  /** Weakest first. */
  criteria: CriterionSummary[];
  /** Lowest average score first; trainees without an evaluated session last. */
  trainees: TraineeSummary[];
  /** Lowest pass rate first (the hardest customers in practice). */
  personas: PersonaStats[];
  /** Most hits first. */
  taboos: TabooStat[];
  /** Newest first. */
  manipulation: FlaggedSession[];
  outstanding: { pending: number; running: number; failed: number; sessions: OutstandingEvaluation[] };
  /** Completion per assignment (open ones, and those closed during the period). */
  assignments?: AssignmentCompletion[];
}

function normaliseScope(scope: SummaryOptions["scope"]): ReportScope[] | null {
  if (scope === undefined || scope === null) return null;
  return Array.isArray(scope) ? scope : [scope];
}

/** Builds the summary of every session started in [from, to) in the scope, one page at a time. */
export async function buildSummary(store: Store, options: SummaryOptions): Promise<TeamSummary> {
  const scopes = normaliseScope(options.scope);
  const period: Period = { from: options.from, to: options.to };
  const tally = new SummaryTally();
  for await (const page of reportSessions(store, period, scopes)) for (const s of page) tally.add(s);
  const assignments = await assignmentCompletion(store, {
    scopes,
    from: options.from,
    now: options.now,
    timeZone: options.timeZone,
  });
  return {
    period,
    timeZone: options.timeZone,
    scope: scopes,
    generatedAt: options.now,
    ...tally.finish(),
    assignments,
  };
}
