// Assignments: a trainer sets one or more customers (personas) for some trainees, a group or a
// server, due by a day in TIME_ZONE, as free practice or as an assessment with limited attempts.
// Types and pure rules only: who an assignment is for, what a trainee's progress is.
import { isPlatformId, type Platform } from "./session.ts";

export const ASSIGNMENT_MODES = ["practice", "assessment"] as const;
export type AssignmentMode = (typeof ASSIGNMENT_MODES)[number];

/**
 * Who an assignment is for. `trainee` names one person (`telegram:12345`, `console:alice`); the
 * other kinds name everyone the bot meets there: a Telegram group, a Discord server, or the
 * holders of a role in a Discord server.
 */
export type AssignmentTarget =
  | { kind: "trainee"; traineeId: string }
  /** Everyone seen in a group or server (`telegram-group:-100123`, `discord-server:ID`). */
  | { kind: "scope"; platform: Platform; word: ScopeWord; scopeId: string }
  /** The holders of a role in a server (`discord-role:SERVER/ROLE`). */
  | { kind: "role"; platform: Platform; scopeId: string; roleId: string };

/** How a target names its place after the platform id: `PLATFORM-group:ID` or `PLATFORM-server:ID`. */
export type ScopeWord = "group" | "server";

export interface Assignment {
  /** Short and typeable: trainees start with it (`a-7k2m9q`). */
  id: string;
  personaIds: string[];
  targets: AssignmentTarget[];
  /** The day as the trainer gave it (YYYY-MM-DD in TIME_ZONE) and the instant it ends. */
  dueDay: string;
  dueAt: number;
  mode: AssignmentMode;
  /** Per persona, per trainee; null means unlimited (always null in practice mode). */
  maxAttempts: number | null;
  /** On the 0-100 total; null means each rubric's own pass mark. */
  passMark: number | null;
  /** Who set it (`telegram:42`, `console:trainer`). */
  createdBy: string;
  createdAt: number;
  /** Closed assignments take no new attempts; their results stay. */
  closedAt: number | null;
  /** When an assessment's results were released to the trainees (null: held until the due day). */
  releasedAt: number | null;
}

export type NewAssignment = Omit<Assignment, "id" | "createdAt" | "closedAt" | "releasedAt">;

/** One start of an assigned customer, and its result once the evaluation came in. */
export interface AssignmentAttempt {
  assignmentId: string;
  traineeId: string;
  personaId: string;
  /** 1-based, per assignment, trainee and persona. */
  attempt: number;
  sessionId: string;
  startedAt: number;
  /** The result as it was when the evaluation finished: later changes to the assignment keep it. */
  score: number | null;
  passed: boolean | null;
  evaluatedAt: number | null;
  /** Whether the card was held back (assessment) and whether it has been delivered since. */
  card: "none" | "held" | "delivered";
}

export const PROGRESS_STATUSES = ["not_started", "in_progress", "passed", "failed", "overdue"] as const;
export type ProgressStatus = (typeof PROGRESS_STATUSES)[number];

export interface PersonaProgress {
  personaId: string;
  attemptsUsed: number;
  /** null: unlimited. */
  attemptsLeft: number | null;
  best: number | null;
  latest: number | null;
  passed: boolean;
  /** Attempts started whose evaluation has not come in (still running, or being evaluated). */
  waiting: number;
}

export interface TraineeProgress {
  traineeId: string;
  status: ProgressStatus;
  /** Best and latest score over the assignment's customers. */
  best: number | null;
  latest: number | null;
  personas: PersonaProgress[];
}

/**
 * Parses a target: a trainee `PLATFORM:USER_ID`, a place `PLATFORM-group:ID` or
 * `PLATFORM-server:ID`, or a role `PLATFORM-role:SERVER_ID/ROLE_ID` (PLATFORM a registered id).
 */
export function parseTarget(text: string): AssignmentTarget | null {
  const t = text.trim();
  const scope = /^([a-z][a-z0-9-]*?)-(group|server):(-?[A-Za-z0-9_]+)$/.exec(t);
  if (scope && isPlatformId(scope[1] as string)) {
    return { kind: "scope", platform: scope[1] as string, word: scope[2] as ScopeWord, scopeId: scope[3] as string };
  }
  const role = /^([a-z][a-z0-9-]*?)-role:([A-Za-z0-9_-]+)\/([A-Za-z0-9_-]+)$/.exec(t);
  if (role && isPlatformId(role[1] as string)) {
    return { kind: "role", platform: role[1] as string, scopeId: role[2] as string, roleId: role[3] as string };
  }
  const trainee = /^([a-z][a-z0-9-]*):([^\s,]+)$/.exec(t);
  const platform = trainee?.[1] ?? "";
  if (trainee && isPlatformId(platform) && !/-(group|server|role)$/.test(platform))
    return { kind: "trainee", traineeId: t };
  return null;
}

