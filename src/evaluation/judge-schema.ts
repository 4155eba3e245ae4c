// The judge's reply schema, built per rubric and persona: every criterion id and every scenario
// check id is a required property, scores are the scale's integers, verdicts an enum. A provider
// with structured outputs can then only produce a judgement that fits the rubric; a model without
// them sees the same schema in its instructions. verifyJudgement stays the second line.
import { z } from "zod";
import type { JudgeOutput, JudgePersona, JudgeRubric } from "./judge.ts";

export const VERDICTS = ["yes", "no", "not_applicable"] as const;

/** The scale's scores, lowest first: the only values a score may take. */
export function scaleScores(scale: JudgeRubric["scale"]): [number, ...number[]] {
  const scores: number[] = [];
  for (let s = scale.min; s <= scale.max; s++) scores.push(s);
  return scores as [number, ...number[]];
}

function criterionReply(scale: JudgeRubric["scale"]) {
  // Observation and evidence come before the score so the model reasons before it commits.
  return z.object({
    observation: z.string(),
    evidence: z.array(z.object({ turn: z.int(), quote: z.string() })),
    score: z.literal(scaleScores(scale)),
    better_phrasing: z
      .object({
        you_said: z.string().nullable(),
        turn: z.int().nullable(),
        try_instead: z.string(),
      })
      .nullable(),
  });
}
type CriterionReply = z.infer<ReturnType<typeof criterionReply>>;

const checkReply = z.object({ verdict: z.enum(VERDICTS), note: z.string() });
type CheckReply = z.infer<typeof checkReply>;

const flagsReply = z.object({
  taboos: z.array(z.string()),
  manipulation: z.array(z.string()),
  principle_violations: z.array(z.string()),
});

export interface JudgeReply {
  criteria: Record<string, CriterionReply>;
  /** Absent when the persona has no scenario checks (an empty object is not in the strict subset). */
  scenario_checks?: Record<string, CheckReply>;
  flags: z.infer<typeof flagsReply>;
  summary: string;
}

/** The reply schema for this rubric and this persona's scenario checks. */
export function judgeReplySchema(
  rubric: JudgeRubric,
  persona: Pick<JudgePersona, "scenario_checks">,
): z.ZodType<JudgeReply> {
  const criterion = criterionReply(rubric.scale);
  const criteria = z.object(Object.fromEntries(rubric.criteria.map((c) => [c.id, criterion])));
  const shape = {
    criteria,
    ...(persona.scenario_checks.length > 0
      ? { scenario_checks: z.object(Object.fromEntries(persona.scenario_checks.map((c) => [c.id, checkReply]))) }
      : {}),
    flags: flagsReply,
    summary: z.string(),
  };
  return z.object(shape) as unknown as z.ZodType<JudgeReply>;
}

/** The reply in the shape the verification reads: criteria in the rubric's order, then the checks. */
export function judgementFromReply(
  reply: JudgeReply,
  rubric: JudgeRubric,
  persona: Pick<JudgePersona, "scenario_checks">,
): JudgeOutput {
  const criteria: JudgeOutput["criteria"] = [];
  for (const c of rubric.criteria) {
    const r = reply.criteria[c.id];
    if (r) criteria.push({ criterion_id: c.id, ...r });
  }
  const scenario_checks: JudgeOutput["scenario_checks"] = [];
  for (const c of persona.scenario_checks) {
    const r = reply.scenario_checks?.[c.id];
    if (r) scenario_checks.push({ check_id: c.id, ...r });
  }
  return { criteria, scenario_checks, flags: reply.flags, summary: reply.summary };
}
