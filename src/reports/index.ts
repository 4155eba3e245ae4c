// Manager summaries and the report files built from them.
export {
  allowedScopes,
  CHAT_TEXT_LIMIT,
  type ChatReportRequest,
  type ChatReportResult,
  chatSummaryText,
  reportForChat,
} from "./chat.ts";
export { reportFileName } from "./format.ts";
export { reportMessages } from "./messages.ts";
export { BOM, renderSessionsCsv, renderTraineesCsv, traineesCsvPath, writeSessionsCsv } from "./render-csv.ts";
export { renderHtml } from "./render-html.ts";
export { REPORT_SCHEMA_VERSION, type ReportJson, renderJson, toReportJson, writeJson } from "./render-json.ts";
export { renderMarkdown } from "./render-md.ts";
export { collectText, type SessionRowPages, streamSink, type TextSink } from "./sink.ts";
export {
  buildSummary,
  classifyTrend,
  type CriterionSummary,
  type Period,
  type PersonaStats,
  parseDay,
  parsePeriod,
  readSessionRows,
  recencyWeightedAverage,
  type ReportScope,
  sessionRows,
  type SessionRow,
  type SummaryOptions,
  type TeamSummary,
  type TraineeSummary,
  type Trend,
  TREND_MIN_SCORES,
  TREND_THRESHOLD,
} from "./summary.ts";
export {
  type DigestFile,
  type DigestOptions,
  type DigestScheduler,
  DigestScheduleError,
  startDigest,
} from "./digest.ts";
