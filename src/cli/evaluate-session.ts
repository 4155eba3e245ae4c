// `roleplay evaluate SESSION`: show a stored session's evaluation, judge it again (--rerun), or
// clear its steering flag (--clear-flag), as Markdown or JSON.
import { randomUUID } from "node:crypto";
import type { Evaluation } from "../domain/evaluation.ts";
import type { Session } from "../domain/session.ts";
import {
  createEvaluator,
  pinnedVersions,
  renderReportMarkdown,
  type ReportInfo,
  withFlagCleared,
} from "../evaluation/index.ts";
import { evaluateCliMessages } from "../evaluation/messages.ts";
import type { SessionArgs } from "./evaluate-args.ts";
import {
  EXIT_OK,
  EXIT_USER_ERROR,
  type EvaluateContext,
  judgeSamples,
  judgeTemplateFrom,
  whyFailed,
} from "./evaluate-context.ts";

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

export async function sessionCommand(a: SessionArgs, ctx: EvaluateContext): Promise<number> {
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
