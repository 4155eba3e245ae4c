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
  /** Handled before, by this process or an earlier one; or malformed, or failing for good: dropped. */
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
/** An update that fails this often is dropped: a poison update must not be redelivered for ever. */
const MAX_FAILURES = 3;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
const isChat = (v: unknown) => isObject(v) && Number.isSafeInteger(v.id) && typeof v.type === "string";
const isUser = (v: unknown) => isObject(v) && Number.isSafeInteger(v.id);

/** Why the handlers could not read this update, or null when it has the shape Telegram sends. */
export function malformedReason(update: unknown): string | null {
  if (!isObject(update) || !Number.isSafeInteger(update.update_id)) return "no update_id";
  for (const key of ["message", "edited_message"] as const) {
    const m = update[key];
    if (m === undefined) continue;
    if (!isObject(m) || !Number.isSafeInteger(m.message_id) || !isChat(m.chat)) return `${key} without chat`;
    if (m.from !== undefined && !isUser(m.from)) return `${key} with a bad sender`;
    if (m.text !== undefined && typeof m.text !== "string") return `${key} text not a string`;
    if (m.entities !== undefined && !Array.isArray(m.entities)) return `${key} entities not a list`;
  }
  const q = update.callback_query;
  if (q !== undefined && (!isObject(q) || typeof q.id !== "string" || !isUser(q.from)))
    return "callback without sender";
  const c = update.my_chat_member;
  if (c !== undefined && (!isObject(c) || !isChat(c.chat) || !isObject(c.new_chat_member)))
    return "member change without chat";
  return null;
}

export function createIntake(
  bot: Bot<Context>,
  store: Pick<Store, "claimInbound" | "inboundClaimed">,
  log: Logger,
): Intake {
  const running = new Map<number, Promise<IntakeResult>>();
  const failures = new Map<number, number>();
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
      const failed = (failures.get(update.update_id) ?? 0) + 1;
      if (failures.size >= TOLD_LIMIT) failures.clear();
      failures.set(update.update_id, failed);
      // The trainee hears about it once, however many times Telegram delivers the update again.
      if (failed === 1) await Promise.resolve(bot.errorHandler(error as BotError<Context>)).catch(() => undefined);
      if (failed < MAX_FAILURES) return "failed";
      log.error("telegram.update_dropped", { updateId: update.update_id, failures: failed });
      failures.delete(update.update_id);
      // Marked as done so that a later delivery is not tried again either.
      await store.claimInbound(key, Date.now()).catch(() => false);
      return "duplicate";
    }
    try {
      await store.claimInbound(key, Date.now());
    } catch (error) {
      // Handled all the same; without the mark a redelivery is handled again, and turns dedupe by message id.
      log.warn("telegram.update_mark_failed", errorFields(error));
    }
    failures.delete(update.update_id);
    return "handled";
  }

  return {
    take(update) {
      const reason = malformedReason(update);
      if (reason) {
        countMalformed(reason);
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
