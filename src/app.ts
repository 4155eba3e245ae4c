// Wiring only: config -> store -> llm -> catalogue -> evaluator -> engine. Used by the command line
// (console, bots) and by integration tests, so both run the same assembly.
import { RoleplayError } from "./errors/index.ts";
import { errorMessages } from "./errors/messages.ts";
import { type Catalogue, formatProblem, loadCatalogue } from "./catalogue/index.ts";
import type { Config } from "./config.ts";
import { createEvaluator, type Evaluator } from "./evaluation/index.ts";
import { evaluationMessages } from "./evaluation/messages.ts";
import { buildEvaluationCard, renderReportMarkdown } from "./evaluation/render.ts";
import { createOpenAiLlm } from "./llm/openai.ts";
import type { LlmPort } from "./llm/port.ts";
import { createLogger, errorFields, type Logger } from "./log.ts";
import { createEngine, type Engine } from "./roleplay/engine.ts";
import type { ManagerReportsApi } from "./roleplay/api.ts";
import { reportForChat } from "./reports/chat.ts";
import { reportMessages } from "./reports/messages.ts";
import { openStore, parseDatabaseUrl } from "./store/index.ts";
import type { Store } from "./store/port.ts";
import type { Language } from "./domain/persona.ts";
import type { Session, Turn } from "./domain/session.ts";
import { type AssignmentService, type AssignmentGate, createAssignments } from "./assignments/index.ts";

export interface App {
  config: Config;
  store: Store;
  catalogue: Catalogue;
  llm: LlmPort;
  evaluator: Evaluator;
  engine: Engine;
  reports: ManagerReportsApi;
  assignments: AssignmentService;
  assignmentGate: AssignmentGate;
  log: Logger;
  close(): Promise<void>;
}

export interface AppOptions {
  /** Use this LLM instead of the configured OpenAI-compatible endpoint (tests). */
  llm?: LlmPort;
  log?: Logger;
  /** Watch persona and rubric files for changes (default true). */
  watch?: boolean;
  now?: () => number;
}

/** Thrown when the app cannot be assembled because no model is configured. */
export class LlmNotConfiguredError extends RoleplayError {
  readonly code = "llm_not_configured";
  readonly missing: string[];
  constructor(missing: string[]) {
    super(errorMessages("en").llmNotConfigured(missing.join(", ")));
    this.missing = missing;
  }
  localized(language: Language): string {
    return errorMessages(language).llmNotConfigured(this.missing.join(", "));
  }
}

