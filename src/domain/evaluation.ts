// The evaluation of one session: per criterion scores with verified evidence, deterministic
// signals kept apart from the judge, and a total computed in code.
import type { Language } from "./persona.ts";
import type { EndReason, Outcome } from "./session.ts";

export interface Evidence {
  /** The trainee turn's seq the quote comes from. */
  turn: number;
  quote: string;
}

export interface CriterionResult {
  criterionId: string;
  name: string;
  weight: number;
  score: number;
  observation: string;
  /** Verified quotes only. */
  evidence: Evidence[];
  /** Quotes the judge cited that were not found in the trainee's turns. */
  droppedQuotes: number;
  /** True when no verified evidence supports the score. */
  lowConfidence: boolean;
  /** The weakest moment, and a better way to say it. */
  improvement: { youSaid: string | null; turn: number | null; tryInstead: string } | null;
}

export interface ScenarioCheckResult {
  checkId: string;
  description: string;
  critical: boolean;
  verdict: "yes" | "no" | "not_applicable";
  note: string;
}

export interface PhraseHit {
  turn: number;
  phrase: string;
  /** For taboo hits: the taboo group id and label. */
  group?: string;
  label?: string;
}

/** Deterministic signals: computed from the transcript and the rubric's phrase lists only. */
export interface Signals {
  taboo: PhraseHit[];
  empathy: PhraseHit[];
  canDo: PhraseHit[];
  blame: PhraseHit[];
  greeting: boolean;
  closing: boolean;
  questions: { open: number; closed: number };
  traineeTurns: number;
  avgTraineeChars: number;
  longestTraineeChars: number;
  /** ms between a customer message and the trainee's answer, per trainee turn (null when unknown). */
  responseMs: Array<number | null>;
  /** The customer's mood after each of its turns, starting with the persona's starting mood. */
  moodCurve: number[];
  /** Trainee text that looks like an attempt to steer the customer or the evaluator. */
  manipulation: PhraseHit[];
  /**
   * The persona's hidden facts the trainee got the customer to reveal (as the customer model
   * reported them), and those never uncovered. Absent when the session did not record them
   * (for example a written dialogue scored with `evaluate --file`).
   */
  facts?: {
    total: number;
    revealed: Array<{ id: string; turn: number }>;
    missed: Array<{ id: string; fact: string; revealWhen: string }>;
  };
}

export interface EvaluationFlags {
  taboos: string[];
  manipulation: string[];
  principleViolations: string[];
}

export interface Evaluation {
  id: string;
  sessionId: string;
  language: Language;
  createdAt: number;
  /** 0-100, computed in code from scores and weights. */
  total: number;
  passed: boolean;
  passMark: number;
  scale: { min: number; max: number };
  criteria: CriterionResult[];
  scenarioChecks: ScenarioCheckResult[];
  flags: EvaluationFlags;
  signals: Signals;
  summary: string;
  outcome: Outcome;
  endReason: EndReason | null;
  droppedQuotes: number;
  /**
   * Set when a trainer cleared the steering flag (`roleplay evaluate ID --clear-flag`): pass or
   * fail no longer counts it. The evaluation it replaces stays in the history, for audit.
   */
  flagCleared?: { at: number; previousEvaluationId: string } | null;
  judgeModel: string;
  promptVersion: string;
  personaId: string;
  personaHash: string;
  rubricId: string;
  rubricHash: string;
  /**
   * Present when the transcript was judged several times (JUDGE_SAMPLES > 1): each score above is
   * the median of these, and a criterion whose samples differ by more than one level is marked
   * low-confidence. `judged` < `requested` when some judge calls failed.
   */
  samples?: {
    requested: number;
    judged: number;
    criteria: Array<{ criterionId: string; scores: number[] }>;
  };
}

/**
 * What the trainee sees when a session ends: platform-neutral, already in the trainee's language
 * (labels included), rendered by each platform (console text, Telegram HTML, Discord embed).
 */
export interface EvaluationCard {
  language: Language;
  /** e.g. "评估结果 · ATM 取出疑似假币" */
  title: string;
  personaName: string;
  total: number;
  passed: boolean;
  passMark: number;
  /** e.g. "72.5 / 100 · 通过" */
  totalLine: string;
  criteria: Array<{
    name: string;
    score: number;
    min: number;
    max: number;
    /** e.g. "▰▰▰▱▱" */
    bar: string;
    lowConfidence: boolean;
  }>;
  /** 2-3 strengths, each with a verified quote when there is one. */
  strengths: Array<{ criterion: string; quote: string | null; turn: number | null; note: string }>;
  /** 2-3 improvements: "you said ... / try: ...". */
  improvements: Array<{ criterion: string; youSaid: string | null; turn: number | null; tryInstead: string }>;
  outcome: Outcome;
  outcomeLabel: string;
  /** e.g. "▁▂▂▃▅▆" */
  moodCurve: string;
  /** e.g. "Hidden facts found out: 2 of 4", when the session recorded them. */
  factsLine?: string | null;
  traineeTurns: number;
  durationMs: number;
  droppedQuotes: number;
  /** Human-readable flags (taboos, manipulation attempts, principle violations). */
  flags: string[];
  summary: string;
  /** Labels in `language` for the headings a platform renders. */
  labels: {
    criteria: string;
    strengths: string;
    improvements: string;
    youSaid: string;
    tryInstead: string;
    outcome: string;
    mood: string;
    turns: string;
    duration: string;
    lowConfidence: string;
    droppedQuotes: string;
    flags: string;
  };
}
