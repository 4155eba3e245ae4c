// A rubric: weighted criteria with anchored score levels, phrase lists for the deterministic
// detectors, and a pass mark. One file per (id, language).
import { z } from "zod";
import { RubricDetectors } from "./detectors.ts";
import { type FieldCheck, Language } from "./persona.ts";

const id = z.string().regex(/^[a-z0-9][a-z0-9-_]*$/, "use lowercase letters, digits, dashes or underscores");
const text = z.string().trim().min(1, "must not be empty");
const phrases = z.array(text).default([]);

export const Criterion = z.strictObject({
  id,
  name: text,
  /** Share of the total, in points; the weights of a rubric sum to 100. */
  weight: z.number().positive().max(100),
  description: text,
  /** Anchored levels: what a given score looks like (at least the lowest, middle and top). */
  levels: z.record(z.string().regex(/^\d+$/, "level keys are scores, e.g. 1, 3, 5"), text),
  /** Example phrasings for the top level (shown to the judge as anchors). */
  good_examples: z.array(text).default([]),
  /** Example phrasings for the bottom level. */
  poor_examples: z.array(text).default([]),
});
export type Criterion = z.infer<typeof Criterion>;

export const TabooGroup = z.strictObject({
  id,
  /** What the taboo is called in reports (e.g. 推诿"这是规定"). */
  label: text,
  phrases: z.array(text).min(1),
});
export type TabooGroup = z.infer<typeof TabooGroup>;

export const RubricFile = z.strictObject({
  $schema: z.string().optional(),
  id,
  language: Language,
  name: text,
  description: z.string().optional(),
  version: z.union([z.string(), z.number()]).optional(),
  scale: z.strictObject({ min: z.number().int().min(0), max: z.number().int().max(10) }).default({ min: 1, max: 5 }),
  /** Pass mark on the 0-100 total. */
  pass_mark: z.number().min(0).max(100),
  criteria: z.array(Criterion).min(1),
  /** Phrase lists for the deterministic detectors, in this rubric's language. */
  phrases: z
    .strictObject({
      taboo: z.array(TabooGroup).default([]),
      empathy: phrases,
      greeting: phrases,
      closing: phrases,
      blame: phrases,
      /** "What we can do" offers (the opposite of a bare no). */
      can_do: phrases,
      /** Words that open a question (open questions: 什么/怎么/哪; what/how/which ...). */
      open_question: phrases,
    })
    .default({ taboo: [], empathy: [], greeting: [], closing: [], blame: [], can_do: [], open_question: [] }),
  /**
   * Patterns this rubric adds to the built-in detector families, by family id (presuming,
   * hiding-behind-rules, apology, next-step ...), in this rubric's language.
   */
  detectors: RubricDetectors,
});
export type RubricFile = z.infer<typeof RubricFile>;
export type RubricFileInput = z.input<typeof RubricFile>;

export interface Rubric extends RubricFile {
  hash: string;
  file: string;
}

/** Cross-field rules: weights sum to 100, level keys within the scale, unique criterion ids. */
export function rubricProblems(r: RubricFile): FieldCheck[] {
  const out: FieldCheck[] = [];
  const sum = r.criteria.reduce((s, c) => s + c.weight, 0);
  if (Math.abs(sum - 100) > 1e-9) out.push({ field: "criteria", code: "weightsSum", sum });
  if (r.scale.min >= r.scale.max) out.push({ field: "scale", code: "scaleOrder" });
  const seen = new Map<string, string>();
  r.criteria.forEach((c, i) => {
    const prev = seen.get(c.id);
    if (prev) out.push({ field: `criteria[${i}].id`, code: "idReused", id: c.id, at: prev });
    else seen.set(c.id, `criteria[${i}].id`);
    const keys = Object.keys(c.levels).map(Number);
    for (const k of keys) {
      if (k < r.scale.min || k > r.scale.max) {
        out.push({ field: `criteria[${i}].levels.${k}`, code: "levelOutsideScale", level: k, ...r.scale });
      }
    }
    if (!keys.includes(r.scale.min) || !keys.includes(r.scale.max)) {
      out.push({ field: `criteria[${i}].levels`, code: "levelEnds", ...r.scale });
    }
  });
  return out;
}
