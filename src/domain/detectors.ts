// The habits the deterministic detectors know, by stable id: rubrics add patterns to them and
// personas add scenario taboos and empathy lines. The patterns' language is documented in
// personas/README.md and implemented in src/evaluation/detectors/pattern.ts.
import { z } from "zod";

/** The taboos of the seeds' complaint-handling catalogue. */
export const TABOO_FAMILIES = [
  "presuming",
  "rambling",
  "vague",
  "hiding-behind-rules",
  "pressing",
  "blaming",
  "pushing-back",
  "criticising-own-side",
  "contradicting-colleague",
  "arguing",
  "come-back-later",
  "brushing-off",
  "dismissing-feelings",
  "unprincipled-concession",
] as const;
/** What good service does instead, for the customer's feelings. */
export const EMPATHY_FAMILIES = ["apology", "validating-feeling", "naming-the-worry", "ownership"] as const;
/** And for the problem: a concrete next step. */
export const CAN_DO_FAMILIES = ["next-step"] as const;

export const FAMILY_IDS = [...TABOO_FAMILIES, ...EMPATHY_FAMILIES, ...CAN_DO_FAMILIES] as const;
export type TabooFamily = (typeof TABOO_FAMILIES)[number];
export type EmpathyFamily = (typeof EMPATHY_FAMILIES)[number];
export type CanDoFamily = (typeof CAN_DO_FAMILIES)[number];
export type FamilyId = (typeof FAMILY_IDS)[number];
export type DetectorKind = "taboo" | "empathy" | "can_do";

export function kindOf(family: string): DetectorKind | null {
  if ((TABOO_FAMILIES as readonly string[]).includes(family)) return "taboo";
  if ((EMPATHY_FAMILIES as readonly string[]).includes(family)) return "empathy";
  if ((CAN_DO_FAMILIES as readonly string[]).includes(family)) return "can_do";
  return null;
}

const pattern = z.string().trim().min(1, "must not be empty");

/** A rubric's own patterns, per family, in the rubric's language (added to the built-in ones). */
export const RubricDetectors = z.partialRecord(z.enum(FAMILY_IDS), z.array(pattern).min(1)).default({});
export type RubricDetectors = z.infer<typeof RubricDetectors>;

/** A taboo of one scenario (e.g. promising a refund before the check), with the name the card shows. */
export const ScenarioTaboo = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "use lowercase letters, digits and dashes"),
  label: z.string().trim().min(1, "must not be empty"),
  patterns: z.array(pattern).min(1),
});
export type ScenarioTaboo = z.infer<typeof ScenarioTaboo>;
