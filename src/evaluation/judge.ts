// The judge call: its prompt (from prompts/judge.md), its output schema, and the delimiting of the
// transcript as data with a boundary token the trainee cannot know in advance.
import { createHash, randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { kindOf } from "../domain/detectors.ts";
import type { Signals } from "../domain/evaluation.ts";
import type { Language, PersonaFile } from "../domain/persona.ts";
import type { RubricFile } from "../domain/rubric.ts";
import type { Outcome } from "../domain/session.ts";
import type { ChatMessage } from "../llm/port.ts";
import type { JudgedTurn } from "./signals.ts";

/** Temperature 0: the same transcript should get the same scores as far as the provider allows. */
export const JUDGE_TEMPERATURE = 0;
export const JUDGE_SCHEMA_NAME = "evaluation";

// Shaped for OpenAI strict structured outputs: every field required (nullable instead of
// optional), no records, arrays of objects. Bounds (scale, ids) are checked in code against the
// rubric, so an out-of-scale score is a recognisable invalid judgement, not a parse failure.
export const JudgeOutput = z.object({
  criteria: z.array(
    z.object({
      criterion_id: z.string(),
      observation: z.string(),
      evidence: z.array(z.object({ turn: z.number().int(), quote: z.string() })),
      score: z.number().int(),
      better_phrasing: z
        .object({
          you_said: z.string().nullable(),
          turn: z.number().int().nullable(),
          try_instead: z.string(),
        })
        .nullable(),
    }),
  ),
  scenario_checks: z.array(
    z.object({
      check_id: z.string(),
      verdict: z.enum(["yes", "no", "not_applicable"]),
      note: z.string(),
    }),
  ),
  flags: z.object({
    taboos: z.array(z.string()),
    manipulation: z.array(z.string()),
    principle_violations: z.array(z.string()),
  }),
  summary: z.string(),
});
export type JudgeOutput = z.infer<typeof JudgeOutput>;

export interface JudgeTemplate {
  system: string;
  user: string;
  /** "judge.md@" + the first 12 hex digits of the file's sha256: recorded with every evaluation. */
  version: string;
}

const SYSTEM_MARK = "<!-- system -->";
const USER_MARK = "<!-- user -->";

/** Splits the template file into its system and user parts. */
export function parseJudgeTemplate(text: string, name = "judge.md"): JudgeTemplate {
  // Marker lines only: the explanatory header may mention the markers in its prose.
  const s = text.search(/^<!-- system -->[ \t]*$/m);
  const u = text.search(/^<!-- user -->[ \t]*$/m);
  if (s < 0 || u < 0 || u < s) {
    throw new Error(`${name}: the template needs a "${SYSTEM_MARK}" line followed by a "${USER_MARK}" line`);
  }
  const system = text.slice(s + SYSTEM_MARK.length, u).trim();
  const user = text.slice(u + USER_MARK.length).trim();
  const hash = createHash("sha256").update(text).digest("hex").slice(0, 12);
  return { system, user, version: `${name}@${hash}` };
}

export async function loadJudgeTemplate(promptsDir: string): Promise<JudgeTemplate> {
  const text = await readFile(join(promptsDir, "judge.md"), "utf8");
  return parseJudgeTemplate(text);
}

/** What the judge may know about the persona: the situation and the checks, not its hidden rules. */
export type JudgePersona = Pick<PersonaFile, "name" | "title" | "language" | "channel" | "situation" | "wants"> & {
  scenario_checks: PersonaFile["scenario_checks"];
};

export type JudgeRubric = Pick<RubricFile, "id" | "name" | "scale" | "criteria">;

export interface JudgeInput {
  template: JudgeTemplate;
  rubric: JudgeRubric;
  persona: JudgePersona;
  turns: JudgedTurn[];
  signals: Signals;
  outcome: Outcome;
  /** Source of boundary tokens; a test can force a collision. Defaults to 12 random bytes in hex. */
  randomToken?: () => string;
}

export interface JudgeMessages {
  messages: ChatMessage[];
  token: string;
  begin: string;
  end: string;
}

const LANGUAGE_NAMES: Record<Language, string> = {
  "zh-CN": "Simplified Chinese (zh-CN)",
  en: "English (en)",
};

const OUTCOME_TEXT: Record<Outcome, string> = {
  continue: "The conversation was ended before the customer reached a decision.",
  satisfied: "The customer ended the conversation satisfied.",
  walked_out: "The customer walked out (ended the conversation unsatisfied).",
  supervisor: "The customer demanded a supervisor.",
};

function defaultToken(): string {
  return randomBytes(12).toString("hex");
}

/** A token that occurs in none of the turns (compared case-insensitively). */
export function boundaryToken(turns: JudgedTurn[], next: () => string = defaultToken): string {
  const texts = turns.map((t) => t.text.toLowerCase());
  for (let i = 0; i < 100; i++) {
    const token = next();
    const t = token.toLowerCase();
    if (t.length >= 8 && !texts.some((x) => x.includes(t))) return token;
  }
  throw new Error("could not find a transcript boundary token absent from the transcript");
}

function renderRubric(r: JudgeRubric): string {
  return r.criteria
    .map((c) => {
      const levels = Object.entries(c.levels)
        .sort(([a], [b]) => Number(a) - Number(b))
        .map(([k, v]) => `- ${k}: ${v}`)
        .join("\n");
      const lines = [
        `### criterion_id "${c.id}": ${c.name} (weight ${c.weight})`,
        c.description,
        "Anchored levels:",
        levels,
      ];
      if (c.good_examples.length > 0)
        lines.push(`Top-level phrasings: ${c.good_examples.map((e) => `"${e}"`).join("; ")}`);
      if (c.poor_examples.length > 0)
        lines.push(`Bottom-level phrasings: ${c.poor_examples.map((e) => `"${e}"`).join("; ")}`);
      return lines.join("\n");
    })
    .join("\n\n");
}

function renderScenario(p: JudgePersona): string {
  return [
    `Customer: ${p.name}. Scenario: ${p.title}. Channel: ${p.channel}.`,
    `What happened, in the customer's view: ${p.situation}`,
    `What would satisfy the customer: ${p.wants}`,
  ].join("\n");
}

function renderChecks(p: JudgePersona): string {
  if (p.scenario_checks.length === 0) return "(none for this scenario: return an empty list)";
  return p.scenario_checks
    .map((c) => `- check_id "${c.id}"${c.critical ? " (critical: a 'no' fails the session)" : ""}: ${c.description}`)
    .join("\n");
}

// Only rubric phrases, counts and turn numbers: no trainee text may appear outside the boundary.
function renderSignals(s: Signals): string {
  const hits = (list: Signals["taboo"]) =>
    list.length === 0
      ? "none"
      : list
          // A detector hit's phrase is the trainee's own words: only its family goes outside the
          // boundary. A rubric's literal phrase (no family id of the detectors) is rubric text.
          .map((h) =>
            h.group && kindOf(h.group) !== null
              ? `turn ${h.turn} (${h.label ?? h.group})`
              : `turn ${h.turn} "${h.phrase}"${h.label ? ` (${h.label})` : ""}`,
          )
          .join("; ");
  const manipulationTurns = [...new Set(s.manipulation.map((m) => m.turn))];
  return [
    `- taboo phrases: ${hits(s.taboo)}`,
    `- empathy phrases: ${hits(s.empathy)}`,
    `- "what we can do" phrases: ${hits(s.canDo)}`,
    `- blaming phrases: ${hits(s.blame)}`,
    `- greeting in the first trainee turn: ${s.greeting ? "yes" : "no"}; closing in the last trainee turns: ${s.closing ? "yes" : "no"}`,
    `- questions asked by the trainee: ${s.questions.open} open, ${s.questions.closed} closed`,
    ...(s.facts
      ? [
          `- the customer's hidden facts the trainee uncovered (as the customer model reported): ${s.facts.revealed.length} of ${s.facts.total}${
            s.facts.missed.length > 0 ? `; never uncovered: ${s.facts.missed.map((f) => f.id).join(", ")}` : ""
          }`,
        ]
      : []),
    `- trainee turns: ${s.traineeTurns}; average length ${s.avgTraineeChars} characters; longest ${s.longestTraineeChars}`,
    `- customer mood (1 most upset to 5 at ease), start then after each customer turn: ${s.moodCurve.join(" → ")}`,
    `- possible manipulation attempts: ${manipulationTurns.length === 0 ? "none detected" : `turns ${manipulationTurns.join(", ")} (check them)`}`,
  ].join("\n");
}

function renderTranscript(turns: JudgedTurn[]): string {
  return [...turns]
    .filter((t) => t.speaker !== "system")
    .sort((a, b) => a.seq - b.seq)
    .map((t) => {
      // Continuation lines are indented so a line break cannot fake the start of another turn.
      const text = t.text.trim().replace(/\r?\n/g, "\n    ");
      return `[turn ${t.seq}] ${t.speaker}: ${text}`;
    })
    .join("\n");
}

/** Fills {{name}} placeholders in one pass: inserted text is never scanned for placeholders. */
function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => values[key] ?? whole);
}

export function buildJudgeMessages(input: JudgeInput): JudgeMessages {
  const token = boundaryToken(input.turns, input.randomToken);
  const begin = `<<<TRANSCRIPT ${token} BEGIN>>>`;
  const end = `<<<TRANSCRIPT ${token} END>>>`;
  const user = fill(input.template.user, {
    language: LANGUAGE_NAMES[input.persona.language],
    scale: `${input.rubric.scale.min}-${input.rubric.scale.max}`,
    rubric: renderRubric(input.rubric),
    scenario: renderScenario(input.persona),
    scenario_checks: renderChecks(input.persona),
    signals: renderSignals(input.signals),
    outcome: OUTCOME_TEXT[input.outcome],
    begin,
    end,
    transcript: renderTranscript(input.turns),
  });
  return {
    messages: [
      { role: "system", content: input.template.system },
      { role: "user", content: user },
    ],
    token,
    begin,
    end,
  };
}
