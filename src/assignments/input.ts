// Reads what a trainer types to set an assignment, the same in the terminal and in chat:
// personas "a,b", targets "telegram:1,telegram-group:-100", a due day, a mode, attempts, pass mark.
import {
  ASSIGNMENT_MODES,
  type AssignmentMode,
  type AssignmentTarget,
  type NewAssignment,
  parseTarget,
} from "../domain/assignment.ts";
import { localDayBounds } from "../i18n/dates.ts";

export interface AssignInput {
  personas: string;
  to: string;
  due: string;
  mode?: string;
  attempts?: string;
  passMark?: string;
  createdBy: string;
}

export type AssignInputError =
  | { code: "no_personas" }
  | { code: "unknown_persona"; detail: string }
  | { code: "bad_target"; detail: string }
  | { code: "bad_due"; detail: string }
  | { code: "due_past"; detail: string }
  | { code: "bad_mode"; detail: string }
  | { code: "bad_attempts"; detail: string }
  | { code: "attempts_in_practice" }
  | { code: "bad_pass_mark"; detail: string };

const list = (text: string) =>
  text
    .split(/[,，\s]+/)
    .map((s) => s.trim())
    .filter((s) => s !== "");

/**
 * Checks everything before anything is stored; the first problem is returned, named so the
 * interface can say what to fix. `knownPersona` answers whether an id is in the catalogue.
 */
export function readAssignInput(
  input: AssignInput,
  options: { knownPersona(id: string): boolean; timeZone: string; now: number },
): { ok: true; value: NewAssignment } | { ok: false; error: AssignInputError } {
  const personaIds = [...new Set(list(input.personas))];
  if (personaIds.length === 0) return { ok: false, error: { code: "no_personas" } };
  const unknown = personaIds.find((id) => !options.knownPersona(id));
  if (unknown !== undefined) return { ok: false, error: { code: "unknown_persona", detail: unknown } };

  const targets: AssignmentTarget[] = [];
  const targetTexts = list(input.to);
  if (targetTexts.length === 0) return { ok: false, error: { code: "bad_target", detail: "" } };
  for (const text of targetTexts) {
    const target = parseTarget(text);
    if (target === null) return { ok: false, error: { code: "bad_target", detail: text } };
    targets.push(target);
  }

  const bounds = localDayBounds(input.due, options.timeZone);
  if (bounds === null) return { ok: false, error: { code: "bad_due", detail: input.due } };
  // Due at the end of the day named: "by Friday" includes Friday.
  if (bounds.to <= options.now) return { ok: false, error: { code: "due_past", detail: input.due } };

  const modeText = (input.mode ?? "practice").trim().toLowerCase();
  if (!(ASSIGNMENT_MODES as readonly string[]).includes(modeText)) {
    return { ok: false, error: { code: "bad_mode", detail: modeText } };
  }
  const mode = modeText as AssignmentMode;

  let maxAttempts: number | null = null;
  if (input.attempts !== undefined) {
    if (mode === "practice") return { ok: false, error: { code: "attempts_in_practice" } };
    const n = Number(input.attempts);
    if (!/^\d+$/.test(input.attempts.trim()) || n < 1 || n > 100) {
      return { ok: false, error: { code: "bad_attempts", detail: input.attempts } };
    }
    maxAttempts = n;
  } else if (mode === "assessment") {
    // An assessment counts: one attempt per customer unless the trainer allows more.
    maxAttempts = 1;
  }

  let passMark: number | null = null;
  if (input.passMark !== undefined) {
    const n = Number(input.passMark);
    if (input.passMark.trim() === "" || !Number.isFinite(n) || n < 0 || n > 100) {
      return { ok: false, error: { code: "bad_pass_mark", detail: input.passMark } };
    }
    passMark = n;
  }

  return {
    ok: true,
    value: {
      personaIds,
      targets,
      dueDay: input.due.trim(),
      dueAt: bounds.to,
      mode,
      maxAttempts,
      passMark,
      createdBy: input.createdBy,
    },
  };
}
