// What a trainee and a manager read: the card (platform-neutral, rendered by each platform) and
// the full Markdown report. Only verified quotes exist in an Evaluation, and only those are shown.
import type { CriterionResult, Evaluation, EvaluationCard, Signals } from "../domain/evaluation.ts";
import type { Language } from "../domain/persona.ts";
import type { Outcome, Speaker } from "../domain/session.ts";
import { formatDateTime } from "../i18n/dates.ts";
import { detectorMessages } from "./detectors/index.ts";
import { evaluationMessages } from "./messages.ts";
import { steeringBlocksPass } from "./score.ts";
import type { JudgedTurn } from "./signals.ts";
import { SAMPLE_DISAGREEMENT_LEVELS } from "./samples.ts";

const MAX_HIGHLIGHTS = 3;

/** A bar with one cell per point of the scale's top: 3 on 1-5 is ▰▰▰▱▱. */
export function scoreBar(score: number, max: number): string {
  const cells = Math.max(1, Math.round(max));
  const filled = Math.min(cells, Math.max(0, Math.round(score)));
  return "▰".repeat(filled) + "▱".repeat(cells - filled);
}

const SPARK = ["▁", "▂", "▃", "▅", "▇"];

/** The mood curve (levels 1-5) as a sparkline, e.g. ▁▂▃▅▇. */
export function moodSparkline(curve: number[]): string {
  return curve.map((m) => SPARK[Math.min(SPARK.length - 1, Math.max(0, Math.round(m) - 1))]).join("");
}

function fraction(c: Pick<CriterionResult, "score">, scale: Evaluation["scale"]): number {
  const span = scale.max - scale.min;
  return span <= 0 ? 0 : (c.score - scale.min) / span;
}

function firstSentence(text: string, maxChars = 160): string {
  const m = /^.*?[。！？.!?](?=\s|$|[^.])/su.exec(text.trim());
  const s = (m ? m[0] : text).trim();
  return [...s].length > maxChars ? `${[...s].slice(0, maxChars - 1).join("")}…` : s;
}

function outcomeLabel(outcome: Outcome, language: Language): string {
  const m = evaluationMessages(language);
  return {
    continue: m.outcome_continue,
    satisfied: m.outcome_satisfied,
    walked_out: m.outcome_walked_out,
    supervisor: m.outcome_supervisor,
  }[outcome];
}

function formatDuration(ms: number, language: Language): string {
  const total = Math.max(0, Math.round(ms / 1000));
  return evaluationMessages(language).durationText(Math.floor(total / 60), total % 60);
}

function turnList(turns: number[], language: Language): string {
  const m = evaluationMessages(language);
  return [...new Set(turns)]
    .sort((a, b) => a - b)
    .map(m.turnRef)
    .join(language === "en" ? ", " : "、");
}

const MAX_QUOTES = 2;
const MAX_QUOTE_CHARS = 60;

function clip(text: string, max: number): string {
  const chars = [...text.replace(/\s+/g, " ").trim()];
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : chars.join("");
}

/** A detector family is named in the reader's language; a rubric's own group keeps its label. */
function habitName(h: Signals["taboo"][number], language: Language): string {
  const names = detectorMessages(language).family as Record<string, string>;
  return (h.group ? names[h.group] : undefined) ?? h.label ?? h.phrase;
}

/** Human-readable flags: the program's signals first (they are facts), then the judge's principle findings. */
function cardFlags(e: Evaluation, language: Language): string[] {
  const m = evaluationMessages(language);
  const out: string[] = [];
  // One line per habit: its name in the trainee's language, and the trainee's own words.
  const groups = new Map<string, { label: string; quotes: string[]; turns: number[] }>();
  for (const h of e.signals.taboo) {
    const key = h.group ?? h.phrase;
    const g = groups.get(key) ?? { label: habitName(h, language), quotes: [], turns: [] };
    if (!g.quotes.includes(h.phrase)) g.quotes.push(h.phrase);
    g.turns.push(h.turn);
    groups.set(key, g);
  }
  for (const g of groups.values()) {
    const quote = g.quotes.slice(0, MAX_QUOTES).map((q) => clip(q, MAX_QUOTE_CHARS));
    out.push(m.flagTaboo(g.label, quote.join(" / "), turnList(g.turns, language)));
  }
  if (e.signals.manipulation.length > 0 || e.flags.manipulation.length > 0) {
    const turns = e.signals.manipulation.map((h) => h.turn);
    out.push(m.flagManipulation(turns.length > 0 ? turnList(turns, language) : "—"));
  }
  const steering = steeringLine(e, language, "UTC");
  if (steering) out.unshift(steering);
  for (const c of e.scenarioChecks) if (c.critical && c.verdict === "no") out.push(m.flagCriticalCheck(c.description));
  for (const p of e.flags.principleViolations) out.push(m.flagPrinciple(p));
  return out;
}

