// The arithmetic of an evaluation, done in code: the judge only picks levels per criterion.
import type { Evaluation, ScenarioCheckResult } from "../domain/evaluation.ts";

export interface WeightedScore {
  weight: number;
  score: number;
}

/**
 * The weighted total on 0-100: each criterion contributes weight * (score - min) / (max - min),
 * rounded to one decimal. Weights are divided by their sum, which is 100 for a valid rubric, so a
 * rubric whose weights drift slightly still yields a total on 0-100.
 */
export function weightedTotal(scores: WeightedScore[], scale: { min: number; max: number }): number {
  const span = scale.max - scale.min;
  const weightSum = scores.reduce((s, c) => s + c.weight, 0);
  if (span <= 0 || weightSum <= 0) return 0;
  const raw = scores.reduce((s, c) => s + c.weight * ((c.score - scale.min) / span), 0);
  return Math.round((raw * 1000) / weightSum) / 10;
}

/**
 * Passed: the total reaches the pass mark, no critical scenario check was failed, and the session
 * holds no attempt to steer the customer or the judge (unless a trainer cleared that flag).
 */
export function isPassed(
  total: number,
  passMark: number,
  checks: Pick<ScenarioCheckResult, "critical" | "verdict">[],
  steeringFlagged = false,
): boolean {
  return total >= passMark && !checks.some((c) => c.critical && c.verdict === "no") && !steeringFlagged;
}

/** The session holds a steering attempt that still counts against passing. */
export function steeringBlocksPass(e: Pick<Evaluation, "signals" | "flagCleared">): boolean {
  return e.signals.manipulation.length > 0 && !e.flagCleared;
}

/**
 * A trainer's decision that the steering flag was a false alarm: a new evaluation with the same
 * scores, pass or fail computed without the flag, and a record of what it replaces.
 */
export function withFlagCleared(e: Evaluation, at: number, id: string): Evaluation {
  return {
    ...e,
    id,
    createdAt: at,
    passed: isPassed(e.total, e.passMark, e.scenarioChecks),
    flagCleared: { at, previousEvaluationId: e.id },
  };
}
