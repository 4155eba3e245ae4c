// `roleplay evaluate --calibrate DIR`: the judge against the trainers' expected scores in a
// calibration folder (agreement and kappa per criterion, verdicts, the largest disagreements),
// with the detectors' own calibration table beside it.
import { readdir } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import type { Evaluation } from "../domain/evaluation.ts";
import type { Language } from "../domain/persona.ts";
import type { TranscriptFile } from "../domain/transcript.ts";
import {
  type AgreementStats,
  agreementStats,
  evaluateTranscript,
  KAPPA_BAR,
  parseJudgeTemplate,
} from "../evaluation/index.ts";
import { evaluateCliMessages } from "../evaluation/messages.ts";
import type { CalibrateArgs } from "./evaluate-args.ts";
import { EXIT_OK, EXIT_USER_ERROR, type EvaluateContext, judgeTemplateFrom, whyFailed } from "./evaluate-context.ts";
import { calibrateDetectors, detectorCalibrationMarkdown } from "./evaluate-detectors.ts";
import { type PreparedTranscript, prepareTranscript, readTranscript } from "./evaluate-transcript.ts";

/** One calibration file's judgement (one of --repeat N), or why the judge gave none. */
export interface CalibrationJudgement {
  /** The file, relative to the calibration folder, with "/" separators. */
  file: string;
  run: number;
  expected: Record<string, number>;
  expectedVerdict: "pass" | "fail" | null;
  result: { ok: true; evaluation: Evaluation } | { ok: false; error: string };
}

export interface CriterionAgreement extends AgreementStats {
  criterionId: string;
  /** Cohen's (unweighted) kappa is below KAPPA_BAR; false when kappa is undefined. */
  belowBar: boolean;
}

/**
 * `evaluate --calibrate DIR --json`. Shares are 0-1, kappas null when undefined (no items, or
 * both sides gave one and the same score throughout). Each judge run of a file is one item, so
 * with --repeat N a criterion has up to files × N items.
 */
export interface CalibrationReport {
  dir: string;
  repeat: number;
  kappaBar: number;
  /** Transcript files with expected scores, files skipped for having none. */
  files: { measured: number; withoutExpected: number };
  /** Judge runs that gave a valid evaluation, and those that did not (left out of every figure). */
  judgements: { valid: number; failed: number };
  /** Per criterion id in rubric order, then "all" pooling every criterion's items. */
  criteria: CriterionAgreement[];
  overall: CriterionAgreement;
  verdicts: {
    n: number;
    agree: number;
    share: number | null;
    mismatches: Array<{ file: string; run: number; expected: "pass" | "fail"; judged: "pass" | "fail" }>;
  };
  /** The largest score differences first (at most 10), |judged − expected| ≥ 1. */
  disagreements: Array<{
    file: string;
    run: number;
    criterionId: string;
    expected: number;
    judged: number;
    difference: number;
  }>;
  failures: Array<{ file: string; run: number; error: string }>;
  /** Every valid judgement's scores next to the trainer's. */
  results: Array<{
    file: string;
    run: number;
    scores: Record<string, number>;
    expected: Record<string, number>;
    total: number;
    verdict: "pass" | "fail";
    expectedVerdict: "pass" | "fail" | null;
  }>;
}

const MAX_DISAGREEMENTS = 10;