export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const log = options.log ?? createLogger(config.logLevel);
  if (!options.llm && !config.llm) throw new LlmNotConfiguredError(config.llmMissing);
  const store = await openStore(config.databaseUrl, { poolMax: config.databasePoolMax });
  try {
    const catalogue = loadCatalogue({
      personasDir: config.personasDir,
      promptsDir: config.promptsDir,
      onProblems: (problems, kept) => {
        for (const p of problems) log.warn("catalogue_problem", { problem: formatProblem(p) });
        if (kept.length > 0) log.warn("catalogue_kept_last_good", { files: kept.join(", ") });
      },
    });
    const llm =
      options.llm ??
      createOpenAiLlm(
        // Checked above: config.llm is set when no LLM was passed in.
        config.llm as NonNullable<Config["llm"]>,
        store,
      );
    let engine: Engine | null = null;
    let gate: AssignmentGate | null = null;
    const evaluator = createEvaluator({
      store,
      llm,
      promptsDir: config.promptsDir,
      now: options.now,
      minTraineeTurns: config.evaluation.minTraineeTurns,
      maxAttempts: config.evaluation.maxAttempts,
      judgeSamples: config.evaluation.judgeSamples,
      backoffMs: config.evaluation.retryBaseMs,
      leaseMs: config.session.leaseMs,
      singleProcessStore: parseDatabaseUrl(config.databaseUrl).kind === "sqlite",
      notify: async (_sessionId, notice) => {
        await gate?.notice(notice);
      },
      log: (event) => {
        const { type, ...fields } = event;
        log.warn(`evaluation_${type}`, fields);
      },
    });
    engine = createEngine({
      store,
      llm,
      catalogue,
      evaluation: { request: (id) => evaluator.requestEvaluation(id), runDue: () => evaluator.runDue() },
      buildCard: (evaluation, session, _turns, language) =>
        buildEvaluationCard(evaluation, cardInfo(session), language),
      renderReport: async (evaluation, session, turns, language) => {
        if (!evaluation) return renderUnevaluated(session, turns, language);
        const trainee = await store.getTrainee(session.traineeId);
        const rubric = safeJson(session.rubricSnapshot);
        return renderReportMarkdown(
          evaluation,
          {
            ...cardInfo(session),
            traineeName: trainee?.displayName ?? null,
            startedAt: session.startedAt,
            personaVersion: (safeJson(session.personaSnapshot).version as string | number | undefined) ?? null,
            rubricName: (rubric.name as string | undefined) ?? null,
            rubricVersion: (rubric.version as string | number | undefined) ?? null,
            timeZone: config.timeZone,
          },
          turns,
          language,
        );
      },
      defaultLanguage: config.language,
      idleMs: config.session.idleMs,
      answerLeaseMs: config.session.leaseMs,
      sweepIntervalMs: config.session.sweepMs,
      maxReplyChars: config.session.maxReplyChars,
      minTraineeTurns: config.evaluation.minTraineeTurns,
      singleProcessStore: parseDatabaseUrl(config.databaseUrl).kind === "sqlite",
      now: options.now,
      log,
    });
    const { service: assignments, gate: assignmentGate } = createAssignments({
      store,
      engine,
      config,
      now: options.now,
      log,
    });
    gate = assignmentGate;
    const reports: ManagerReportsApi = {
      async forChat(viewer, period, language, scope) {
        const r = await reportForChat(store, { viewer, period, language, scope, timeZone: config.timeZone });
        if (r.ok) return { ok: true, text: r.text, files: r.files };
        const m = reportMessages(language);
        return { ok: false, message: r.error === "not_allowed" ? m.notAllowed : m.badPeriod };
      },
    };
    const stopWatching = options.watch === false ? () => {} : catalogue.watch();
    const app: App = {
      config,
      store,
      catalogue,
      llm,
      evaluator,
      engine,
      reports,
      assignments,
      assignmentGate,
      log,
      async close() {
        stopWatching();
        await engine?.close();
        await store.close();
      },
    };
    return app;
  } catch (e) {
    log.error("app_start_failed", errorFields(e));
    await store.close();
    throw e;
  }
}

function safeJson(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === "object" ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function cardInfo(session: Session): { personaName: string; personaTitle: string; durationMs: number } {
  const persona = safeJson(session.personaSnapshot);
  return {
    personaName: typeof persona.name === "string" ? persona.name : session.personaId,
    personaTitle: typeof persona.title === "string" ? persona.title : session.personaId,
    durationMs: session.endedAt ? Math.max(0, session.endedAt - session.startedAt) : 0,
  };
}

/** A report for a session without an evaluation (still active, pending, skipped or failed). */
function renderUnevaluated(session: Session, turns: Turn[], language: Language): string {
  const info = cardInfo(session);
  const m = evaluationMessages(language);
  const who = {
    trainee: m.speaker_trainee,
    customer: info.personaName,
    colleague: m.speaker_colleague,
    system: m.speaker_system,
  };
  const lines = [
    `# ${info.personaTitle}`,
    "",
    `- ${m.unevaluatedStatus}: ${m.sessionStatus[session.status]}`,
    `- ${m.unevaluatedEvaluation}: ${m.evalStatus[session.evalStatus]}`,
    "",
    `## ${m.transcript}`,
    "",
    ...turns.map((t) => `${t.seq}. **${who[t.speaker]}**: ${t.text.replace(/\r?\n/g, " ")}`),
  ];
  return `${lines.join("\n")}\n`;
}
