// Turns the judge's raw answer into results that can be trusted: the answer must fit the rubric
// exactly (or it is rejected, never repaired), and every quote must be found in what the trainee
// actually wrote (or it is dropped and counted).
import type { Language } from "../domain/persona.ts";
import { RoleplayError } from "../errors/index.ts";
import { errorMessages } from "../errors/messages.ts";
import type { CriterionResult, Evidence, ScenarioCheckResult } from "../domain/evaluation.ts";
import type { JudgeOutput, JudgePersona, JudgeRubric } from "./judge.ts";
import { normaliseForQuote, unwrapQuote } from "./normalise.ts";
import type { JudgedTurn } from "./signals.ts";

export type JudgementProblem =
  | { code: "unknown_criterion"; criterionId: string }
  | { code: "duplicate_criterion"; criterionId: string }
  | { code: "missing_criterion"; criterionId: string }
  | { code: "score_out_of_scale"; criterionId: string; score: number }
  | { code: "missing_check"; checkId: string };

/** The judge's answer does not fit the rubric: it must not be scored. */
export class InvalidJudgementError extends RoleplayError {
  readonly code = "invalid_judgement";
  readonly problems: JudgementProblem[];
  constructor(problems: JudgementProblem[]) {
    super(errorMessages("en").invalidJudgement(problems.map(describeProblem).join("; ")));
    this.problems = problems;
  }
  localized(language: Language): string {
    return errorMessages(language).invalidJudgement(this.problems.map(describeProblem).join("; "));
  }
}

export function describeProblem(p: JudgementProblem): string {
  switch (p.code) {
    case "unknown_criterion":
      return `unknown criterion "${p.criterionId}"`;
    case "duplicate_criterion":
      return `criterion "${p.criterionId}" scored twice`;
    case "missing_criterion":
      return `criterion "${p.criterionId}" not scored`;
    case "score_out_of_scale":
      return `criterion "${p.criterionId}" scored ${p.score}, outside the scale`;
    case "missing_check":
      return `scenario check "${p.checkId}" not answered`;
  }
}

/** Structural problems of a judgement against the rubric and the persona's checks. */
export function judgementProblems(
  out: JudgeOutput,
  rubric: JudgeRubric,
  persona: Pick<JudgePersona, "scenario_checks">,
): JudgementProblem[] {
  const problems: JudgementProblem[] = [];
  const known = new Set(rubric.criteria.map((c) => c.id));
  const seen = new Set<string>();
  for (const c of out.criteria) {
    if (!known.has(c.criterion_id)) problems.push({ code: "unknown_criterion", criterionId: c.criterion_id });
    else if (seen.has(c.criterion_id)) problems.push({ code: "duplicate_criterion", criterionId: c.criterion_id });
    seen.add(c.criterion_id);
    if (!Number.isInteger(c.score) || c.score < rubric.scale.min || c.score > rubric.scale.max) {
      problems.push({ code: "score_out_of_scale", criterionId: c.criterion_id, score: c.score });
    }
  }
  for (const id of known) if (!seen.has(id)) problems.push({ code: "missing_criterion", criterionId: id });
  const answered = new Set(out.scenario_checks.map((c) => c.check_id));
  for (const c of persona.scenario_checks)
    if (!answered.has(c.id)) problems.push({ code: "missing_check", checkId: c.id });
  return problems;
}

interface TraineeText {
  seq: number;
  norm: string;
}

/**
 * Where a quote really is: the cited turn if it contains the quote, otherwise the first trainee
 * turn that does (the judge miscounted), otherwise null (the quote is not the trainee's).
 */
export function locateQuote(
  quote: string,
  citedTurn: number | null,
  trainee: TraineeText[],
): { turn: number; quote: string } | null {
  const q = unwrapQuote(quote);
  const nq = normaliseForQuote(q);
  if (nq.length === 0) return null;
  const cited = trainee.find((t) => t.seq === citedTurn);
  if (cited?.norm.includes(nq)) return { turn: cited.seq, quote: q };
  const other = trainee.find((t) => t.norm.includes(nq));
  return other ? { turn: other.seq, quote: q } : null;
}

