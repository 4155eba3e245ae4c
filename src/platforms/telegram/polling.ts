// Long polling that confirms an update only once it is handled. grammY's runner moves the
// getUpdates offset past a batch as soon as it has fetched it, so a crash loses every update still
// being handled. Here the offset stays at the oldest update not yet handled: Telegram keeps it and
// delivers it again after a restart. Updates are still handled concurrently (sessions in
// parallel, each in order through sequentialize), as with the runner.
import {
  createConcurrentSink,
  createRunner,
  createSource,
  type RunnerHandle,
  type UpdateSupplier,
} from "@grammyjs/runner";
import { type Bot, type Context, GrammyError } from "grammy";
import type { Update } from "grammy/types";
import type { Logger } from "../../log.ts";
import { classifyFault } from "./faults.ts";
import type { Intake } from "./intake.ts";

export interface DurablePollingOptions {
  allowedUpdates: readonly string[];
  /** Long polling timeout in seconds. */
  timeoutSeconds?: number;
  /** Longest pause between two failed getUpdates calls. */
  maxRetryMs?: number;
}

export function runDurablePolling(
  bot: Bot<Context>,
  intake: Intake,
  log: Logger,
  options: DurablePollingOptions,
): RunnerHandle {
  const inFlight = new Set<number>();
  let highest = -1;
  let finished: (() => void) | null = null;

  const offset = () => (inFlight.size > 0 ? Math.min(...inFlight) : highest + 1);
  // Resolves when an update finishes (or after `ms`), so that a batch holding only updates still
  // being handled does not turn into a busy loop of getUpdates calls.
  const oneFinishes = (ms: number, signal: AbortSignal) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      finished = () => {
        clearTimeout(timer);
        resolve();
      };
      signal.addEventListener("abort", () => finished?.(), { once: true });
    });

  async function fetchOnce(limit: number, signal: AbortSignal): Promise<Update[]> {
    let retryMs = 100;
    for (;;) {
      try {
        return await bot.api.getUpdates(
          {
            offset: offset(),
            limit: Math.max(1, Math.min(limit, 100)),
            timeout: options.timeoutSeconds ?? 30,
            allowed_updates: [...options.allowedUpdates] as never,
          },
          // grammY types its signal with a shim; the runner hands us the platform's own.
          signal as never,
        );
      } catch (error) {
        if (signal.aborted) throw error;
        const fault = classifyFault(error);
        if (fault.kind === "conflict" || (error instanceof GrammyError && error.error_code === 401)) throw error;
        const wait = fault.kind === "rate_limited" ? fault.retryAfterSeconds * 1000 : retryMs;
        log.warn("telegram.get_updates_failed", { fault: fault.kind, retryInMs: wait });
        await new Promise((r) => setTimeout(r, wait));
        retryMs = Math.min(retryMs * 2, options.maxRetryMs ?? 30_000);
      }
    }
  }

  const supplier: UpdateSupplier<Update> = {
    async supply(batchSize, shimSignal) {
      const signal = shimSignal as unknown as AbortSignal;
      for (;;) {
        const updates = await fetchOnce(batchSize, signal);
        const fresh = updates.filter((u) => Number.isSafeInteger(u?.update_id) && u.update_id > highest);
        if (fresh.length < updates.length) {
          const odd = updates.filter((u) => !Number.isSafeInteger(u?.update_id)).length;
          for (let i = 0; i < odd; i++) intake.countMalformed("no update_id");
        }
        if (fresh.length > 0) {
          for (const u of fresh) inFlight.add(u.update_id);
          highest = Math.max(highest, ...fresh.map((u) => u.update_id));
          return fresh;
        }
        if (updates.length === 0 || signal.aborted) return [];
        await oneFinishes(1000, signal);
      }
    },
  };

  const sink = createConcurrentSink<Update>(
    {
      consume: async (update) => {
        try {
          // A failure (the database busy for a moment) is tried again, as Telegram would redeliver
          // it to a webhook; the intake drops an update that keeps failing.
          for (let attempt = 1; (await intake.take(update)) === "failed"; attempt++) {
            await new Promise((r) => setTimeout(r, 250 * attempt));
          }
        } finally {
          inFlight.delete(update.update_id);
          finished?.();
        }
      },
    },
    async (error) => {
      log.error("telegram.update_failed", { error: (error as Error)?.name ?? typeof error });
    },
  );
  const runner = createRunner(createSource(supplier), sink);
  runner.start();
  return runner;
}
