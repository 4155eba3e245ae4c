// The weekly digest: on a cron schedule (REPORT_DIGEST_CRON), the summary of the last N days for
// every place, posted by a callback the app gives (to a Discord channel and/or a Telegram chat)
// with the HTML report attached. One run at a time; a failed post is reported, not retried here.
import { Cron } from "croner";
import type { Config } from "../config.ts";
import type { Language } from "../domain/persona.ts";
import { processTimeZone } from "../i18n/dates.ts";
import type { Store } from "../store/port.ts";
import { chatSummaryText } from "./chat.ts";
import { reportFileName } from "./format.ts";
import { renderHtml } from "./render-html.ts";
import { buildSummary, type TeamSummary } from "./summary.ts";

const DAY_MS = 86_400_000;

export interface DigestFile {
  name: string;
  content: Buffer;
}

export interface DigestOptions {
  store: Store;
  digest: NonNullable<Config["digest"]>;
  language: Language;
  /** Sends the text and files to the configured channel and chat. */
  post(text: string, files: DigestFile[]): Promise<void>;
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
export class DigestScheduleError extends Error {
  readonly pattern: string;
  constructor(pattern: string, reason: string) {
    super(`REPORT_DIGEST_CRON "${pattern}" is not a valid cron expression: ${reason}`);
    this.name = "DigestScheduleError";
    this.pattern = pattern;
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
    await options.post(chatSummaryText(summary, options.language), files);
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
