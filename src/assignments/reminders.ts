// Reminders: before an assignment's due time (ASSIGNMENT_REMINDER_HOURS) and once it is overdue
// (ASSIGNMENT_OVERDUE_NOTICE), to each trainee not done yet, on the platform they practise on. At
// most one per assignment per trainee per local day (claimed in the database before sending, so
// several bot processes send it once), never in QUIET_HOURS of TIME_ZONE. Runs with the bots' sweep.
import type { Assignment, ProgressStatus } from "../domain/assignment.ts";
import type { Language } from "../domain/persona.ts";
import { formatDay, offsetMinutes } from "../i18n/dates.ts";
import { errorFields, type Logger, silentLogger } from "../log.ts";
import { assignmentMessages } from "./messages.ts";
import type { AssignmentStore, ReminderKind } from "./port.ts";
import type { AssignmentService } from "./service.ts";

export interface ReminderSettings {
  /** Hours before the due time from which a daily reminder goes (0: none). */
  beforeHours: number;
  overdue: boolean;
  /** "HH:MM-HH:MM" in the time zone (may wrap past midnight), or "off". */
  quietHours: string;
}

/** Sends a text privately to a user of one platform (by the platform's user id). */
export type ReminderSender = (userId: string, text: string) => Promise<void>;

/** Whether `now` falls in the quiet hours on the zone's wall clock. */
export function inQuietHours(now: number, quietHours: string, timeZone: string): boolean {
  const m = /^(\d\d):(\d\d)-(\d\d):(\d\d)$/.exec(quietHours);
  if (!m) return false;
  const from = Number(m[1]) * 60 + Number(m[2]);
  const to = Number(m[3]) * 60 + Number(m[4]);
  const wall = (((Math.floor(now / 60_000) + offsetMinutes(now, timeZone)) % 1440) + 1440) % 1440;
  if (from === to) return false;
  return from < to ? wall >= from && wall < to : wall >= from || wall < to;
}

/** Which reminder, if any, a trainee with this status gets at `now`. */
export function reminderKind(
  assignment: Pick<Assignment, "dueAt" | "closedAt">,
  status: ProgressStatus,
  now: number,
  settings: ReminderSettings,
): ReminderKind | null {
  if (assignment.closedAt !== null || status === "passed" || status === "failed") return null;
  if (now >= assignment.dueAt) return settings.overdue && status === "overdue" ? "overdue" : null;
  if (settings.beforeHours > 0 && assignment.dueAt - now <= settings.beforeHours * 3_600_000) return "before_due";
  return null;
}

export function createReminders(deps: {
  assignments: AssignmentStore;
  service: Pick<AssignmentService, "list" | "progress">;
  settings: ReminderSettings;
  timeZone: string;
  language: (traineeId: string) => Promise<Language>;
  title: (personaId: string) => string;
  hint: string;
  now?: () => number;
  log?: Logger;
}) {
  const now = deps.now ?? Date.now;
  const log = deps.log ?? silentLogger;
  const senders = new Map<string, { send: ReminderSender; hint: string }>();
  return {
    /** A platform that can write to its trainees privately (Telegram: their private chat). */
    addSender(platform: string, sender: ReminderSender, hint?: string): void {
      senders.set(platform, { send: sender, hint: hint ?? deps.hint });
    },
    /** Sends what is due now; returns how many reminders went out. */
    async run(): Promise<number> {
      const at = now();
      if (senders.size === 0 || inQuietHours(at, deps.settings.quietHours, deps.timeZone)) return 0;
      const day = formatDay(at, deps.timeZone);
      let sent = 0;
      for (const assignment of await deps.service.list()) {
        for (const row of await deps.service.progress(assignment)) {
          const kind = reminderKind(assignment, row.status, at, deps.settings);
          if (kind === null) continue;
          // Only trainees of a platform this process serves; the others' process reminds them.
          const colon = row.traineeId.indexOf(":");
          const sender = senders.get(row.traineeId.slice(0, colon));
          if (sender === undefined) continue;
          // The overdue notice is one per assignment; a reminder before the due time, one a day.
          const key = kind === "overdue" ? "overdue" : day;
          let claimed: boolean;
          try {
            claimed = await deps.assignments.claimReminder(assignment.id, row.traineeId, key, kind, at);
          } catch (e) {
            // A trainee named by id who never used the bot has no row to claim under: the others
            // are still reminded.
            log.warn("assignment_reminder_skipped", { assignmentId: assignment.id, ...errorFields(e) });
            continue;
          }
          if (!claimed) continue;
          const m = assignmentMessages(await deps.language(row.traineeId));
          const title = assignment.personaIds.map(deps.title).join(" / ");
          const text =
            kind === "overdue"
              ? m.reminderOverdue(title, assignment.dueDay, sender.hint)
              : m.reminderBefore(title, assignment.dueDay, sender.hint);
          try {
            await sender.send(row.traineeId.slice(colon + 1), text);
            sent++;
          } catch (e) {
            // Not delivered (the chat is closed, the platform failed): the claim is given back.
            log.warn("assignment_reminder_failed", { assignmentId: assignment.id, ...errorFields(e) });
            await deps.assignments.releaseReminder(assignment.id, row.traineeId, key);
          }
        }
      }
      return sent;
    },
  };
}
