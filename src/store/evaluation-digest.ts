// What a team report needs of an evaluation, kept next to it in a small column: reports read
// these few hundred bytes instead of parsing every full evaluation (feedback texts and evidence
// are most of its size).
import type { Evaluation } from "../domain/evaluation.ts";
import type { EvaluationDigest } from "./port.ts";

/** Tolerates a partial evaluation (older or hand-written rows): a digest never stops a save. */
export function digestOf(e: Evaluation): EvaluationDigest {
  const partial = e as Partial<Evaluation>;
  return {
    sessionId: e.sessionId,
    createdAt: e.createdAt,
    total: e.total,
    passed: e.passed,
    scale: { min: partial.scale?.min ?? 0, max: partial.scale?.max ?? 0 },
    criteria: (partial.criteria ?? []).map((c) => ({ criterionId: c.criterionId, name: c.name, score: c.score })),
    traineeTurns: partial.signals?.traineeTurns ?? 0,
    taboo: (partial.signals?.taboo ?? []).map((h) => ({
      phrase: h.phrase,
      ...(h.group === undefined ? {} : { group: h.group }),
      ...(h.label === undefined ? {} : { label: h.label }),
    })),
    manipulation: (partial.signals?.manipulation?.length ?? 0) + (partial.flags?.manipulation?.length ?? 0),
  };
}
