// The summary as ONE self-contained HTML file: inline CSS, Chart.js inlined from node_modules, the
// data as inert JSON. It opens offline, can be forwarded as an attachment, and reads on a phone.
// A Content-Security-Policy forbids every network fetch, so nothing in it can call home.
import { completionHtml } from "./completion.ts";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Language } from "../domain/persona.ts";
import { offsetMinutes } from "../i18n/dates.ts";
import {
  day,
  difficultyLabel,
  evalStatusLabel,
  labelled,
  percent,
  periodText,
  scopeText,
  score,
  trendLabel,
  zoneText,
} from "./format.ts";
import { CHART_SCRIPT } from "./html-charts.ts";
import { reportMessages } from "./messages.ts";
import type { TeamSummary } from "./summary.ts";

let chartLibrary: string | null = null;

/** Chart.js's UMD build, read once from the installed package. */
export function chartJsSource(): string {
  if (chartLibrary === null) {
    const require = createRequire(import.meta.url);
    // The package's exports do not list the UMD file; it sits next to the CommonJS entry.
    const dist = dirname(require.resolve("chart.js"));
    const source = readFileSync(join(dist, "chart.umd.min.js"), "utf8");
    // Inside <script>, "</script" would end the element early whatever the JS means by it.
    chartLibrary = source.replace(/<\/script/gi, "<\\/script").replace(/<!--/g, "<\\!--");
  }
  return chartLibrary;
}