/** The text form parseTarget reads: also the key under which a scope's members are remembered. */
export function targetKey(target: AssignmentTarget): string {
  switch (target.kind) {
    case "trainee":
      return target.traineeId;
    case "scope":
      return `${target.platform}-${target.word}:${target.scopeId}`;
    case "role":
      return `${target.platform}-role:${target.scopeId}/${target.roleId}`;
  }
}

/** Where a trainee is seen: their id, the group or server they are in, their roles there. */
export interface TraineeContext {
  traineeId: string;
  platform: Platform;
  /** Telegram group chat id or Discord guild id, when the trainee is seen in one. */
  scopeId: string | null;
  /** Discord role ids in that guild. */
  roleIds?: string[];
}

/** The targets of `assignment` this context matches (empty: not for them, as far as seen here). */
export function matchingTargets(assignment: Pick<Assignment, "targets">, ctx: TraineeContext): AssignmentTarget[] {
  return assignment.targets.filter((target) => targetMatches(target, ctx));
}

function targetMatches(target: AssignmentTarget, ctx: TraineeContext): boolean {
  switch (target.kind) {
    case "trainee":
      return target.traineeId === ctx.traineeId;
    case "scope":
      return ctx.platform === target.platform && ctx.scopeId === target.scopeId;
    case "role":
      return (
        ctx.platform === target.platform &&
        ctx.scopeId === target.scopeId &&
        (ctx.roleIds ?? []).includes(target.roleId)
      );
  }
}

/** Whether an assessment's cards are still held back at `now`. */
export function resultsHeld(assignment: Pick<Assignment, "mode" | "releasedAt" | "dueAt">, now: number): boolean {
  return assignment.mode === "assessment" && assignment.releasedAt === null && now < assignment.dueAt;
}

/** Whether an attempt may start: open, and (in an assessment) attempts left for this persona. */
export function attemptsLeft(assignment: Pick<Assignment, "maxAttempts">, used: number): number | null {
  return assignment.maxAttempts === null ? null : Math.max(0, assignment.maxAttempts - used);
}

/**
 * Pass or fail of one evaluation under the assignment's pass mark. A flagged session (the
 * evaluation failed although its total reached its own mark) fails under any mark.
 */
export function passesMark(
  evaluation: { total: number; passed: boolean; passMark: number },
  passMark: number | null,
): boolean {
  if (passMark === null) return evaluation.passed;
  const flagged = !evaluation.passed && evaluation.total >= evaluation.passMark;
  return !flagged && evaluation.total >= passMark;
}

/**
 * A trainee's progress on an assignment. Passed: every customer passed at least once. Failed: one
 * customer's attempts are used up without a pass, or the due day passed after they tried.
 * Overdue: the due day passed with customers never tried. Otherwise in progress, or not started.
 */
export function traineeProgress(
  assignment: Pick<Assignment, "personaIds" | "maxAttempts" | "dueAt">,
  traineeId: string,
  attempts: readonly AssignmentAttempt[],
  now: number,
): TraineeProgress {
  const own = attempts.filter((a) => a.traineeId === traineeId);
  const personas = assignment.personaIds.map((personaId): PersonaProgress => {
    const mine = own.filter((a) => a.personaId === personaId).sort((a, b) => a.attempt - b.attempt);
    const scored = mine.filter((a) => a.score !== null);
    const scores = scored.map((a) => a.score as number);
    return {
      personaId,
      attemptsUsed: mine.length,
      attemptsLeft: attemptsLeft(assignment, mine.length),
      best: scores.length === 0 ? null : Math.max(...scores),
      latest: scored.at(-1)?.score ?? null,
      passed: mine.some((a) => a.passed === true),
      waiting: mine.filter((a) => a.evaluatedAt === null).length,
    };
  });
  const scored = own.filter((a) => a.score !== null).sort((a, b) => (a.evaluatedAt ?? 0) - (b.evaluatedAt ?? 0));
  const best = scored.length === 0 ? null : Math.max(...scored.map((a) => a.score as number));
  const latest = scored.at(-1)?.score ?? null;
  const allPassed = personas.length > 0 && personas.every((p) => p.passed);
  const usedUp = personas.some((p) => !p.passed && p.attemptsLeft === 0 && p.waiting === 0);
  const overdue = now >= assignment.dueAt;
  const tried = own.length > 0;
  let status: ProgressStatus;
  if (allPassed) status = "passed";
  else if (usedUp) status = "failed";
  else if (overdue) status = personas.every((p) => p.attemptsUsed > 0 && p.waiting === 0) ? "failed" : "overdue";
  else status = tried ? "in_progress" : "not_started";
  return { traineeId, status, best, latest, personas };
}

/** A short id people can type: "a-" and six letters or digits without look-alikes. */
export function newAssignmentId(random: () => number = Math.random): string {
  const alphabet = "23456789abcdefghjkmnpqrstuvwxyz";
  let id = "a-";
  for (let i = 0; i < 6; i++) id += alphabet[Math.floor(random() * alphabet.length)];
  return id;
}
