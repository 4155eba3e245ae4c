// The team summary as Markdown: for a terminal, a wiki page or a chat that renders Markdown.
import { completionMarkdown } from "./completion.ts";
import type { Language } from "../domain/persona.ts";
import {
  day,
  difficultyLabel,
  evalStatusLabel,
  labelled,
  percent,
  periodText,
  scopeText,
  zoneText,
  score,
  trendLabel,
} from "./format.ts";
import { reportMessages } from "./messages.ts";
import type { TeamSummary } from "./summary.ts";

/** Table cells must not break the table: pipes escaped, line breaks flattened. */
function cell(text: string): string {
  return text
    .replace(/\\/g, "\\\\")
    .replace(/\|/g, "\\|")
    .replace(/\r?\n|\r/g, " ");
}

function table(header: string[], rows: string[][]): string {
  const lines = [
    `| ${header.map(cell).join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`),
  ];
  return lines.join("\n");
}

export function renderMarkdown(summary: TeamSummary, language: Language): string {
  const m = reportMessages(language);
  const t = summary.totals;
  const out: string[] = [];
  out.push(`# ${m.title}`);
  out.push("");
  out.push(
    `${labelled(m.period, `${periodText(summary.period, summary.timeZone)} (${zoneText(summary)})`, language)} · ${labelled(m.scope, scopeText(summary.scope, language), language)}`,
  );
  out.push("");
  out.push(...completionMarkdown(summary.assignments, language));
  if (t.started === 0) {
    out.push(m.noSessions);
    out.push("");
    return out.join("\n");
  }

  out.push(`## ${m.overview}`);
  out.push("");
  out.push(
    table(
      [m.started, m.completed, m.abandoned, m.active, m.evaluated, m.passRate, m.averageScore, m.medianScore],
      [
        [
          String(t.started),
          String(t.completed),
          String(t.abandoned),
          String(t.active),
          String(t.evaluated),
          percent(t.passRate),
          score(t.averageScore),
          score(t.medianScore),
        ],
      ],
    ),
  );
  out.push("");

  out.push(`## ${m.criteria}`);
  out.push("");
  if (summary.criteria.length === 0) out.push(m.none);
  else
    out.push(
      table(
        [m.criterion, m.teamAverage, m.belowMiddle, m.sessions],
        summary.criteria.map((c) => [
          c.name,
          `${score(c.average)} / ${c.scale.max}`,
          percent(c.belowMiddleShare),
          String(c.sessions),
        ]),
      ),
    );
  out.push("");

  out.push(`## ${m.trainees}`);
  out.push("");
  out.push(
    table(
      [m.trainee, m.sessions, m.evaluated, m.first, m.best, m.latest, m.trend, m.lastPractice, m.weakness],
      summary.trainees.map((x) => [
        x.displayName,
        String(x.sessions),
        String(x.evaluated),
        score(x.firstScore),
        score(x.bestScore),
        score(x.latestScore),
        trendLabel(x.trend, language),
        day(x.lastPracticeAt, summary.timeZone),
        x.weakness?.name ?? "—",
      ]),
    ),
  );
  out.push("");

  out.push(`## ${m.personas}`);
  out.push("");
  out.push(
    table(
      [m.persona, m.declaredDifficulty, m.attempts, m.evaluated, m.passRate, m.averageScore],
      summary.personas.map((p) => [
        p.title,
        difficultyLabel(p.declaredDifficulty, language),
        String(p.attempts),
        String(p.evaluated),
        percent(p.passRate),
        score(p.averageScore),
      ]),
    ),
  );
  out.push("");

  out.push(`## ${m.taboos}`);
  out.push("");
  if (summary.taboos.length === 0) out.push(m.none);
  else
    out.push(
      table(
        [m.taboo, m.hits, m.sessions, m.examples],
        summary.taboos.map((x) => [x.label, String(x.hits), String(x.sessions), x.phrases.join(" / ")]),
      ),
    );
  out.push("");

  out.push(`## ${m.manipulation}`);
  out.push("");
  if (summary.manipulation.length === 0) out.push(m.none);
  else
    out.push(
      table(
        [m.date, m.trainee, m.persona, m.hits, m.col_session],
        summary.manipulation.map((x) => [
          day(x.startedAt, summary.timeZone),
          x.displayName,
          x.personaTitle,
          String(x.hits),
          x.sessionId,
        ]),
      ),
    );
  out.push("");

  out.push(`## ${m.outstanding}`);
  out.push("");
  if (summary.outstanding.sessions.length === 0) out.push(m.none);
  else
    out.push(
      table(
        [m.date, m.trainee, m.evalStatus, m.col_session],
        summary.outstanding.sessions.map((x) => [
          day(x.startedAt, summary.timeZone),
          x.displayName,
          evalStatusLabel(x.evalStatus, language),
          x.sessionId,
        ]),
      ),
    );
  out.push("");
  return out.join("\n");
}
