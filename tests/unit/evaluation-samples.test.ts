// JUDGE_SAMPLES: several judgements of one transcript, folded into one by the median per criterion,
// with the spread kept and wide disagreement marked low-confidence.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { evaluateTranscript, parseJudgeTemplate, renderReportMarkdown } from "../../src/evaluation/index.ts";
import { median } from "../../src/evaluation/samples.ts";
import { LlmRefusedError, LlmUnreachableError } from "../../src/llm/port.ts";
import { scriptedLlm } from "../support/scripted-llm.ts";
import { goodTurns, judgeAnswer, persona, rubric } from "./evaluation-fixtures.ts";

const template = parseJudgeTemplate(readFileSync(new URL("../../prompts/judge.md", import.meta.url), "utf8"));

/** judgeAnswer with these scores for empathy, questions, solution, and this verdict on the critical check. */
function answer(scores: [number, number, number], verified: "yes" | "no" = "yes") {
  const a = judgeAnswer();
  a.criteria.forEach((c, i) => {
    c.score = scores[i] as number;
    c.observation = `sample with ${scores.join("/")}`;
  });
  (a.scenario_checks[0] as { verdict: string }).verdict = verified;
  return a;
}

function evaluate(steps: unknown[], samples: number) {
  const llm = scriptedLlm(steps);
  const run = evaluateTranscript({ persona, rubric, turns: goodTurns, outcome: "satisfied", llm, template, samples });
  return { llm, run };
}

describe("the median", () => {
  it("of an odd count is the middle value, of an even count the mean of the two middle ones", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 2, 4, 5])).toBe(4);
    expect(median([2, 3])).toBe(2.5);
    expect(median([7])).toBe(7);
  });
});

describe("several judgements of one transcript", () => {
  it("one sample (the default) is one judge call and no spread", async () => {
    const { llm, run } = evaluate([answer([4, 3, 5])], 1);
    const e = await run;
    expect(llm.requests).toHaveLength(1);
    expect(e.samples).toBeUndefined();
    expect(e.total).toBe(72.5);
  });

  it("takes the median per criterion, keeps every score, and marks disagreement beyond one level", async () => {
    const { llm, run } = evaluate([answer([4, 3, 5]), answer([2, 3, 5]), answer([4, 4, 1])], 3);
    const e = await run;
    expect(llm.requests).toHaveLength(3);
    expect(e.criteria.map((c) => c.score)).toEqual([4, 3, 5]);
    expect(e.samples).toEqual({
      requested: 3,
      judged: 3,
      criteria: [
        { criterionId: "empathy", scores: [4, 2, 4] },
        { criterionId: "questions", scores: [3, 3, 4] },
        { criterionId: "solution", scores: [5, 5, 1] },
      ],
    });
    // empathy 4,2,4 and solution 5,5,1 spread over more than one level; questions 3,3,4 does not.
    expect(e.criteria.map((c) => c.lowConfidence)).toEqual([true, false, true]);
    // The total is recomputed from the medians: 50*(3/4) + 30*(2/4) + 20*(4/4) = 72.5.
    expect(e.total).toBe(72.5);
    // Each criterion's observation is one a judge gave for the score shown.
    expect(e.criteria[0]?.observation).toBe("sample with 4/3/5");
  });

  it("a critical check's tie counts as failed: a tie must not hide a 'no'", async () => {
    const { run } = evaluate([answer([5, 5, 5], "yes"), answer([5, 5, 5], "no")], 2);
    const e = await run;
    expect(e.scenarioChecks[0]?.verdict).toBe("no");
    expect(e.passed).toBe(false);
    expect(e.total).toBe(100);
  });

  it("a majority decides a check", async () => {
    const { run } = evaluate([answer([5, 5, 5], "no"), answer([5, 5, 5], "yes"), answer([5, 5, 5], "yes")], 3);
    expect((await run).scenarioChecks[0]?.verdict).toBe("yes");
  });

  it("a judgement that fails is left out and counted, never scored", async () => {
    const down = new LlmUnreachableError("connection refused", false);
    const { run } = evaluate([answer([4, 3, 5]), down, answer([2, 3, 3])], 3);
    const e = await run;
    expect(e.samples?.requested).toBe(3);
    expect(e.samples?.judged).toBe(2);
    expect(e.criteria.map((c) => c.score)).toEqual([3, 3, 4]);
  });

  it("when every judgement fails there is no evaluation", async () => {
    const refused = () => new LlmRefusedError("refused", 200, "refusal");
    const { run } = evaluate([refused(), refused()], 2);
    await expect(run).rejects.toBeInstanceOf(LlmRefusedError);
  });

  it("the report shows each criterion's separate scores and why it is low-confidence", async () => {
    const { run } = evaluate([answer([4, 3, 5]), answer([2, 3, 5]), answer([4, 4, 5])], 3);
    const e = await run;
    const info = { personaName: persona.name, personaTitle: persona.title, durationMs: 60_000 };
    const en = renderReportMarkdown(e, info, goodTurns, "en");
    expect(en).toContain("Scores of the separate judgements (the median is shown):** 4, 2, 4");
    expect(en).toContain("low confidence: the judgements disagree by more than one level");
    expect(en).toContain("3 judgements, median per criterion");
    const zh = renderReportMarkdown(e, info, goodTurns, "zh-CN");
    expect(zh).toContain("各次评分（取中位数）:** 4, 2, 4");
    expect(zh).toContain("几次评分相差超过一级");
  });
});

describe("JUDGE_SAMPLES", () => {
  it("defaults to 1 and accepts 1-9", () => {
    expect(loadConfig({}).evaluation.judgeSamples).toBe(1);
    expect(loadConfig({ JUDGE_SAMPLES: "3" }).evaluation.judgeSamples).toBe(3);
    expect(() => loadConfig({ JUDGE_SAMPLES: "0" })).toThrow();
    expect(() => loadConfig({ JUDGE_SAMPLES: "many" })).toThrow();
  });
});
