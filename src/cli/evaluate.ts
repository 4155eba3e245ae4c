// `roleplay evaluate`: show or re-run a session's evaluation, or score a written dialogue
// (`--file`), optionally several times to see how consistent the judge is on it.
import { readFile } from "node:fs/promises";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import type { Catalogue } from "../catalogue/index.ts";
import type { Evaluation } from "../domain/evaluation.ts";
import type { Language } from "../domain/persona.ts";
import type { Session } from "../domain/session.ts";
import { TranscriptFile } from "../domain/transcript.ts";
import {
  createEvaluator,
  evaluateTranscript,
  InvalidJudgementError,
  type JudgedTurn,
  parseJudgeTemplate,
  pinnedVersions,
  renderReportMarkdown,
  type ReportInfo,
  turnsFromTranscript,
} from "../evaluation/index.ts";
import { evaluateCliMessages } from "../evaluation/messages.ts";
import { LlmError } from "../llm/port.ts";
import { redact } from "../roleplay/redact.ts";
import type { CliContext } from "./context.ts";

/** What the command needs from the CLI around it (a CliContext fits). */
export type EvaluateContext = Pick<
  CliContext,
  "language" | "out" | "err" | "openStore" | "loadCatalogue" | "createLlm"
> & {
  /** Reads a file given on the command line (defaults to the file system). */
  readTextFile?(path: string): Promise<string>;
};

export const EXIT_OK = 0;
export const EXIT_USER_ERROR = 1;
export const EXIT_USAGE = 2;

interface SessionArgs {
  kind: "session";
  sessionId: string;
  rerun: boolean;
  json: boolean;
}
interface FileArgs {
  kind: "file";
  file: string;
  personaId: string | null;
  repeat: number;
  json: boolean;
}
export type EvaluateArgs = SessionArgs | FileArgs;

export type ParsedArgs = { ok: true; args: EvaluateArgs } | { ok: false; message: string | null };

export function parseEvaluateArgs(argv: string[], language: Language): ParsedArgs {
  const m = evaluateCliMessages(language);
  let sessionId: string | null = null;
  let file: string | null = null;
  let personaId: string | null = null;
  let repeat: number | null = null;
  let rerun = false;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const [flag, inline] =
      a.startsWith("--") && a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, null];
    const value = (): string | null => {
      if (inline !== null) return inline;
      const v = argv[i + 1];
      if (v === undefined || v.startsWith("--")) return null;
      i++;
      return v;
    };
    switch (flag) {
      case "--help":
      case "-h":
        return { ok: false, message: null };
      case "--rerun":
        rerun = true;
        break;
      case "--json":
        json = true;
        break;
      case "--file": {
        file = value();
        if (file === null) return { ok: false, message: m.missingValue("--file") };
        break;
      }
      case "--persona": {
        personaId = value();
        if (personaId === null) return { ok: false, message: m.missingValue("--persona") };
        break;
      }
      case "--repeat": {
        const v = value();
        if (v === null) return { ok: false, message: m.missingValue("--repeat") };
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1 || n > 20) return { ok: false, message: m.badRepeat };
        repeat = n;
        break;
      }
      default:
        if (flag.startsWith("-")) return { ok: false, message: m.unknownOption(flag) };
        if (sessionId !== null) return { ok: false, message: m.unknownOption(flag) };
        sessionId = flag;
    }
  }
  if (sessionId !== null && file !== null) return { ok: false, message: m.sessionAndFile };
  if (file !== null) {
    if (rerun) return { ok: false, message: m.rerunWithFile };
    return { ok: true, args: { kind: "file", file, personaId, repeat: repeat ?? 1, json } };
  }
  if (sessionId === null) return { ok: false, message: m.nothingToEvaluate };
  if (repeat !== null) return { ok: false, message: m.repeatWithSession };
  return { ok: true, args: { kind: "session", sessionId, rerun, json } };
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
      const evaluator = createEvaluator({ store, llm: await ctx.createLlm(store), judgeTemplate: template });
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

async function fileCommand(a: FileArgs, ctx: EvaluateContext): Promise<number> {
  const m = evaluateCliMessages(ctx.language);
  let text: string;
  try {
    text = await (ctx.readTextFile ?? ((p: string) => readFile(p, "utf8")))(a.file);
  } catch {
    ctx.err(m.fileUnreadable(a.file));
    return EXIT_USER_ERROR;
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    ctx.err(m.fileInvalid(a.file, e instanceof Error ? e.message : String(e)));
    return EXIT_USER_ERROR;
  }
  const parsed = TranscriptFile.safeParse(raw);
  if (!parsed.success) {
    ctx.err(m.fileInvalid(a.file, z.prettifyError(parsed.error)));
    return EXIT_USER_ERROR;
  }
  const transcript = parsed.data;
  const catalogue = await ctx.loadCatalogue();
  const personaId = a.personaId ?? transcript.persona;
  const persona = catalogue.persona(personaId);
  if (!persona) {
    ctx.err(m.personaNotFound(personaId));
    return EXIT_USER_ERROR;
  }
  const language = transcript.language ?? persona.language;
  const rubric = catalogue.rubric(persona.rubric, language);
  if (!rubric) {
    ctx.err(m.rubricNotFound(persona.rubric, language));
    return EXIT_USER_ERROR;
  }
  const templateText = judgeTemplateFrom(catalogue);
  if (templateText === null) {
    ctx.err(m.judgeTemplateMissing);
    return EXIT_USER_ERROR;
  }
  const template = parseJudgeTemplate(templateText);
  const llm = await ctx.createLlm(null);
  // A trainer's file may hold real numbers pasted from a case: mask them before the judge sees them.
  const turns: JudgedTurn[] = turnsFromTranscript(transcript, persona.emotion.mood_start).map((t) =>
    t.speaker === "trainee" ? { ...t, text: redact(t.text, language).text } : t,
  );
  const evaluated = { ...persona, language };

  const runs: Evaluation[] = [];
  let lastError: unknown = null;
  for (let i = 0; i < a.repeat; i++) {
    try {
      runs.push(
        await evaluateTranscript({ persona: evaluated, rubric, turns, outcome: transcript.outcome, llm, template }),
      );
    } catch (e) {
      lastError = e;
    }
  }
  const first = runs[0];
  if (!first) {
    ctx.err(m.judgeFailed(whyFailed(lastError)));
    return EXIT_USER_ERROR;
  }
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
  return parsed.args.kind === "session" ? sessionCommand(parsed.args, ctx) : fileCommand(parsed.args, ctx);
}
