// What the assignments feature keeps: assignments, attempts (one per assigned session), the members
// seen in a group or server, and the reminders sent. Implemented over Kysely in
// src/store/assignments.ts; the core imports only this file.
import type { Assignment, AssignmentAttempt, NewAssignment } from "../domain/assignment.ts";

export interface AttemptReservation {
  assignmentId: string;
  traineeId: string;
  personaId: string;
  /** The id the session will be created with. */
  sessionId: string;
  now: number;
  /** null: unlimited. */
  maxAttempts: number | null;
}

export type ReserveResult = { ok: true; attempt: number } | { ok: false; used: number };

export type ReminderKind = "before_due" | "overdue";

export interface AssignmentStore {
  /** Stores it under a new short id (another is drawn when one is taken). */
  createAssignment(input: NewAssignment, now: number): Promise<Assignment>;
  getAssignment(id: string): Promise<Assignment | null>;
  /** Newest first; closed ones only when asked. */
  listAssignments(options?: { includeClosed?: boolean }): Promise<Assignment[]>;
  /** Closes an open assignment; false when it is unknown or closed already. */
  closeAssignment(id: string, now: number): Promise<boolean>;
  /** Releases an assessment's results; false when unknown or released already. */
  releaseAssignment(id: string, now: number): Promise<boolean>;

  /**
   * Takes the next attempt number for this trainee and persona in one statement, refused when
   * `maxAttempts` are used: two starts at the same moment, from any process, cannot both take the
   * last one. The trainee row must exist.
   */
  reserveAttempt(input: AttemptReservation): Promise<ReserveResult>;
  /** Gives back an attempt whose session was never created. */
  dropAttempt(sessionId: string): Promise<void>;
  attemptForSession(sessionId: string): Promise<AssignmentAttempt | null>;
  /** Attempts of one assignment (all trainees), or of one trainee (all assignments). */
  listAttempts(filter: { assignmentId?: string; traineeId?: string }): Promise<AssignmentAttempt[]>;
  /**
   * Records an attempt's result once: a later call (a re-evaluation, a changed pass mark) changes
   * nothing. `card` says whether its card was held back. Returns whether it was recorded now.
   */
  recordResult(
    sessionId: string,
    result: { score: number; passed: boolean; at: number; card: "none" | "held" },
  ): Promise<boolean>;
  /** Marks a held card delivered; true only for the one caller that does it. */
  claimHeldCard(sessionId: string): Promise<boolean>;
  /** Held cards whose assignment was released or is past its due time at `now` (of one assignment, if given). */
  heldCards(filter: { now: number; assignmentId?: string }): Promise<AssignmentAttempt[]>;

  /** Remembers that a trainee was seen under a group, server or role target (its targetKey). */
  rememberMember(targetKey: string, traineeId: string, now: number): Promise<void>;
  /** Trainees seen under these targets, and those who practised in these scopes. */
  members(
    targetKeys: string[],
    scopes: Array<{ targetKey: string; platform: string; scopeId: string }>,
  ): Promise<Array<{ targetKey: string; traineeId: string }>>;

  /**
   * Claims the one reminder allowed per assignment, trainee and local day; false when one was
   * sent that day already.
   */
  claimReminder(
    assignmentId: string,
    traineeId: string,
    day: string,
    kind: ReminderKind,
    now: number,
  ): Promise<boolean>;
  /** Gives a claimed reminder back when it could not be delivered. */
  releaseReminder(assignmentId: string, traineeId: string, day: string): Promise<void>;
}