export interface VerifiedJudgement {
  criteria: CriterionResult[];
  scenarioChecks: ScenarioCheckResult[];
  droppedQuotes: number;
  /** The dropped quotes' text, so free text (summary, flags) can be cleared of them too. */
  droppedTexts: string[];
}

/** Replaces every occurrence of a dropped (unverified) quote in free text with an ellipsis. */
export function redactQuotes(text: string, dropped: string[]): string {
  let out = text;
  for (const q of dropped) if (q.length >= 2) out = out.split(q).join("…");
  return out;
}

/**
 * Checks the judgement's shape against the rubric (throws InvalidJudgementError) and verifies
 * every quote against the trainee's turns.
 */
export function verifyJudgement(
  out: JudgeOutput,
  rubric: JudgeRubric,
  persona: Pick<JudgePersona, "scenario_checks">,
  turns: JudgedTurn[],
): VerifiedJudgement {
  const problems = judgementProblems(out, rubric, persona);
  if (problems.length > 0) throw new InvalidJudgementError(problems);

  const trainee: TraineeText[] = turns
    .filter((t) => t.speaker === "trainee")
    .map((t) => ({ seq: t.seq, norm: normaliseForQuote(t.text) }));
  let droppedTotal = 0;
  const droppedTexts: string[] = [];
  const byId = new Map(out.criteria.map((c) => [c.criterion_id, c]));
  const criteria: CriterionResult[] = rubric.criteria.map((rc) => {
    // judgementProblems guarantees each criterion is present exactly once.
    const c = byId.get(rc.id) as JudgeOutput["criteria"][number];
    const evidence: Evidence[] = [];
    let dropped = 0;
    for (const e of c.evidence) {
      const found = locateQuote(e.quote, e.turn, trainee);
      if (!found) {
        dropped++;
        droppedTexts.push(unwrapQuote(e.quote));
        continue;
      }
      if (!evidence.some((x) => x.turn === found.turn && x.quote === found.quote)) evidence.push(found);
    }
    let improvement: CriterionResult["improvement"] = null;
    const bp = c.better_phrasing;
    if (bp && bp.try_instead.trim().length > 0) {
      if (bp.you_said === null || bp.you_said.trim() === "") {
        improvement = { youSaid: null, turn: null, tryInstead: bp.try_instead.trim() };
      } else {
        const found = locateQuote(bp.you_said, bp.turn, trainee);
        if (!found) {
          dropped++;
          droppedTexts.push(unwrapQuote(bp.you_said));
        }
        improvement = { youSaid: found?.quote ?? null, turn: found?.turn ?? null, tryInstead: bp.try_instead.trim() };
      }
    }
    droppedTotal += dropped;
    return {
      criterionId: rc.id,
      name: rc.name,
      weight: rc.weight,
      score: c.score,
      observation: c.observation.trim(),
      // Redacted below, once every dropped quote of every criterion is known.
      evidence,
      droppedQuotes: dropped,
      lowConfidence: evidence.length === 0,
      improvement,
    };
  });

  const checks = new Map(out.scenario_checks.map((c) => [c.check_id, c]));
  const scenarioChecks: ScenarioCheckResult[] = persona.scenario_checks.map((pc) => {
    const c = checks.get(pc.id) as JudgeOutput["scenario_checks"][number];
    return {
      checkId: pc.id,
      description: pc.description,
      critical: pc.critical ?? false,
      verdict: c.verdict,
      note: c.note.trim(),
    };
  });

  const clean = (t: string) => redactQuotes(t, droppedTexts);
  for (const c of criteria) {
    c.observation = clean(c.observation);
    if (c.improvement) c.improvement.tryInstead = clean(c.improvement.tryInstead);
  }
  for (const c of scenarioChecks) c.note = clean(c.note);
  return { criteria, scenarioChecks, droppedQuotes: droppedTotal, droppedTexts };
}
