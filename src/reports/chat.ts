// The manager's report command on any platform: who may ask, over which places, and the answer as
// a short chat message plus the HTML report as a file. The platform adapters render the result.
import type { Language } from "../domain/persona.ts";
import type { Viewer } from "../roleplay/api.ts";
import type { Store } from "../store/port.ts";
import { percent, periodText, reportFileName, score, scopeText, zoneText } from "./format.ts";
import { reportMessages } from "./messages.ts";
import { renderHtml } from "./render-html.ts";
import { buildSummary, type Period, parsePeriod, type ReportScope, type TeamSummary } from "./summary.ts";

/**
 * What a chat message may hold at most, whatever the platform allows: a short summary. A platform
 * with a smaller limit (or another unit, e.g. UTF-8 bytes) passes its own to chatSummaryText.
 */
export const CHAT_TEXT_LIMIT = 1800;

/** Length in UTF-16 code units (what Telegram and Discord count). */
const utf16 = (text: string): number => text.length;
export const DEFAULT_CHAT_PERIOD = "7d";

export interface ChatReportRequest {
  viewer: Viewer;
  /** "7d", "30d", "2026-01-01..2026-01-31", or a parsed period; default the last 7 days. */
  period?: string | Period | null;
  /** The place asked about; null or absent: every place the viewer manages. */
  scope?: ReportScope | null;
  language: Language;
  /** IANA zone for the period's days and the dates shown (TIME_ZONE). */
  timeZone: string;
  /** Defaults to Date.now(). */
  now?: number;
}

export type ChatReportResult =
  | { ok: true; text: string; files: Array<{ name: string; content: Buffer }>; summary: TeamSummary }
  | { ok: false; error: "not_allowed" | "bad_period" };

/**
 * Which places this viewer may see, narrowed to `scope` when given. null = everything; an error
 * when the viewer is a trainee or asks about a place they do not manage.
 */
export function allowedScopes(viewer: Viewer, scope: ReportScope | null): ReportScope[] | null | "not_allowed" {
  if (viewer.role !== "manager" && viewer.role !== "trainer") return "not_allowed";
  if (viewer.scopes === null) return scope === null ? null : [scope];
  if (scope === null) {
    if (viewer.scopes.length === 0) return "not_allowed";
    return viewer.scopes.map((scopeId) => ({ platform: viewer.platform, scopeId }));
  }
  // A manager's scopes are ids on their own platform: a Discord manager cannot read a Telegram group.
  if (scope.platform !== viewer.platform || !viewer.scopes.includes(scope.scopeId)) return "not_allowed";
  return [scope];
}

export async function reportForChat(store: Store, req: ChatReportRequest): Promise<ChatReportResult> {
  const scopes = allowedScopes(req.viewer, req.scope ?? null);
  if (scopes === "not_allowed") return { ok: false, error: "not_allowed" };
  const now = req.now ?? Date.now();
  const period =
    req.period === undefined || req.period === null || req.period === ""
      ? parsePeriod(DEFAULT_CHAT_PERIOD, now, req.timeZone)
      : typeof req.period === "string"
        ? parsePeriod(req.period, now, req.timeZone)
        : req.period;
  if (period === null) return { ok: false, error: "bad_period" };
  const summary = await buildSummary(store, { ...period, scope: scopes, now, timeZone: req.timeZone });
  return {
    ok: true,
    text: chatSummaryText(summary, req.language),
    files: [{ name: reportFileName(summary, "html"), content: Buffer.from(renderHtml(summary, req.language), "utf8") }],
    summary,
  };
}

/**
 * A few lines a manager reads in the chat; the details are in the file. At most `limit` as
 * `length` counts (default CHAT_TEXT_LIMIT UTF-16 units).
 */
export function chatSummaryText(
  summary: TeamSummary,
  language: Language,
  limit = CHAT_TEXT_LIMIT,
  length: (text: string) => number = utf16,
): string {
  const m = reportMessages(language);
  const t = summary.totals;
  const sep = language === "en" ? ", " : "、";
  const colon = language === "en" ? ": " : "：";
  const lines: string[] = [
    m.chatHeader(
      `${periodText(summary.period, summary.timeZone)} (${zoneText(summary)})`,
      scopeText(summary.scope, language),
    ),
  ];
  if (t.started === 0) {
    lines.push(m.noSessions);
    return fitToLimit(lines, limit, length);
  }
  lines.push(m.chatCounts(t.started, t.completed, t.abandoned));
  lines.push(m.chatScores(t.evaluated, percent(t.passRate), score(t.averageScore), score(t.medianScore)));

  const weakest = summary.criteria.slice(0, 3);
  if (weakest.length > 0) {
    lines.push(
      `${m.chatWeakest}${colon}${weakest.map((c) => `${c.name} ${score(c.average)}/${c.scale.max}`).join(sep)}`,
    );
  }
  // A customer everyone passes is not "hard": list it only when nothing harder exists.
  const hardest = summary.personas.filter((p, i) => p.passRate !== null && (i === 0 || p.passRate < 1)).slice(0, 3);
  if (hardest.length > 0) {
    lines.push(`${m.chatHardest}${colon}${hardest.map((p) => `${p.title} ${percent(p.passRate)}`).join(sep)}`);
  }
  const improving = summary.trainees
    .filter((x) => x.trend === "improving")
    .slice(0, 5)
    .map((x) => x.displayName);
  if (improving.length > 0) lines.push(`${m.chatTopTrainees}${colon}${improving.join(sep)}`);
  const attention = summary.trainees
    .filter((x) => x.trend === "declining")
    .slice(0, 5)
    .map((x) => x.displayName);
  if (attention.length > 0) lines.push(`${m.chatNeedsAttention}${colon}${attention.join(sep)}`);
  if (summary.manipulation.length > 0) lines.push(m.chatManipulation(summary.manipulation.length));
  const o = summary.outstanding;
  if (o.pending + o.running + o.failed > 0) lines.push(m.chatOutstanding(o.pending + o.running, o.failed));
  lines.push(m.chatFile);
  return fitToLimit(lines, limit, length);
}

/**
 * Drops whole lines from the middle when the text is too long (names can be long), then cuts.
 * Lengths as the platform counts them (`length`), so the result fits whatever its unit.
 */
function fitToLimit(lines: string[], limit: number, length: (text: string) => number): string {
  const kept = [...lines];
  while (kept.length > 2 && length(kept.join("\n")) > limit) kept.splice(kept.length - 2, 1);
  const text = kept.join("\n");
  if (length(text) <= limit) return text;
  const room = limit - length("…");
  // Both units in use (UTF-16 units, UTF-8 bytes) add up character by character.
  let cut = "";
  let used = 0;
  for (const ch of text) {
    used += length(ch);
    if (used > room) break;
    cut += ch;
  }
  return `${cut}…`;
}
