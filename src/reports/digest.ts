// The weekly digest: on a cron schedule (REPORT_DIGEST_CRON), the summary of the last N days for
// every place, posted to each destination the app gives (a channel or chat on each running
// platform, each with its own text limit) with the HTML report attached. One run at a time; a failed post is reported, not retried here.
import { RoleplayError } from "../errors/index.ts";
import { errorMessages } from "../errors/messages.ts";
import { Cron } from "croner";
import type { Config } from "../config.ts";
import type { Language } from "../domain/persona.ts";
import { processTimeZone } from "../i18n/dates.ts";
import type { Store } from "../store/port.ts";
import { CHAT_TEXT_LIMIT, chatSummaryText } from "./chat.ts";
import { reportFileName } from "./format.ts";
import { renderHtml } from "./render-html.ts";
import { buildSummary, type TeamSummary } from "./summary.ts";

const DAY_MS = 86_400_000;

export interface DigestFile {
  name: string;
  content: Buffer;
}

/** Where a digest goes: a platform's post, and how long its text may be as that platform counts. */
export interface DigestDestination {
  textLimit: number;
  measure(text: string): number;
  post(text: string, files: DigestFile[]): Promise<void>;
}

export interface DigestOptions {
  store: Store;
  digest: Pick<NonNullable<Config["digest"]>, "cron" | "days">;
  language: Language;
  /** Sends the text (at most CHAT_TEXT_LIMIT UTF-16 units) and files to the configured place. */
  post?(text: string, files: DigestFile[]): Promise<void>;
  /** More places, each given a text within its own limit. */
  destinations?: DigestDestination[];
  /** Called when building or posting a digest fails (the schedule keeps running). */
  onError?(error: unknown): void;
  /** IANA time zone (TIME_ZONE) for the cron expression and the digest's dates (default: the process's). */
  timezone?: string;
  now?(): number;
}

export interface DigestScheduler {
  /** When the next digest is due, or null when the schedule has no further run. */
  nextRun(): Date | null;
  /** Builds and posts a digest now (also what the schedule calls). */
  runOnce(): Promise<TeamSummary>;
  stop(): void;
}

/** REPORT_DIGEST_CRON is not a cron expression croner understands. */
export class DigestScheduleError extends RoleplayError {
  readonly code = "digest_schedule_invalid";
  readonly pattern: string;
  readonly reason: string;
  constructor(pattern: string, reason: string) {
    super(errorMessages("en").digestScheduleInvalid(pattern, reason));
    this.pattern = pattern;
    this.reason = reason;
  }
  localized(language: Language): string {
    return errorMessages(language).digestScheduleInvalid(this.pattern, this.reason);
  }
}

/** Starts the schedule. Throws DigestScheduleError for an invalid cron expression. */
export function startDigest(options: DigestOptions): DigestScheduler {
  const now = options.now ?? Date.now;
  const runOnce = async (): Promise<TeamSummary> => {
    const at = now();
    const summary = await buildSummary(options.store, {
      from: at - options.digest.days * DAY_MS,
      to: at,
      scope: null,
      now: at,
      timeZone: options.timezone ?? processTimeZone(),
    });
    const files: DigestFile[] = [
      { name: reportFileName(summary, "html"), content: Buffer.from(renderHtml(summary, options.language), "utf8") },
    ];
    if (options.post) await options.post(chatSummaryText(summary, options.language), files);
    for (const d of options.destinations ?? []) {
      const limit = Math.min(CHAT_TEXT_LIMIT, d.textLimit);
      await d.post(chatSummaryText(summary, options.language, limit, d.measure), files);
    }
    return summary;
  };

  let job: Cron;
  try {
    job = new Cron(
      options.digest.cron,
      {
        // A digest still being posted when the next one is due is not started twice.
        protect: true,
        // The schedule must not keep a process alive that is otherwise shutting down.
        unref: true,
        ...(options.timezone === undefined ? {} : { timezone: options.timezone }),
      },
      async () => {
        try {
          await runOnce();
        } catch (error) {
          options.onError?.(error);
        }
      },
    );
  } catch (error) {
    throw new DigestScheduleError(options.digest.cron, error instanceof Error ? error.message : String(error));
  }
  return {
    nextRun: () => job.nextRun(),
    runOnce,
    stop: () => job.stop(),
  };
}