/** Text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** JSON that is safe inside a <script> element: no "<" or ">" can close it or open a comment. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

const CSP =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; font-src data:; connect-src 'none'; form-action 'none'; base-uri 'none'";

const CSS = `
:root{--fg:#1f2933;--muted:#616e7c;--line:#d9e2ec;--bg:#fff;--card:#f5f7fa;--accent:#2563eb;--bad:#b91c1c;--good:#15803d}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1100px;margin:0 auto;padding:16px}
h1{font-size:1.5rem;margin:0 0 4px}
h2{font-size:1.15rem;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
.meta{color:var(--muted);margin:0 0 16px}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(130px,1fr));gap:8px}
.tile{background:var(--card);border-radius:8px;padding:10px 12px}
.tile .v{font-size:1.4rem;font-weight:600}
.tile .k{color:var(--muted);font-size:.85rem}
.chart{position:relative;height:320px;width:100%;margin:8px 0 12px}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);white-space:nowrap}
td.wrap{white-space:normal;min-width:12em}
th{background:var(--card);font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.trend-improving{color:var(--good)}.trend-declining{color:var(--bad)}
.empty{color:var(--muted);font-style:italic}
@media (max-width:600px){main{padding:10px}.chart{height:260px}h1{font-size:1.25rem}}
@media print{.chart{height:260px;break-inside:avoid}}
`;

function table(
  header: Array<{ text: string; num?: boolean }>,
  rows: Array<Array<{ html: string; num?: boolean; cls?: string }>>,
): string {
  const head = header.map((h) => `<th${h.num ? ' class="num"' : ""}>${escapeHtml(h.text)}</th>`).join("");
  const body = rows
    .map(
      (r) =>
        `<tr>${r
          .map((c) => {
            const cls = [c.num ? "num" : "", c.cls ?? ""].filter(Boolean).join(" ");
            return `<td${cls ? ` class="${cls}"` : ""}>${c.html}</td>`;
          })
          .join("")}</tr>`,
    )
    .join("\n");
  return `<div class="scroll"><table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

const txt = (s: string, cls?: string) => ({ html: escapeHtml(s), ...(cls ? { cls } : {}) });
const num = (s: string) => ({ html: escapeHtml(s), num: true });

/** The HTML report in `language`. Every name and title in it is escaped. */
export function renderHtml(summary: TeamSummary, language: Language): string {
  const m = reportMessages(language);
  const t = summary.totals;
  const evaluatedTrainees = summary.trainees.filter((x) => x.scores.length > 0);
  const chartPersonas = summary.personas.filter((p) => p.passRate !== null);
  const chartData = {
    lang: language,
    labels: { criteria: m.teamAverage, personas: m.passRate },
    scores: evaluatedTrainees.map((x) => ({
      name: x.displayName,
      // x is the wall-clock time in the report's zone, read as if it were UTC: the page then names
      // the same days as the tables whatever zone the reader's browser is in.
      points: x.scores.map((p) => ({
        x: p.startedAt + offsetMinutes(p.startedAt, summary.timeZone) * 60_000,
        y: Math.round(p.total * 10) / 10,
      })),
    })),
    criteria: {
      labels: summary.criteria.map((c) => c.name),
      values: summary.criteria.map((c) => Math.round(c.averagePercent * 10) / 10),
    },
    personas: {
      labels: chartPersonas.map((p) => p.title),
      values: chartPersonas.map((p) => Math.round((p.passRate ?? 0) * 1000) / 10),
    },
  };

  const tiles = [
    [m.started, String(t.started)],
    [m.completed, String(t.completed)],
    [m.abandoned, String(t.abandoned)],
    [m.evaluated, String(t.evaluated)],
    [m.passRate, percent(t.passRate)],
    [m.averageScore, score(t.averageScore)],
    [m.medianScore, score(t.medianScore)],
  ]
    .map(
      ([k, v]) =>
        `<div class="tile"><div class="v">${escapeHtml(v ?? "")}</div><div class="k">${escapeHtml(k ?? "")}</div></div>`,
    )
    .join("");

  // Bar charts grow with their bars, so two-line labels keep their room on a phone.
  const chartOrEmpty = (id: string, has: boolean, label: string, bars = 0) =>
    has
      ? `<div class="chart"${bars > 0 ? ` style="height:${Math.max(200, 44 * bars + 60)}px"` : ""}><canvas id="${id}" role="img" aria-label="${escapeHtml(label)}"></canvas></div>`
      : `<p class="empty">${escapeHtml(m.noChartData)}</p>`;
  const emptyOr = (has: boolean, html: () => string) => (has ? html() : `<p class="empty">${escapeHtml(m.none)}</p>`);

  const sections: string[] = [];
  sections.push(`<h2>${escapeHtml(m.chartScoresOverTime)}</h2>`);
  sections.push(chartOrEmpty("chart-scores", evaluatedTrainees.length > 0, m.chartScoresOverTime));
  sections.push(
    emptyOr(summary.trainees.length > 0, () =>
      table(
        [
          { text: m.trainee },
          { text: m.sessions, num: true },
          { text: m.evaluated, num: true },
          { text: m.first, num: true },
          { text: m.best, num: true },
          { text: m.latest, num: true },
          { text: m.trend },
          { text: m.lastPractice },
          { text: m.weakness },
        ],
        summary.trainees.map((x) => [
          txt(x.displayName),
          num(String(x.sessions)),
          num(String(x.evaluated)),
          num(score(x.firstScore)),
          num(score(x.bestScore)),
          num(score(x.latestScore)),
          txt(trendLabel(x.trend, language), `trend-${x.trend}`),
          txt(day(x.lastPracticeAt, summary.timeZone)),
          txt(x.weakness?.name ?? "—"),
        ]),
      ),
    ),
  );

  sections.push(`<h2>${escapeHtml(m.chartCriteria)}</h2>`);
  sections.push(chartOrEmpty("chart-criteria", summary.criteria.length > 0, m.chartCriteria, summary.criteria.length));
  sections.push(
    emptyOr(summary.criteria.length > 0, () =>
      table(
        [
          { text: m.criterion },
          { text: m.teamAverage, num: true },
          { text: m.belowMiddle, num: true },
          { text: m.sessions, num: true },
        ],
        summary.criteria.map((c) => [
          txt(c.name),
          num(`${score(c.average)} / ${c.scale.max}`),
          num(percent(c.belowMiddleShare)),
          num(String(c.sessions)),
        ]),
      ),
    ),
  );

  sections.push(`<h2>${escapeHtml(m.chartPersonaPassRate)}</h2>`);
  sections.push(chartOrEmpty("chart-personas", chartPersonas.length > 0, m.chartPersonaPassRate, chartPersonas.length));
  sections.push(
    emptyOr(summary.personas.length > 0, () =>
      table(
        [
          { text: m.persona },
          { text: m.declaredDifficulty },
          { text: m.attempts, num: true },
          { text: m.evaluated, num: true },
          { text: m.passRate, num: true },
          { text: m.averageScore, num: true },
        ],
        summary.personas.map((p) => [
          // The whole title, wrapped: the chart above may show it shortened.
          txt(p.title, "wrap"),
          txt(difficultyLabel(p.declaredDifficulty, language)),
          num(String(p.attempts)),
          num(String(p.evaluated)),
          num(percent(p.passRate)),
          num(score(p.averageScore)),
        ]),
      ),
    ),
  );

  sections.push(`<h2>${escapeHtml(m.taboos)}</h2>`);
  sections.push(
    emptyOr(summary.taboos.length > 0, () =>
      table(
        [{ text: m.taboo }, { text: m.hits, num: true }, { text: m.sessions, num: true }, { text: m.examples }],
        summary.taboos.map((x) => [
          txt(x.label),
          num(String(x.hits)),
          num(String(x.sessions)),
          { html: escapeHtml(x.phrases.join(" / ")), cls: "wrap" },
        ]),
      ),
    ),
  );

  sections.push(`<h2>${escapeHtml(m.manipulation)}</h2>`);
  sections.push(
    emptyOr(summary.manipulation.length > 0, () =>
      table(
        [
          { text: m.date },
          { text: m.trainee },
          { text: m.persona },
          { text: m.hits, num: true },
          { text: m.col_session },
        ],
        summary.manipulation.map((x) => [
          txt(day(x.startedAt, summary.timeZone)),
          txt(x.displayName),
          txt(x.personaTitle, "wrap"),
          num(String(x.hits)),
          txt(x.sessionId),
        ]),
      ),
    ),
  );

  sections.push(`<h2>${escapeHtml(m.outstanding)}</h2>`);
  sections.push(
    emptyOr(summary.outstanding.sessions.length > 0, () =>
      table(
        [{ text: m.date }, { text: m.trainee }, { text: m.evalStatus }, { text: m.col_session }],
        summary.outstanding.sessions.map((x) => [
          txt(day(x.startedAt, summary.timeZone)),
          txt(x.displayName),
          txt(evalStatusLabel(x.evalStatus, language)),
          txt(x.sessionId),
        ]),
      ),
    ),
  );

  const title = `${m.title} · ${periodText(summary.period, summary.timeZone)}`;
  return `<!doctype html>
<html lang="${language === "en" ? "en" : "zh-CN"}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<h1>${escapeHtml(m.title)}</h1>
<p class="meta">${escapeHtml(`${labelled(m.period, `${periodText(summary.period, summary.timeZone)} (${zoneText(summary)})`, language)} · ${labelled(m.scope, scopeText(summary.scope, language), language)}`)}</p>
${completionHtml(summary.assignments, language, escapeHtml)}
${t.started === 0 ? `<p class="empty">${escapeHtml(m.noSessions)}</p>` : ""}
<h2>${escapeHtml(m.overview)}</h2>
<div class="tiles">${tiles}</div>
${sections.join("\n")}
</main>
<script type="application/json" id="report-data">${scriptJson(chartData)}</script>
<script>${chartJsSource()}</script>
<script>${CHART_SCRIPT}</script>
</body>
</html>
`;
}
