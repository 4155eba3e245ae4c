// The deterministic side of `roleplay evaluate --file`: the program's own detectors on a written
// dialogue, which need no model (`--signals-only`) and are still shown when the judge fails, so a
// trainer can test a rubric's detectors with no model configured. Also the language checks: a
// dialogue scored with a rubric of another language would be read by the wrong detectors.
import type { Catalogue } from "../catalogue/index.ts";
import type { Signals } from "../domain/evaluation.ts";
import type { Language, Persona } from "../domain/persona.ts";
import type { Rubric } from "../domain/rubric.ts";
import type { TranscriptFile } from "../domain/transcript.ts";
import { computeSignals, type JudgedTurn, renderSignalsMarkdown, turnsFromTranscript } from "../evaluation/index.ts";
import { evaluateCliMessages } from "../evaluation/messages.ts";

/** The rubric a dialogue with no persona is read with. */
export const DEFAULT_RUBRIC_ID = "default";
/** A neutral starting mood for a dialogue with no persona (the middle of 1-5). */
const NEUTRAL_MOOD = 3;

function linesOf(t: TranscriptFile): string[] {
  return t.turns.map((x) => ("trainee" in x ? x.trainee : "customer" in x ? x.customer : x.colleague));
}

/**
 * The language the lines are written in, judged from the script: mostly Han characters is Chinese
 * (simplified, traditional or Cantonese), mostly Latin letters English; null when too little text.
 */
export function writtenLanguage(t: TranscriptFile): Language | null {
  const text = linesOf(t).join(" ");
  const han = (text.match(/\p{Script=Han}/gu) ?? []).length;
  const latin = (text.match(/\p{Script=Latin}/gu) ?? []).length;
  if (han + latin < 4) return null;
  // A Chinese line often carries a few Latin letters (ATM, App); an English one no Han at all.
  return han * 2 >= latin ? "zh-CN" : "en";
}

/** Warnings about the dialogue's language: against the persona's, and against how it is written. */
export function languageWarnings(t: TranscriptFile, persona: Persona | null, ui: Language): string[] {
  const m = evaluateCliMessages(ui);
  const written = writtenLanguage(t);
  const language = t.language ?? written;
  const out: string[] = [];
  if (t.language && written && written !== t.language) {
    out.push(m.languageNotAsWritten(t.language, m.languageName(written)));
  }
  if (persona && language && language !== persona.language) {
    out.push(m.languageMismatch(m.languageName(language), persona.id, m.languageName(persona.language)));
  }
  return out;
}

export interface SignalsReading {
  language: Language;
  rubric: Rubric;
  turns: JudgedTurn[];
  signals: Signals;
}

/**
 * Reads the dialogue with the detectors: the persona's rubric when there is a persona, otherwise
 * the default rubric of the dialogue's language (as the file says, else as it is written).
 */
export function readSignals(
  t: TranscriptFile,
  persona: Persona | null,
  catalogue: Catalogue,
  ui: Language,
): { ok: true; value: SignalsReading } | { ok: false; message: string } {
  const m = evaluateCliMessages(ui);
  const language = t.language ?? persona?.language ?? writtenLanguage(t) ?? ui;
  const rubricId = persona?.rubric ?? DEFAULT_RUBRIC_ID;
  const rubric = catalogue.rubric(rubricId, language);
  if (!rubric) return { ok: false, message: m.rubricNotFound(rubricId, language) };
  const moodStart = persona?.emotion.mood_start ?? NEUTRAL_MOOD;
  const turns = turnsFromTranscript(t, moodStart);
  return {
    ok: true,
    value: { language, rubric, turns, signals: computeSignals(turns, rubric, moodStart, [], persona ?? undefined) },
  };
}

/** The signals as Markdown, with the rubric they were read with. */
export function signalsReport(title: string, reading: SignalsReading, ui: Language): string {
  const m = evaluateCliMessages(ui);
  return [
    `# ${title}`,
    "",
    `- ${m.signalsRubric(reading.rubric.id, m.languageName(reading.language))}`,
    "",
    ...renderSignalsMarkdown(reading.signals, ui),
    "",
  ].join("\n");
}

interface Output {
  language: Language;
  out(line: string): void;
  err(line: string): void;
}

/**
 * `evaluate --file F --signals-only`: no model, and no persona unless one is named (then it must
 * exist, and its rubric is used). Returns false on a user error, already reported.
 */
export function printSignalsOnly(
  t: TranscriptFile,
  personaId: string | null,
  json: boolean,
  catalogue: Catalogue,
  io: Output,
): boolean {
  const m = evaluateCliMessages(io.language);
  const id = personaId ?? t.persona ?? null;
  const persona = id === null ? null : (catalogue.persona(id) ?? null);
  if (id !== null && !persona) {
    io.err(m.personaNotFound(id));
    return false;
  }
  const warnings = languageWarnings(t, persona, io.language);
  for (const w of warnings) io.err(w);
  const reading = readSignals(t, persona, catalogue, io.language);
  if (!reading.ok) {
    io.err(reading.message);
    return false;
  }
  const { language, rubric, signals } = reading.value;
  if (json) {
    io.out(
      JSON.stringify({ language, rubricId: rubric.id, personaId: persona?.id ?? null, warnings, signals }, null, 2),
    );
    return true;
  }
  const title = t.title ?? persona?.title ?? "";
  io.out(signalsReport(m.signalsTitle(title), reading.value, io.language));
  return true;
}
