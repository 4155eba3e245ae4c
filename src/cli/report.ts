// `roleplay report`: the team summary for a period and a place, as Markdown, CSV (two sheets),
// JSON or one HTML file with charts, on standard output or in a file.
import { assignmentsCsvPath, renderAssignmentsCsv } from "../reports/completion.ts";
import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { finished } from "node:stream/promises";
import type { Config } from "../config.ts";
import type { Language } from "../domain/persona.ts";
import { RoleplayError } from "../errors/index.ts";
import { errorMessages } from "../errors/messages.ts";
import { isTimeZone, localDayBounds } from "../i18n/dates.ts";
import { platformById, scopedPlatforms } from "../platforms/registry.ts";
import { reportMessages } from "../reports/messages.ts";
import { renderTraineesCsv, traineesCsvPath, writeSessionsCsv } from "../reports/render-csv.ts";
import { renderHtml } from "../reports/render-html.ts";
import { writeJson } from "../reports/render-json.ts";
import { renderMarkdown } from "../reports/render-md.ts";
import { collectText, streamSink, type TextSink } from "../reports/sink.ts";
import {
  buildSummary,
  type Period,
  parseDay,
  parsePeriod,
  type ReportScope,
  sessionRows,
  type TeamSummary,
} from "../reports/summary.ts";
import type { Store } from "../store/port.ts";
import { ArgsError, parseCommandArgs } from "./args.ts";

const FORMATS = ["md", "csv", "json", "html"] as const;
type Format = (typeof FORMATS)[number];

export interface ReportCommandContext {
  config: Config;
  out: (s: string) => void;
  err: (s: string) => void;
  openStore: () => Promise<Store>;
  /** For tests; defaults to Date.now(). */
  now?: () => number;
  /**
   * Standard output as a stream: a report printed there is written as it is produced. Without
   * it the whole text goes to `out` at the end.
   */
  stdout?: NodeJS.WritableStream;
  /** For tests: receives each file whole. Without it files are streamed to the file system. */
  writeFile?: (path: string, content: string) => Promise<void>;
}

/** Produces one output (a report file or standard output) into a sink. */
type Producer = (write: TextSink) => Promise<void>;

export interface ReportArgs {
  since: string | null;
  from: string | null;
  to: string | null;
  scope: ReportScope | null;
  format: Format;
  out: string | null;
  sheet: "sessions" | "trainees" | "assignments";
  language: Language | null;
  /** IANA zone; null: TIME_ZONE from the configuration. */
  timeZone: string | null;
}

type Parsed = { ok: true; args: ReportArgs } | { ok: false; help: boolean; message: string | null };

const REPORT_OPTIONS = {
  since: { type: "string" },
  from: { type: "string" },
  to: { type: "string" },
  scope: { type: "string" },
  format: { type: "string" },
  out: { type: "string" },
  sheet: { type: "string" },
  language: { type: "string" },
  tz: { type: "string" },
} as const;

export function parseReportArgs(argv: string[], language: Language): Parsed {
  const m = reportMessages(language);
  let parsed: ReturnType<typeof parseCommandArgs<typeof REPORT_OPTIONS>>;
  try {
    parsed = parseCommandArgs(argv, REPORT_OPTIONS, "roleplay report", language);
  } catch (e) {
    if (e instanceof ArgsError) return { ok: false, help: false, message: e.message };
    throw e;
  }
  if (parsed.help) return { ok: false, help: true, message: null };
  const v = parsed.values;
  const fail = (message: string): Parsed => ({ ok: false, help: false, message });
  if (parsed.positionals.length > 0) return fail(m.cliUnexpected(parsed.positionals.join(" ")));
  const args: ReportArgs = {
    since: v.since ?? null,
    from: v.from ?? null,
    to: v.to ?? null,
    scope: null,
    format: "md",
    out: v.out ?? null,
    sheet: "sessions",
    language: null,
    timeZone: v.tz ?? null,
  };
  if (v.scope !== undefined && v.scope !== "all") {
    const match = /^([a-z][a-z0-9-]*):(\S+)$/.exec(v.scope);
    const platform = match ? platformById(match[1] as string) : undefined;
    if (!match || !platform?.scope) return fail(m.cliBadScope(v.scope, scopeForms(language, m.cliScopeSeparator)));
    args.scope = { platform: platform.id, scopeId: match[2] as string };
  }
  if (v.format !== undefined) {
    if (!FORMATS.includes(v.format as Format)) return fail(m.cliBadFormat(v.format, FORMATS.join(", ")));
    args.format = v.format as Format;
  }
  if (v.sheet !== undefined) {
    if (v.sheet !== "sessions" && v.sheet !== "trainees" && v.sheet !== "assignments")
      return fail(m.cliBadSheet(v.sheet));
    args.sheet = v.sheet;
  }
  if (v.language !== undefined) {
    if (v.language !== "zh-CN" && v.language !== "en") return fail(m.cliBadLanguage(v.language));
    args.language = v.language;
  }
  if (args.since !== null && (args.from !== null || args.to !== null)) return fail(m.cliSinceAndRange);
  if (args.to !== null && args.from === null) return fail(m.cliToNeedsFrom);
  return { ok: true, args };
}