/** Why a flagged session cannot pass, or that a trainer cleared the flag; null when neither. */
function steeringLine(e: Evaluation, language: Language, timeZone: string): string | null {
  const m = evaluationMessages(language);
  if (steeringBlocksPass(e))
    return m.flagBlocksPass(
      turnList(
        e.signals.manipulation.map((h) => h.turn),
        language,
      ),
    );
  if (e.flagCleared) return m.flagClearedLine(formatDateTime(e.flagCleared.at, timeZone, language));
  return null;
}

export interface CardInfo {
  personaName: string;
  personaTitle: string;
  /** Session length (endedAt - startedAt); 0 when unknown. */
  durationMs: number;
}

export function buildEvaluationCard(e: Evaluation, info: CardInfo, language: Language): EvaluationCard {
  const m = evaluationMessages(language);
  const byStrength = [...e.criteria].sort((a, b) => fraction(b, e.scale) - fraction(a, e.scale) || b.weight - a.weight);
  // Above the middle of the scale is a strength; the middle counts only to reach two, with a quote.
  const above = byStrength.filter((c) => fraction(c, e.scale) > 0.5);
  const middle = byStrength.filter((c) => fraction(c, e.scale) === 0.5 && c.evidence.length > 0);
  const good = above.length >= 2 ? above : [...above, ...middle].slice(0, 2);
  const strengths = [...good.filter((c) => c.evidence.length > 0), ...good.filter((c) => c.evidence.length === 0)]
    .slice(0, MAX_HIGHLIGHTS)
    .map((c) => {
      const ev = c.evidence[0];
      return {
        criterion: c.name,
        quote: ev?.quote ?? null,
        turn: ev?.turn ?? null,
        note: firstSentence(c.observation),
      };
    });
  const improvements = [...e.criteria]
    .filter((c) => c.improvement !== null)
    .sort((a, b) => fraction(a, e.scale) - fraction(b, e.scale) || b.weight - a.weight)
    .slice(0, MAX_HIGHLIGHTS)
    .map((c) => ({
      criterion: c.name,
      youSaid: c.improvement?.youSaid ?? null,
      turn: c.improvement?.youSaid ? (c.improvement.turn ?? null) : null,
      tryInstead: c.improvement?.tryInstead ?? "",
    }));
  const verdict = e.passed ? m.passed : m.notPassed;
  return {
    language,
    title: `${m.title} · ${info.personaTitle}`,
    personaName: info.personaName,
    total: e.total,
    passed: e.passed,
    passMark: e.passMark,
    totalLine: m.totalLine(e.total.toFixed(1), verdict, e.passMark),
    criteria: e.criteria.map((c) => ({
      name: c.name,
      score: c.score,
      min: e.scale.min,
      max: e.scale.max,
      bar: scoreBar(c.score, e.scale.max),
      lowConfidence: c.lowConfidence,
    })),
    strengths,
    improvements,
    outcome: e.outcome,
    outcomeLabel: outcomeLabel(e.outcome, language),
    moodCurve: moodSparkline(e.signals.moodCurve),
    factsLine: e.signals.facts ? m.factsLine(e.signals.facts.revealed.length, e.signals.facts.total) : null,
    traineeTurns: e.signals.traineeTurns,
    durationMs: info.durationMs,
    droppedQuotes: e.droppedQuotes,
    flags: cardFlags(e, language),
    summary: e.summary,
    labels: {
      criteria: m.criteria,
      strengths: m.strengths,
      improvements: m.improvements,
      youSaid: m.youSaid,
      tryInstead: m.tryInstead,
      outcome: m.outcome,
      mood: m.mood,
      turns: m.turns,
      duration: m.duration,
      lowConfidence: m.lowConfidence,
      // The whole sentence with this card's count: where the number goes differs by language.
      droppedQuotes: m.droppedQuotes(e.droppedQuotes),
      flags: m.flags,
    },
  };
}

