// The terminal practice as a command: the app without file watching, its log kept off the screen,
// and a pending evaluation retried for a while before the command that finishes it is named.
import fs from "node:fs";
import path from "node:path";
import type { Config } from "../config.ts";
import { createLogger, type LogLevel } from "../log.ts";
import type { CliContext } from "./context.ts";
import type { App } from "../app.ts";
import { type AssignmentHints, assignmentMessages } from "../assignments/messages.ts";
import { isAssignmentError } from "../assignments/service.ts";
import type { Language } from "../domain/persona.ts";
import { type TraineeIdentity, traineeKey } from "../domain/session.ts";
import type { StartRequest, StartResult } from "../roleplay/api.ts";

/**
 * Where the terminal practice logs: beside the SQLite database (data/roleplay.log by default), or
 * ./data with PostgreSQL. The terminal is the conversation, so nothing of the log goes there.
 */
export async function practiceLogFile(databaseUrl: string): Promise<string> {
  const { parseDatabaseUrl } = await import("../store/index.ts");
  const target = parseDatabaseUrl(databaseUrl);
  const dir =
    target.kind === "sqlite" && target.filename !== ":memory:" ? path.dirname(path.resolve(target.filename)) : "data";
  return path.resolve(dir, "roleplay.log");
}

function fileLogger(level: LogLevel, file: string) {
  let ready = false;
  return createLogger(level, (line) => {
    try {
      if (!ready) fs.mkdirSync(path.dirname(file), { recursive: true });
      ready = true;
      fs.appendFileSync(file, `${line}\n`);
    } catch {
      // A log that cannot be written must not end the practice.
    }
  });
}

/** Practice of an assigned customer: who practises, and the assignment whose attempt it takes. */
export interface AssignedPractice {
  trainee: TraineeIdentity;
  assignment: { id: string; hints: AssignmentHints };
}

export async function practise(
  ctx: CliContext,
  config: Config,
  personaId: string | undefined,
  assigned?: AssignedPractice,
): Promise<number> {
  const { createApp } = await import("../app.ts");
  const { runConsole } = await import("../platforms/console/index.ts");
  // Routine info lines are noise here; warnings and above (or debug, when asked for) go to the file.
  const level: LogLevel = config.logLevel === "info" ? "warn" : config.logLevel;
  const app = await createApp(config, {
    watch: false,
    log: fileLogger(level, await practiceLogFile(config.databaseUrl)),
  });
  try {
    return await runConsole({
      engine: app.engine,
      personaId,
      input: ctx.stdin,
      output: ctx.stdout,
      language: config.language,
      interactive: ctx.interactive,
      retryEvaluation: async (sessionId) => (await app.evaluator.requestEvaluation(sessionId)).kind,
      ...(assigned ? assignedStart(app, assigned, config.language) : {}),
    });
  } finally {
    await app.close();
  }
}

/** The console's trainee and start for an assigned customer: the attempt is taken in the same step. */
function assignedStart(app: App, assigned: AssignedPractice, language: Language) {
  const traineeId = traineeKey(assigned.trainee);
  return {
    trainee: { ...assigned.trainee, locale: language },
    start: async (req: StartRequest) => {
      const r = await app.assignments.start({
        trainee: req.trainee,
        place: req.place,
        assignmentId: assigned.assignment.id,
        ...(req.personaId ? { personaId: req.personaId } : {}),
        contexts: [{ traineeId, platform: assigned.trainee.platform, scopeId: null }],
        ...(req.announce ? { announce: req.announce } : {}),
      });
      if (r.ok || !isAssignmentError(r.error.code)) return r as StartResult;
      return {
        ok: false as const,
        text: assignmentMessages(language).error(r.error.code, assigned.assignment.hints, r.error.detail),
      };
    },
  };
}
