// `roleplay evaluate`: show or re-run a session's evaluation, or score a written dialogue
// (`--file`), optionally several times to see how consistent the judge is on it, or measure the
// judge against the trainers' expected scores in a calibration folder (`--calibrate`).
import { randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import type { Catalogue } from "../catalogue/index.ts";
import type { Evaluation } from "../domain/evaluation.ts";
import type { Language, Persona } from "../domain/persona.ts";
import type { Rubric } from "../domain/rubric.ts";
import type { Session } from "../domain/session.ts";
import { TranscriptFile } from "../domain/transcript.ts";
import {
  type AgreementStats,
  agreementStats,
  computeSignals,
  createEvaluator,
  evaluateTranscript,
  InvalidJudgementError,
  type JudgedTurn,
  KAPPA_BAR,
  parseJudgeTemplate,
  pinnedVersions,
  renderReportMarkdown,
  type ReportInfo,
  turnsFromTranscript,
  withFlagCleared,
} from "../evaluation/index.ts";
import { evaluateCliMessages } from "../evaluation/messages.ts";
import { LlmError, type LlmPort } from "../llm/port.ts";
import { redact } from "../roleplay/privacy/index.ts";
import { ArgsError, parseCommandArgs } from "./args.ts";
import type { CliContext } from "./context.ts";
import { calibrateDetectors, detectorCalibrationMarkdown } from "./evaluate-detectors.ts";
import { languageWarnings, printSignalsOnly, signalsReport } from "./evaluate-signals.ts";

/** What the command needs from the CLI around it (a CliContext fits). */
export type EvaluateContext = Pick<
  CliContext,
  "language" | "out" | "err" | "openStore" | "loadCatalogue" | "createLlm"
> &
  Partial<Pick<CliContext, "config">> & {
    /** Reads a file given on the command line (defaults to the file system). */
    readTextFile?(path: string): Promise<string>;
  };

/** JUDGE_SAMPLES, as the bot would use it; 1 when the configuration cannot say. */
function judgeSamples(ctx: EvaluateContext): number {
  try {
    return ctx.config?.().evaluation.judgeSamples ?? 1;
  } catch {
    return 1;
  }
}

export const EXIT_OK = 0;
export const EXIT_USER_ERROR = 1;
export const EXIT_USAGE = 2;

interface SessionArgs {
  kind: "session";
  sessionId: string;
  rerun: boolean;
  /** A trainer clears the steering flag: pass or fail is computed again without it. */
  clearFlag: boolean;
  json: boolean;
}
interface FileArgs {
  kind: "file";
  file: string;
  personaId: string | null;
  repeat: number;
  json: boolean;
  /** Only the program's detectors: no model, no persona needed. */
  signalsOnly: boolean;
}
interface CalibrateArgs {
  kind: "calibrate";
  dir: string;
  repeat: number;
  json: boolean;
}
export type EvaluateArgs = SessionArgs | FileArgs | CalibrateArgs;

const EVALUATE_OPTIONS = {
  rerun: { type: "boolean" },
  "clear-flag": { type: "boolean" },
  json: { type: "boolean" },
  file: { type: "string" },
  calibrate: { type: "string" },
  persona: { type: "string" },
  repeat: { type: "string" },
  "signals-only": { type: "boolean" },
} as const;

export type ParsedArgs = { ok: true; args: EvaluateArgs } | { ok: false; message: string | null };

export function parseEvaluateArgs(argv: string[], language: Language): ParsedArgs {
  const m = evaluateCliMessages(language);
  let parsed: ReturnType<typeof parseCommandArgs<typeof EVALUATE_OPTIONS>>;
  try {
    parsed = parseCommandArgs(argv, EVALUATE_OPTIONS, "roleplay evaluate", language);
  } catch (e) {
    if (e instanceof ArgsError) return { ok: false, message: e.message };
    throw e;
  }
  if (parsed.help) return { ok: false, message: null };
  const { rerun = false, json = false } = parsed.values;
  const signalsOnly = parsed.values["signals-only"] ?? false;
  const clearFlag = parsed.values["clear-flag"] ?? false;
  const file = parsed.values.file ?? null;
  const calibrate = parsed.values.calibrate ?? null;
  const personaId = parsed.values.persona ?? null;
  const [sessionId = null, ...extra] = parsed.positionals;
  if (extra.length > 0) return { ok: false, message: m.oneSessionOnly(extra.join(" ")) };
  let repeat: number | null = null;
  if (parsed.values.repeat !== undefined) {
    const n = Number(parsed.values.repeat);
    if (!Number.isInteger(n) || n < 1 || n > 20) return { ok: false, message: m.badRepeat };
    repeat = n;
  }
  if (calibrate !== null) {
    if (sessionId !== null || file !== null || personaId !== null || rerun) {
      return { ok: false, message: m.calibrateConflict };
    }
    return { ok: true, args: { kind: "calibrate", dir: calibrate, repeat: repeat ?? 1, json } };
  }
  if (clearFlag && (sessionId === null || file !== null || calibrate !== null || rerun)) {
    return { ok: false, message: m.clearFlagAlone };
  }
  if (sessionId !== null && file !== null) return { ok: false, message: m.sessionAndFile };
  if (file !== null) {
    if (rerun) return { ok: false, message: m.rerunWithFile };
    if (signalsOnly && repeat !== null) return { ok: false, message: m.signalsOnlyWithRepeat };
    return { ok: true, args: { kind: "file", file, personaId, repeat: repeat ?? 1, json, signalsOnly } };
  }
  if (signalsOnly) return { ok: false, message: m.signalsOnlyWithoutFile };
  if (sessionId === null) return { ok: false, message: m.nothingToEvaluate };
  if (repeat !== null) return { ok: false, message: m.repeatWithSession };
  return { ok: true, args: { kind: "session", sessionId, rerun, clearFlag, json } };
}

function whyFailed(e: unknown): string {
  if (e instanceof InvalidJudgementError || e instanceof LlmError) return e.message;
  return e instanceof Error ? e.message : String(e);
}

/** The persona's name and title from the session's pinned snapshot (the names it ran with). */
function sessionReportInfo(session: Session, traineeName: string | null): ReportInfo {
  let personaName = session.personaId;
  let personaTitle = session.personaId;
  let personaVersion: string | number | null = null;
  let rubricName: string | null = null;
  let rubricVersion: string | number | null = null;
  try {
    const { persona, rubric } = pinnedVersions(session);
    personaName = persona.name;
    personaTitle = persona.title;
    personaVersion = persona.version ?? null;
    rubricName = rubric.name;
    rubricVersion = rubric.version ?? null;
  } catch {
    // An unreadable snapshot still leaves the stored evaluation worth showing.
  }
  return {
    personaName,
    personaTitle,
    personaVersion,
    rubricName,
    rubricVersion,
    traineeName,
    startedAt: session.startedAt,
    durationMs: session.endedAt !== null ? session.endedAt - session.startedAt : 0,
  };
}

function judgeTemplateFrom(catalogue: Catalogue): string | null {
  try {
    return catalogue.template("judge.md");
  } catch {
    return null;
  }
}

async function sessionCommand(a: SessionArgs, ctx: EvaluateContext): Promise<number> {
  const m = evaluateCliMessages(ctx.language);
  const store = await ctx.openStore();
  try {
    const session = await store.getSession(a.sessionId);
    if (!session) {
      ctx.err(m.sessionNotFound(a.sessionId));
      return EXIT_USER_ERROR;
    }
    let evaluation: Evaluation | null;
    if (a.rerun) {
      const catalogue = await ctx.loadCatalogue();
      const template = judgeTemplateFrom(catalogue);
      if (template === null) {
        ctx.err(m.judgeTemplateMissing);
        return EXIT_USER_ERROR;
      }
      const evaluator = createEvaluator({
        store,
        llm: await ctx.createLlm(store),
        judgeTemplate: template,
        judgeSamples: judgeSamples(ctx),
      });
      const r = await evaluator.rerun(a.sessionId);
      if (!r.ok) {
        if (r.reason === "busy") ctx.err(m.rerunBusy(a.sessionId));
        else if (r.reason === "snapshot_invalid") ctx.err(m.snapshotInvalid(a.sessionId));
        else if (r.reason === "session_not_found") ctx.err(m.sessionNotFound(a.sessionId));
        else ctx.err(m.judgeFailed(whyFailed(r.error)));
        return EXIT_USER_ERROR;
      }
      evaluation = r.evaluation;
    } else {
      evaluation = await store.latestEvaluation(a.sessionId);
      if (!evaluation) {
        ctx.err(m.noEvaluation(a.sessionId, session.evalStatus));
        return EXIT_USER_ERROR;
      }
      if (a.clearFlag) {
        if (evaluation.signals.manipulation.length === 0) {
          ctx.err(m.noFlagToClear(a.sessionId));
          return EXIT_USER_ERROR;
        }
        if (!evaluation.flagCleared) {
          // A new evaluation, so the flagged one stays in the history for audit.
          evaluation = withFlagCleared(evaluation, Date.now(), randomUUID());
          await store.saveEvaluation(evaluation);
        }
        ctx.err(m.flagCleared(a.sessionId, evaluation.passed));
      }
    }
    if (a.json) {
      ctx.out(JSON.stringify(evaluation, null, 2));
      return EXIT_OK;
    }
    const trainee = await store.getTrainee(session.traineeId);
    const turns = await store.listTurns(session.id);
    ctx.out(
      renderReportMarkdown(evaluation, sessionReportInfo(session, trainee?.displayName ?? null), turns, ctx.language),
    );
    return EXIT_OK;
  } finally {
    await store.close();
  }
}

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

type Loaded<T> = { ok: true; value: T } | { ok: false; message: string };

async function readTranscript(path: string, ctx: EvaluateContext): Promise<Loaded<TranscriptFile>> {
  const m = evaluateCliMessages(ctx.language);
  let text: string;
  try {
    text = await (ctx.readTextFile ?? ((p: string) => readFile(p, "utf8")))(path);
  } catch {
    return { ok: false, message: m.fileUnreadable(path) };
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    return { ok: false, message: m.fileInvalid(path, e instanceof Error ? e.message : String(e)) };
  }
  const parsed = TranscriptFile.safeParse(raw);
  if (!parsed.success) return { ok: false, message: m.fileInvalid(path, z.prettifyError(parsed.error)) };
  return { ok: true, value: parsed.data };
}

/** A transcript file resolved against the catalogue, ready for the judge. */
interface PreparedTranscript {
  transcript: TranscriptFile;
  persona: Persona;
  /** The persona as judged: in the transcript's language. */
  evaluated: Persona;
  rubric: Rubric;
  turns: JudgedTurn[];
}

function prepareTranscript(
  transcript: TranscriptFile,
  catalogue: Catalogue,
  personaOverride: string | null,
  language: Language,
): Loaded<PreparedTranscript> {
  const m = evaluateCliMessages(language);
  const personaId = personaOverride ?? transcript.persona;
  if (personaId === undefined) return { ok: false, message: m.personaMissing };
  const persona = catalogue.persona(personaId);
  if (!persona) return { ok: false, message: m.personaNotFound(personaId) };
  const spoken = transcript.language ?? persona.language;
  const rubric = catalogue.rubric(persona.rubric, spoken);
  if (!rubric) return { ok: false, message: m.rubricNotFound(persona.rubric, spoken) };
  // A trainer's file may hold real numbers pasted from a case: mask them before the judge sees them.
  const turns: JudgedTurn[] = turnsFromTranscript(transcript, persona.emotion.mood_start).map((t) =>
    t.speaker === "trainee" || t.speaker === "colleague" ? { ...t, text: redact(t.text, spoken).text } : t,
  );
  return { ok: true, value: { transcript, persona, evaluated: { ...persona, language: spoken }, rubric, turns } };
}

async function fileCommand(a: FileArgs, ctx: EvaluateContext): Promise<number> {
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

async function calibrateCommand(a: CalibrateArgs, ctx: EvaluateContext): Promise<number> {
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

/** Runs `roleplay evaluate ...`; returns the exit code (0 ok, 1 user error, 2 usage). */
export async function evaluateCommand(args: string[], ctx: EvaluateContext): Promise<number> {
  const parsed = parseEvaluateArgs(args, ctx.language);
  const m = evaluateCliMessages(ctx.language);
  if (!parsed.ok) {
    if (parsed.message === null) {
      ctx.out(m.usage);
      return EXIT_OK;
    }
    ctx.err(`${parsed.message}\n\n${m.usage}`);
    return EXIT_USAGE;
  }
  const chosen = parsed.args;
  if (chosen.kind === "session") return sessionCommand(chosen, ctx);
  if (chosen.kind === "calibrate") return calibrateCommand(chosen, ctx);
  return fileCommand(chosen, ctx);
}
