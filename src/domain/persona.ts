// A persona: one simulated customer in one situation. Trainers write these as YAML files;
// this schema is the single source of truth for the file format (and the JSON Schema editors use).
import { z } from "zod";
import { ScenarioTaboo } from "./detectors.ts";

export const LANGUAGES = ["zh-CN", "en"] as const;
export const Language = z.enum(LANGUAGES);
export type Language = z.infer<typeof Language>;

/** Mood is a level from 1 (most upset: hostile, panicking, shut down) to 5 (at ease). */
export const MOOD_MIN = 1;
export const MOOD_MAX = 5;
export const Mood = z.number().int().min(MOOD_MIN).max(MOOD_MAX);
export type Mood = z.infer<typeof Mood>;

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, "use lowercase letters, digits and dashes, e.g. atm-counterfeit-note");
const text = z.string().trim().min(1, "must not be empty");

export const DIFFICULTIES = ["easy", "medium", "hard"] as const;
export const Difficulty = z.enum(DIFFICULTIES);
export type Difficulty = z.infer<typeof Difficulty>;

/** Accepts easy/medium/hard or 1/2/3 (trainers write either). */
const DifficultyInput = z.union([
  Difficulty,
  z
    .number()
    .int()
    .min(1)
    .max(3)
    .transform((n) => DIFFICULTIES[n - 1] as Difficulty),
]);

export const CHANNELS = ["phone", "branch", "online_chat"] as const;
export const Channel = z.enum(CHANNELS);
export type Channel = z.infer<typeof Channel>;

export const Trigger = z.strictObject({
  id,
  /** What the trainee says or does that moves the customer's mood, in the customer's view. */
  description: text,
  /** How many mood levels it moves at most (default: the persona's emotion.max_step). */
  step: z.number().int().min(1).max(2).optional(),
});
export type Trigger = z.infer<typeof Trigger>;

export const Fact = z.strictObject({
  id,
  /** What the customer knows. */
  fact: text,
  /** What the trainee must ask or do before the customer says it. */
  reveal_when: text,
});
export type Fact = z.infer<typeof Fact>;

export const ScenarioCheck = z.strictObject({
  id,
  /** A yes/no question about the trainee's handling, e.g. "verified the note before compensating". */
  description: text,
  /** A failed critical check fails the session whatever the total (a principle violation). */
  critical: z.boolean().optional(),
});
export type ScenarioCheck = z.infer<typeof ScenarioCheck>;

const moodLines = z.array(text).min(1);

export const PersonaFile = z.strictObject({
  $schema: z.string().optional(),
  id,
  /** Optional author-set version label; a content hash is always computed on load. */
  version: z.union([z.string(), z.number()]).optional(),
  /** What the customer is called in the conversation (e.g. 王先生, Mrs Carter). */
  name: text,
  /** A short title of the scenario for lists (e.g. ATM 取出疑似假币). */
  title: text,
  /** An https image URL: the customer's picture where the platform shows one (Discord). */
  avatar: z.url({ protocol: /^https$/, error: "an https:// image URL" }).optional(),
  language: Language,
  /** angry, confused, suspicious, hurried, elderly, ... (trainers may add their own). */
  archetype: id,
  difficulty: DifficultyInput,
  channel: Channel,
  who_opens: z.enum(["customer", "trainee"]),
  identity: z.strictObject({
    /** Who they are, in a sentence or two: behaviour and circumstances, not demographics. */
    background: text,
    /** How they talk: sentence length, dialect words, habits, what they repeat. */
    speech: text,
    age: z.union([z.number().int().min(1).max(120), z.string()]).optional(),
    occupation: z.string().optional(),
  }),
  /** What happened, in the customer's own view. */
  situation: text,
  /** What outcome would satisfy them. */
  wants: text,
  /** Things the customer knows and says only when the trainee asks the right thing. */
  facts: z.array(Fact).default([]),
  /** The customer's first line(s); one is chosen per session. Required when the customer opens. */
  opening: z.array(text).default([]),
  emotion: z.strictObject({
    mood_start: Mood,
    /** The lowest mood at which the customer can end satisfied (default 4). */
    satisfied_at: Mood.optional(),
    /** At or below this mood the customer may walk out or demand a supervisor (default 1). */
    walk_out_at: Mood.optional(),
    /** The most the mood may move in one turn (default 1). */
    max_step: z.number().int().min(1).max(2).optional(),
    /** How many unproductive turns the customer tolerates before escalating. */
    patience: z.number().int().min(1).max(50),
    escalation: z.array(Trigger).min(1),
    deescalation: z.array(Trigger).min(1),
  }),
  /** Example lines per mood level ("1" most upset ... "5" at ease). */
  sample_lines: z
    .strictObject({
      "1": moodLines.optional(),
      "2": moodLines.optional(),
      "3": moodLines.optional(),
      "4": moodLines.optional(),
      "5": moodLines.optional(),
    })
    .default({}),
  /** When each ending happens, from the customer's side. */
  endings: z.strictObject({
    satisfied: text,
    walks_out: text.optional(),
    supervisor: text.optional(),
  }),
  /** Extra things this customer never does (on top of the rules every customer follows). */
  hard_limits: z.array(text).default([]),
  /** The rubric id used to evaluate this session (the rubric in the persona's language). */
  rubric: id.default("default"),
  scenario_checks: z.array(ScenarioCheck).default([]),
  /** Taboos of this scenario for the detectors: an id, the name the card shows, patterns. */
  scenario_taboos: z.array(ScenarioTaboo).default([]),
  /** Patterns of the empathy this scenario calls for (counted as validating the feeling). */
  scenario_empathy: z.array(text).default([]),
  max_turns: z.number().int().min(2).max(200).default(20),
  tags: z.array(z.string()).default([]),
  /** Notes for trainers; never shown to the customer model. */
  notes: z.string().optional(),
});
export type PersonaFile = z.infer<typeof PersonaFile>;
export type PersonaFileInput = z.input<typeof PersonaFile>;

