// A written dialogue scored without a chat (`roleplay evaluate --file`), and the calibration set's
// format: the turns in order, plus optionally the trainer's expected verdict per criterion.
import { z } from "zod";
import { Language, Mood } from "./persona.ts";

const line = z.string().trim().min(1);

export const TranscriptTurn = z.union([
  z.strictObject({ trainee: line }),
  z.strictObject({ customer: line, mood: Mood.optional() }),
]);
export type TranscriptTurn = z.infer<typeof TranscriptTurn>;

export const TranscriptFile = z.strictObject({
  /** The persona whose situation this dialogue plays (its scenario checks and rubric apply). */
  persona: z.string().min(1),
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
});
export type TranscriptFile = z.infer<typeof TranscriptFile>;
