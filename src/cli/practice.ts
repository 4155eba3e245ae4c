// The terminal practice as a command: the app without file watching, its log kept off the screen,
// and a pending evaluation retried for a while before the command that finishes it is named.
import fs from "node:fs";
import path from "node:path";
import type { Config } from "../config.ts";
import { createLogger, type LogLevel } from "../log.ts";
import type { CliContext } from "./context.ts";

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

export async function practise(ctx: CliContext, config: Config, personaId: string | undefined): Promise<number> {
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
    });
  } finally {
    await app.close();
  }
}
