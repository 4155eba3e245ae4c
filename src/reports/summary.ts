// A team's training over a period, computed from the store: what managers read in chat, in
// Markdown, CSV, JSON and HTML. Language-neutral; the renderers put it into words.
import type { Difficulty } from "../domain/persona.ts";
import type { EndReason, EvalStatus, Outcome, Platform, SessionStatus } from "../domain/session.ts";
import { localDayBounds } from "../i18n/dates.ts";
import type { EvaluationDigest, ReportSessionRow, Store } from "../store/port.ts";

const DAY_MS = 86_400_000;
const DIFFICULTY_ORDER = ["easy", "medium", "hard"] as const;

/** A Discord server or a Telegram group. */
export interface ReportScope {
  platform: Platform;
  scopeId: string;
}

export interface Period {
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
}

export interface SummaryOptions extends Period {
  /** One place, several (a manager's scopes), or null/absent for everything. */
  scope?: ReportScope | ReportScope[] | null;
  now: number;
  /** IANA zone the summary's dates are read in (TIME_ZONE); the renderers use it. */
  timeZone: string;
}

export type Trend = "improving" | "flat" | "declining" | "not_enough_data";

/** Points the recency-weighted average must differ from the plain average to count as a trend. */
export const TREND_THRESHOLD = 3;
/** Fewer evaluated sessions than this give no trend. */
export const TREND_MIN_SCORES = 3;

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
  /** Every session in the period, oldest first. */
  sessions: SessionRow[];
}

// ---------------------------------------------------------------------------------------------
// Periods

/**
 * Reads "7d", "30d", "90d" (any 1-3650 days back from now) or "2026-01-01..2026-01-31" (both
 * dates inclusive, whole days in the time zone: from local midnight of the first day to local
 * midnight after the last). Returns null when the text is neither or the range is empty.
 */
export function parsePeriod(text: string, now: number, timeZone: string): Period | null {
  const t = text.trim();
  const days = /^(\d{1,4})\s*d$/i.exec(t);
  if (days) {
    const n = Number(days[1]);
    if (n < 1 || n > 3650) return null;
    return { from: now - n * DAY_MS, to: now };
  }
  const range = /^(\d{4}-\d{2}-\d{2})\s*(?:\.\.|–|—|~|to)\s*(\d{4}-\d{2}-\d{2})$/.exec(t);
  if (range) {
    const first = localDayBounds(range[1] ?? "", timeZone);
    const last = localDayBounds(range[2] ?? "", timeZone);
    if (first === null || last === null || last.from < first.from) return null;
    return { from: first.from, to: last.to };
  }
  return null;
}

/** A calendar date (YYYY-MM-DD) as the start of that day in the zone, or null when it is not a real date. */
export function parseDay(text: string, timeZone: string): number | null {
  return localDayBounds(text, timeZone)?.from ?? null;
}

// ---------------------------------------------------------------------------------------------
// Trend

/**
 * The trend of a series of scores (oldest first). Recency-weighted average: each score weighs
 * twice the one before it (weights 1, 2, 4, ...), so the last two sessions carry most of the
 * weight. When that average is at least TREND_THRESHOLD points above the plain average, recent
 * sessions are better than the trainee's usual: improving; that far below: declining; otherwise
 * flat. Fewer than TREND_MIN_SCORES scores: not enough data.
 */
export function classifyTrend(scores: number[]): Trend {
  if (scores.length < TREND_MIN_SCORES) return "not_enough_data";
  const diff = recencyWeightedAverage(scores) - mean(scores);
  if (diff >= TREND_THRESHOLD) return "improving";
  if (diff <= -TREND_THRESHOLD) return "declining";
  return "flat";
}

