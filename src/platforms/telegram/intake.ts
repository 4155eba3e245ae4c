// Taking Telegram updates in without losing one: an update counts as received only once it has
// been handled (its turn stored, its command done), and only then is Telegram told so, by the
// webhook's 200 or by the next getUpdates offset. A crash before that makes Telegram deliver it
// again; the update id, recorded after handling, makes a second delivery of a handled update a no-op.
import type { Bot, BotError, Context } from "grammy";
import type { Update } from "grammy/types";
import { errorFields, type Logger } from "../../log.ts";
import type { Store } from "../../store/port.ts";

export type IntakeResult =
  /** Handled now (or joined a handling already running in this process). */
  | "handled"
  /** Handled before, by this process or an earlier one. */
  | "duplicate"
  /** Not handled: Telegram should deliver it again (webhook: answer 5xx). */
  | "failed";

export interface Intake {
  take(update: Update): Promise<IntakeResult>;
  /** Updates that were not objects with a numeric update_id, counted and dropped. */
  malformed(): number;
  /** Counts a malformed update (the webhook rejects it before `take`). */
  countMalformed(reason: string): void;
}

/** How many failed update ids to remember, so a redelivery does not repeat the apology. */
const TOLD_LIMIT = 1000;

export function createIntake(
  bot: Bot<Context>,
  store: Pick<Store, "claimInbound" | "inboundClaimed">,
  log: Logger,
): Intake {
  const running = new Map<number, Promise<IntakeResult>>();
  const told = new Set<number>();
  let malformed = 0;

  function countMalformed(reason: string): void {
    malformed++;
    log.warn("telegram.malformed_update", { reason, count: malformed });
  }

  async function handle(update: Update): Promise<IntakeResult> {
    const key = `telegram:update:${update.update_id}`;
    try {
      if (await store.inboundClaimed(key)) {
        log.debug("telegram.duplicate_update", { updateId: update.update_id });
        return "duplicate";
      }
    } catch (error) {
      log.error("telegram.update_lookup_failed", errorFields(error));
      return "failed";
    }
    try {
      await bot.handleUpdate(update);
    } catch (error) {
      // The trainee hears about it once, however many times Telegram delivers the update again.
      if (!told.has(update.update_id)) {
        if (told.size >= TOLD_LIMIT) told.clear();
        told.add(update.update_id);
        await Promise.resolve(bot.errorHandler(error as BotError<Context>)).catch(() => undefined);
      }
      return "failed";
    }
    try {
      await store.claimInbound(key, Date.now());
    } catch (error) {
      // Handled all the same; without the mark a redelivery is handled again, and turns dedupe by message id.
      log.warn("telegram.update_mark_failed", errorFields(error));
    }
    told.delete(update.update_id);
    return "handled";
  }

  return {
    take(update) {
      if (typeof update !== "object" || update === null || !Number.isSafeInteger(update.update_id)) {
        countMalformed("no update_id");
        return Promise.resolve("duplicate");
      }
      const id = update.update_id;
      const already = running.get(id);
      if (already) return already.then((r) => (r === "failed" ? r : "duplicate"));
      const p = handle(update).finally(() => running.delete(id));
      running.set(id, p);
      return p;
    },
    malformed: () => malformed,
    countMalformed,
  };
}
