// Turns of a written dialogue (a transcript file) in the shape the evaluation reads.
import type { TranscriptFile } from "../domain/transcript.ts";
import type { JudgedTurn } from "./signals.ts";

/**
 * Numbers the turns from 1. A customer line without a mood keeps the previous mood, so the mood
 * curve has one point per customer turn.
 */
export function turnsFromTranscript(file: Pick<TranscriptFile, "turns">, moodStart: number): JudgedTurn[] {
  let mood = moodStart;
  return file.turns.map((t, i) => {
    const seq = i + 1;
    if ("trainee" in t) return { seq, speaker: "trainee", text: t.trainee, mood: null, responseMs: null };
    if ("colleague" in t) return { seq, speaker: "colleague", text: t.colleague, mood: null, responseMs: null };
    mood = t.mood ?? mood;
    return { seq, speaker: "customer", text: t.customer, mood, responseMs: null };
  });
}
