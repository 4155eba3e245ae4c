// A dialogue file for the judge: read and validated, then resolved against the catalogue (persona,
// rubric in the dialogue's language) with the trainee's turns masked.
import { readFile } from "node:fs/promises";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import type { Catalogue } from "../catalogue/index.ts";
import type { Language, Persona } from "../domain/persona.ts";
import type { Rubric } from "../domain/rubric.ts";
import { TranscriptFile } from "../domain/transcript.ts";
import { type JudgedTurn, turnsFromTranscript } from "../evaluation/index.ts";
import { evaluateCliMessages } from "../evaluation/messages.ts";
import { redact } from "../roleplay/privacy/index.ts";
import type { EvaluateContext } from "./evaluate-context.ts";

export type Loaded<T> = { ok: true; value: T } | { ok: false; message: string };

export async function readTranscript(path: string, ctx: EvaluateContext): Promise<Loaded<TranscriptFile>> {
  const m = evaluateCliMessages(ctx.language);
  let text: string;
  try {
    text = await (ctx.readTextFile ?? ((p: string) => readFile(p, "utf8")))(path);
  } catch {
    return { ok: false, message: m.fileUnreadable(path) };
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    return { ok: false, message: m.fileInvalid(path, e instanceof Error ? e.message : String(e)) };
  }
  const parsed = TranscriptFile.safeParse(raw);
  if (!parsed.success) return { ok: false, message: m.fileInvalid(path, z.prettifyError(parsed.error)) };
  return { ok: true, value: parsed.data };
}

/** A transcript file resolved against the catalogue, ready for the judge. */
export interface PreparedTranscript {
  transcript: TranscriptFile;
  persona: Persona;
  /** The persona as judged: in the transcript's language. */
  evaluated: Persona;
  rubric: Rubric;
  turns: JudgedTurn[];
}

export function prepareTranscript(
  transcript: TranscriptFile,
  catalogue: Catalogue,
  personaOverride: string | null,
  language: Language,
): Loaded<PreparedTranscript> {
  const m = evaluateCliMessages(language);
  const personaId = personaOverride ?? transcript.persona;
  if (personaId === undefined) return { ok: false, message: m.personaMissing };
  const persona = catalogue.persona(personaId);
  if (!persona) return { ok: false, message: m.personaNotFound(personaId) };
  const spoken = transcript.language ?? persona.language;
  const rubric = catalogue.rubric(persona.rubric, spoken);
  if (!rubric) return { ok: false, message: m.rubricNotFound(persona.rubric, spoken) };
  // A trainer's file may hold real numbers pasted from a case: mask them before the judge sees them.
  const turns: JudgedTurn[] = turnsFromTranscript(transcript, persona.emotion.mood_start).map((t) =>
    t.speaker === "trainee" || t.speaker === "colleague" ? { ...t, text: redact(t.text, spoken).text } : t,
  );
  return { ok: true, value: { transcript, persona, evaluated: { ...persona, language: spoken }, rubric, turns } };
}
