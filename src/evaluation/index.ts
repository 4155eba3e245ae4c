// The evaluation's public face: the evaluator (once per session, retried, never invented), the
// pieces `evaluate --file` and reports use, and the card and report renderers.
export {
  agreementStats,
  cohensKappa,
  KAPPA_BAR,
  quadraticWeightedKappa,
  type AgreementStats,
  type RatingPair,
} from "./agreement.ts";
export {
  createEvaluator,
  evaluateTranscript,
  pinnedVersions,
  type EvaluatedPersona,
  type EvaluatedRubric,
  type EvaluationNotice,
  type Evaluator,
  type EvaluatorEvent,
  type EvaluatorOptions,
  type RequestResult,
  type RerunResult,
  type TranscriptEvaluationInput,
} from "./evaluator.ts";
export {
  buildJudgeMessages,
  JUDGE_TEMPERATURE,
  JudgeOutput,
  loadJudgeTemplate,
  parseJudgeTemplate,
  type JudgeTemplate,
} from "./judge.ts";
export { evaluationMessages } from "./messages.ts";
export {
  buildEvaluationCard,
  moodSparkline,
  renderCardText,
  renderReportMarkdown,
  renderSignalsMarkdown,
  scoreBar,
  type CardInfo,
  type ReportInfo,
} from "./render.ts";
export { isPassed, steeringBlocksPass, weightedTotal, withFlagCleared } from "./score.ts";
export { computeSignals, type JudgedTurn } from "./signals.ts";
export { turnsFromTranscript } from "./transcript.ts";
export { InvalidJudgementError, type JudgementProblem } from "./verify.ts";
export {
  type DetectorCalibration,
  type DetectorCalibrationItem,
  type DetectorFamilyRow,
  detectorCalibration,
} from "./detector-calibration.ts";
