import { describe, expect, it } from "vitest";
import {
  agreementStats,
  cohensKappa,
  quadraticWeightedKappa,
  type RatingPair,
} from "../../src/evaluation/agreement.ts";

const pairs = (expected: number[], judged: number[]): RatingPair[] =>
  expected.map((e, i) => ({ expected: e, judged: judged[i] as number }));

/** `count` copies of one (trainer, judge) rating. */
const times = (count: number, expected: number, judged: number): RatingPair[] =>
  Array.from({ length: count }, () => ({ expected, judged }));

describe("agreement between the judge and the trainers", () => {
  it("the textbook 2×2 example (20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no) has kappa 0.4", () => {
    // p_o = 35/50 = 0.7; p_e = 0.5·0.6 + 0.5·0.4 = 0.5; κ = (0.7 − 0.5) / (1 − 0.5) = 0.4.
    const data = [...times(20, 2, 2), ...times(5, 2, 1), ...times(10, 1, 2), ...times(15, 1, 1)];
    expect(cohensKappa(data)).toBeCloseTo(0.4, 12);
    // With two categories the quadratic weights are 0/1, so the weighted kappa is the same:
    // D_o = 15/50 = 0.3; D_e = (25·20 + 25·30) / 2500 = 0.5; κ_w = 1 − 0.3/0.5 = 0.4.
    expect(quadraticWeightedKappa(data)).toBeCloseTo(0.4, 12);
    expect(agreementStats(data)).toMatchObject({ n: 50, exact: 0.7, withinOne: 1 });
  });

  it("a near miss on a five-point scale costs the weighted kappa less than the unweighted one", () => {
    const data = pairs([1, 2, 3, 1], [1, 2, 3, 2]);
    // p_o = 3/4; trainer shares 1:2/4 2:1/4 3:1/4, judge 1:1/4 2:2/4 3:1/4 → p_e = (2+2+1)/16 = 5/16;
    // κ = (12/16 − 5/16) / (11/16) = 7/11.
    expect(cohensKappa(data)).toBeCloseTo(7 / 11, 12);
    // D_o = 1/4; D_e = (6 + 2 + 6 + 6) / 16 = 20/16 → κ_w = 1 − 0.25/1.25 = 0.8.
    expect(quadraticWeightedKappa(data)).toBeCloseTo(0.8, 12);
    expect(agreementStats(data)).toMatchObject({ n: 4, exact: 0.75, withinOne: 1 });
  });

  it("perfect agreement on varied scores is kappa 1", () => {
    const data = pairs([1, 2, 3, 4, 5, 5], [1, 2, 3, 4, 5, 5]);
    expect(cohensKappa(data)).toBe(1);
    expect(quadraticWeightedKappa(data)).toBe(1);
  });

  it("both raters giving one and the same score every time leaves kappa undefined, not 1 and not NaN", () => {
    const data = pairs([4, 4, 4], [4, 4, 4]);
    expect(cohensKappa(data)).toBeNull();
    expect(quadraticWeightedKappa(data)).toBeNull();
    expect(agreementStats(data)).toEqual({ n: 3, exact: 1, withinOne: 1, kappa: null, weightedKappa: null });
  });

  it("no items gives no figures at all", () => {
    expect(agreementStats([])).toEqual({ n: 0, exact: null, withinOne: null, kappa: null, weightedKappa: null });
  });

  it("a judge that always gives the same score agrees no better than chance", () => {
    // p_o = 1/3 = p_e → κ = 0; D_o = D_e = 2/3 → κ_w = 0.
    const data = pairs([1, 2, 3], [2, 2, 2]);
    expect(cohensKappa(data)).toBeCloseTo(0, 12);
    expect(quadraticWeightedKappa(data)).toBeCloseTo(0, 12);
    // Two constant raters that never agree: p_o = p_e = 0, D_o = D_e = 1.
    expect(cohensKappa(pairs([3, 3], [4, 4]))).toBe(0);
    expect(quadraticWeightedKappa(pairs([3, 3], [4, 4]))).toBe(0);
  });

  it("systematic reversal gives negative kappa", () => {
    // p_o = 0, p_e = 1/2 → κ = −1; D_o = 1, D_e = 1/2 → κ_w = −1.
    const data = pairs([1, 2], [2, 1]);
    expect(cohensKappa(data)).toBe(-1);
    expect(quadraticWeightedKappa(data)).toBe(-1);
    expect(agreementStats(pairs([1, 5], [3, 5]))).toMatchObject({ exact: 0.5, withinOne: 0.5 });
  });
});
