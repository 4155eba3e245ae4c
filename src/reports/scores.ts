// Score arithmetic a report shares: whether a trainee is getting better (the trend), averages,
// the median, a score as a share of its scale.

export type Trend = "improving" | "flat" | "declining" | "not_enough_data";

/** Points the recency-weighted average must differ from the plain average to count as a trend. */
export const TREND_THRESHOLD = 3;
/** Fewer evaluated sessions than this give no trend. */
export const TREND_MIN_SCORES = 3;

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
  // Weights 1, 2, 4, ... scaled so the newest weighs 1: the same ratios (powers of two scale
  // exactly), but a long series cannot overflow to Infinity (2^1024) and read as NaN; scores more
  // than about a thousand sessions back weigh nothing, as they nearly did.
  let sum = 0;
  let weights = 0;
  const last = scores.length - 1;
  for (let i = 0; i <= last; i++) {
    const w = 2 ** (i - last);
    sum += (scores[i] as number) * w;
    weights += w;
  }
  return weights === 0 ? 0 : sum / weights;
}

export function mean(xs: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += xs[i] as number;
  return sum / xs.length;
}

export function median(xs: ArrayLike<number>): number | null {
  if (xs.length === 0) return null;
  const s = Float64Array.from(xs).sort();
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export function percentOfScale(score: number, scale: { min: number; max: number }): number {
  const span = scale.max - scale.min;
  return span <= 0 ? 0 : ((score - scale.min) / span) * 100;
}

/** Ascending order with nulls after every number. */
export function nullsLast(a: number | null, b: number | null): number {
  if (a === null && b === null) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a - b;
}
