// The sessions a report reads, straight from the store's pages: each stored row with its
// persona's title and difficulty (parsed once per persona version), and the same session as a
// row of the report's session table. Nothing here holds more than one page.
import type { Difficulty } from "../domain/persona.ts";
import type { EvaluationDigest, ReportSessionRow, Store } from "../store/port.ts";
import type { Period } from "./period.ts";
import type { ReportScope, SessionRow, TeamSummary } from "./summary.ts";

const DIFFICULTY_ORDER = ["easy", "medium", "hard"] as const;

export interface PersonaInfo {
  title: string;
  difficulty: Difficulty | null;
}

/** A session as the report reads it: the stored row, its persona's title, its finished evaluation. */
export interface ReportSession extends Omit<ReportSessionRow, "personaSnapshot"> {
  persona: PersonaInfo;
  evaluation: EvaluationDigest | null;
}

function personaInfo(snapshot: string, personaId: string): PersonaInfo {
  try {
    const p = JSON.parse(snapshot) as { title?: unknown; name?: unknown; difficulty?: unknown };
    const title = typeof p.title === "string" && p.title !== "" ? p.title : personaId;
    const d = p.difficulty;
    const difficulty =
      d === "easy" || d === "medium" || d === "hard"
        ? d
        : d === 1 || d === 2 || d === 3
          ? (DIFFICULTY_ORDER[d - 1] ?? null)
          : null;
    return { title, difficulty };
  } catch {
    return { title: personaId, difficulty: null };
  }
}

/**
 * Every session started in the period and scope, oldest first (the store's order: started_at,
 * then id), one page at a time. The caller aggregates or writes each page and lets it go.
 */
export async function* reportSessions(
  store: Store,
  period: Period,
  scopes: ReportScope[] | null,
): AsyncGenerator<ReportSession[]> {
  // Parsed once per persona version: sessions share the stored text, so the text is the key.
  const personas = new Map<string, Map<string, PersonaInfo>>();
  for await (const page of store.reportSessions({ since: period.from, until: period.to, scopes })) {
    const out: ReportSession[] = new Array(page.length);
    for (let i = 0; i < page.length; i++) {
      const row = page[i] as ReportSessionRow;
      let byText = personas.get(row.personaId);
      if (byText === undefined) {
        byText = new Map();
        personas.set(row.personaId, byText);
      }
      let persona = byText.get(row.personaSnapshot);
      if (persona === undefined) {
        persona = personaInfo(row.personaSnapshot, row.personaId);
        byText.set(row.personaSnapshot, persona);
      }
      out[i] = {
        id: row.id,
        traineeId: row.traineeId,
        displayName: row.displayName,
        traineePlatform: row.traineePlatform,
        personaId: row.personaId,
        platform: row.platform,
        scopeId: row.scopeId,
        status: row.status,
        evalStatus: row.evalStatus,
        outcome: row.outcome,
        endReason: row.endReason,
        startedAt: row.startedAt,
        lastActivityAt: row.lastActivityAt,
        endedAt: row.endedAt,
        persona,
        evaluation: row.evaluation,
      };
    }
    yield out;
  }
}

/** One session as a row of the report's session table. */
export function toSessionRow(s: ReportSession): SessionRow {
  const e = s.evaluation;
  const criterionScores: Record<string, number> = {};
  if (e !== null) for (const c of e.criteria) criterionScores[c.criterionId] = c.score;
  return {
    sessionId: s.id,
    traineeId: s.traineeId,
    displayName: s.displayName ?? s.traineeId,
    platform: s.platform,
    scopeId: s.scopeId,
    personaId: s.personaId,
    personaTitle: s.persona.title,
    declaredDifficulty: s.persona.difficulty,
    startedAt: s.startedAt,
    endedAt: s.endedAt,
    status: s.status,
    evalStatus: s.evalStatus,
    outcome: s.outcome,
    endReason: s.endReason,
    total: e?.total ?? null,
    passed: e?.passed ?? null,
    criterionScores,
    traineeTurns: e?.traineeTurns ?? null,
    tabooHits: e?.taboo.length ?? 0,
    manipulationHits: e?.manipulation ?? 0,
  };
}

/**
 * The summary's sessions as rows of the session table, oldest first, read again from the store
 * page by page: a report file writes them as they come instead of holding every row. The store
 * must still be open. A session that changed since the summary was built shows its new state.
 */
export async function* sessionRows(
  store: Store,
  summary: Pick<TeamSummary, "period" | "scope">,
): AsyncGenerator<SessionRow[]> {
  for await (const page of reportSessions(store, summary.period, summary.scope)) yield page.map(toSessionRow);
}

/** Every row at once: for a small period, a test, or a caller that wants an array. */
export async function readSessionRows(
  store: Store,
  summary: Pick<TeamSummary, "period" | "scope">,
): Promise<SessionRow[]> {
  const rows: SessionRow[] = [];
  for await (const page of sessionRows(store, summary)) rows.push(...page);
  return rows;
}
