// Assignments as the platforms and the command line use them: set, list, close and release them,
// show a trainee what is due, and start an assigned customer in one step with its attempt counted.
import {
  type Assignment,
  type AssignmentAttempt,
  matchingTargets,
  passesMark,
  resultsHeld,
  type TraineeContext,
  type TraineeProgress,
  targetKey,
  traineeProgress,
} from "../domain/assignment.ts";
import type { Evaluation } from "../domain/evaluation.ts";
import { type Place, type TraineeIdentity, traineeKey } from "../domain/session.ts";
import type { EngineError, RoleplayApi, StartRequest, StartResult } from "../roleplay/api.ts";
import type { Store } from "../store/port.ts";
import { type AssignInput, type AssignInputError, readAssignInput } from "./input.ts";
import type { AssignmentStore } from "./port.ts";

export type AssignmentErrorCode =
  | "assignment_not_found"
  | "assignment_closed"
  | "assignment_over"
  | "not_assigned"
  | "persona_not_in_assignment"
  | "attempts_used"
  | "all_done";

const ASSIGNMENT_ERRORS: Record<AssignmentErrorCode, true> = {
  assignment_not_found: true,
  assignment_closed: true,
  assignment_over: true,
  not_assigned: true,
  persona_not_in_assignment: true,
  attempts_used: true,
  all_done: true,
};

export function isAssignmentError(code: string): code is AssignmentErrorCode {
  return Object.hasOwn(ASSIGNMENT_ERRORS, code);
}

export type AssignedStartResult =
  | StartResult
  | { ok: false; error: { code: AssignmentErrorCode; detail?: string }; assignment?: Assignment };

/** What a trainee sees of one assignment: their progress, and whether its results are held. */
export interface TraineeAssignment {
  assignment: Assignment;
  progress: TraineeProgress;
  held: boolean;
}

/** One trainee's line in a trainer's or manager's view of an assignment. */
export interface ProgressRow extends TraineeProgress {
  displayName: string | null;
}

export interface AssignmentServiceDeps {
  assignments: AssignmentStore;
  store: Pick<Store, "upsertTrainee" | "getTrainee" | "getSession" | "latestEvaluation">;
  /** The catalogue's personas (ids are checked against it) and the engine's start. */
  engine: { personas(): Array<{ id: string }>; start: RoleplayApi["start"] };
  now?: () => number;
  timeZone: string;
  /** Called once an assessment's results are released (the held cards this process can deliver go out). */
  onRelease?: (assignmentId: string) => Promise<unknown>;
  /** Where a platform registers how to write to its trainees privately (reminders). */
  addReminderSender?: (platform: string, send: (userId: string, text: string) => Promise<void>, hint?: string) => void;
}

export type AssignmentService = ReturnType<typeof createAssignmentService>;

