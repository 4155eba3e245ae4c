// How closely a judge's scores match trainers' scores on the same items: exact and within-one
// agreement, Cohen's kappa and its quadratic-weighted form. Pure arithmetic, no I/O.
//
// Kappa discounts the agreement two raters would reach by chance given how often each uses each
// score. When that chance agreement is already 1 (both raters always give the same single score)
// kappa is 0/0: it is reported as null ("n/a"), never as 1, 0 or NaN.

export interface RatingPair {
  /** The trainer's score. */
  expected: number;
  /** The judge's score. */
  judged: number;
}

export interface AgreementStats {
  /** Number of rated items. */
  n: number;
  /** Share (0-1) of items with the same score; null when there are no items. */
  exact: number | null;
  /** Share (0-1) of items whose scores differ by at most one point; null when there are no items. */
  withinOne: number | null;
  /** Cohen's (unweighted) kappa; null when undefined (no items, or chance agreement is 1). */
  kappa: number | null;
  /** Quadratic-weighted kappa (credit for near misses on an ordinal scale); null when undefined. */
  weightedKappa: number | null;
}

/** Kappa values this close to a zero denominator are taken as undefined (float noise, not data). */
const EPSILON = 1e-12;

function share(pairs: RatingPair[], agree: (p: RatingPair) => boolean): number | null {
  if (pairs.length === 0) return null;
  return pairs.filter(agree).length / pairs.length;
}

function counts(values: number[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
}

/**
 * Cohen's kappa, κ = (p_o − p_e) / (1 − p_e): p_o the observed agreement, p_e the sum over scores
 * k of (share of trainer scores equal to k) × (share of judge scores equal to k). Scale points
 * neither rater used add nothing to p_e, so the observed scores are enough.
 */
export function cohensKappa(pairs: RatingPair[]): number | null {
  const n = pairs.length;
  if (n === 0) return null;
  const po = pairs.filter((p) => p.expected === p.judged).length / n;
  const byJudge = counts(pairs.map((p) => p.judged));
  let pe = 0;
  for (const [k, c] of counts(pairs.map((p) => p.expected))) pe += (c / n) * ((byJudge.get(k) ?? 0) / n);
  if (1 - pe < EPSILON) return null;
  return (po - pe) / (1 - pe);
}

/**
 * Quadratic-weighted kappa, κ_w = 1 − D_o / D_e: D_o the mean squared difference between the two
 * scores of each item, D_e the mean squared difference over every (trainer score, judge score)
 * combination, i.e. what independent raters with the same score distributions would give. The usual
 * weight (i − j)² / (k − 1)² has a constant denominator that cancels in the ratio.
 */
export function quadraticWeightedKappa(pairs: RatingPair[]): number | null {
  const n = pairs.length;
  if (n === 0) return null;
  const observed = pairs.reduce((s, p) => s + (p.expected - p.judged) ** 2, 0) / n;
  const judged = [...counts(pairs.map((p) => p.judged))];
  let chance = 0;
  for (const [e, ce] of counts(pairs.map((p) => p.expected))) {
    for (const [j, cj] of judged) chance += ce * cj * (e - j) ** 2;
  }
  chance /= n * n;
  if (chance < EPSILON) return null;
  return 1 - observed / chance;
}

export function agreementStats(pairs: RatingPair[]): AgreementStats {
  return {
    n: pairs.length,
    exact: share(pairs, (p) => p.expected === p.judged),
    withinOne: share(pairs, (p) => Math.abs(p.expected - p.judged) <= 1),
    kappa: cohensKappa(pairs),
    weightedKappa: quadraticWeightedKappa(pairs),
  };
}

/** The kappa most reliability guidance (e.g. Landis & Koch's "substantial") treats as the bar. */
export const KAPPA_BAR = 0.6;