function quoted(text: string, language: Language): string {
  return language === "en" ? `"${text}"` : `“${text}”`;
}

/** "Label: " with the colon of the language. */
function label(text: string, language: Language): string {
  return language === "en" ? `${text}: ` : `${text}：`;
}

function paren(text: string, language: Language): string {
  return language === "en" ? ` (${text})` : `（${text}）`;
}

/** The card as plain text for the console. */
export function renderCardText(card: EvaluationCard): string {
  const l = card.labels;
  const m = evaluationMessages(card.language);
  const width = Math.max(...card.criteria.map((c) => [...c.name].length), 4);
  const lang = card.language;
  const lines: string[] = [`== ${card.title} ==`, card.totalLine, "", label(l.criteria, lang).trimEnd()];
  for (const c of card.criteria) {
    const pad = " ".repeat(Math.max(0, width - [...c.name].length));
    lines.push(`  ${c.name}${pad}  ${c.bar} ${c.score}/${c.max}${c.lowConfidence ? paren(l.lowConfidence, lang) : ""}`);
  }
  if (card.strengths.length > 0) {
    lines.push("", label(l.strengths, lang).trimEnd());
    for (const s of card.strengths) {
      const q = s.quote ? `${quoted(s.quote, lang)}${s.turn !== null ? paren(m.turnRef(s.turn), lang) : ""}` : "";
      lines.push(`  + ${label(s.criterion, lang)}${q}`.trimEnd(), `    ${s.note}`);
    }
  }
  if (card.improvements.length > 0) {
    lines.push("", label(l.improvements, lang).trimEnd());
    for (const i of card.improvements) {
      lines.push(`  - ${i.criterion}`);
      if (i.youSaid)
        lines.push(
          `    ${label(l.youSaid, lang)}${quoted(i.youSaid, lang)}${i.turn !== null ? paren(m.turnRef(i.turn), lang) : ""}`,
        );
      lines.push(`    ${label(l.tryInstead, lang)}${i.tryInstead}`);
    }
  }
  lines.push(
    "",
    `${label(l.outcome, lang)}${card.outcomeLabel}`,
    `${label(l.mood, lang)}${card.moodCurve}`,
    ...(card.factsLine ? [card.factsLine] : []),
    `${label(l.turns, lang)}${card.traineeTurns} · ${label(l.duration, lang)}${formatDuration(card.durationMs, lang)}`,
  );
  if (card.droppedQuotes > 0) lines.push(l.droppedQuotes);
  if (card.flags.length > 0) {
    lines.push("", label(l.flags, lang).trimEnd());
    for (const f of card.flags) lines.push(`  ! ${f}`);
  }
  if (card.summary) lines.push("", card.summary);
  return lines.join("\n");
}

export interface ReportInfo extends CardInfo {
  traineeName?: string | null;
  startedAt?: number | null;
  /** IANA zone the start time is shown in (TIME_ZONE); default UTC. */
  timeZone?: string | null;
  /** Author-set version labels, shown beside the content hashes. */
  personaVersion?: string | number | null;
  rubricName?: string | null;
  rubricVersion?: string | number | null;
}

