// The pure rules of assignments: who they are for, what a trainee's progress is, what a trainer
// may type.
import { describe, expect, it } from "vitest";
import { readAssignInput } from "../../src/assignments/input.ts";
import {
  type AssignmentAttempt,
  matchingTargets,
  parseTarget,
  passesMark,
  resultsHeld,
  targetKey,
  traineeProgress,
} from "../../src/domain/assignment.ts";
import { localDayBounds } from "../../src/i18n/dates.ts";

const T = Date.UTC(2026, 5, 10, 4, 0, 0);
const DAY = 86_400_000;
const assignment = { personaIds: ["a", "b"], maxAttempts: 2, dueAt: T + 2 * DAY };

function attempt(personaId: string, n: number, score: number | null, passed: boolean | null): AssignmentAttempt {
  return {
    assignmentId: "a-x",
    traineeId: "telegram:1",
    personaId,
    attempt: n,
    sessionId: `${personaId}${n}`,
    startedAt: T + n,
    score,
    passed,
    evaluatedAt: score === null ? null : T + n,
    card: "none",
  };
}

describe("targets", () => {
  it("reads trainees, groups, servers and roles, and writes them back the same", () => {
    for (const text of [
      "telegram:12345",
      "console:alice",
      "telegram-group:-100123",
      "discord-server:42",
      "discord-role:42/7",
    ]) {
      const target = parseTarget(text);
      expect(target, text).not.toBeNull();
      if (target) expect(targetKey(target)).toBe(text);
    }
    for (const text of ["alice", "Slack:1", "telegram-group:", "discord-role:42", ""])
      expect(parseTarget(text), text).toBeNull();
  });

  it("a group assignment is for whoever is seen in that group, a role one only for holders of the role", () => {
    const a = {
      targets: [parseTarget("telegram-group:-1"), parseTarget("discord-role:9/5")].flatMap((t) => (t ? [t] : [])),
    };
    expect(matchingTargets(a, { traineeId: "telegram:1", platform: "telegram", scopeId: "-1" })).toHaveLength(1);
    expect(matchingTargets(a, { traineeId: "telegram:1", platform: "telegram", scopeId: "-2" })).toHaveLength(0);
    expect(
      matchingTargets(a, { traineeId: "discord:1", platform: "discord", scopeId: "9", roleIds: ["5"] }),
    ).toHaveLength(1);
    expect(
      matchingTargets(a, { traineeId: "discord:1", platform: "discord", scopeId: "9", roleIds: ["6"] }),
    ).toHaveLength(0);
  });
});

describe("progress", () => {
  it("moves from not started through in progress to passed", () => {
    expect(traineeProgress(assignment, "telegram:1", [], T).status).toBe("not_started");
    const one = [attempt("a", 1, 80, true)];
    expect(traineeProgress(assignment, "telegram:1", one, T).status).toBe("in_progress");
    const both = [...one, attempt("b", 1, 60, false), attempt("b", 2, 75, true)];
    const p = traineeProgress(assignment, "telegram:1", both, T);
    expect(p.status).toBe("passed");
    expect(p.best).toBe(80);
    expect(p.latest).toBe(75);
    expect(p.personas[1]).toMatchObject({ attemptsUsed: 2, attemptsLeft: 0, best: 75, latest: 75 });
  });

  it("fails when a customer's attempts are used up without a pass, but not while one is still being evaluated", () => {
    const used = [attempt("a", 1, 50, false), attempt("a", 2, 55, false)];
    expect(traineeProgress(assignment, "telegram:1", used, T).status).toBe("failed");
    const waiting = [attempt("a", 1, 50, false), attempt("a", 2, null, null)];
    expect(traineeProgress(assignment, "telegram:1", waiting, T).status).toBe("in_progress");
  });

  it("after the due day: overdue when a customer was never tried, failed when all were tried without passing", () => {
    const late = T + 3 * DAY;
    expect(traineeProgress(assignment, "telegram:1", [], late).status).toBe("overdue");
    expect(traineeProgress(assignment, "telegram:1", [attempt("a", 1, 90, true)], late).status).toBe("overdue");
    const tried = [attempt("a", 1, 90, true), attempt("b", 1, 40, false)];
    expect(traineeProgress(assignment, "telegram:1", tried, late).status).toBe("failed");
  });

  it("another trainee's attempts do not count", () => {
    const other = { ...attempt("a", 1, 90, true), traineeId: "telegram:2" };
    expect(traineeProgress(assignment, "telegram:1", [other], T).status).toBe("not_started");
  });
});

