// A written dialogue scored without a chat (`roleplay evaluate --file`), and the calibration set's
// format: the turns in order, plus optionally the trainer's expected verdict per criterion.
import { z } from "zod";
import { TABOO_FAMILIES as DETECTED_TABOOS } from "./detectors.ts";
import { Language, Mood } from "./persona.ts";

const line = z.string().trim().min(1);

export const TranscriptTurn = z.union([
  z.strictObject({ trainee: line }),
  z.strictObject({ customer: line, mood: Mood.optional() }),
  /** Another member of staff who interrupts, helps or contradicts: their words count for the team. */
  z.strictObject({ colleague: line, name: z.string().trim().min(1).optional() }),
]);
export type TranscriptTurn = z.infer<typeof TranscriptTurn>;

/**
 * The seeds' taboo families, as a calibration file records which ones its poor handling commits:
 * the detectors' families (ids shared with their per-family table) less the two kept from the old
 * rubric, which the seeds' catalogue does not name on its own.
 */
export const TabooFamily = z.enum(DETECTED_TABOOS).exclude(["dismissing-feelings", "unprincipled-concession"]);
export const TABOO_FAMILIES = TabooFamily.options;
export type TabooFamily = z.infer<typeof TabooFamily>;

export const TranscriptFile = z.strictObject({
  /**
   * The persona whose situation this dialogue plays (its scenario checks and rubric apply). A
   * dialogue about a situation no persona covers leaves it out: `--persona` supplies one for the
   * judge, and the deterministic signals need none.
   */
  persona: z.string().min(1).optional(),
  language: Language.optional(),
  title: z.string().optional(),
  /** How the conversation ended. */
  outcome: z.enum(["continue", "satisfied", "walked_out", "supervisor"]).default("continue"),
  turns: z.array(TranscriptTurn).min(1),
  /** The trainer's expected score per criterion id (calibration). */
  expected: z.record(z.string(), z.number()).optional(),
  /** The trainer's expected overall verdict (calibration). */
  expected_verdict: z.enum(["pass", "fail"]).optional(),
  notes: z.string().optional(),
  /** Which taboo families the trainee (and colleagues) commit here; [] for a clean handling. */
  taboo_families: z.array(TabooFamily).optional(),
  /** How the Chinese is written: trainees in Hong Kong and Taiwan write traditional or Cantonese. */
  variety: z.enum(["simplified", "traditional", "cantonese"]).optional(),
});
export type TranscriptFile = z.infer<typeof TranscriptFile>;
