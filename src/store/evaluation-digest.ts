// What a team report needs of an evaluation, kept next to it in a small column: reports read
// these few hundred bytes instead of parsing every full evaluation (feedback texts and evidence
// are most of its size).
import type { Evaluation } from "../domain/evaluation.ts";
import type { EvaluationDigest } from "./port.ts";

export function digestOf(e: Evaluation): EvaluationDigest {
  return {
    sessionId: e.sessionId,
    createdAt: e.createdAt,
    total: e.total,
    passed: e.passed,
    scale: { min: e.scale.min, max: e.scale.max },
    criteria: e.criteria.map((c) => ({ criterionId: c.criterionId, name: c.name, score: c.score })),
    traineeTurns: e.signals.traineeTurns,
    taboo: e.signals.taboo.map((h) => ({
      phrase: h.phrase,
      ...(h.group === undefined ? {} : { group: h.group }),
      ...(h.label === undefined ? {} : { label: h.label }),
    })),
    manipulation: e.signals.manipulation.length + e.flags.manipulation.length,
  };
}
