// One evaluation of a transcript, without a store (the evaluator and `evaluate --file` use it):
// the detectors' signals, the judge asked (again once at once for an answer that does not fit the
// rubric), the judgement verified against the transcript, samples folded by the median.
import { randomUUID } from "node:crypto";
import type { Evaluation } from "../domain/evaluation.ts";
import { PersonaFile } from "../domain/persona.ts";
import { RubricFile } from "../domain/rubric.ts";
import type { EndReason, Outcome, Session } from "../domain/session.ts";
import type { LlmPort } from "../llm/port.ts";
import { buildJudgeMessages, JUDGE_SCHEMA_NAME, JUDGE_TEMPERATURE, type JudgeTemplate } from "./judge.ts";
import { judgementFromReply, judgeReplySchema } from "./judge-schema.ts";
import { combineSamples } from "./samples.ts";
import { isPassed, weightedTotal } from "./score.ts";
import { computeSignals, type JudgedTurn } from "./signals.ts";
import { InvalidJudgementError, redactQuotes, verifyJudgement } from "./verify.ts";

/** A persona as the evaluation needs it: the file, plus its hash when it was loaded from one. */
export type EvaluatedPersona = PersonaFile & { hash?: string };
export type EvaluatedRubric = RubricFile & { hash?: string };

export interface TranscriptEvaluationInput {
  persona: EvaluatedPersona;
  rubric: EvaluatedRubric;
  turns: JudgedTurn[];
  outcome: Outcome;
  llm: LlmPort;
  template: JudgeTemplate;
  endReason?: EndReason | null;
  /** The session the evaluation belongs to ("" for a transcript file). */
  sessionId?: string;
  now?: () => number;
  /** Boundary token source (tests). */
  randomToken?: () => string;
  signal?: AbortSignal;
  /** Independent judgements to take, folded into one by the median (JUDGE_SAMPLES; default 1). */
  samples?: number;
}

async function judgeOnce(input: TranscriptEvaluationInput): Promise<Evaluation> {
  const { persona, rubric, turns } = input;
  const signals = computeSignals(turns, rubric, persona.emotion.mood_start, persona.facts, persona);
  const { messages } = buildJudgeMessages({
    template: input.template,
    rubric,
    persona,
    turns,
    signals,
    outcome: input.outcome,
    randomToken: input.randomToken,
  });
  const result = await input.llm.structured({
    role: "judge",
    messages,
    schema: judgeReplySchema(rubric, persona),
    schemaName: JUDGE_SCHEMA_NAME,
    temperature: JUDGE_TEMPERATURE,
    sessionId: input.sessionId || null,
    purpose: "evaluation",
    signal: input.signal,
  });
  const out = judgementFromReply(result.value, rubric, persona);
  const verified = verifyJudgement(out, rubric, persona, turns);
  const total = weightedTotal(verified.criteria, rubric.scale);
  const clean = (list: string[]) => list.map((s) => redactQuotes(s.trim(), verified.droppedTexts)).filter(Boolean);
  return {
    id: randomUUID(),
    sessionId: input.sessionId ?? "",
    language: persona.language,
    createdAt: (input.now ?? Date.now)(),
    total,
    passed: isPassed(total, rubric.pass_mark, verified.scenarioChecks, signals.manipulation.length > 0),
    passMark: rubric.pass_mark,
    scale: { min: rubric.scale.min, max: rubric.scale.max },
    criteria: verified.criteria,
    scenarioChecks: verified.scenarioChecks,
    flags: {
      taboos: clean(out.flags.taboos),
      manipulation: clean(out.flags.manipulation),
      principleViolations: clean(out.flags.principle_violations),
    },
    signals,
    summary: redactQuotes(out.summary.trim(), verified.droppedTexts),
    outcome: input.outcome,
    endReason: input.endReason ?? null,
    droppedQuotes: verified.droppedQuotes,
    judgeModel: result.model,
    promptVersion: input.template.version,
    personaId: persona.id,
    personaHash: persona.hash ?? "",
    rubricId: rubric.id,
    rubricHash: rubric.hash ?? "",
  };
}

/**
 * One evaluation of a transcript, without a store (also `evaluate --file`). An answer that does
 * not fit the rubric is asked for once more at once; throws InvalidJudgementError or an LlmError
 * when there is still no valid judgement. Never returns an invented score.
 */
export async function evaluateTranscript(input: TranscriptEvaluationInput): Promise<Evaluation> {
  const requested = Math.max(1, Math.floor(input.samples ?? 1));
  const judged: Evaluation[] = [];
  let firstError: unknown = null;
  for (let i = 0; i < requested; i++) {
    try {
      judged.push(await judgeWithRetry(input));
    } catch (e) {
      // A sample the judge could not give is left out (and counted), never scored.
      firstError ??= e;
    }
  }
  if (judged.length === 0) throw firstError;
  return combineSamples(judged, requested);
}

async function judgeWithRetry(input: TranscriptEvaluationInput): Promise<Evaluation> {
  try {
    return await judgeOnce(input);
  } catch (e) {
    if (!(e instanceof InvalidJudgementError)) throw e;
    return await judgeOnce(input);
  }
}

/** Reads the session's pinned persona and rubric (never the current files). */
export function pinnedVersions(
  session: Pick<Session, "personaSnapshot" | "rubricSnapshot" | "personaHash" | "rubricHash">,
): {
  persona: EvaluatedPersona;
  rubric: EvaluatedRubric;
} {
  const strip = (json: string): unknown => {
    const { hash: _h, file: _f, ...rest } = JSON.parse(json) as Record<string, unknown>;
    return rest;
  };
  const persona = PersonaFile.parse(strip(session.personaSnapshot));
  const rubric = RubricFile.parse(strip(session.rubricSnapshot));
  return { persona: { ...persona, hash: session.personaHash }, rubric: { ...rubric, hash: session.rubricHash } };
}