export function createAssignmentService(deps: AssignmentServiceDeps) {
  const { assignments, store, engine } = deps;
  const now = deps.now ?? Date.now;

  /** Attempts with their results; one whose result was never recorded (a lost notice) is filled in. */
  async function attemptsOf(filter: { assignmentId?: string; traineeId?: string }): Promise<AssignmentAttempt[]> {
    const attempts = await assignments.listAttempts(filter);
    const byId = new Map<string, Assignment | null>();
    for (const a of attempts) {
      if (a.evaluatedAt !== null) continue;
      const session = await store.getSession(a.sessionId);
      if (session?.evalStatus !== "done") continue;
      const evaluation = await store.latestEvaluation(a.sessionId);
      if (evaluation === null) continue;
      if (!byId.has(a.assignmentId)) byId.set(a.assignmentId, await assignments.getAssignment(a.assignmentId));
      const assignment = byId.get(a.assignmentId);
      if (!assignment) continue;
      const held = resultsHeld(assignment, now());
      const result = resultOf(assignment, evaluation, held);
      await assignments.recordResult(a.sessionId, result);
      Object.assign(a, { score: result.score, passed: result.passed, evaluatedAt: result.at, card: result.card });
    }
    return attempts;
  }

  function resultOf(assignment: Assignment, evaluation: Evaluation, held: boolean) {
    return {
      score: evaluation.total,
      passed: passesMark(evaluation, assignment.passMark),
      at: evaluation.createdAt,
      card: held ? ("held" as const) : ("none" as const),
    };
  }

  /** Whether the assignment is for this trainee, from where they are seen or were seen before. */
  async function isFor(assignment: Assignment, traineeId: string, contexts: TraineeContext[]): Promise<boolean> {
    if (contexts.some((c) => matchingTargets(assignment, c).length > 0)) return true;
    const scoped = assignment.targets.filter((t) => t.kind !== "trainee");
    if (scoped.length === 0) return false;
    const seen = await assignments.members(scoped.map(targetKey), scopesOf(assignment));
    return seen.some((m) => m.traineeId === traineeId);
  }

  /** Remembers the trainee under the group, server or role targets this context matches. */
  async function remember(assignment: Assignment, traineeId: string, contexts: TraineeContext[]): Promise<void> {
    for (const c of contexts) {
      for (const target of matchingTargets(assignment, c)) {
        if (target.kind !== "trainee") await assignments.rememberMember(targetKey(target), traineeId, now());
      }
    }
  }

  return {
    async create(
      input: AssignInput,
    ): Promise<{ ok: true; assignment: Assignment } | { ok: false; error: AssignInputError }> {
      const known = new Set(engine.personas().map((p) => p.id));
      const read = readAssignInput(input, { knownPersona: (id) => known.has(id), timeZone: deps.timeZone, now: now() });
      if (!read.ok) return read;
      return { ok: true, assignment: await assignments.createAssignment(read.value, now()) };
    },

    get: (id: string) => assignments.getAssignment(id),
    list: (options: { includeClosed?: boolean } = {}) => assignments.listAssignments(options),
    close: (id: string) => assignments.closeAssignment(id, now()),
    /**
     * Releases an assessment's results. The held cards go out at once from a process that serves
     * their platform, otherwise with the bots' next sweep.
     */
    async release(id: string): Promise<boolean> {
      const released = await assignments.releaseAssignment(id, now());
      if (released) await deps.onRelease?.(id);
      return released;
    },

    /** Open assignments for a trainee, seen from these places (their private chat, a group ...). */
    async forTrainee(traineeId: string, contexts: TraineeContext[]): Promise<TraineeAssignment[]> {
      const at = now();
      const open = await assignments.listAssignments();
      const mine: Assignment[] = [];
      for (const a of open) {
        if (!(await isFor(a, traineeId, contexts))) continue;
        mine.push(a);
        if ((await store.getTrainee(traineeId)) !== null) await remember(a, traineeId, contexts);
      }
      if (mine.length === 0) return [];
      const attempts = await attemptsOf({ traineeId });
      return mine
        .map((assignment) => ({
          assignment,
          progress: traineeProgress(
            assignment,
            traineeId,
            attempts.filter((x) => x.assignmentId === assignment.id),
            at,
          ),
          held: resultsHeld(assignment, at),
        }))
        .sort((x, y) => x.assignment.dueAt - y.assignment.dueAt || x.assignment.id.localeCompare(y.assignment.id));
    },

    /** Every trainee known for the assignment: named ones, members seen in its scopes, anyone who tried. */
    async progress(assignment: Assignment): Promise<ProgressRow[]> {
      const attempts = await attemptsOf({ assignmentId: assignment.id });
      const ids = new Set<string>();
      for (const t of assignment.targets) if (t.kind === "trainee") ids.add(t.traineeId);
      const scoped = assignment.targets.filter((t) => t.kind !== "trainee");
      if (scoped.length > 0) {
        for (const m of await assignments.members(scoped.map(targetKey), scopesOf(assignment))) ids.add(m.traineeId);
      }
      for (const a of attempts) ids.add(a.traineeId);
      const at = now();
      const rows: ProgressRow[] = [];
      for (const id of [...ids].sort()) {
        const trainee = await store.getTrainee(id);
        rows.push({ ...traineeProgress(assignment, id, attempts, at), displayName: trainee?.displayName ?? null });
      }
      return rows;
    },

    /**
     * Starts an assigned customer in one step: checks the assignment is open and for this trainee,
     * takes the attempt (refused when used up), then starts the session under the attempt's id.
     * Without `personaId`, the first customer not yet passed with attempts left.
     */
    async start(req: {
      trainee: TraineeIdentity;
      place: Place;
      assignmentId: string;
      personaId?: string;
      contexts: TraineeContext[];
      announce?: StartRequest["announce"];
    }): Promise<AssignedStartResult> {
      const fail = (code: AssignmentErrorCode, detail?: string, assignment?: Assignment): AssignedStartResult => ({
        ok: false,
        error: { code, ...(detail === undefined ? {} : { detail }) },
        ...(assignment ? { assignment } : {}),
      });
      const assignment = await assignments.getAssignment(req.assignmentId.trim());
      if (assignment === null) return fail("assignment_not_found", req.assignmentId);
      if (assignment.closedAt !== null) return fail("assignment_closed", assignment.id, assignment);
      const at = now();
      if (assignment.mode === "assessment" && at >= assignment.dueAt) return fail("assignment_over", assignment.id);
      const traineeId = traineeKey(req.trainee);
      if (!(await isFor(assignment, traineeId, req.contexts))) return fail("not_assigned", assignment.id, assignment);
      const attempts = await attemptsOf({ assignmentId: assignment.id, traineeId });
      const progress = traineeProgress(assignment, traineeId, attempts, at);
      let personaId = req.personaId;
      if (personaId === undefined) {
        const next = progress.personas.find((p) => !p.passed && p.attemptsLeft !== 0);
        if (next === undefined) return fail("all_done", assignment.id, assignment);
        personaId = next.personaId;
      } else if (!assignment.personaIds.includes(personaId)) {
        return fail("persona_not_in_assignment", personaId, assignment);
      }
      await store.upsertTrainee(req.trainee, at);
      await remember(assignment, traineeId, req.contexts);
      const sessionId = crypto.randomUUID();
      const reserved = await assignments.reserveAttempt({
        assignmentId: assignment.id,
        traineeId,
        personaId,
        sessionId,
        now: at,
        maxAttempts: assignment.maxAttempts,
      });
      if (!reserved.ok) return fail("attempts_used", personaId, assignment);
      let started: StartResult;
      try {
        started = await engine.start({
          trainee: req.trainee,
          place: req.place,
          personaId,
          sessionId,
          ...(req.announce ? { announce: req.announce } : {}),
        });
      } catch (e) {
        await assignments.dropAttempt(sessionId);
        throw e;
      }
      // No session, no attempt: a refused start (another session running here) costs nothing.
      if (!started.ok) await assignments.dropAttempt(sessionId);
      return started;
    },

    attemptsOf,
    resultOf,
    /**
     * A platform's private way to its trainees, for reminders (ignored where reminders do not run);
     * `hint` is how its trainees list their assignments (default /assignments).
     */
    addReminderSender(platform: string, send: (userId: string, text: string) => Promise<void>, hint?: string): void {
      deps.addReminderSender?.(platform, send, hint);
    },
  };
}

/** The group and server scopes of an assignment, whose practising trainees count as its members. */
function scopesOf(assignment: Assignment): Array<{ targetKey: string; platform: string; scopeId: string }> {
  const out: Array<{ targetKey: string; platform: string; scopeId: string }> = [];
  for (const t of assignment.targets) {
    if (t.kind === "scope") out.push({ targetKey: targetKey(t), platform: t.platform, scopeId: t.scopeId });
  }
  return out;
}

export type { EngineError };