export function calibrationReport(
  dir: string,
  repeat: number,
  withoutExpected: number,
  judgements: CalibrationJudgement[],
): CalibrationReport {
  const pairsBy = new Map<string, Array<{ expected: number; judged: number }>>();
  const disagreements: CalibrationReport["disagreements"] = [];
  const failures: CalibrationReport["failures"] = [];
  const results: CalibrationReport["results"] = [];
  const mismatches: CalibrationReport["verdicts"]["mismatches"] = [];
  let verdictN = 0;
  for (const j of judgements) {
    if (!j.result.ok) {
      failures.push({ file: j.file, run: j.run, error: j.result.error });
      continue;
    }
    const e = j.result.evaluation;
    const scores: Record<string, number> = {};
    for (const c of e.criteria) {
      scores[c.criterionId] = c.score;
      const expected = j.expected[c.criterionId];
      if (expected === undefined) continue;
      const list = pairsBy.get(c.criterionId) ?? [];
      list.push({ expected, judged: c.score });
      pairsBy.set(c.criterionId, list);
      if (expected !== c.score) {
        disagreements.push({
          file: j.file,
          run: j.run,
          criterionId: c.criterionId,
          expected,
          judged: c.score,
          difference: c.score - expected,
        });
      }
    }
    const verdict = e.passed ? "pass" : "fail";
    if (j.expectedVerdict !== null) {
      verdictN++;
      if (verdict !== j.expectedVerdict)
        mismatches.push({ file: j.file, run: j.run, expected: j.expectedVerdict, judged: verdict });
    }
    results.push({
      file: j.file,
      run: j.run,
      scores,
      expected: j.expected,
      total: e.total,
      verdict,
      expectedVerdict: j.expectedVerdict,
    });
  }
  const row = (criterionId: string, pairs: Array<{ expected: number; judged: number }>): CriterionAgreement => {
    const stats = agreementStats(pairs);
    return { criterionId, ...stats, belowBar: stats.kappa !== null && stats.kappa < KAPPA_BAR };
  };
  disagreements.sort(
    (a, b) =>
      Math.abs(b.difference) - Math.abs(a.difference) ||
      a.file.localeCompare(b.file) ||
      a.run - b.run ||
      a.criterionId.localeCompare(b.criterionId),
  );
  const agree = verdictN - mismatches.length;
  return {
    dir,
    repeat,
    kappaBar: KAPPA_BAR,
    files: { measured: new Set(judgements.map((j) => j.file)).size, withoutExpected },
    judgements: { valid: results.length, failed: failures.length },
    criteria: [...pairsBy].map(([id, pairs]) => row(id, pairs)),
    overall: row("all", [...pairsBy.values()].flat()),
    verdicts: { n: verdictN, agree, share: verdictN > 0 ? agree / verdictN : null, mismatches },
    disagreements: disagreements.slice(0, MAX_DISAGREEMENTS),
    failures,
    results,
  };
}

function calibrationMarkdown(r: CalibrationReport, language: Language): string {
  const m = evaluateCliMessages(language);
  const pct = (x: number | null) => (x === null ? m.notApplicable : `${Math.round(x * 100)}%`);
  const kappa = (x: number | null) => (x === null ? m.notApplicable : x.toFixed(2));
  const label = (file: string, run: number) => (r.repeat > 1 ? m.runLabel(file, run) : file);
  const line = (c: CriterionAgreement, name: string) =>
    `| ${name} | ${c.n} | ${pct(c.exact)} | ${pct(c.withinOne)} | ${kappa(c.kappa)} | ${kappa(c.weightedKappa)} | ${
      c.belowBar ? m.belowBar(r.kappaBar) : ""
    } |`;
  const lines = [
    `## ${m.calibrationTitle(r.files.measured, r.judgements.valid)}`,
    "",
    m.calibrationHeader,
    "|---|---:|---:|---:|---:|---:|---|",
    ...r.criteria.map((c) => line(c, c.criterionId)),
    line(r.overall, `**${m.allCriteria}**`),
    "",
    m.kappaNote,
    "",
    `## ${m.verdictsTitle}`,
    "",
    r.verdicts.n > 0
      ? `${m.verdictAgreement(r.verdicts.agree, r.verdicts.n)} (${pct(r.verdicts.share)})`
      : m.noVerdicts,
    ...r.verdicts.mismatches.map((v) => m.verdictMismatch(label(v.file, v.run), v.expected, v.judged)),
    "",
    `## ${m.disagreementsTitle}`,
    "",
    ...(r.disagreements.length > 0
      ? r.disagreements.map((d) => m.disagreement(label(d.file, d.run), d.criterionId, d.expected, d.judged))
      : [m.noDisagreements]),
  ];
  if (r.failures.length > 0) {
    lines.push("", `## ${m.failuresTitle(r.failures.length)}`, "");
    for (const f of r.failures) lines.push(m.failure(label(f.file, f.run), f.error));
  }
  if (r.files.withoutExpected > 0) lines.push("", m.skippedNoExpected(r.files.withoutExpected));
  return lines.join("\n");
}