/** Text from the transcript or the judge, made safe to place in a Markdown line. */
function md(text: string): string {
  return text
    .replace(/\r?\n/g, " ")
    .replace(/([\\`*_[\]<>|#])/g, "\\$1")
    .trim();
}

function hitLine(hits: Signals["taboo"], language: Language): string {
  const m = evaluationMessages(language);
  if (hits.length === 0) return m.none;
  return hits
    .map((h) => {
      const name = h.group || h.label ? habitName(h, language) : null;
      return `${md(name ? `${name}: ${h.phrase}` : h.phrase)} (${m.turnRef(h.turn)})`;
    })
    .join("; ");
}

/** Why a criterion is low-confidence: the judgements disagreed, or no quote supports it. */
function lowConfidenceLabel(e: Evaluation, criterionId: string, language: Language): string {
  const m = evaluationMessages(language);
  const scores = e.samples?.criteria.find((s) => s.criterionId === criterionId)?.scores ?? [];
  const spread = scores.length > 0 ? Math.max(...scores) - Math.min(...scores) : 0;
  return spread > SAMPLE_DISAGREEMENT_LEVELS ? m.lowConfidenceSpread : m.lowConfidence;
}

function speakerLabel(s: Speaker, language: Language): string {
  const m = evaluationMessages(language);
  if (s === "trainee") return m.speaker_trainee;
  if (s === "customer") return m.speaker_customer;
  return s === "colleague" ? m.speaker_colleague : m.speaker_system;
}

/** The full report: everything on the card plus observations, checks, signals, transcript, versions. */
export function renderReportMarkdown(e: Evaluation, info: ReportInfo, turns: JudgedTurn[], language: Language): string {
  const m = evaluationMessages(language);
  const card = buildEvaluationCard(e, info, language);
  const out: string[] = [];
  out.push(`# ${md(m.reportTitle)} · ${md(info.personaTitle)}`, "");
  out.push(`**${card.totalLine}**`, "");
  const steering = steeringLine(e, language, info.timeZone ?? "UTC");
  if (steering) out.push(`> ${md(steering)}`, "");
  out.push(`- ${m.persona}: ${md(info.personaName)}`);
  if (info.traineeName) out.push(`- ${m.trainee}: ${md(info.traineeName)}`);
  if (e.sessionId) out.push(`- ${m.session}: \`${e.sessionId}\``);
  if (info.startedAt) out.push(`- ${m.started}: ${formatDateTime(info.startedAt, info.timeZone ?? "UTC", language)}`);
  out.push(
    `- ${m.outcome}: ${card.outcomeLabel}`,
    `- ${m.mood}: ${card.moodCurve} (${e.signals.moodCurve.join(" → ")})`,
    ...(card.factsLine ? [`- ${card.factsLine}`] : []),
    `- ${m.turns}: ${e.signals.traineeTurns} · ${m.duration}: ${formatDuration(info.durationMs, language)}`,
  );
  if (e.droppedQuotes > 0) out.push(`- ${m.droppedQuotes(e.droppedQuotes)}`);
  out.push("");
  const facts = e.signals.facts;
  if (facts && facts.total > 0) {
    // After the session the hidden facts are feedback: what good questions would have uncovered.
    out.push(`## ${m.factsTitle}`, "");
    if (facts.revealed.length > 0) {
      out.push(
        `**${m.factsFound}:** ${facts.revealed.map((f) => `${md(f.id)} (${m.turnRef(f.turn)})`).join("; ")}`,
        "",
      );
    }
    if (facts.missed.length > 0) {
      out.push(`**${m.factsMissed}:**`, "");
      for (const f of facts.missed) out.push(`- ${md(f.fact)} — ${md(f.revealWhen)}`);
      out.push("");
    }
  }
  if (e.summary) out.push(`## ${m.summary}`, "", md(e.summary), "");

  out.push(`## ${m.criteria}`, "", `| ${m.criteria} | ${m.weight} | ${m.score} | |`, "|---|---:|---:|---|");
  for (const c of e.criteria) {
    out.push(
      `| ${md(c.name)} | ${c.weight} | ${c.score}/${e.scale.max} | ${scoreBar(c.score, e.scale.max)}${c.lowConfidence ? ` ⚠ ${lowConfidenceLabel(e, c.criterionId, language)}` : ""} |`,
    );
  }
  out.push("");
  for (const c of e.criteria) {
    out.push(
      `### ${md(c.name)} — ${c.score}/${e.scale.max}${c.lowConfidence ? ` ⚠ ${lowConfidenceLabel(e, c.criterionId, language)}` : ""}`,
      "",
    );
    out.push(`**${m.observation}:** ${md(c.observation)}`, "");
    const sampled = e.samples?.criteria.find((s) => s.criterionId === c.criterionId);
    if (sampled) out.push(`**${m.sampleScores}:** ${sampled.scores.join(", ")}`, "");
    if (c.evidence.length > 0) {
      out.push(`**${m.evidence}:**`);
      for (const ev of c.evidence) out.push(`- ${m.turnRef(ev.turn)}: ${quoted(md(ev.quote), language)}`);
    } else {
      out.push(`**${m.evidence}:** ${m.noEvidence}`);
    }
    if (c.droppedQuotes > 0) out.push(`- ${m.droppedQuotes(c.droppedQuotes)}`);
    if (c.improvement) {
      out.push("", `**${m.betterPhrasing}:**`);
      if (c.improvement.youSaid) {
        const ref = c.improvement.turn !== null ? ` (${m.turnRef(c.improvement.turn)})` : "";
        out.push(`- ${m.youSaid}: ${quoted(md(c.improvement.youSaid), language)}${ref}`);
      }
      out.push(`- ${m.tryInstead}: ${md(c.improvement.tryInstead)}`);
    }
    out.push("");
  }

  if (e.scenarioChecks.length > 0) {
    out.push(`## ${m.scenarioChecks}`, "");
    for (const c of e.scenarioChecks) {
      const verdict = { yes: m.verdict_yes, no: m.verdict_no, not_applicable: m.verdict_not_applicable }[c.verdict];
      out.push(`- ${md(c.description)}${c.critical ? ` (${m.critical})` : ""}: **${verdict}** — ${md(c.note)}`);
    }
    out.push("");
  }

  out.push(`## ${m.judgeFlags}`, "");
  const list = (xs: string[]) => (xs.length === 0 ? m.none : xs.map(md).join("; "));
  out.push(
    `- ${m.taboos}: ${list(e.flags.taboos)}`,
    `- ${m.manipulation}: ${list(e.flags.manipulation)}`,
    `- ${m.principleViolations}: ${list(e.flags.principleViolations)}`,
    "",
  );

  out.push(...renderSignalsMarkdown(e.signals, language), "");

  out.push(`## ${m.transcript}`, "");
  for (const t of [...turns].sort((a, b) => a.seq - b.seq)) {
    const mood = t.speaker === "customer" && t.mood !== null ? ` [${t.mood}]` : "";
    out.push(`${t.seq}. **${speakerLabel(t.speaker, language)}**${mood}: ${md(t.text)}`);
  }
  out.push("");

  const version = (v: string | number | null | undefined) => (v === null || v === undefined ? "" : ` v${v}`);
  out.push(
    `## ${m.audit}`,
    "",
    `- ${m.personaVersion}: \`${e.personaId}\`${version(info.personaVersion)} (${e.personaHash || "—"})`,
    `- ${m.rubricVersion}: \`${e.rubricId}\`${info.rubricName ? ` ${md(info.rubricName)}` : ""}${version(info.rubricVersion)} (${e.rubricHash || "—"})`,
    `- ${m.judgeModel}: ${md(e.judgeModel)}`,
    ...(e.samples ? [`- ${m.judgeSampling}: ${m.judgeSamples(e.samples.judged, e.samples.requested)}`] : []),
    `- ${m.promptVersion}: ${md(e.promptVersion)}`,
    `- ${m.evaluationId}: \`${e.id}\` · ${m.evaluatedAt}: ${formatDateTime(e.createdAt, info.timeZone ?? "UTC", language)}`,
    "",
  );
  return out.join("\n");
}

/** The deterministic signals as a Markdown section (also shown alone by `evaluate --signals-only`). */
export function renderSignalsMarkdown(s: Signals, language: Language): string[] {
  const m = evaluationMessages(language);
  const yesNo = (b: boolean) => (b ? m.yes : m.no);
  const rt = s.responseMs.map((x) => (x === null ? "–" : `${(x / 1000).toFixed(1)}s`)).join(", ");
  const manipulationTurns = s.manipulation.map((h) => `${m.turnRef(h.turn)} (${h.group ?? ""})`).join("; ");
  return [
    `## ${m.signals}`,
    "",
    `- ${m.signalTaboo}: ${hitLine(s.taboo, language)}`,
    `- ${m.signalEmpathy}: ${hitLine(s.empathy, language)}`,
    `- ${m.signalCanDo}: ${hitLine(s.canDo, language)}`,
    `- ${m.signalBlame}: ${hitLine(s.blame, language)}`,
    `- ${m.signalGreeting}: ${yesNo(s.greeting)} · ${m.signalClosing}: ${yesNo(s.closing)}`,
    `- ${m.questions}: ${m.signalQuestions(s.questions.open, s.questions.closed)}`,
    `- ${m.messageLength}: ${m.signalLength(s.avgTraineeChars, s.longestTraineeChars)}`,
    `- ${m.responseTimes}: ${rt || m.none}`,
    `- ${m.moodCurve}: ${s.moodCurve.join(" → ")} ${moodSparkline(s.moodCurve)}`,
    `- ${m.manipulationSignals}: ${manipulationTurns || m.none}`,
  ];
}