export function recencyWeightedAverage(scores: number[]): number {
  let sum = 0;
  let weights = 0;
  let w = 1;
  for (const s of scores) {
    sum += s * w;
    weights += w;
    w *= 2;
  }
  return weights === 0 ? 0 : sum / weights;
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

export function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

// ---------------------------------------------------------------------------------------------
// Building

interface PersonaInfo {
  title: string;
  difficulty: Difficulty | null;
}

/** What a report keeps of an evaluation: its figures, not the feedback texts (read from a digest). */
type ReportEvaluation = EvaluationDigest;

/** A session as the report reads it: the stored row, its persona's title, its finished evaluation. */
interface ReportSession extends Omit<ReportSessionRow, "personaSnapshot" | "evaluation"> {
  persona: PersonaInfo;
  evaluation: ReportEvaluation | null;
}

function personaInfo(snapshot: string, personaId: string): PersonaInfo {
  try {
    const p = JSON.parse(snapshot) as { title?: unknown; name?: unknown; difficulty?: unknown };
    const title = typeof p.title === "string" && p.title !== "" ? p.title : personaId;
    const d = p.difficulty;
    const difficulty =
      d === "easy" || d === "medium" || d === "hard"
        ? d
        : d === 1 || d === 2 || d === 3
          ? (DIFFICULTY_ORDER[d - 1] ?? null)
          : null;
    return { title, difficulty };
  } catch {
    return { title: personaId, difficulty: null };
  }
}

function percentOfScale(score: number, scale: { min: number; max: number }): number {
  const span = scale.max - scale.min;
  return span <= 0 ? 0 : ((score - scale.min) / span) * 100;
}

function normaliseScope(scope: SummaryOptions["scope"]): ReportScope[] | null {
  if (scope === undefined || scope === null) return null;
  return Array.isArray(scope) ? scope : [scope];
}

/** One string object per distinct text: criterion names and taboo labels repeat in every session. */
function interner(): (s: string) => string {
  const seen = new Map<string, string>();
  return (s) => {
    const known = seen.get(s);
    if (known !== undefined) return known;
    seen.set(s, s);
    return s;
  };
}

/** Every session started in the period and scope, oldest first, read page by page. */
async function reportSessions(store: Store, period: Period, scopes: ReportScope[] | null): Promise<ReportSession[]> {
  const sessions: ReportSession[] = [];
  // Parsed once per persona version (sessions share the stored text), not once per session.
  const personas = new Map<string, Map<string, PersonaInfo>>();
  const intern = interner();
  for await (const page of store.reportSessions({ since: period.from, until: period.to, scopes })) {
    for (const row of page) {
      const { personaSnapshot, evaluation: digest, ...rest } = row;
      // Keyed by the text itself: sessions share one string object per version, hashed once.
      let byText = personas.get(row.personaId);
      if (byText === undefined) {
        byText = new Map();
        personas.set(row.personaId, byText);
      }
      let persona = byText.get(personaSnapshot);
      if (persona === undefined) {
        persona = personaInfo(personaSnapshot, row.personaId);
        byText.set(personaSnapshot, persona);
      }
      // Criterion names and taboo labels repeat in every session: one string each.
      const evaluation: ReportEvaluation | null =
        digest === null
          ? null
          : {
              ...digest,
              criteria: digest.criteria.map((c) => ({
                ...c,
                criterionId: intern(c.criterionId),
                name: intern(c.name),
              })),
              taboo: digest.taboo.map((h) => ({
                phrase: intern(h.phrase),
                ...(h.group === undefined ? {} : { group: intern(h.group) }),
                ...(h.label === undefined ? {} : { label: intern(h.label) }),
              })),
            };
      sessions.push({ ...rest, persona, evaluation });
    }
  }
  return sessions.sort((a, b) => a.startedAt - b.startedAt || a.id.localeCompare(b.id));
}

/** Builds the summary of every session started in [from, to) in the scope. */
export async function buildSummary(store: Store, options: SummaryOptions): Promise<TeamSummary> {
  const scopes = normaliseScope(options.scope);
  const period: Period = { from: options.from, to: options.to };
  const sessions = await reportSessions(store, period, scopes);

  const evaluationOf = (s: ReportSession): ReportEvaluation | null => s.evaluation;

  const names = new Map<string, { displayName: string; platform: Platform }>();
  for (const s of sessions) {
    if (names.has(s.traineeId)) continue;
    names.set(s.traineeId, {
      displayName: s.displayName ?? s.traineeId,
      platform: s.traineePlatform ?? s.platform,
    });
  }
  const nameOf = (traineeId: string) => names.get(traineeId)?.displayName ?? traineeId;
  const personas = new Map<string, PersonaInfo>();
  for (const s of sessions) personas.set(s.personaId, s.persona); // newest snapshot wins

  const rows: SessionRow[] = sessions.map((s) => {
    const e = evaluationOf(s);
    const info = s.persona;
    const criterionScores: Record<string, number> = {};
    for (const c of e?.criteria ?? []) criterionScores[c.criterionId] = c.score;
    return {
      sessionId: s.id,
      traineeId: s.traineeId,
      displayName: nameOf(s.traineeId),
      platform: s.platform,
      scopeId: s.scopeId,
      personaId: s.personaId,
      personaTitle: info.title,
      declaredDifficulty: info.difficulty,
      startedAt: s.startedAt,
      endedAt: s.endedAt,
      status: s.status,
      evalStatus: s.evalStatus,
      outcome: s.outcome,
      endReason: s.endReason,
      total: e?.total ?? null,
      passed: e?.passed ?? null,
      criterionScores,
      traineeTurns: e?.traineeTurns ?? null,
      tabooHits: e?.taboo.length ?? 0,
      manipulationHits: e ? manipulationCount(e) : 0,
    };
  });

  const evaluated = sessions.flatMap((s) => {
    const e = evaluationOf(s);
    return e ? [{ session: s, evaluation: e }] : [];
  });
  const totals = evaluated.map((x) => x.evaluation.total);
  const passedCount = evaluated.filter((x) => x.evaluation.passed).length;

  return {
    period,
    timeZone: options.timeZone,
    scope: scopes,
    generatedAt: options.now,
    totals: {
      started: sessions.length,
      completed: sessions.filter((s) => s.status === "ended" || s.status === "evaluated").length,
      abandoned: sessions.filter((s) => s.status === "abandoned").length,
      active: sessions.filter((s) => s.status === "active").length,
      evaluated: evaluated.length,
      passed: passedCount,
      passRate: evaluated.length === 0 ? null : passedCount / evaluated.length,
      averageScore: totals.length === 0 ? null : mean(totals),
      medianScore: median(totals),
    },
    criteria: criterionSummaries(evaluated.map((x) => x.evaluation)),
    trainees: traineeSummaries(sessions, evaluationOf, names),
    personas: personaSummaries(sessions, evaluationOf, personas),
    taboos: tabooSummaries(evaluated.map((x) => x.evaluation)),
    manipulation: evaluated
      .filter((x) => manipulationCount(x.evaluation) > 0)
      .map((x) => ({
        sessionId: x.session.id,
        traineeId: x.session.traineeId,
        displayName: nameOf(x.session.traineeId),
        personaTitle: x.session.persona.title,
        startedAt: x.session.startedAt,
        hits: manipulationCount(x.evaluation),
      }))
      .reverse(),
    outstanding: outstanding(sessions, nameOf),
    sessions: rows,
  };
}

function manipulationCount(e: ReportEvaluation): number {
  return e.manipulation;
}

function criterionSummaries(evaluations: ReportEvaluation[]): CriterionSummary[] {
  interface Acc {
    name: string;
    nameAt: number;
    scores: number[];
    percents: number[];
    below: number;
    scale: { min: number; max: number };
  }
  const acc = new Map<string, Acc>();
  for (const e of evaluations) {
    for (const c of e.criteria) {
      let a = acc.get(c.criterionId);
      if (!a) {
        a = { name: c.name, nameAt: e.createdAt, scores: [], percents: [], below: 0, scale: e.scale };
        acc.set(c.criterionId, a);
      }
      if (e.createdAt >= a.nameAt) {
        a.name = c.name;
        a.nameAt = e.createdAt;
        a.scale = e.scale;
      }
      a.scores.push(c.score);
      a.percents.push(percentOfScale(c.score, e.scale));
      if (c.score < (e.scale.min + e.scale.max) / 2) a.below++;
    }
  }
  return [...acc.entries()]
    .map(([criterionId, a]) => ({
      criterionId,
      name: a.name,
      sessions: a.scores.length,
      average: mean(a.scores),
      averagePercent: mean(a.percents),
      scale: a.scale,
      belowMiddleShare: a.below / a.scores.length,
    }))
    .sort(
      (x, y) =>
        x.averagePercent - y.averagePercent ||
        y.belowMiddleShare - x.belowMiddleShare ||
        x.criterionId.localeCompare(y.criterionId),
    );
}

/**
 * The criteria scored lowest in one evaluation (relative to the scale); all of them when tied.
 */
function lowestCriteria(e: ReportEvaluation): Array<{ criterionId: string; name: string; percent: number }> {
  const withPct = e.criteria.map((c) => ({
    criterionId: c.criterionId,
    name: c.name,
    percent: percentOfScale(c.score, e.scale),
  }));
  if (withPct.length === 0) return [];
  const min = Math.min(...withPct.map((c) => c.percent));
  return withPct.filter((c) => c.percent === min);
}

function traineeSummaries(
  sessions: ReportSession[],
  evaluationOf: (s: ReportSession) => ReportEvaluation | null,
  names: Map<string, { displayName: string; platform: Platform }>,
): TraineeSummary[] {
  const byTrainee = new Map<string, ReportSession[]>();
  for (const s of sessions) {
    const list = byTrainee.get(s.traineeId) ?? [];
    list.push(s);
    byTrainee.set(s.traineeId, list);
  }
  const out: TraineeSummary[] = [];
  for (const [traineeId, list] of byTrainee) {
    // `list` is oldest first, as `sessions` is.
    const scored = list.flatMap((s) => {
      const e = evaluationOf(s);
      return e ? [{ s, e }] : [];
    });
    const scores: ScorePoint[] = scored.map(({ s, e }) => ({
      sessionId: s.id,
      startedAt: s.startedAt,
      total: e.total,
      passed: e.passed,
      personaId: s.personaId,
    }));
    const values = scores.map((p) => p.total);

    // Most frequent weakness: ties go to the criterion with the lower average, then by id, so the
    // answer does not depend on the order sessions were read.
    const weak = new Map<string, { name: string; times: number; percents: number[] }>();
    for (const { e } of scored) {
      for (const c of lowestCriteria(e)) {
        const w = weak.get(c.criterionId) ?? { name: c.name, times: 0, percents: [] };
        w.times++;
        w.name = c.name;
        weak.set(c.criterionId, w);
      }
      for (const c of e.criteria) weak.get(c.criterionId)?.percents.push(percentOfScale(c.score, e.scale));
    }
    const weakest = [...weak.entries()].sort(
      ([ia, a], [ib, b]) => b.times - a.times || mean(a.percents) - mean(b.percents) || ia.localeCompare(ib),
    )[0];

    const who = names.get(traineeId);
    out.push({
      traineeId,
      displayName: who?.displayName ?? traineeId,
      platform: who?.platform ?? (list[0] as ReportSession).platform,
      sessions: list.length,
      evaluated: scores.length,
      passed: scores.filter((p) => p.passed).length,
      firstScore: values[0] ?? null,
      bestScore: values.length === 0 ? null : Math.max(...values),
      latestScore: values.at(-1) ?? null,
      averageScore: values.length === 0 ? null : mean(values),
      trend: classifyTrend(values),
      lastPracticeAt: Math.max(...list.map((s) => s.lastActivityAt)),
      weakness: weakest ? { criterionId: weakest[0], name: weakest[1].name, times: weakest[1].times } : null,
      scores,
    });
  }
  return out.sort(
    (a, b) =>
      nullsLast(a.averageScore, b.averageScore) ||
      a.displayName.localeCompare(b.displayName) ||
      a.traineeId.localeCompare(b.traineeId),
  );
}

/** Ascending order with nulls after every number. */
function nullsLast(a: number | null, b: number | null): number {
  if (a === null && b === null) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a - b;
}

function personaSummaries(
  sessions: ReportSession[],
  evaluationOf: (s: ReportSession) => ReportEvaluation | null,
  info: Map<string, PersonaInfo>,
): PersonaStats[] {
  const by = new Map<string, { attempts: number; totals: number[]; passed: number }>();
  for (const s of sessions) {
    const p = by.get(s.personaId) ?? { attempts: 0, totals: [], passed: 0 };
    p.attempts++;
    const e = evaluationOf(s);
    if (e) {
      p.totals.push(e.total);
      if (e.passed) p.passed++;
    }
    by.set(s.personaId, p);
  }
  return [...by.entries()]
    .map(([personaId, p]) => ({
      personaId,
      title: info.get(personaId)?.title ?? personaId,
      declaredDifficulty: info.get(personaId)?.difficulty ?? null,
      attempts: p.attempts,
      evaluated: p.totals.length,
      passRate: p.totals.length === 0 ? null : p.passed / p.totals.length,
      averageScore: p.totals.length === 0 ? null : mean(p.totals),
    }))
    .sort(
      (a, b) =>
        nullsLast(a.passRate, b.passRate) ||
        nullsLast(a.averageScore, b.averageScore) ||
        a.personaId.localeCompare(b.personaId),
    );
}

function tabooSummaries(evaluations: ReportEvaluation[]): TabooStat[] {
  const by = new Map<string, { label: string; hits: number; sessions: Set<string>; phrases: Map<string, number> }>();
  for (const e of evaluations) {
    for (const h of e.taboo) {
      const group = h.group ?? h.phrase;
      const t = by.get(group) ?? { label: h.label ?? h.phrase, hits: 0, sessions: new Set(), phrases: new Map() };
      t.hits++;
      t.sessions.add(e.sessionId);
      t.phrases.set(h.phrase, (t.phrases.get(h.phrase) ?? 0) + 1);
      by.set(group, t);
    }
  }
  return [...by.entries()]
    .map(([group, t]) => ({
      group,
      label: t.label,
      hits: t.hits,
      sessions: t.sessions.size,
      phrases: [...t.phrases.entries()]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .slice(0, 3)
        .map(([p]) => p),
    }))
    .sort((a, b) => b.hits - a.hits || b.sessions - a.sessions || a.group.localeCompare(b.group));
}

function outstanding(sessions: ReportSession[], nameOf: (id: string) => string): TeamSummary["outstanding"] {
  const list: OutstandingEvaluation[] = [];
  for (const s of sessions) {
    if (s.evalStatus === "pending" || s.evalStatus === "running" || s.evalStatus === "failed") {
      list.push({
        sessionId: s.id,
        traineeId: s.traineeId,
        displayName: nameOf(s.traineeId),
        startedAt: s.startedAt,
        evalStatus: s.evalStatus,
      });
    }
  }
  return {
    pending: list.filter((x) => x.evalStatus === "pending").length,
    running: list.filter((x) => x.evalStatus === "running").length,
    failed: list.filter((x) => x.evalStatus === "failed").length,
    sessions: list,
  };
}