/** "discord:GUILD_ID, telegram:CHAT_ID": how each platform with places names one. */
function scopeForms(language: Language, separator: string): string {
  return scopedPlatforms()
    .map((p) => `${p.id}:${p.scope?.[language].placeholder}`)
    .join(separator);
}

/** The command's usage, naming the platforms' places. */
export function reportUsage(language: Language): string {
  const m = reportMessages(language);
  const nouns = scopedPlatforms().map((p) => p.scope?.[language].noun ?? p.name);
  return m.cliUsage(scopeForms(language, " | "), m.cliScopePlaces(nouns));
}

/** The period the arguments name, or the message saying why they name none. */
export function periodFromArgs(
  args: ReportArgs,
  now: number,
  language: Language,
  timeZone: string,
): Period | { error: string } {
  const m = reportMessages(language);
  if (args.from !== null) {
    const from = parseDay(args.from, timeZone);
    if (from === null) return { error: m.cliBadDate(args.from) };
    let to = now;
    if (args.to !== null) {
      const last = localDayBounds(args.to, timeZone);
      if (last === null) return { error: m.cliBadDate(args.to) };
      to = last.to;
    }
    if (to <= from) return { error: m.cliEmptyRange };
    return { from, to };
  }
  const text = args.since ?? "30d";
  return parsePeriod(text, now, timeZone) ?? { error: m.cliBadPeriod(text) };
}

export async function reportCommand(argv: string[], ctx: ReportCommandContext): Promise<number> {
  const fallbackLanguage = ctx.config.language;
  const parsed = parseReportArgs(argv, fallbackLanguage);
  if (!parsed.ok) {
    if (parsed.help) {
      ctx.out(reportUsage(fallbackLanguage));
      return 0;
    }
    if (parsed.message) ctx.err(parsed.message);
    ctx.err(reportUsage(fallbackLanguage));
    return 2;
  }
  const args = parsed.args;
  const language = args.language ?? fallbackLanguage;
  const m = reportMessages(language);
  const now = ctx.now?.() ?? Date.now();
  const timeZone = args.timeZone ?? ctx.config.timeZone;
  if (!isTimeZone(timeZone)) {
    ctx.err(m.cliBadTimeZone(timeZone));
    return 2;
  }
  const period = periodFromArgs(args, now, language, timeZone);
  if ("error" in period) {
    ctx.err(period.error);
    return 1;
  }

  let store: Store;
  try {
    store = await ctx.openStore();
  } catch (e) {
    // The store's own errors mask passwords; only the message is shown.
    ctx.err(m.cliStoreFailed(e instanceof Error ? e.message : String(e)));
    return 1;
  }
  // The store stays open while the files are written: the session sheet and JSON read the
  // sessions a second time, page by page, instead of holding them all.
  try {
    const summary = await buildSummary(store, { ...period, scope: args.scope, now, timeZone });
    const outputs = reportOutputs(summary, store, args, language);
    if (args.out === null) {
      await printOutput(outputs.stdout, ctx);
      return 0;
    }
    for (const f of outputs.files) {
      try {
        await writeOutput(f.path, f.produce, ctx);
      } catch (e) {
        if (!(e instanceof OutputError)) throw e;
        ctx.err(m.cliWriteFailed(f.path, e.cause instanceof Error ? e.cause.message : String(e.cause)));
        return 1;
      }
      ctx.err(m.cliWrote(f.path));
    }
    return 0;
  } finally {
    await store.close().catch(() => undefined);
  }
}