export async function calibrateCommand(a: CalibrateArgs, ctx: EvaluateContext): Promise<number> {
  const m = evaluateCliMessages(ctx.language);
  let names: string[];
  try {
    names = (await readdir(a.dir, { recursive: true, withFileTypes: true }))
      .filter((d) => d.isFile() && /\.ya?ml$/i.test(d.name))
      .map((d) => join(d.parentPath, d.name))
      .sort();
  } catch {
    ctx.err(m.dirUnreadable(a.dir));
    return EXIT_USER_ERROR;
  }
  const shown = (path: string) => relative(a.dir, path).split(sep).join("/");
  const catalogue = await ctx.loadCatalogue();
  const problems: string[] = [];
  const ready: Array<{ file: string; prepared: PreparedTranscript; expected: Record<string, number> }> = [];
  let withoutExpected = 0;
  const dialogues: Array<{ file: string; transcript: TranscriptFile }> = [];
  // Every file is checked before the first judge call: a typo in one file should not cost a run.
  for (const path of names) {
    const read = await readTranscript(path, ctx);
    if (!read.ok) {
      problems.push(read.message);
      continue;
    }
    dialogues.push({ file: shown(path), transcript: read.value });
    const expected = read.value.expected;
    if (!expected || Object.keys(expected).length === 0) {
      withoutExpected++;
      continue;
    }
    const prepared = prepareTranscript(read.value, catalogue, null, ctx.language);
    if (!prepared.ok) problems.push(`${shown(path)}: ${prepared.message}`);
    else ready.push({ file: shown(path), prepared: prepared.value, expected });
  }
  if (problems.length > 0) {
    ctx.err([m.calibrationProblems(problems.length), ...problems].join("\n"));
    return EXIT_USER_ERROR;
  }
  // The detectors need no model and no expected scores: their table comes first, and alone when
  // the folder has nothing for the judge (a set labelled only with taboo families).
  const detectors = calibrateDetectors(dialogues, catalogue, ctx.language);
  if (ready.length === 0) {
    if (dialogues.length === 0) {
      ctx.err(m.noCalibrationFiles(a.dir));
      return EXIT_USER_ERROR;
    }
    ctx.err(m.noCalibrationFiles(a.dir));
    ctx.out(
      a.json
        ? JSON.stringify({ dir: a.dir, detectors }, null, 2)
        : detectorCalibrationMarkdown(detectors, ctx.language),
    );
    return EXIT_OK;
  }
  const templateText = judgeTemplateFrom(catalogue);
  if (templateText === null) {
    ctx.err(m.judgeTemplateMissing);
    return EXIT_USER_ERROR;
  }
  const template = parseJudgeTemplate(templateText);
  const llm = await ctx.createLlm(null);
  const judgements: CalibrationJudgement[] = [];
  let done = 0;
  for (const { file, prepared, expected } of ready) {
    // A real judge takes seconds per file: say where it is, on stderr so --json stays clean.
    ctx.err(m.calibrateProgress(++done, ready.length, file));
    for (let run = 1; run <= a.repeat; run++) {
      const base = { file, run, expected, expectedVerdict: prepared.transcript.expected_verdict ?? null };
      try {
        const evaluation = await evaluateTranscript({
          persona: prepared.evaluated,
          rubric: prepared.rubric,
          turns: prepared.turns,
          outcome: prepared.transcript.outcome,
          llm,
          template,
        });
        judgements.push({ ...base, result: { ok: true, evaluation } });
      } catch (e) {
        // Never a score of 0: a file the judge could not score is listed and left out.
        judgements.push({ ...base, result: { ok: false, error: whyFailed(e) } });
      }
    }
  }
  const report = calibrationReport(a.dir, a.repeat, withoutExpected, judgements);
  if (report.judgements.valid === 0) {
    ctx.err([m.allJudgementsFailed, ...report.failures.map((f) => m.failure(f.file, f.error))].join("\n"));
    return EXIT_USER_ERROR;
  }
  ctx.out(
    a.json
      ? JSON.stringify({ ...report, detectors }, null, 2)
      : `${calibrationMarkdown(report, ctx.language)}\n\n${detectorCalibrationMarkdown(detectors, ctx.language)}`,
  );
  return EXIT_OK;
}
