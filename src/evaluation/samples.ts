// Several judgements of one transcript (JUDGE_SAMPLES) folded into one evaluation: the median score
// per criterion, the spread kept beside it, and a criterion the samples disagree on by more than
// one level marked low-confidence. One judge call is a sample of the model's opinion; a trainee
// should not fail on one unlucky draw.
import type { CriterionResult, Evaluation, ScenarioCheckResult } from "../domain/evaluation.ts";
import { isPassed, weightedTotal } from "./score.ts";

/** The median; of an even count, the mean of the two middle values. */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  if (s.length % 2 === 1) return s[mid] as number;
  return ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Scores further apart than this (in levels) make a criterion low-confidence. */
export const SAMPLE_DISAGREEMENT_LEVELS = 1;

// A tie must not hide a failed check: "no" wins a tie, then "yes".
const VERDICT_PRIORITY: ScenarioCheckResult["verdict"][] = ["no", "yes", "not_applicable"];

function combineCriterion(samples: Evaluation[], index: number): CriterionResult {
  const results = samples.map((s) => s.criteria[index] as CriterionResult);
  const scores = results.map((r) => r.score);
  const mid = median(scores);
  // The observation and quotes come from the sample whose score is nearest the median, so the
  // words shown explain the score shown.
  const nearest = results.reduce((best, r) => (Math.abs(r.score - mid) < Math.abs(best.score - mid) ? r : best));
  const spread = Math.max(...scores) - Math.min(...scores);
  return {
    ...nearest,
    score: mid,
    lowConfidence: nearest.lowConfidence || spread > SAMPLE_DISAGREEMENT_LEVELS,
  };
}

function combineCheck(samples: Evaluation[], index: number): ScenarioCheckResult {
  const results = samples.map((s) => s.scenarioChecks[index] as ScenarioCheckResult);
  const count = (v: ScenarioCheckResult["verdict"]) => results.filter((r) => r.verdict === v).length;
  const verdict = VERDICT_PRIORITY.reduce((best, v) => (count(v) > count(best) ? v : best));
  return results.find((r) => r.verdict === verdict) as ScenarioCheckResult;
}

/**
 * One evaluation from several of the same transcript (all judged with the same rubric and persona,
 * so their criteria and checks are in the same order). `requested` is how many were asked for:
 * fewer samples than that means some judge calls failed.
 */
export function combineSamples(samples: Evaluation[], requested: number): Evaluation {
  const first = samples[0];
  if (!first) throw new Error("combineSamples needs at least one evaluation");
  if (samples.length === 1 && requested <= 1) return first;
  const criteria = first.criteria.map((_, i) => combineCriterion(samples, i));
  const scenarioChecks = first.scenarioChecks.map((_, i) => combineCheck(samples, i));
  const total = weightedTotal(criteria, first.scale);
  // Free text (summary, flags) from the sample whose own total is nearest the combined one.
  const closest = samples.reduce((best, s) => (Math.abs(s.total - total) < Math.abs(best.total - total) ? s : best));
  return {
    ...closest,
    total,
    passed: isPassed(total, first.passMark, scenarioChecks),
    criteria,
    scenarioChecks,
    droppedQuotes: criteria.reduce((n, c) => n + c.droppedQuotes, 0),
    samples: {
      requested,
      judged: samples.length,
      criteria: first.criteria.map((c, i) => ({
        criterionId: c.criterionId,
        scores: samples.map((s) => (s.criteria[i] as CriterionResult).score),
      })),
    },
  };
}