/** A loaded persona: the validated file plus where it came from and its content hash. */
export interface Persona extends PersonaFile {
  /** Content hash (sha256 of the normalised persona, first 12 hex digits): pins sessions. */
  hash: string;
  /** The file it was loaded from (relative to the personas folder). */
  file: string;
}

export function moodBounds(p: PersonaFile): {
  satisfiedAt: number;
  walkOutAt: number;
  maxStep: number;
} {
  return {
    satisfiedAt: p.emotion.satisfied_at ?? 4,
    walkOutAt: p.emotion.walk_out_at ?? 1,
    maxStep: p.emotion.max_step ?? 1,
  };
}

/** A rule broken across fields, as data: the catalogue words it in the trainer's language. */
export type FieldCheck =
  | { field: string; code: "openingRequired" }
  | { field: string; code: "idReused"; id: string; at: string }
  | { field: string; code: "walkOutNotBelowSatisfied" }
  | { field: string; code: "weightsSum"; sum: number }
  | { field: string; code: "scaleOrder" }
  | { field: string; code: "levelOutsideScale"; level: number; min: number; max: number }
  | { field: string; code: "levelEnds"; min: number; max: number };

/** Archetypes the shipped library and the guide use; trainers may add their own words. */
export const KNOWN_ARCHETYPES = [
  "angry",
  "confused",
  "suspicious",
  "hurried",
  "elderly",
  "grieving",
  "demanding",
] as const;

/** Cross-field rules that zod field checks cannot express. */
export function personaProblems(p: PersonaFile): FieldCheck[] {
  const out: FieldCheck[] = [];
  if (p.who_opens === "customer" && p.opening.length === 0) {
    out.push({ field: "opening", code: "openingRequired" });
  }
  // Trigger, fact and check ids share one namespace per kind: the evaluation refers to them by id.
  const unique = (ids: Map<string, string>, path: string, id: string) => {
    const prev = ids.get(id);
    if (prev) out.push({ field: path, code: "idReused", id, at: prev });
    else ids.set(id, path);
  };
  const triggers = new Map<string, string>();
  p.emotion.escalation.forEach((t, i) => {
    unique(triggers, `emotion.escalation[${i}].id`, t.id);
  });
  p.emotion.deescalation.forEach((t, i) => {
    unique(triggers, `emotion.deescalation[${i}].id`, t.id);
  });
  const facts = new Map<string, string>();
  p.facts.forEach((f, i) => {
    unique(facts, `facts[${i}].id`, f.id);
  });
  const checks = new Map<string, string>();
  p.scenario_checks.forEach((c, i) => {
    unique(checks, `scenario_checks[${i}].id`, c.id);
  });
  const { satisfiedAt, walkOutAt } = moodBounds(p);
  if (walkOutAt >= satisfiedAt) {
    out.push({ field: "emotion.walk_out_at", code: "walkOutNotBelowSatisfied" });
  }
  return out;
}
