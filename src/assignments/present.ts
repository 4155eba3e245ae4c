// Assignments as lines of text, the same in the terminal and in chat: a trainee's own list (scores
// hidden while an assessment's results are held) and a trainer's overview with completion.
import { type Assignment, PROGRESS_STATUSES, type ProgressStatus, type TraineeProgress } from "../domain/assignment.ts";
import type { Language } from "../domain/persona.ts";
import { assignmentMessages } from "./messages.ts";
import type { ProgressRow, TraineeAssignment } from "./service.ts";

export type PersonaTitle = (personaId: string) => string;

/** The customers' titles, as the assignment's name. */
export function assignmentTitle(assignment: Pick<Assignment, "personaIds">, title: PersonaTitle): string {
  return assignment.personaIds.map(title).join(" / ");
}

function header(a: Assignment, title: PersonaTitle, language: Language): string {
  const m = assignmentMessages(language);
  const flags = [m.due(a.dueDay), m.mode(a.mode, a.maxAttempts)];
  if (a.closedAt !== null) flags.push(m.closed);
  if (a.mode === "assessment" && a.releasedAt !== null) flags.push(m.released);
  return `[${a.id}] ${assignmentTitle(a, title)} · ${flags.join(" · ")}`;
}

/** What a held assessment shows its trainee: progress without pass, fail or scores. */
export function visibleStatus(progress: TraineeProgress, held: boolean): ProgressStatus {
  return held && (progress.status === "passed" || progress.status === "failed") ? "in_progress" : progress.status;
}

/** A trainee's own assignments, soonest due first. */
export function traineeLines(items: TraineeAssignment[], title: PersonaTitle, language: Language): string[] {
  const m = assignmentMessages(language);
  if (items.length === 0) return [m.nothingDue];
  const lines = [m.yoursTitle];
  for (const { assignment, progress, held } of items) {
    lines.push("", `${header(assignment, title, language)} · ${m.status(visibleStatus(progress, held))}`);
    for (const p of progress.personas) {
      const score = held ? m.resultsHeld : m.score(p.best, p.latest);
      lines.push(`  - ${title(p.personaId)}: ${m.attemptsLine(p.attemptsUsed, assignment.maxAttempts)}, ${score}`);
    }
  }
  return lines;
}

export function statusCounts(rows: Array<Pick<TraineeProgress, "status">>): Record<ProgressStatus, number> {
  const counts = Object.fromEntries(PROGRESS_STATUSES.map((s) => [s, 0])) as Record<ProgressStatus, number>;
  for (const r of rows) counts[r.status]++;
  return counts;
}

/** A trainer's or manager's view of one assignment: completion, then one line per trainee. */
export function overviewLines(
  assignment: Assignment,
  rows: ProgressRow[],
  title: PersonaTitle,
  language: Language,
): string[] {
  const m = assignmentMessages(language);
  const lines = [header(assignment, title, language), `  ${countsLine(m, statusCounts(rows), rows.length)}`];
  for (const r of rows) {
    const who = r.displayName ? `${r.displayName} (${r.traineeId})` : r.traineeId;
    lines.push(`  - ${who}: ${m.status(r.status)}, ${m.score(r.best, r.latest)}`);
  }
  return lines;
}

/** The JSON form of an assignment with its completion (CLI --json; the report's completion section). */
export function assignmentJson(assignment: Assignment, rows: ProgressRow[]) {
  return {
    id: assignment.id,
    personaIds: assignment.personaIds,
    targets: assignment.targets,
    dueDay: assignment.dueDay,
    dueAt: new Date(assignment.dueAt).toISOString(),
    mode: assignment.mode,
    maxAttempts: assignment.maxAttempts,
    passMark: assignment.passMark,
    createdBy: assignment.createdBy,
    createdAt: new Date(assignment.createdAt).toISOString(),
    closedAt: assignment.closedAt === null ? null : new Date(assignment.closedAt).toISOString(),
    releasedAt: assignment.releasedAt === null ? null : new Date(assignment.releasedAt).toISOString(),
    completion: statusCounts(rows),
    trainees: rows.map((r) => ({
      traineeId: r.traineeId,
      displayName: r.displayName,
      status: r.status,
      best: r.best,
      latest: r.latest,
      personas: r.personas,
    })),
  };
}

function countsLine(
  m: ReturnType<typeof assignmentMessages>,
  c: Record<ProgressStatus, number>,
  total: number,
): string {
  return m.counts(total, c.passed, c.failed, c.in_progress, c.not_started, c.overdue);
}