describe("results and pass marks", () => {
  it("an assessment holds results until released or due; practice never holds", () => {
    expect(resultsHeld({ mode: "assessment", releasedAt: null, dueAt: T + 1 }, T)).toBe(true);
    expect(resultsHeld({ mode: "assessment", releasedAt: T - 1, dueAt: T + 1 }, T)).toBe(false);
    expect(resultsHeld({ mode: "assessment", releasedAt: null, dueAt: T }, T)).toBe(false);
    expect(resultsHeld({ mode: "practice", releasedAt: null, dueAt: T + 1 }, T)).toBe(false);
  });

  it("the assignment's pass mark replaces the rubric's, and a flagged session fails under any mark", () => {
    expect(passesMark({ total: 65, passed: false, passMark: 70 }, 60)).toBe(true);
    expect(passesMark({ total: 75, passed: true, passMark: 70 }, 80)).toBe(false);
    expect(passesMark({ total: 75, passed: true, passMark: 70 }, null)).toBe(true);
    expect(passesMark({ total: 90, passed: false, passMark: 70 }, 60)).toBe(false);
  });
});

describe("what a trainer types", () => {
  const known = (id: string) => ["a", "b"].includes(id);
  const options = { knownPersona: known, timeZone: "Asia/Shanghai", now: T };

  it("a due day ends at midnight at its end in TIME_ZONE", () => {
    const r = readAssignInput({ personas: "a,b", to: "telegram:1", due: "2026-06-12", createdBy: "x" }, options);
    if (!r.ok) throw new Error(r.error.code);
    expect(r.value.dueAt).toBe(localDayBounds("2026-06-12", "Asia/Shanghai")?.to);
    expect(r.value.dueAt).toBe(Date.UTC(2026, 5, 12, 16, 0, 0));
    expect(r.value).toMatchObject({ personaIds: ["a", "b"], mode: "practice", maxAttempts: null, passMark: null });
  });

  it("an assessment without --attempts allows one attempt per customer", () => {
    const r = readAssignInput(
      { personas: "a", to: "telegram:1", due: "2026-06-12", mode: "assessment", createdBy: "x" },
      options,
    );
    expect(r.ok && r.value.maxAttempts).toBe(1);
  });

  it("names the first problem", () => {
    const base = { personas: "a", to: "telegram:1", due: "2026-06-12", createdBy: "x" };
    const code = (patch: Partial<typeof base> & { mode?: string; attempts?: string; passMark?: string }) => {
      const r = readAssignInput({ ...base, ...patch }, options);
      return r.ok ? "ok" : r.error.code;
    };
    expect(code({ personas: "" })).toBe("no_personas");
    expect(code({ personas: "a,zzz" })).toBe("unknown_persona");
    expect(code({ to: "bob" })).toBe("bad_target");
    expect(code({ due: "2026-02-30" })).toBe("bad_due");
    expect(code({ due: "2026-06-09" })).toBe("due_past");
    expect(code({ mode: "exam" })).toBe("bad_mode");
    expect(code({ mode: "assessment", attempts: "0" })).toBe("bad_attempts");
    expect(code({ attempts: "2" })).toBe("attempts_in_practice");
    expect(code({ passMark: "120" })).toBe("bad_pass_mark");
    expect(code({ mode: "assessment", attempts: "2", passMark: "70" })).toBe("ok");
  });
});
