// `roleplay evaluate --file`: score a written dialogue, optionally several times (--repeat) to
// see how consistent the judge is on it, next to the trainer's expected scores when the file has
// them; the detectors' reading is shown whatever happens to the judge.
import type { Evaluation } from "../domain/evaluation.ts";
import type { Language } from "../domain/persona.ts";
import type { TranscriptFile } from "../domain/transcript.ts";
import {
  computeSignals,
  evaluateTranscript,
  parseJudgeTemplate,
  renderReportMarkdown,
  type ReportInfo,
} from "../evaluation/index.ts";
import { evaluateCliMessages } from "../evaluation/messages.ts";
import type { LlmPort } from "../llm/port.ts";
import type { FileArgs } from "./evaluate-args.ts";
import {
  EXIT_OK,
  EXIT_USER_ERROR,
  type EvaluateContext,
  judgeSamples,
  judgeTemplateFrom,
  whyFailed,
} from "./evaluate-context.ts";
import { languageWarnings, printSignalsOnly, signalsReport } from "./evaluate-signals.ts";
import { prepareTranscript, readTranscript } from "./evaluate-transcript.ts";

export interface CriterionSpread {
  criterionId: string;
  name: string;
  scores: number[];
  min: number;
  max: number;
  mean: number;
  stdev: number;
  expected: number | null;
}

/** Per-criterion spread of the scores over several runs (population standard deviation). */
export function scoreSpread(runs: Evaluation[], expected: Record<string, number> = {}): CriterionSpread[] {
  const first = runs[0];
  if (!first) return [];
  const stats = (id: string, name: string, scores: number[]): CriterionSpread => {
    const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
    const variance = scores.reduce((a, b) => a + (b - mean) ** 2, 0) / scores.length;
    const round = (x: number) => Math.round(x * 100) / 100;
    return {
      criterionId: id,
      name,
      scores,
      min: Math.min(...scores),
      max: Math.max(...scores),
      mean: round(mean),
      stdev: round(Math.sqrt(variance)),
      expected: expected[id] ?? null,
    };
  };
  const rows = first.criteria.map((c) =>
    stats(
      c.criterionId,
      c.name,
      runs.map((r) => r.criteria.find((x) => x.criterionId === c.criterionId)?.score ?? Number.NaN),
    ),
  );
  return [
    ...rows,
    stats(
      "total",
      "",
      runs.map((r) => r.total),
    ),
  ];
}

function spreadMarkdown(rows: CriterionSpread[], runs: number, failed: number, language: Language): string {
  const m = evaluateCliMessages(language);
  const lines = [`## ${m.spreadTitle(runs)}`, "", m.spreadHeader, "|---|---|---:|---:|---:|---:|---:|"];
  for (const r of rows) {
    const name = r.criterionId === "total" ? `**${m.totalRow}**` : r.name;
    lines.push(
      `| ${name} | ${r.scores.join(", ")} | ${r.min} | ${r.max} | ${r.mean} | ${r.stdev} | ${r.expected ?? ""} |`,
    );
  }
  if (failed > 0) lines.push("", m.failedRuns(failed));
  return lines.join("\n");
}

function expectedMarkdown(e: Evaluation, file: TranscriptFile, language: Language): string | null {
  if (!file.expected && !file.expected_verdict) return null;
  const m = evaluateCliMessages(language);
  const lines = [`## ${m.expectedTitle}`, ""];
  if (file.expected) {
    const compared = e.criteria.filter((c) => file.expected?.[c.criterionId] !== undefined);
    const same = compared.filter((c) => file.expected?.[c.criterionId] === c.score).length;
    for (const c of compared) lines.push(`- ${c.name}: ${file.expected[c.criterionId]} → ${c.score}`);
    lines.push("", m.agreement(same, compared.length));
  }
  if (file.expected_verdict) lines.push(m.verdictLine(file.expected_verdict, e.passed ? "pass" : "fail"));
  return lines.join("\n");
}

export async function fileCommand(a: FileArgs, ctx: EvaluateContext): Promise<number> {
  const m = evaluateCliMessages(ctx.language);
  const read = await readTranscript(a.file, ctx);
  if (!read.ok) {
    ctx.err(read.message);
    return EXIT_USER_ERROR;
  }
  const catalogue = await ctx.loadCatalogue();
  if (a.signalsOnly)
    return printSignalsOnly(read.value, a.personaId, a.json, catalogue, ctx) ? EXIT_OK : EXIT_USER_ERROR;
  if ((a.personaId ?? read.value.persona) === undefined) {
    // No persona, so no judge; the detectors need none.
    printSignalsOnly(read.value, null, a.json, catalogue, ctx);
    ctx.err(m.personaMissing);
    return EXIT_USER_ERROR;
  }
  const prepared = prepareTranscript(read.value, catalogue, a.personaId, ctx.language);
  if (!prepared.ok) {
    ctx.err(prepared.message);
    return EXIT_USER_ERROR;
  }
  const { transcript, persona, evaluated, rubric, turns } = prepared.value;
  for (const w of languageWarnings(transcript, persona, ctx.language)) ctx.err(w);
  // Whatever happens to the judge, the trainer still sees what the detectors found.
  const judgeFailed = (why: string): number => {
    const signals = computeSignals(turns, rubric, persona.emotion.mood_start);
    const reading = { language: evaluated.language, rubric, turns, signals };
    if (a.json) ctx.out(JSON.stringify({ error: why, signals }, null, 2));
    else ctx.out(signalsReport(m.signalsAfterFailure, reading, ctx.language));
    ctx.err(m.judgeFailed(why));
    return EXIT_USER_ERROR;
  };
  const templateText = judgeTemplateFrom(catalogue);
  if (templateText === null) return judgeFailed(m.judgeTemplateMissing);
  const template = parseJudgeTemplate(templateText);
  let llm: LlmPort;
  try {
    llm = await ctx.createLlm(null);
  } catch (e) {
    return judgeFailed(whyFailed(e));
  }

  const runs: Evaluation[] = [];
  let lastError: unknown = null;
  for (let i = 0; i < a.repeat; i++) {
    try {
      runs.push(
        await evaluateTranscript({
          persona: evaluated,
          rubric,
          turns,
          outcome: transcript.outcome,
          llm,
          template,
          // --repeat measures the judge's own spread, so each of its runs is one judgement.
          samples: a.repeat > 1 ? 1 : judgeSamples(ctx),
        }),
      );
    } catch (e) {
      lastError = e;
    }
  }
  const first = runs[0];
  if (!first) return judgeFailed(whyFailed(lastError));
  const spread = a.repeat > 1 ? scoreSpread(runs, transcript.expected) : null;
  if (a.json) {
    ctx.out(JSON.stringify(a.repeat > 1 ? { runs, spread, failedRuns: a.repeat - runs.length } : first, null, 2));
    return EXIT_OK;
  }
  const info: ReportInfo = {
    personaName: persona.name,
    personaTitle: transcript.title ?? persona.title,
    personaVersion: persona.version ?? null,
    rubricName: rubric.name,
    rubricVersion: rubric.version ?? null,
    durationMs: 0,
  };
  const parts = [renderReportMarkdown(first, info, turns, ctx.language)];
  const expected = expectedMarkdown(first, transcript, ctx.language);
  if (expected) parts.push(expected);
  if (spread) parts.push(spreadMarkdown(spread, runs.length, a.repeat - runs.length, ctx.language));
  ctx.out(parts.join("\n\n"));
  return EXIT_OK;
}
