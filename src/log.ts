// A small structured logger (one JSON line per event on stderr). Callers pass ids and codes, never
// transcript text; as a second line of defence, free-text fields are masked for personal data.
// Id fields are written as they are: masking a session id's digit groups made it useless.
import { RoleplayError } from "./errors/index.ts";
import { redactLogText } from "./roleplay/privacy/index.ts";

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

/** Field names that hold identifiers (sessionId, updateId, inboundKey, chat, shard …), never free text. */
const ID_FIELD =
  /(?:^id|Id|ID|Ids|Key|Hash)$|^(?:session|chat|channel|guild|interaction|update|thread|shard|seq|persona|platform|event|kinds|holder|status|code)$/;

export function createLogger(
  level: LogLevel,
  write: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Logger {
  const emit = (lvl: Exclude<LogLevel, "silent">, event: string, fields: LogFields = {}) => {
    if (ORDER[lvl] < ORDER[level]) return;
    const safe: LogFields = {};
    for (const [k, v] of Object.entries(fields))
      safe[k] = typeof v === "string" && !ID_FIELD.test(k) ? redactLogText(v) : v;
    write(JSON.stringify({ t: new Date().toISOString(), level: lvl, event, ...safe }));
  };
  return {
    debug: (e, f) => emit("debug", e, f),
    info: (e, f) => emit("info", e, f),
    warn: (e, f) => emit("warn", e, f),
    error: (e, f) => emit("error", e, f),
  };
}

export const silentLogger: Logger = createLogger("silent");

/** The name, code and message of an error, masked; never its stack or request data. */
export function errorFields(e: unknown): LogFields {
  if (e instanceof RoleplayError) {
    return { error: e.name, code: e.code, message: redactLogText(e.message).slice(0, 300) };
  }
  if (e instanceof Error) return { error: e.name, message: redactLogText(e.message).slice(0, 300) };
  return { error: redactLogText(String(e)).slice(0, 100) };
}
