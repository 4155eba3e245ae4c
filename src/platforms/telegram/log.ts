// The bot's log: events with small structured fields. It never receives message text, names or
// tokens; chat ids appear only where an operator needs them to find a problem.

export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface TelegramLog {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

const ORDER = ["debug", "info", "warn", "error", "silent"] as const;
type Level = (typeof ORDER)[number];

/** JSON lines on stderr, at or above `level`. */
export function consoleLog(level: Level = "info"): TelegramLog {
  const min = ORDER.indexOf(level);
  const at = (l: Exclude<Level, "silent">) => (event: string, fields?: LogFields) => {
    if (ORDER.indexOf(l) < min) return;
    process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: l, event, ...fields })}\n`);
  };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

export const silentLog: TelegramLog = consoleLog("silent");
