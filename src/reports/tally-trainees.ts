// Each trainee's progress over the period, added up one session at a time (oldest first).
import type { Platform } from "../domain/session.ts";
import type { EvaluationDigest } from "../store/port.ts";
import type { ReportSession } from "./report-sessions.ts";
import type { ScorePoint, TraineeSummary } from "./summary.ts";
import { classifyTrend, mean, nullsLast, percentOfScale } from "./scores.ts";

interface WeaknessAcc {
  name: string;
  times: number;
  percentSum: number;
  percentCount: number;
}

interface TraineeAcc {
  displayName: string;
  platform: Platform;
  sessions: number;
  passed: number;
  lastPracticeAt: number;
  /** Evaluated sessions, oldest first. */
  scores: ScorePoint[];
  weak: Map<string, WeaknessAcc>;
}

export class TraineeTally {
  readonly #byId = new Map<string, TraineeAcc>();

  /** Counts the session for its trainee; returns the name the report shows for them. */
  add(s: ReportSession): string {
    let t = this.#byId.get(s.traineeId);
    if (t === undefined) {
      t = {
        displayName: s.displayName ?? s.traineeId,
        platform: s.traineePlatform ?? s.platform,
        sessions: 0,
        passed: 0,
        lastPracticeAt: s.lastActivityAt,
        scores: [],
        weak: new Map(),
      };
      this.#byId.set(s.traineeId, t);
    }
    t.sessions++;
    if (s.lastActivityAt > t.lastPracticeAt) t.lastPracticeAt = s.lastActivityAt;
    const e = s.evaluation;
    if (e !== null) {
      t.scores.push({
        sessionId: s.id,
        startedAt: s.startedAt,
        total: e.total,
        passed: e.passed,
        personaId: s.personaId,
      });
      if (e.passed) t.passed++;
      addWeakness(t.weak, e);
    }
    return t.displayName;
  }

  /** Lowest average score first; trainees without an evaluated session last. */
  finish(): TraineeSummary[] {
    const out: TraineeSummary[] = [];
    for (const [traineeId, t] of this.#byId) {
      const values = t.scores.map((p) => p.total);
      // Most frequent weakness: ties go to the criterion with the lower average, then by id, so
      // the answer does not depend on the order sessions were read.
      let weakest: [string, WeaknessAcc] | undefined;
      for (const entry of t.weak) {
        if (weakest === undefined || compareWeakness(entry, weakest) < 0) weakest = entry;
      }
      let best = Number.NEGATIVE_INFINITY;
      for (const v of values) if (v > best) best = v;
      out.push({
        traineeId,
        displayName: t.displayName,
        platform: t.platform,
        sessions: t.sessions,
        evaluated: values.length,
        passed: t.passed,
        firstScore: values[0] ?? null,
        bestScore: values.length === 0 ? null : best,
        latestScore: values.at(-1) ?? null,
        averageScore: values.length === 0 ? null : mean(values),
        trend: classifyTrend(values),
        lastPracticeAt: t.lastPracticeAt,
        weakness: weakest ? { criterionId: weakest[0], name: weakest[1].name, times: weakest[1].times } : null,
        scores: t.scores,
      });
    }
    return out.sort(
      (a, b) =>
        nullsLast(a.averageScore, b.averageScore) ||
        a.displayName.localeCompare(b.displayName) ||
        a.traineeId.localeCompare(b.traineeId),
    );
  }
}

function compareWeakness([ia, a]: [string, WeaknessAcc], [ib, b]: [string, WeaknessAcc]): number {
  return b.times - a.times || a.percentSum / a.percentCount - b.percentSum / b.percentCount || ia.localeCompare(ib);
}

/**
 * The criteria scored lowest in this evaluation (relative to the scale; all of them when tied)
 * count once more as the trainee's weakness; a criterion counted so far also adds this session's
 * score to its average.
 */
function addWeakness(weak: Map<string, WeaknessAcc>, e: EvaluationDigest): void {
  if (e.criteria.length === 0) return;
  let min = Number.POSITIVE_INFINITY;
  for (const c of e.criteria) {
    const pct = percentOfScale(c.score, e.scale);
    if (pct < min) min = pct;
  }
  for (const c of e.criteria) {
    if (percentOfScale(c.score, e.scale) !== min) continue;
    let w = weak.get(c.criterionId);
    if (w === undefined) {
      w = { name: c.name, times: 0, percentSum: 0, percentCount: 0 };
      weak.set(c.criterionId, w);
    }
    w.times++;
    w.name = c.name;
  }
  for (const c of e.criteria) {
    const w = weak.get(c.criterionId);
    if (w !== undefined) {
      w.percentSum += percentOfScale(c.score, e.scale);
      w.percentCount++;
    }
  }
}
