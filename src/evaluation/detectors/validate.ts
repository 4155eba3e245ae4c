// Checks the patterns trainers write in rubrics and personas, so `personas check` can name the
// file, line and field of one that does not compile, and what is wrong in it.
import type { Language, PersonaFile } from "../../domain/persona.ts";
import type { RubricFile } from "../../domain/rubric.ts";
import { PACKS } from "./packs.ts";
import { compilePattern, PatternError, type PatternProblem } from "./pattern.ts";

export interface PatternFault {
  field: string;
  pattern: string;
  code: PatternProblem;
  detail: string;
}

type WithPatterns = Pick<RubricFile, "language"> &
  Partial<Pick<RubricFile, "detectors">> &
  Partial<Pick<PersonaFile, "scenario_taboos" | "scenario_empathy">>;

function faultOf(pattern: string, language: Language): Omit<PatternFault, "field"> | null {
  try {
    compilePattern(pattern, language, PACKS[language].lexicons);
    return null;
  } catch (e) {
    if (!(e instanceof PatternError)) throw e;
    return { pattern, code: e.code, detail: e.detail };
  }
}

/** Every pattern of a rubric or persona that does not compile, with its field. */
export function patternProblems(file: WithPatterns): PatternFault[] {
  const out: PatternFault[] = [];
  const check = (field: string, pattern: string) => {
    const fault = faultOf(pattern, file.language);
    if (fault) out.push({ field, ...fault });
  };
  for (const [family, patterns] of Object.entries(file.detectors ?? {})) {
    for (const [i, p] of (patterns ?? []).entries()) check(`detectors.${family}[${i}]`, p);
  }
  for (const [i, t] of (file.scenario_taboos ?? []).entries()) {
    for (const [j, p] of t.patterns.entries()) check(`scenario_taboos[${i}].patterns[${j}]`, p);
  }
  for (const [i, p] of (file.scenario_empathy ?? []).entries()) check(`scenario_empathy[${i}]`, p);
  return out;
}