/** What the command writes: one output on standard output, or the files asked for with --out. */
function reportOutputs(
  summary: TeamSummary,
  store: Store,
  args: ReportArgs,
  language: Language,
): { stdout: Producer; files: Array<{ path: string; produce: Producer }> } {
  const text =
    (render: () => string): Producer =>
    async (write) => {
      await write(render());
    };
  let main: Producer;
  const extra: Array<{ path: string; produce: Producer }> = [];
  switch (args.format) {
    case "md":
      main = text(() => renderMarkdown(summary, language));
      break;
    case "json":
      main = (write) => writeJson(summary, sessionRows(store, summary), write);
      break;
    case "html":
      main = text(() => renderHtml(summary, language));
      break;
    case "csv": {
      const sessions: Producer = (write) => writeSessionsCsv(summary, sessionRows(store, summary), language, write);
      const trainees = text(() => renderTraineesCsv(summary, language));
      // With --out the trainee sheet goes beside the session sheet; on stdout --sheet picks one.
      const assigned = text(() => renderAssignmentsCsv(summary.assignments, language));
      if (args.out !== null) extra.push({ path: traineesCsvPath(args.out), produce: trainees });
      if (args.out !== null) extra.push({ path: assignmentsCsvPath(args.out), produce: assigned });
      main = args.out === null && args.sheet === "trainees" ? trainees : sessions;
      if (args.out === null && args.sheet === "assignments") main = assigned;
      break;
    }
  }
  return { stdout: main, files: args.out === null ? [] : [{ path: args.out, produce: main }, ...extra] };
}

/** Standard output ends with one line break, whatever the format's own ending. */
async function printOutput(produce: Producer, ctx: ReportCommandContext): Promise<void> {
  if (ctx.stdout === undefined) {
    ctx.out((await collectText(produce)).replace(/\r?\n$/, ""));
    return;
  }
  const sink = streamSink(ctx.stdout);
  let last = "";
  await produce((chunk) => {
    if (chunk !== "") last = chunk;
    return sink(chunk);
  });
  if (!last.endsWith("\n")) await sink("\n");
}

/** The file could not be written (as opposed to the report failing to read the store). */
class OutputError extends RoleplayError {
  readonly code = "report_output_failed";
  override readonly cause: unknown;
  constructor(cause: unknown) {
    super(errorMessages("en").reportOutputFailed);
    this.cause = cause;
  }
  localized(language: Language): string {
    return errorMessages(language).reportOutputFailed;
  }
}

/**
 * Streams a file through a temporary name beside it, renamed when complete: a report that fails
 * half way leaves no half file under the name asked for.
 */
async function writeOutput(path: string, produce: Producer, ctx: ReportCommandContext): Promise<void> {
  if (ctx.writeFile !== undefined) {
    const content = await collectText(produce);
    await ctx.writeFile(path, content).catch((e: unknown) => {
      throw new OutputError(e);
    });
    return;
  }
  const partial = `${path}.partial`;
  const stream = createWriteStream(partial, { encoding: "utf8" });
  // Registered first, so a stream error settles this before the sink's own wait for "drain".
  const failed = new Promise<never>((_, reject) => stream.once("error", (e) => reject(new OutputError(e))));
  failed.catch(() => undefined);
  try {
    await Promise.race([produce(streamSink(stream)), failed]);
    stream.end();
    await Promise.race([finished(stream), failed]);
    await rename(partial, path).catch((e: unknown) => {
      throw new OutputError(e);
    });
  } catch (e) {
    stream.destroy();
    await rm(partial, { force: true }).catch(() => undefined);
    throw e;
  }
}
