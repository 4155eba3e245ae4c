// The arithmetic of an evaluation, done in code: the judge only picks levels per criterion.
import type { ScenarioCheckResult } from "../domain/evaluation.ts";

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

/** Passed: the total reaches the pass mark and no critical scenario check was failed. */
export function isPassed(
  total: number,
  passMark: number,
  checks: Pick<ScenarioCheckResult, "critical" | "verdict">[],
): boolean {
  return total >= passMark && !checks.some((c) => c.critical && c.verdict === "no");
}
