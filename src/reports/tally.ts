// The team summary's figures, added up one session at a time as the store's pages arrive: what
// is kept grows with trainees, personas, criteria and taboo groups, plus one score point per
// evaluated session (the trend lines and the median need them), never with whole sessions.
import type { EvaluationDigest } from "../store/port.ts";
import type { PersonaInfo, ReportSession } from "./report-sessions.ts";
import type {
  CriterionSummary,
  FlaggedSession,
  OutstandingEvaluation,
  PersonaStats,
  TabooStat,
  TeamSummary,
} from "./summary.ts";
import { mean, median, nullsLast, percentOfScale } from "./scores.ts";
import { TraineeTally } from "./tally-trainees.ts";

interface CriterionAcc {
  name: string;
  nameAt: number;
  sessions: number;
  scoreSum: number;
  percentSum: number;
  below: number;
  scale: { min: number; max: number };
}

interface TabooAcc {
  label: string;
  hits: number;
  sessions: number;
  phrases: Map<string, number>;
}

interface PersonaAcc {
  attempts: number;
  evaluated: number;
  totalSum: number;
  passed: number;
}

type Aggregates = Omit<TeamSummary, "period" | "timeZone" | "scope" | "generatedAt">;

/** Feed it every session, oldest first, then read the figures with finish(). */
export class SummaryTally {
  #started = 0;
  #completed = 0;
  #abandoned = 0;
  #active = 0;
  #passed = 0;
  #totals: number[] = [];
  readonly #criteria = new Map<string, CriterionAcc>();
  readonly #personas = new Map<string, PersonaAcc>();
  readonly #personaInfo = new Map<string, PersonaInfo>();
  readonly #taboos = new Map<string, TabooAcc>();
  readonly #manipulation: FlaggedSession[] = [];
  readonly #outstanding: OutstandingEvaluation[] = [];
  readonly #trainees = new TraineeTally();

  add(s: ReportSession): void {
    this.#started++;
    if (s.status === "ended" || s.status === "evaluated") this.#completed++;
    else if (s.status === "abandoned") this.#abandoned++;
    else if (s.status === "active") this.#active++;
    const displayName = this.#trainees.add(s);
    this.#personaInfo.set(s.personaId, s.persona); // the newest snapshot wins
    let p = this.#personas.get(s.personaId);
    if (p === undefined) {
      p = { attempts: 0, evaluated: 0, totalSum: 0, passed: 0 };
      this.#personas.set(s.personaId, p);
    }
    p.attempts++;
    const e = s.evaluation;
    if (e !== null) {
      p.evaluated++;
      p.totalSum += e.total;
      if (e.passed) {
        p.passed++;
        this.#passed++;
      }
      this.#totals.push(e.total);
      this.#addCriteria(e);
      this.#addTaboos(e);
      if (e.manipulation > 0) {
        this.#manipulation.push({
          sessionId: s.id,
          traineeId: s.traineeId,
          displayName,
          personaTitle: s.persona.title,
          startedAt: s.startedAt,
          hits: e.manipulation,
        });
      }
    }
    if (s.evalStatus === "pending" || s.evalStatus === "running" || s.evalStatus === "failed") {
      this.#outstanding.push({
        sessionId: s.id,
        traineeId: s.traineeId,
        displayName,
        startedAt: s.startedAt,
        evalStatus: s.evalStatus,
      });
    }
  }

  #addCriteria(e: EvaluationDigest): void {
    const middle = (e.scale.min + e.scale.max) / 2;
    for (const c of e.criteria) {
      let a = this.#criteria.get(c.criterionId);
      if (a === undefined) {
        a = { name: c.name, nameAt: e.createdAt, sessions: 0, scoreSum: 0, percentSum: 0, below: 0, scale: e.scale };
        this.#criteria.set(c.criterionId, a);
      }
      if (e.createdAt >= a.nameAt) {
        a.name = c.name;
        a.nameAt = e.createdAt;
        a.scale = e.scale;
      }
      a.sessions++;
      a.scoreSum += c.score;
      a.percentSum += percentOfScale(c.score, e.scale);
      if (c.score < middle) a.below++;
    }
  }

  #addTaboos(e: EvaluationDigest): void {
    if (e.taboo.length === 0) return;
    const groupsHere = new Set<string>();
    for (const h of e.taboo) {
      const group = h.group ?? h.phrase;
      let t = this.#taboos.get(group);
      if (t === undefined) {
        t = { label: h.label ?? h.phrase, hits: 0, sessions: 0, phrases: new Map() };
        this.#taboos.set(group, t);
      }
      t.hits++;
      if (!groupsHere.has(group)) {
        groupsHere.add(group);
        t.sessions++;
      }
      t.phrases.set(h.phrase, (t.phrases.get(h.phrase) ?? 0) + 1);
    }
  }

  finish(): Aggregates {
    const evaluated = this.#totals.length;
    const outstanding = this.#outstanding;
    return {
      totals: {
        started: this.#started,
        completed: this.#completed,
        abandoned: this.#abandoned,
        active: this.#active,
        evaluated,
        passed: this.#passed,
        passRate: evaluated === 0 ? null : this.#passed / evaluated,
        averageScore: evaluated === 0 ? null : mean(this.#totals),
        medianScore: median(this.#totals),
      },
      criteria: this.#criterionSummaries(),
      trainees: this.#trainees.finish(),
      personas: this.#personaSummaries(),
      taboos: this.#tabooSummaries(),
      // Newest first.
      manipulation: [...this.#manipulation].reverse(),
      outstanding: {
        pending: outstanding.filter((x) => x.evalStatus === "pending").length,
        running: outstanding.filter((x) => x.evalStatus === "running").length,
        failed: outstanding.filter((x) => x.evalStatus === "failed").length,
        sessions: [...outstanding],
      },
    };
  }

  #criterionSummaries(): CriterionSummary[] {
    return [...this.#criteria.entries()]
      .map(([criterionId, a]) => ({
        criterionId,
        name: a.name,
        sessions: a.sessions,
        average: a.scoreSum / a.sessions,
        averagePercent: a.percentSum / a.sessions,
        scale: a.scale,
        belowMiddleShare: a.below / a.sessions,
      }))
      .sort(
        (x, y) =>
          x.averagePercent - y.averagePercent ||
          y.belowMiddleShare - x.belowMiddleShare ||
          x.criterionId.localeCompare(y.criterionId),
      );
  }

  #personaSummaries(): PersonaStats[] {
    return [...this.#personas.entries()]
      .map(([personaId, p]) => ({
        personaId,
        title: this.#personaInfo.get(personaId)?.title ?? personaId,
        declaredDifficulty: this.#personaInfo.get(personaId)?.difficulty ?? null,
        attempts: p.attempts,
        evaluated: p.evaluated,
        passRate: p.evaluated === 0 ? null : p.passed / p.evaluated,
        averageScore: p.evaluated === 0 ? null : p.totalSum / p.evaluated,
      }))
      .sort(
        (a, b) =>
          nullsLast(a.passRate, b.passRate) ||
          nullsLast(a.averageScore, b.averageScore) ||
          a.personaId.localeCompare(b.personaId),
      );
  }

  #tabooSummaries(): TabooStat[] {
    return [...this.#taboos.entries()]
      .map(([group, t]) => ({
        group,
        label: t.label,
        hits: t.hits,
        sessions: t.sessions,
        phrases: [...t.phrases.entries()]
          .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
          .slice(0, 3)
          .map(([phrase]) => phrase),
      }))
      .sort((a, b) => b.hits - a.hits || b.sessions - a.sessions || a.group.localeCompare(b.group));
  }
}
